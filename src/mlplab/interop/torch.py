"""PyTorch bridge: an mlplab network as a ``torch.nn.Sequential`` and back, and
PyTorch's ``state_dict`` layout.

Layer ``i`` of an mlplab :class:`~mlplab.nn.Sequential` is module ``i`` of the torch
one, so the state-dict keys are PyTorch's own (``"0.weight"``, ``"0.bias"``,
``"1.running_mean"`` ...). A Dense weight ``W`` is ``(fan_in, fan_out)`` in mlplab
(``y = x @ W + b``) and ``(out, in)`` in PyTorch (``y = x @ weight.T + bias``):
``weight = W.T`` and ``bias = b[0]``.

| mlplab                          | torch.nn                                  |
|---------------------------------|-------------------------------------------|
| Dense(bias=...)                 | Linear(bias=...)                          |
| BatchNorm(n, momentum, eps)     | BatchNorm1d(n, eps, momentum)             |
| Dropout(p)                      | Dropout(p)                                |
| ReLU, Sigmoid, Tanh, SELU, Mish | the modules of the same name              |
| LeakyReLU(alpha), ELU(alpha)    | LeakyReLU(negative_slope), ELU(alpha)     |
| Softplus(threshold)             | Softplus(beta=1, threshold)               |
| Swish (beta 1), GELU(approx.)   | SiLU, GELU(approximate)                   |
| Identity, Softmax, LogSoftmax   | Identity, Softmax(-1), LogSoftmax(-1)     |
| Swish(beta), Softmax(temp.)     | this module's ``Swish``, ``TemperatureSoftmax`` |

PyTorch is imported only when a function here needs it; without it they say which
extra to install.
"""

from __future__ import annotations

import numpy as np

from ..nn.activation_layers import Activation, layer_for
from ..nn.batchnorm import BatchNorm
from ..nn.dense import Dense
from ..nn.dropout import Dropout
from ..nn.sequential import Sequential

HINT = "PyTorch is not installed: pip install 'mlplab[torch]' (torch==2.13.0)"


def _torch():
    try:
        import torch
    except ImportError as exc:
        raise ImportError(HINT, name="torch") from exc
    return torch


def replica_index(model: Sequential, replica, what: str) -> tuple:
    """The index of replica ``replica`` in ``model``'s replica axes (``()`` for a model
    without replicas); refuses a replicated model without ``replica``, naming ``what``."""
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be an mlplab Sequential; received {type(model).__name__}")
    reps = model.replicas
    if replica is None:
        if reps:
            raise ValueError(f"{what} takes one network, and this model holds {int(np.prod(reps))} "
                             f"replicas (shape {reps}); pick one with replica=k (mlplab export: --replica K)")
        return ()
    if not reps:
        raise ValueError(f"replica applies to replicated models; this one has none; "
                         f"received replica={replica!r}")
    count = int(np.prod(reps))
    if isinstance(replica, bool) or not isinstance(replica, (int, np.integer)) or not 0 <= replica < count:
        raise ValueError(f"replica must be an integer from 0 to {count - 1}; received replica={replica!r}")
    return tuple(int(i) for i in np.unravel_index(int(replica), reps))


def single(model: Sequential, replica, what: str) -> Sequential:
    """``model`` itself, or its replica ``replica`` as a network of its own."""
    index = replica_index(model, replica, what)
    if not index:
        return model
    config = model.config()
    config.pop("seeds", None)
    for c in config["layers"]:
        if "replicas" in c:
            c["replicas"] = None
    one = Sequential.from_config(config)
    for mine, theirs in zip(one.layers, model.layers):
        for d_one, d_all in ((mine.params, theirs.params), (mine.state, theirs.state)):
            for k in d_one:
                d_one[k][...] = d_all[k][index]
    return one


# ----------------------------------------------------------------- state dict
def _layer_state(i: int, layer) -> dict[str, np.ndarray]:
    if isinstance(layer, Dense):
        out = {f"{i}.weight": layer.params["W"].T.copy()}
        if "b" in layer.params:
            out[f"{i}.bias"] = layer.params["b"][0].copy()
        return out
    if isinstance(layer, BatchNorm):
        return {f"{i}.weight": layer.params["gamma"][0].copy(),
                f"{i}.bias": layer.params["beta"][0].copy(),
                f"{i}.running_mean": layer.state["running_mean"][0].copy(),
                f"{i}.running_var": layer.state["running_var"][0].copy(),
                f"{i}.num_batches_tracked": np.array(0, dtype=np.int64)}
    return {}


