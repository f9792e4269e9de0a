import numpy as np
import pytest

from mlplab.nn import gradcheck, losses

from ..conftest import torch_or_skip


def _case(name, rng, shape=(6, 3)):
    """A prediction and a target that suit the loss."""
    k = shape[-1]
    if name in ("cross_entropy", "focal"):
        return rng.standard_normal(shape), rng.integers(0, k, size=shape[:-1])
    if name == "nll":
        z = rng.standard_normal(shape)
        return z - np.log(np.exp(z).sum(-1, keepdims=True)), rng.integers(0, k, size=shape[:-1])
    if name == "bce":
        return rng.uniform(0.05, 0.95, shape), rng.integers(0, 2, size=shape).astype(float)
    if name == "bce_logits":
        return rng.standard_normal(shape), rng.integers(0, 2, size=shape).astype(float)
    pred = rng.standard_normal(shape) * 2
    return pred, pred + rng.choice([-1, 1], size=shape) * rng.uniform(0.1, 3.0, shape)


LOSS_CASES = [(n, {}) for n in losses.names()] + [
    ("huber", {"delta": 0.5}), ("cross_entropy", {"label_smoothing": 0.1}),
    ("focal", {"gamma": 0.5}), ("focal", {"gamma": 2.0, "alpha": [0.2, 0.3, 0.5]}),
]


@pytest.mark.parametrize("name,options", LOSS_CASES, ids=str)
@pytest.mark.parametrize("shape", [(6, 3), (4, 6, 3)], ids=["single", "replicas"])
def test_loss_passes_gradcheck(name, options, shape, rng):
    pred, target = _case(name, rng, shape)
    result = gradcheck(losses.get(name, **options), pred, target)
    assert result.worst < 1e-6, result


@pytest.mark.parametrize("name", losses.names())
def test_value_is_one_number_per_replica(name, rng):
    pred, target = _case(name, rng, (5, 7, 3))
    loss = losses.get(name)
    value = loss.value(pred, target)
    assert value.shape == (5,)
    for r in range(5):
        np.testing.assert_allclose(value[r], loss.value(pred[r], target[r]), rtol=1e-12)


def test_cross_entropy_by_hand():
    logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    ce = losses.get("cross_entropy")
    expected = (np.log(1 + np.exp(-2.0)) + np.log(2.0)) / 2
    np.testing.assert_allclose(ce.value(logits, np.array([0, 1])), expected)
    p = np.exp(2) / (1 + np.exp(2))
    np.testing.assert_allclose(ce.grad(logits, np.array([0, 1])),
                               [[(p - 1) / 2, (1 - p) / 2], [0.25, -0.25]])


def test_cross_entropy_accepts_one_hot_like_labels(rng):
    logits = rng.standard_normal((8, 4))
    labels = rng.integers(0, 4, 8)
    onehot = np.eye(4)[labels]
    ce = losses.get("cross_entropy")
    np.testing.assert_allclose(ce.value(logits, labels), ce.value(logits, onehot))
    np.testing.assert_allclose(ce.grad(logits, labels), ce.grad(logits, onehot))


def test_focal_with_gamma_zero_is_cross_entropy(rng):
    logits, labels = rng.standard_normal((10, 3)), rng.integers(0, 3, 10)
    np.testing.assert_allclose(losses.get("focal", gamma=0.0).value(logits, labels),
                               losses.get("cross_entropy").value(logits, labels))
    np.testing.assert_allclose(losses.get("focal", gamma=0.0).grad(logits, labels),
                               losses.get("cross_entropy").grad(logits, labels))


def test_focal_down_weights_easy_examples():
    easy = np.array([[5.0, 0.0]])
    ce, focal = losses.get("cross_entropy"), losses.get("focal", gamma=2.0)
    assert focal.value(easy, np.array([0])) < 0.01 * ce.value(easy, np.array([0]))


def test_huber_is_quadratic_inside_and_linear_outside():
    h = losses.get("huber", delta=1.0)
    np.testing.assert_allclose(h.value(np.array([[0.5]]), np.array([[0.0]])), 0.125)
    np.testing.assert_allclose(h.value(np.array([[3.0]]), np.array([[0.0]])), 2.5)


def test_bce_logits_is_stable_for_huge_logits():
    loss = losses.get("bce_logits")
    value = loss.value(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [1.0]]))
    np.testing.assert_allclose(value, 1000.0)


def _torch_loss(torch, name, options):
    F = torch.nn.functional

    def focal(z, y):
        logp = F.log_softmax(z, dim=-1)
        logpt = logp.gather(-1, y[..., None])[..., 0]
        alpha = options.get("alpha")
        a = 1.0 if alpha is None else torch.tensor(alpha, dtype=z.dtype)[y]
        return (-a * (1 - logpt.exp()) ** options.get("gamma", 2.0) * logpt).mean()

    return {
        "mse": F.mse_loss, "mae": F.l1_loss,
        "huber": lambda p, t: F.huber_loss(p, t, delta=options.get("delta", 1.0)),
        "bce": F.binary_cross_entropy, "bce_logits": F.binary_cross_entropy_with_logits,
        "cross_entropy": lambda z, y: F.cross_entropy(
            z, y, label_smoothing=options.get("label_smoothing", 0.0)),
        "nll": F.nll_loss, "focal": focal,
    }[name]


@pytest.mark.parametrize("name,options", LOSS_CASES, ids=str)
def test_matches_torch(name, options, rng):
    torch = torch_or_skip()
    pred, target = _case(name, rng, (9, 3))
    loss = losses.get(name, **options)
    pt = torch.tensor(pred, requires_grad=True)
    value = _torch_loss(torch, name, options)(pt, torch.tensor(target))
    value.backward()
    np.testing.assert_allclose(loss.value(pred, target), value.item(), rtol=1e-9)
    np.testing.assert_allclose(loss.grad(pred, target), pt.grad.numpy(), rtol=1e-9, atol=1e-15)


def test_focal_alpha_must_match_classes(rng):
    logits, labels = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    with pytest.raises(ValueError, match="alpha lists 3 class weights.*4 classes"):
        losses.get("focal", alpha=[0.2, 0.3, 0.5]).value(logits, labels)


@pytest.mark.parametrize("name,options", LOSS_CASES, ids=str)
def test_value_and_grad_equals_value_and_grad_apart(name, options, rng):
    pred, target = _case(name, rng, (3, 7, 3))
    loss = losses.get(name, **options)
    value, grad = loss.value_and_grad(pred, target)
    np.testing.assert_allclose(value, loss.value(pred, target), rtol=1e-12)
    np.testing.assert_allclose(grad, loss.grad(pred, target), rtol=1e-12, atol=1e-15)
