"""Bad model files and saves that must not replace a good file: each case gets an
error naming the file (and the layer), and the file on disk stays as it was."""

import errno
import json

import numpy as np
import pytest

from mlplab.nn import Dense, Sequential, load, mlp, save, serialization
from mlplab.nn.activation_layers import Activation


@pytest.fixture
def good(tmp_path):
    path = save(mlp([2, 3, 2], seed=0), tmp_path / "good.npz")
    return path, path.read_bytes()


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def _edited(good_path, tmp_path, edit, name="edited.npz"):
    """A copy of the good file with its header's model config changed by ``edit``."""
    with np.load(good_path) as f:
        arrays = dict(f)
    header = json.loads(str(arrays["__mlplab__"]))
    edit(header["model"]["layers"])
    arrays["__mlplab__"] = np.array(json.dumps(header))
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


# ------------------------------------------------------------- configs asking for absurd sizes
def test_config_with_a_huge_dense_is_refused_before_allocating(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers[0].update(fan_in=10**9, fan_out=10**9))
    with pytest.raises(ValueError, match=r"edited.npz': layer 0 \(Dense\) of the model config asks for "
                                         r"1000000000 x 1000000000 weights .* but the file holds only 9"):
        load(path)


def test_config_with_a_negative_width(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers[2].update(fan_out=-4))
    with pytest.raises(ValueError, match=r"layer 2 \(Dense\) of the model config: fan_out must be a "
                                         r"positive integer; received fan_out=-4"):
        load(path)


def test_config_with_a_width_as_text(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers[0].update(fan_out="3"))
    with pytest.raises(ValueError, match=r"layer 0 \(Dense\).*fan_out must be a positive integer; received fan_out='3'"):
        load(path)


def test_config_with_absurd_replicas(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers[0].update(replicas=[10**6, 10**6]))
    with pytest.raises(ValueError, match=r"layer 0 \(Dense\).*replicas asks for 1000000000000 replicas; "
                                         r"the limit is 100000"):
        load(path)


def test_config_with_a_huge_batchnorm(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers.insert(1, {"class": "BatchNorm",
                                                                       "n_features": 10**12}))
    with pytest.raises(ValueError, match=r"layer 1 \(BatchNorm\) .* asks for 1000000000000 features"):
        load(path)


def test_config_with_too_many_layers(good, tmp_path):
    path = _edited(good[0], tmp_path, lambda layers: layers.extend([{"class": "ReLU"}] * 20_000))
    with pytest.raises(ValueError, match=r"declares 20003 layers; the limit is 10000"):
        load(path)


def test_config_whose_layers_are_not_a_list(good, tmp_path):
    with np.load(good[0]) as f:
        arrays = dict(f)
    header = json.loads(str(arrays["__mlplab__"]))
    header["model"]["layers"] = "Dense"
    arrays["__mlplab__"] = np.array(json.dumps(header))
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match=r"bad.npz' has a damaged model config: 'layers' must be a list"):
        load(tmp_path / "bad.npz")