def state_dict(model: Sequential, replica=None) -> dict[str, np.ndarray]:
    """PyTorch's ``state_dict`` of ``model.to_torch()``, as NumPy arrays (weights
    ``(out, in)``). ``num_batches_tracked`` is 0: mlplab does not count batches."""
    model = single(model, replica, "state_dict")
    out: dict[str, np.ndarray] = {}
    for i, layer in enumerate(model.layers):
        out.update(_layer_state(i, layer))
    return out


def _as_array(key, value) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor, without importing torch
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise TypeError(f"state_dict[{key!r}] must be a NumPy array or a torch tensor; "
                        f"received {type(value).__name__}")
    return value


def load_state_dict(model: Sequential, state, replica=None) -> Sequential:
    """Copy PyTorch-layout ``state`` (NumPy arrays or torch tensors) into ``model``.

    The keys must be exactly those of ``state_dict(model)`` (``num_batches_tracked``
    may be absent); every array must have its shape. With ``replica=k`` only that
    replica of a replicated model is written. Returns ``model``.
    """
    if not hasattr(state, "keys") or not hasattr(state, "__getitem__"):
        raise TypeError(f"state must be a dict of arrays (a state_dict); received {type(state).__name__}")
    index = replica_index(model, replica, "load_state_dict")
    expected = {}
    for i, layer in enumerate(model.layers):
        expected.update({k: (i, layer) for k in _layer_state_keys(i, layer)})
    given = set(state.keys())
    needed = {k for k in expected if not k.endswith("num_batches_tracked")}
    missing, unexpected = sorted(needed - given), sorted(given - set(expected))
    if missing or unexpected:
        raise ValueError(f"state does not fit this model: missing keys {missing or 'none'}, "
                         f"unexpected keys {unexpected or 'none'}; expected {sorted(needed)}")
    for key in sorted(needed):
        i, layer = expected[key]
        value = _as_array(key, state[key])
        field = key.split(".", 1)[1]
        target, name, transpose = _slot(layer, field)
        current = target[name][index]
        shape = current.shape[::-1] if transpose else current.shape[-1:]
        if value.shape != shape:
            raise ValueError(f"state_dict[{key!r}] must have shape {shape}; received {value.shape}")
        if not np.isfinite(value).all():
            raise ValueError(f"state_dict[{key!r}] holds NaN or infinite values")
        current[...] = value.T if transpose else value
    return model


def _layer_state_keys(i, layer):
    if isinstance(layer, Dense):
        return [f"{i}.weight"] + ([f"{i}.bias"] if "b" in layer.params else [])
    if isinstance(layer, BatchNorm):
        return [f"{i}.{k}" for k in ("weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked")]
    return []


def _slot(layer, field):
    """(dict, key, transposed) where a state-dict field lives in ``layer``."""
    if isinstance(layer, Dense):
        return (layer.params, "W", True) if field == "weight" else (layer.params, "b", False)
    names = {"weight": (layer.params, "gamma"), "bias": (layer.params, "beta"),
             "running_mean": (layer.state, "running_mean"), "running_var": (layer.state, "running_var")}
    return (*names[field], False)


# -------------------------------------------------------------------- modules
def custom_modules():
    """The two torch modules PyTorch lacks: ``Swish(beta)`` and ``TemperatureSoftmax(t)``."""
    _torch()
    from ._torch_modules import Swish, TemperatureSoftmax

    return Swish, TemperatureSoftmax


def _activation_module(nn, act):
    name = act.name
    Swish, TemperatureSoftmax = custom_modules()
    simple = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "selu": nn.SELU,
              "mish": nn.Mish, "identity": nn.Identity}
    if name in simple:
        return simple[name]()
    if name == "leaky_relu":
        return nn.LeakyReLU(act.alpha)
    if name == "elu":
        return nn.ELU(act.alpha)
    if name == "softplus":
        return nn.Softplus(beta=1.0, threshold=act.threshold)
    if name == "swish":
        return nn.SiLU() if act.beta == 1.0 else Swish(act.beta)
    if name == "gelu":
        return nn.GELU(approximate=act.approximate)
    if name == "softmax":
        return nn.Softmax(dim=-1) if act.temperature == 1.0 else TemperatureSoftmax(act.temperature)
    if name == "log_softmax":
        return nn.LogSoftmax(dim=-1)
    raise ValueError(f"activation {name!r} has no PyTorch module here")  # pragma: no cover


