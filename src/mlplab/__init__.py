"""mlplab: a neural-network lab written from scratch in NumPy.

>>> import mlplab
>>> from mlplab.data import disc_ring
>>> X, y = disc_ring(seed=0)
>>> net = mlplab.mlp([2, 8, 8, 2], seed=0)
>>> history = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=200)
"""

from ._version import __version__
from .nn import History, Sequential, fit, gradcheck, load, mlp
from .nn.blas_threads import set_threads, threads

__all__ = ["__version__", "fit", "mlp", "Sequential", "History", "gradcheck", "load",
           "set_threads", "threads", "verify"]


def __getattr__(name):
    # mlplab.verify (mlplab vs PyTorch, side by side) loads the lab only when asked for
    if name == "verify":
        from .lab.verify import verify

        return verify
    raise AttributeError(f"module 'mlplab' has no attribute {name!r}")
