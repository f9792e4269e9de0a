import numpy as np

from mlplab.nn import Dense, gradcheck, losses, mlp
from mlplab.nn.activation_layers import Activation
from mlplab.nn.activations import Activation as ActivationFn


class _WrongTanh(ActivationFn):
    """tanh with a derivative that is off by a factor 1.01: gradcheck must notice."""

    name = "wrong_tanh"

    def __call__(self, x):
        return np.tanh(x)

    def derivative(self, x, y=None):
        return 1.01 * (1 - np.tanh(x) ** 2)


def test_gradcheck_catches_a_wrong_derivative(rng):
    result = gradcheck(Activation(_WrongTanh()), rng.standard_normal((4, 3)))
    assert not result.ok
    np.testing.assert_allclose(result.errors["x"], 0.01 / 1.01, rtol=0.05)


def test_gradcheck_catches_a_wrong_loss_gradient(rng):
    class HalfMSE(losses.MSE):
        def grad(self, pred, target):
            return super().grad(pred, target) / 2

    result = gradcheck(HalfMSE(), rng.standard_normal((5, 2)), rng.standard_normal((5, 2)))
    assert not result.ok and abs(result.worst - 0.5) < 1e-6


def test_gradcheck_leaves_the_original_untouched(rng):
    net = mlp([3, 4, 2], seed=0, batchnorm=True)
    before = [p.copy() for p, _ in net.parameters()] + [s.copy() for _, s in net.named_state()]
    result = gradcheck(net, rng.standard_normal((5, 3)))
    assert result.ok, result
    after = [p for p, _ in net.parameters()] + [s for _, s in net.named_state()]
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)
    assert net.dtype == np.float32


def test_gradcheck_reports_every_array(rng):
    result = gradcheck(Dense(3, 2, seed=0), rng.standard_normal((4, 3)))
    assert set(result.errors) == {"x", "W", "b"}