def to_torch(model: Sequential, replica=None, training: bool = False):
    """A ``torch.nn.Sequential`` computing what ``model`` computes.

    Same weights (copied), batch-norm running statistics, momentum and eps, dtype
    (float32 or float64); in evaluation mode unless ``training`` (dropout and batch
    norm then act as ``model.forward(x, training=True)`` does). A replicated model
    is refused unless ``replica=k`` picks one replica.
    """
    torch = _torch()
    nn = torch.nn
    model = single(model, replica, "to_torch")
    dtype = {np.dtype("float32"): torch.float32, np.dtype("float64"): torch.float64}[model.dtype]
    modules = []
    for layer in model.layers:
        if isinstance(layer, Dense):
            modules.append(nn.Linear(layer.fan_in, layer.fan_out, bias="b" in layer.params, dtype=dtype))
        elif isinstance(layer, BatchNorm):
            modules.append(nn.BatchNorm1d(layer.n_features, eps=layer.eps, momentum=layer.momentum,
                                          dtype=dtype))
        elif isinstance(layer, Dropout):
            modules.append(nn.Dropout(layer.p))
        elif isinstance(layer, Activation):
            modules.append(_activation_module(nn, layer.activation))
        else:
            raise ValueError(f"layer {len(modules)} ({type(layer).__name__}) has no PyTorch module")
    module = nn.Sequential(*modules)
    with torch.no_grad():
        own = module.state_dict()
        for key, value in state_dict(model).items():
            own[key].copy_(torch.from_numpy(np.array(value, order="C")))
    return module.train(training)


def from_torch(module) -> Sequential:
    """An mlplab network from a ``torch.nn.Sequential`` of ``Linear``, the activations
    (see the table in the module docstring), ``BatchNorm1d`` and ``Dropout``.

    Weights and running statistics are copied (float32 or float64, as the module's);
    anything else is refused, naming the module.
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise TypeError(f"module must be a torch.nn.Sequential; received {type(module).__name__}")
    children = list(module.named_children())
    if not children:
        raise ValueError("module must hold at least one layer; received an empty Sequential")
    dtypes = {p.dtype for p in module.parameters()}
    if len(dtypes) != 1 or not dtypes <= {torch.float32, torch.float64}:
        raise ValueError(f"module's parameters must all be float32 or all float64; "
                         f"received {sorted(map(str, dtypes))}")
    dtype = "float32" if dtypes == {torch.float32} else "float64"
    layers = [_from_module(nn, name, child, dtype) for name, child in children]
    net = Sequential(layers)
    load_state_dict(net, {str(i) + k[len(name):]: v for i, (name, _) in enumerate(children)
                          for k, v in module.state_dict().items() if k.split(".")[0] == name})
    return net


def _from_module(nn, name, m, dtype):
    Swish, TemperatureSoftmax = custom_modules()
    refuse = (f"module {name!r} ({m!r}) cannot be read: from_torch reads Sequential stacks of "
              f"Linear, BatchNorm1d, Dropout and the activations (ReLU, LeakyReLU, ELU, SELU, "
              f"Sigmoid, Tanh, Softplus, SiLU, GELU, Mish, Identity, Softmax, LogSoftmax)")
    if type(m) is nn.Linear:
        return Dense(m.in_features, m.out_features, init="torch", bias=m.bias is not None, dtype=dtype)
    if type(m) is nn.BatchNorm1d:
        if not (m.affine and m.track_running_stats) or m.momentum is None:
            raise ValueError(f"{refuse}; BatchNorm1d needs affine=True, track_running_stats=True "
                             f"and a momentum (not None)")
        return BatchNorm(m.num_features, momentum=m.momentum, eps=m.eps, dtype=dtype)
    if type(m) is nn.Dropout:
        return Dropout(m.p)
    dim_ok = getattr(m, "dim", -1) in (-1, 1, None)
    simple = {nn.ReLU: "relu", nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.SELU: "selu",
              nn.Mish: "mish", nn.Identity: "identity", nn.SiLU: "swish"}
    if type(m) in simple:
        return layer_for(simple[type(m)])
    if type(m) is nn.LeakyReLU:
        return layer_for("leaky_relu", alpha=m.negative_slope)
    if type(m) is nn.ELU:
        return layer_for("elu", alpha=m.alpha)
    if type(m) is nn.Softplus and m.beta == 1:
        return layer_for("softplus", threshold=m.threshold)
    if type(m) is nn.GELU:
        return layer_for("gelu", approximate=m.approximate)
    if type(m) is nn.Softmax and dim_ok:
        return layer_for("softmax")
    if type(m) is nn.LogSoftmax and dim_ok:
        return layer_for("log_softmax")
    if type(m) is Swish:
        return layer_for("swish", beta=m.beta)
    if type(m) is TemperatureSoftmax:
        return layer_for("softmax", temperature=m.temperature)
    raise ValueError(refuse)


__all__ = ["to_torch", "from_torch", "state_dict", "load_state_dict"]