# -------------------------------------------------------------- damaged and foreign files
def test_truncated_file(good, tmp_path):
    (tmp_path / "cut.npz").write_bytes(good[1][: len(good[1]) // 2])
    with pytest.raises(ValueError, match=r"cut.npz' is not a readable mlplab model file"):
        load(tmp_path / "cut.npz")


def test_damaged_bytes_inside_the_archive(good, tmp_path):
    raw = bytearray(good[1])
    raw[120:140] = b"\0" * 20  # inside the header entry's data: its CRC no longer matches
    (tmp_path / "damaged.npz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"damaged.npz' is not a readable mlplab model file"):
        load(tmp_path / "damaged.npz")


def test_npy_file_is_not_a_model(tmp_path):
    np.save(tmp_path / "weights.npy", np.ones(3))
    with pytest.raises(ValueError, match=r"weights.npy' is not a readable mlplab model file: it is not an "
                                         r"\.npz \(zip\) archive"):
        load(tmp_path / "weights.npy")


def test_directory_is_not_a_model(tmp_path):
    with pytest.raises(IsADirectoryError, match=r"is a directory, not a model file"):
        load(tmp_path)


def test_unexpected_arrays_are_listed_briefly(good, tmp_path):
    with np.load(good[0]) as f:
        arrays = dict(f)
    arrays.update({f"param/{k}.W": np.ones(1) for k in range(10, 60)})
    np.savez(tmp_path / "extra.npz", **arrays)
    with pytest.raises(ValueError, match=r"extra.npz' does not match its config: missing \[\], "
                                         r"unexpected \[.*\] and 45 more$") as info:
        load(tmp_path / "extra.npz")
    assert len(str(info.value)) < 300


# ------------------------------------------------------------------------------- saving
def test_nan_weights_are_refused_naming_the_layer_and_the_file_is_untouched(good):
    net = mlp([2, 3, 2], seed=1)
    net.layers[2].params["W"][1, 0] = np.nan
    with pytest.raises(ValueError, match=r"cannot save: layer 2 \(Dense\) parameter 'W' holds nan at index "
                                         r"\(1, 0\) \(1 of 6 values"):
        save(net, good[0])
    assert good[0].read_bytes() == good[1]
    assert _files(good[0].parent) == ["good.npz"]


def test_inf_in_one_replica_is_refused_naming_the_replica(good):
    net = mlp([2, 3, 2], seed=[0, 1, 2])
    net.layers[0].params["b"][2, 0, 1] = np.inf
    with pytest.raises(ValueError, match=r"layer 0 \(Dense\) parameter 'b' of replica 2 holds inf"):
        save(net, good[0])
    assert good[0].read_bytes() == good[1]


def test_nan_in_batchnorm_state_is_refused(good):
    net = mlp([2, 3, 2], seed=0, batchnorm=True)
    net.layers[1].state["running_var"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"layer 1 \(BatchNorm\) state 'running_var' holds nan"):
        save(net, good[0])
    assert good[0].read_bytes() == good[1]


def test_unregistered_layer_is_refused_before_writing(good):
    class Custom(Activation):  # a layer class nobody registered
        def config(self):
            return {"class": "Custom"}

    net = Sequential([Dense(2, 2, seed=0), Custom("relu")])
    with pytest.raises(ValueError, match=r"cannot save layer 1 \(Custom\): its class 'Custom' is not registered"):
        save(net, good[0])
    assert good[0].read_bytes() == good[1]


def test_save_through_a_file_is_refused(tmp_path):
    (tmp_path / "notes").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"cannot write the file '.*notes/m.npz': '.*notes' is a file"):
        save(mlp([2, 3, 2], seed=0), tmp_path / "notes" / "m.npz")
    assert (tmp_path / "notes").read_text() == "x"


def test_save_onto_a_directory_is_refused(tmp_path):
    (tmp_path / "out.npz").mkdir()
    with pytest.raises(IsADirectoryError, match=r"cannot write the file '.*out.npz': it is a directory"):
        save(mlp([2, 3, 2], seed=0), tmp_path / "out.npz")
    assert _files(tmp_path) == ["out.npz"] and not any((tmp_path / "out.npz").iterdir())


def test_disk_full_while_writing_leaves_the_old_file(good, monkeypatch):
    real_savez = np.savez

    def full(file, **arrays):
        real_savez(file, **arrays)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", full)
    with pytest.raises(OSError, match="No space left on device"):
        save(mlp([2, 3, 2], seed=5), good[0])
    assert good[0].read_bytes() == good[1]
    assert _files(good[0].parent) == ["good.npz"]


def test_failed_rename_leaves_the_old_file(good, monkeypatch):
    from mlplab.nn import _atomic

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(_atomic.os, "replace", refused)
    with pytest.raises(PermissionError):
        save(mlp([2, 3, 2], seed=5), good[0])
    assert good[0].read_bytes() == good[1]
    assert _files(good[0].parent) == ["good.npz"]


def test_a_file_that_cannot_be_read_back_never_replaces_the_good_one(good, monkeypatch):
    real_write = serialization.write

    def corrupt(model, file, meta=None):
        real_write(model, file, meta)
        file.seek(0)
        file.write(b"garbage!")  # the archive's signature is gone

    monkeypatch.setattr(serialization, "write", corrupt)
    with pytest.raises(ValueError, match=r"could not be read back, so '.*good.npz' was left as it was"):
        save(mlp([2, 3, 2], seed=5), good[0])
    assert good[0].read_bytes() == good[1]
    assert _files(good[0].parent) == ["good.npz"]


def test_a_good_save_still_replaces_the_file(good):
    net = mlp([2, 3, 2], seed=7)
    save(net, good[0])
    np.testing.assert_array_equal(load(good[0]).layers[0].params["W"], net.layers[0].params["W"])


def test_array_entry_declaring_a_huge_shape_is_refused_before_reading(good, tmp_path):
    import io
    import zipfile

    from numpy.lib import format as npy

    header = io.BytesIO()
    npy.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (10**6, 10**6)})
    path = tmp_path / "forged.npz"
    with zipfile.ZipFile(good[0]) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            forged = info.filename == "param/0.W.npy"
            dst.writestr(info.filename, header.getvalue() + b"\0" * 24 if forged else src.read(info))
    with pytest.raises(ValueError, match=r"forged.npz': array 'param/0.W' declares shape \(1000000, 1000000\) "
                                         r"\(4000000000000 bytes\) but the file holds 152 bytes for it"):
        load(path)
