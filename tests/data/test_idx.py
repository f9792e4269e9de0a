import gzip

import numpy as np
import pytest

from mlplab.data import files
from mlplab.data.idx import IDXError, parse_idx, read_idx, write_idx
from mlplab.data.mnist import load_mnist


@pytest.mark.parametrize("name", ["images.idx", "images.idx.gz"])
def test_round_trip_raw_and_gzip(tmp_path, name, rng):
    images = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
    path = write_idx(tmp_path / name, images)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    np.testing.assert_array_equal(read_idx(path), images)


def test_header_by_hand():
    raw = bytes([0, 0, 8, 1, 0, 0, 0, 3, 5, 6, 7])  # uint8, 1 dim of size 3
    np.testing.assert_array_equal(parse_idx(raw), [5, 6, 7])
    assert int.from_bytes(bytes([0, 0, 8, 3]), "big") == 2051  # MNIST images' magic


def test_big_endian_int32(tmp_path):
    values = np.array([[1, -2], [300000, 4]], dtype=np.int32)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a.idx", values)), values)


def test_truncated_file(tmp_path):
    path = write_idx(tmp_path / "labels.idx", np.arange(10, dtype=np.uint8))
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(IDXError, match=r"promises shape \(10,\) \(18 bytes\) but the file holds 15 bytes: truncated"):
        read_idx(path)


def test_truncated_gzip(tmp_path):
    path = write_idx(tmp_path / "labels.idx.gz", np.arange(1000, dtype=np.int32))
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(IDXError, match="damaged gzip data"):
        read_idx(path)


def test_wrong_magic(tmp_path):
    path = tmp_path / "x.idx"
    path.write_bytes(b"\x12\x34\x08\x01" + b"\x00\x00\x00\x01" + b"\x05")
    with pytest.raises(IDXError, match="bad IDX magic number 305399809"):
        read_idx(path)


def test_wrong_checksum(tmp_path):
    path = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    path.parent.mkdir()
    path.write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x01\x07"))
    with pytest.raises(ValueError, match=r"has the wrong checksum \(md5 [0-9a-f]{32}, expected ec29"):
        files.find(path.name, "mnist", tmp_path, md5="ec29112dd5afa0611ce80d1b7f02629c")


def test_missing_files_say_where_they_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("MLPLAB_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(files.DataNotFoundError) as info:
        load_mnist("test", download=False)
    msg = str(info.value)
    assert "missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz" in msg
    assert str(tmp_path / "nowhere") in msg and "MLPLAB_DATA" in msg


def test_raw_copies_are_found(tmp_path, rng):
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.arange(5, dtype=np.uint8))
    X, y = load_mnist("test", directory=tmp_path, download=False, dtype="uint8")
    np.testing.assert_array_equal(X, images.reshape(5, 784))
    assert y.tolist() == [0, 1, 2, 3, 4]


def test_real_mnist(mnist_dir):
    X, y = load_mnist("train", directory=mnist_dir, download=False, dtype="uint8", flatten=False)
    assert X.shape == (60000, 28, 28) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    Xt, yt = load_mnist("test", directory=mnist_dir, download=False)
    assert Xt.shape == (10000, 784) and Xt.dtype == np.float32
    assert np.bincount(yt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    # normalised with the training set's statistics: the training set gets mean 0, std 1
    Xn, _ = load_mnist("train", directory=mnist_dir, download=False)
    assert abs(float(Xn.mean())) < 1e-3 and abs(float(Xn.std()) - 1) < 1e-3


def _header(code, sizes):
    return bytes([0, 0, code, len(sizes)]) + b"".join(s.to_bytes(4, "big") for s in sizes)


def test_absurd_dimension_count_is_refused(tmp_path):
    path = tmp_path / "many.idx"
    path.write_bytes(_header(0x08, [1] * 200))
    with pytest.raises(IDXError, match=r"many.idx: the IDX header declares 200 dimensions; at most 8"):
        read_idx(path)


def test_absurd_sizes_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.idx"
    path.write_bytes(_header(0x0E, [2**32 - 1] * 4))  # 8-byte floats: a product far beyond int64
    with pytest.raises(IDXError, match=r"huge.idx: the IDX header promises shape \(4294967295, 4294967295, "
                                       r"4294967295, 4294967295\) \(2722258932832206508135981771861358805000 "
                                       r"bytes\); at most 2147483648"):
        read_idx(path)


def test_gzip_header_promising_a_lot_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "bomb.idx.gz"
    path.write_bytes(gzip.compress(_header(0x08, [60000, 100000, 1000]) + b"\0" * 1_000_000))
    with pytest.raises(IDXError, match=r"bomb.idx.gz: the IDX header promises shape \(60000, 100000, 1000\) "
                                       r"\(6000000000000 bytes\); at most 2147483648"):
        read_idx(path)


def test_gzip_with_less_data_than_promised(tmp_path):
    path = tmp_path / "short.idx.gz"
    path.write_bytes(gzip.compress(_header(0x08, [1000, 28]) + b"\1" * 100))
    with pytest.raises(IDXError, match=r"short.idx.gz: the header promises shape \(1000, 28\) \(28012 bytes\) "
                                       r"but the file holds 112 bytes: truncated"):
        read_idx(path)


def test_directory_given_as_idx(tmp_path):
    with pytest.raises(IDXError, match="is a directory, not an IDX file"):
        read_idx(tmp_path)
