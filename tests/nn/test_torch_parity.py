"""Random MLPs against PyTorch autograd in float64: forward values and every gradient."""

import numpy as np
import pytest

from mlplab.nn import Activation, BatchNorm, Dense, Dropout, Sequential, activations, losses

from ..conftest import torch_or_skip
from .test_activations import _torch_fn
from .test_losses import _torch_loss

HIDDEN = [n for n in activations.names() if n not in ("softmax", "log_softmax")]
# the output activation each loss expects, and how its target looks
LOSS_SETUPS = {
    "mse": (None, "values"), "mae": (None, "values"), "huber": (None, "values"),
    "bce": ("sigmoid", "binary"), "bce_logits": (None, "binary"),
    "cross_entropy": (None, "labels"), "nll": ("log_softmax", "labels"), "focal": (None, "labels"),
}


def _random_net(rng, depth, n_in, n_out, output, batchnorm, dropout):
    sizes = [n_in] + list(rng.integers(2, 7, size=depth - 1)) + [n_out]
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(int(a), int(b), init="xavier_normal", seed=int(rng.integers(1000)),
                            dtype="float64"))
        if i < depth - 1:
            if batchnorm:
                layers.append(BatchNorm(int(b), dtype="float64"))
            layers.append(Activation(str(rng.choice(HIDDEN))))
            if dropout:
                layers.append(Dropout(0.3, seed=int(rng.integers(1000))))
    if output:
        layers.append(Activation(output))
    return Sequential(layers)


def _torch_forward(torch, net, x, training, stats):
    """Replay ``net`` in torch with the same weights, dropout masks and the running
    statistics ``stats`` that batch norm had before ``net.forward``."""
    F = torch.nn.functional
    tensors = {}
    h = x
    for i, layer in enumerate(net.layers):
        if isinstance(layer, Dense):
            W = tensors[f"{i}.W"] = torch.tensor(layer.params["W"], requires_grad=True)
            h = h @ W
            if "b" in layer.params:
                b = tensors[f"{i}.b"] = torch.tensor(layer.params["b"], requires_grad=True)
                h = h + b
        elif isinstance(layer, BatchNorm):
            g = tensors[f"{i}.gamma"] = torch.tensor(layer.params["gamma"], requires_grad=True)
            be = tensors[f"{i}.beta"] = torch.tensor(layer.params["beta"], requires_grad=True)
            rm, rv = (torch.tensor(a[0].copy()) for a in stats[i])
            h = F.batch_norm(h, rm, rv, g[0], be[0], training=training,
                             momentum=layer.momentum, eps=layer.eps)
            tensors[f"{i}.running"] = (rm, rv)
        elif isinstance(layer, Dropout):
            if training:
                h = h * torch.tensor(layer.mask)
        else:
            h = _torch_fn(torch, layer.activation)(h)
    return h, tensors


def _target(rng, kind, n, k):
    if kind == "labels":
        return rng.integers(0, k, n)
    if kind == "binary":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.standard_normal((n, k))


CASES = [(loss, depth, bn, dr, training)
         for i, loss in enumerate(LOSS_SETUPS)
         for depth in (1, 3, 5)
         for bn, dr, training in [(False, False, True), (True, (i + depth) % 2 == 0, True),
                                  (True, False, False)]]


@pytest.mark.parametrize("loss_name,depth,batchnorm,dropout,training", CASES,
                         ids=lambda v: str(v))
def test_forward_and_gradients_match_torch(loss_name, depth, batchnorm, dropout, training):
    torch = torch_or_skip()
    rng = np.random.default_rng(abs(hash((loss_name, depth, batchnorm, dropout, training))) % 2**32)
    output, kind = LOSS_SETUPS[loss_name]
    n, n_in, k = 9, 4, 3
    net = _random_net(rng, depth, n_in, k, output, batchnorm and depth > 1, dropout and depth > 1)
    for layer in net.layers:  # non-trivial running statistics for inference mode
        if isinstance(layer, BatchNorm):
            layer.state["running_mean"][...] = rng.standard_normal(layer.state["running_mean"].shape)
            layer.state["running_var"][...] = rng.uniform(0.5, 2, layer.state["running_var"].shape)
            layer.params["gamma"][...] = rng.uniform(0.5, 1.5, layer.params["gamma"].shape)
    x = rng.standard_normal((n, n_in))
    target = _target(rng, kind, n, k)
    loss = losses.get(loss_name)

    stats = {i: (layer.state["running_mean"], layer.state["running_var"])
             for i, layer in enumerate(net.layers) if isinstance(layer, BatchNorm)}
    out = net.forward(x, training=training)
    value = loss.value(out, target)
    dx = net.backward(loss.grad(out, target))

    xt = torch.tensor(x, requires_grad=True)
    out_t, tensors = _torch_forward(torch, net, xt, training, stats)
    value_t = _torch_loss(torch, loss_name, {})(out_t, torch.tensor(target))
    value_t.backward()

    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(value, value_t.item(), rtol=1e-9)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-13)
    checked = 0
    for name, _, g in net.named_parameters():
        np.testing.assert_allclose(g, tensors[name].grad.numpy(), rtol=1e-9, atol=1e-13,
                                   err_msg=name)
        checked += 1
    assert checked >= depth
    for i, layer in enumerate(net.layers):
        if isinstance(layer, BatchNorm):
            rm, rv = tensors[f"{i}.running"]
            np.testing.assert_allclose(layer.state["running_mean"][0], rm.numpy(), rtol=1e-9)
            np.testing.assert_allclose(layer.state["running_var"][0], rv.numpy(), rtol=1e-9)
