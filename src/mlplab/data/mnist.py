"""MNIST and Fashion-MNIST from their IDX files."""

from __future__ import annotations

import numpy as np

from . import files
from .idx import read_idx

#: name -> (file name -> md5 of the .gz file), mirrors, (mean, std) of pixels in [0, 1]
SPECS = {
    "mnist": {
        "files": {
            "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
        },
        "urls": ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                 "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        "stats": (0.1307, 0.3081),
        "classes": [str(d) for d in range(10)],
    },
    "fashion_mnist": {
        "files": {
            "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
        },
        "urls": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        "stats": (0.2860, 0.3530),
        "classes": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot"],
    },
}

_SPLITS = {"train": "train", "test": "t10k"}


def _paths(name, split, directory, download):
    spec = SPECS[name]
    prefix = _SPLITS[split]
    wanted = {f: m for f, m in spec["files"].items() if f.startswith(prefix)}
    # raw (uncompressed) copies are accepted too; their checksum is not known,
    # so the IDX header and sizes are what is checked
    raw = {f[:-3]: None for f in wanted}
    if all(files.find(f, name, directory) for f in raw):
        return files.locate(raw, name, [], directory, fetch=False)
    return files.locate(wanted, name, spec["urls"], directory, fetch=download)


def load_mnist(split: str = "train", *, directory=None, download: bool = True,
               dtype: str = "float32", normalize: bool = True, flatten: bool = True,
               name: str = "mnist"):
    """Images and labels of MNIST (or ``name="fashion_mnist"``).

    Parameters
    ----------
    split : "train" (60000 images) or "test" (10000)
    directory : folder holding the four IDX files (gzip or raw), optional
    download : fetch missing files into the cache when the network allows
    dtype : "float32" or "uint8" (raw pixels 0-255)
    normalize : for float32, ``(x / 255 - mean) / std`` with the training set's
        mean and std (MNIST: 0.1307, 0.3081); otherwise ``x / 255``
    flatten : ``(n, 784)`` rather than ``(n, 28, 28)``

    Returns
    -------
    X : ``(n, 784)`` or ``(n, 28, 28)``;  y : int64 labels ``(n,)``
    """
    if name not in SPECS:
        raise ValueError(f"name must be one of {', '.join(SPECS)}; received name={name!r}")
    if split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'test'; received split={split!r}")
    if dtype not in ("float32", "uint8"):
        raise ValueError(f"dtype must be 'float32' or 'uint8'; received dtype={dtype!r}")
    paths = _paths(name, split, directory, download)
    images = labels = None
    for fname, path in paths.items():
        array = read_idx(path)
        if "images" in fname:
            images = array
        else:
            labels = array
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{name} {split} images must be uint8 n x 28 x 28; "
                         f"found {images.dtype} {images.shape}")
    if labels.shape != images.shape[:1]:
        raise ValueError(f"{name} {split}: {images.shape[0]} images but {labels.shape[0]} labels")
    X = images.reshape(len(images), -1) if flatten else images
    y = labels.astype(np.int64)
    if dtype == "uint8":
        return X, y
    X = X.astype(np.float32) / np.float32(255)
    if normalize:
        mean, std = SPECS[name]["stats"]
        X = (X - np.float32(mean)) / np.float32(std)
    return X, y


def load_fashion_mnist(split: str = "train", **kwargs):
    """Fashion-MNIST: 10 classes of clothing in MNIST's format (see :func:`load_mnist`)."""
    return load_mnist(split, name="fashion_mnist", **kwargs)


def present(name: str = "mnist", directory=None) -> bool:
    """Whether all four files of ``name`` are on this machine (nothing is fetched)."""
    try:
        for split in _SPLITS:
            _paths(name, split, directory, download=False)
    except (files.DataNotFoundError, ValueError):
        return False
    return True
