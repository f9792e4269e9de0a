"""PyTorch's random draws, bit for bit, without PyTorch.

``torch.manual_seed(s)`` seeds PyTorch's CPU generator, an MT19937 initialised from
the 32-bit seed exactly as NumPy's legacy ``np.random.RandomState(s)`` initialises
its own: the two produce the same stream of raw 32-bit words. PyTorch's
``Tensor.uniform_(a, b)`` on the CPU turns that stream into numbers, element by
element in row-major order, as follows (measured against torch 2.13):

- float32: one word ``w`` per value, ``x = (w mod 2^24) / 2^24`` and the value
  ``x * (b - a) + a`` computed in double precision (``b - a`` in single), then
  rounded once to float32;
- float64: two words per value, the first the high half: ``u = (w1 * 2^32 + w2)
  mod 2^53``, ``x = u / 2^53`` and the value ``fma(x, b - a, a)``, rounded once.

``nn.Linear(fan_in, fan_out)`` draws its weight ``(fan_out, fan_in)`` first, then
its bias ``(fan_out,)``, with ``uniform_``. The weight's bound is Kaiming-uniform's
with ``a = sqrt(5)``: ``gain = sqrt(2 / (1 + a^2))``, ``std = gain / sqrt(fan_in)``,
``bound = sqrt(3) * std`` (in that order: the last bit depends on it); the bias's is
``1 / sqrt(fan_in)``.

>>> g = TorchGenerator(0)
>>> W, b = g.linear(2, 3, "float32")     # torch.manual_seed(0); nn.Linear(2, 3)
>>> W.shape, b.shape
((3, 2), (3,))
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np

#: torch.manual_seed keeps seeds below 2**32 intact (it keeps the low 32 bits of larger ones)
MAX_SEED = 2**32 - 1


class TorchGenerator:
    """PyTorch's CPU generator right after ``torch.manual_seed(seed)``.

    Every draw consumes the stream as PyTorch does, so a sequence of calls gives what
    the same sequence of PyTorch calls gives after the same ``manual_seed``.

    Parameters
    ----------
    seed : int in [0, 2**32 - 1]
    """

    def __init__(self, seed):
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= MAX_SEED:
            raise TypeError(f"seed must be an integer from 0 to 2**32 - 1 (what torch.manual_seed "
                            f"keeps intact); received seed={seed!r}")
        self.seed = int(seed)
        self._bits = np.random.MT19937()
        self._bits.state = np.random.RandomState(self.seed).get_state(legacy=False)

    def words(self, n: int) -> np.ndarray:
        """The next ``n`` raw 32-bit words (as uint64)."""
        return self._bits.random_raw(int(n)).astype(np.uint64)

    def uniform(self, shape, low: float, high: float, dtype="float32") -> np.ndarray:
        """``torch.empty(shape, dtype=dtype).uniform_(low, high)``."""
        dtype = np.dtype(dtype)
        shape = tuple(int(s) for s in np.atleast_1d(shape)) if np.ndim(shape) else (int(shape),)
        n = int(np.prod(shape))
        if dtype == np.float32:
            x = (self.words(n) & np.uint64(0xFFFFFF)).astype(np.float64) * 2.0**-24
            lo, hi = np.float32(low), np.float32(high)
            return (x * np.float64(hi - lo) + np.float64(lo)).astype(np.float32).reshape(shape)
        if dtype != np.float64:
            raise ValueError(f"dtype must be float32 or float64; received dtype={dtype}")
        w = self.words(2 * n)
        u = ((w[0::2] << np.uint64(32)) | w[1::2]) & np.uint64((1 << 53) - 1)
        lo, hi = float(low), float(high)
        if lo == -hi:
            # fma(x, 2 hi, -hi) is exactly hi * (2x - 1), and 2x - 1 = (u - 2^52) / 2^52 is a
            # double: one rounded product is the correctly rounded fma
            t = (u.astype(np.int64) - (1 << 52)).astype(np.float64) * 2.0**-52
            return (hi * t).reshape(shape)
        span = Fraction(hi - lo)
        exact = [float(Fraction(int(v), 1 << 53) * span + Fraction(lo)) for v in u.tolist()]
        return np.array(exact, dtype=np.float64).reshape(shape)

    def linear(self, fan_in: int, fan_out: int, dtype="float32", bias: bool = True):
        """The weight ``(fan_out, fan_in)`` and bias ``(fan_out,)`` of ``nn.Linear(fan_in,
        fan_out, bias=bias, dtype=dtype)`` built now (the bias is None without one)."""
        a = math.sqrt(5)
        gain = math.sqrt(2.0 / (1 + a**2))
        std = gain / math.sqrt(fan_in)
        bound = math.sqrt(3.0) * std
        W = self.uniform((fan_out, fan_in), -bound, bound, dtype)
        if not bias:
            return W, None
        b_bound = 1 / math.sqrt(fan_in)
        return W, self.uniform((fan_out,), -b_bound, b_bound, dtype)


def linear_stack(seed: int, sizes, dtype="float32", bias: bool = True):
    """``torch.manual_seed(seed)`` then ``nn.Linear(sizes[i], sizes[i + 1])`` for each i:
    a list of ``(W (out, in), b (out,))`` in PyTorch's layout."""
    g = TorchGenerator(seed)
    return [g.linear(a, b, dtype, bias) for a, b in zip(sizes[:-1], sizes[1:])]
