"""A stack of layers, and the ``mlp`` shortcut that builds one."""

from __future__ import annotations

import numpy as np

from . import _validate, activations
from .activation_layers import Activation, layer_for
from .batchnorm import BatchNorm
from .dense import Dense, replica_rngs
from .dropout import Dropout
from .layer import Layer, layer_from_config, replica_shape

CONFIG_VERSION = 1


class Sequential:
    """Layers applied one after another.

    ``forward(x)`` maps ``(..., n, f_in)`` to ``(..., n, f_out)``; ``backward(dy)``
    runs the layers' backward passes in reverse and fills their ``grads``.

    >>> from mlplab.nn import Dense, ReLU
    >>> net = Sequential([Dense(2, 3, seed=0), ReLU(), Dense(3, 1, seed=1)])
    >>> net.forward(np.zeros((5, 2), "float32")).shape
    (5, 1)
    """

    #: padded widths (see :mod:`.masking`): ``(layer, key, 0/1 mask)`` for the gradients
    #: ``backward`` zeroes, and one ``(R, 1, width)`` mask of real units per hidden layer
    grad_masks = None
    unit_masks = None

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{i}] must be a Layer (Dense, ReLU, Dropout, ...); "
                    f"received {layer!r} of type {type(layer).__name__}"
                )
        if not layers:
            raise ValueError("layers must hold at least one layer; received an empty list")
        self.layers = layers
        dense = self.dense_layers
        if not dense:
            raise ValueError("layers must include at least one Dense layer")
        self._n_inputs = dense[0].fan_in
        self._dtype = dense[0].params["W"].dtype
        self.meta: dict = {}  # free-form, saved with the model (dataset, classes, scaler)
        self._seeds = None
        self.shuffle_streams = None  # fit's per-replica shuffling generators (see seeds)
        self._flat = None
        self._flatten()

    # ---------------------------------------------------------------- passes
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Output of the network for ``x`` shaped ``(n_samples, n_features)`` or, one per
        replica, ``(*replicas, n_samples, n_features)``.

        The shape is always checked; in inference mode the values too (real, finite, and
        fitting in the network's dtype). In training mode ``fit`` has checked the data once.
        """
        if not training or not isinstance(x, np.ndarray) or x.dtype.kind not in "fiub":
            x = _validate.finite_array("X", x, min_ndim=2)  # lists, complex, NaN, strings
        _validate.input_shape("X", x.shape, self._n_inputs, self.replicas)
        if x.dtype != self._dtype:
            x = _validate.cast("X", x, self._dtype)
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    __call__ = forward

    def backward(self, dy: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Back-propagate ``dL/doutput``; returns ``dL/dx`` (None if ``input_grad`` is false)."""
        last = len(self.layers) - 1
        for i in range(last, -1, -1):
            dy = self.layers[i].backward(dy, input_grad or i > 0)
        if self.grad_masks is not None:  # padded units' weights get no gradient
            for layer, key, mask in self.grad_masks:
                layer.grads[key] *= mask
        return dy

    # ------------------------------------------------------------ parameters
    def named_parameters(self) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
        """``(name, param, grad)`` for every parameter, e.g. ``("0.W", W, dW)``."""
        return [(f"{i}.{k}", p, layer.grads.get(k))
                for i, layer in enumerate(self.layers) for k, p in layer.params.items()]

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """``(param, grad)`` pairs in a fixed order (what optimizers take)."""
        return [(p, layer.grads.get(k)) for layer in self.layers for k, p in layer.params.items()]

    def astype(self, dtype) -> Sequential:
        """Cast every parameter and state array to ``dtype`` (in place); returns self."""
        dtype = np.dtype(dtype)
        for layer in self.layers:
            for d in (layer.params, layer.grads, layer.state):
                for k in d:
                    d[k] = d[k].astype(dtype)
            if hasattr(layer, "dtype"):
                layer.dtype = dtype
        self._dtype = dtype
        self._flatten()
        return self

    def flat_parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """All parameters as one ``(param, grad)`` pair of flat buffers.

        Every parameter (and its gradient) is a view into one buffer shaped
        ``(*replicas, 1, n_params)``, so an optimizer updates the whole network
        with a handful of array operations instead of a handful per parameter.
        If a layer's parameter was replaced by another array since, the buffers are
        rebuilt around the current values. Falls back to ``parameters()`` when the
        parameters do not share one dtype and replica shape.
        """
        if not self._flat_is_bound():
            self._flatten()
        if self._flat is None:
            return self.parameters()
        return [self._flat[:2]]

    def _flat_is_bound(self) -> bool:
        if self._flat is None:
            return False
        for layer, k, p, g in self._flat[2]:  # a loop: this runs every step
            if layer.params.get(k) is not p or layer.grads.get(k) is not g:
                return False
        return True

    def _flatten(self) -> None:
        """Move every parameter and gradient into views of two flat buffers."""
        entries = [(layer, k, p) for layer in self.layers for k, p in layer.params.items()]
        self._flat = None
        if not entries:
            return
        reps = {p.shape[:-2] for _, _, p in entries}
        dtypes = {p.dtype for _, _, p in entries}
        if len(reps) != 1 or len(dtypes) != 1:
            return
        (reps,), (dtype,) = reps, dtypes
        sizes = [p.shape[-2] * p.shape[-1] for _, _, p in entries]
        P = np.empty((*reps, 1, sum(sizes)), dtype)
        G = np.zeros_like(P)
        views, start = [], 0
        for (layer, k, p), size in zip(entries, sizes):
            shape = p.shape
            pv = P[..., 0, start:start + size].reshape(shape)
            gv = G[..., 0, start:start + size].reshape(shape)
            if not (np.shares_memory(pv, P) and np.shares_memory(gv, G)):  # pragma: no cover
                return
            pv[...] = p
            old = layer.grads.get(k)
            if old is not None and old.shape == shape:
                gv[...] = old
            layer.params[k], layer.grads[k] = pv, gv
            views.append((layer, k, pv, gv))
            start += size
        self._flat = (P, G, views)

    def named_state(self) -> list[tuple[str, np.ndarray]]:
        """Non-trainable arrays (batch-norm running statistics)."""
        return [(f"{i}.{k}", s) for i, layer in enumerate(self.layers) for k, s in layer.state.items()]

    @property
    def n_params(self) -> int:
        """Trainable numbers in one replica."""
        reps = int(np.prod(self.replicas or (1,)))
        return sum(p.size for p, _ in self.parameters()) // reps

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def n_inputs(self) -> int:
        return self.dense_layers[0].fan_in

    @property
    def n_outputs(self) -> int:
        return self.dense_layers[-1].fan_out

    @property
    def replicas(self) -> tuple[int, ...] | None:
        for layer in self.layers:
            if layer.params:
                return layer.replicas
        return None

    @property
    def seeds(self) -> tuple[int, ...] | None:
        """The seed of each replica (one element without replicas), or ``None``.

        ``mlp(..., seed=...)`` records them: replica ``r`` started as the single
        network built with ``seeds[r]``. ``fit(seed=None)`` shuffles each replica
        from its own seed, so training is reproducible by default.
        """
        return self._seeds

    @seeds.setter
    def seeds(self, value):
        if value is not None:
            count = int(np.prod(self.replicas or (1,)))
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
                raise TypeError(f"seeds must be None or a sequence of {count} non-negative "
                                f"integers; received seeds={value!r}")
            value = tuple(_validate.nonnegative_int(f"seeds[{i}]", s) for i, s in enumerate(value))
            if len(value) != count:
                raise ValueError(f"seeds must hold one seed per replica ({count}); "
                                 f"received {len(value)}: {value!r}")
        self._seeds = value
        self.shuffle_streams = None

    @property
    def dtype(self) -> np.dtype:
        for p, _ in self.parameters():
            return p.dtype
        return np.dtype("float32")

    # ----------------------------------------------------------- predictions
    @property
    def output_activation(self) -> str:
        """Name of the activation after the last Dense ("identity" for logits)."""
        last = self.layers[-1]
        return last.activation.name if isinstance(last, Activation) else "identity"

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(..., n, C)`` (``(..., n, 1)`` = P(class 1) for one output).

        Softmax or sigmoid outputs are returned as they are; logits (a linear last
        layer) go through softmax (several outputs) or sigmoid (one output);
        log-softmax outputs are exponentiated.
        """
        out = self.forward(self._checked(X), training=False)
        kind = self.output_activation
        if kind in ("softmax", "sigmoid"):
            return out
        if kind == "log_softmax":
            return np.exp(out)
        if out.shape[-1] == 1:
            return activations.Sigmoid()(out)
        return activations.Softmax()(out)

    def predict(self, X) -> np.ndarray:
        """Class labels ``(..., n)``: argmax of the probabilities, or P > 0.5 for one output.

        For regression outputs use ``forward(X)``.
        """
        proba = self.predict_proba(X)
        if proba.shape[-1] == 1:
            return (proba[..., 0] > 0.5).astype(np.int64)
        return proba.argmax(axis=-1)

    def hidden_activations(self) -> list[tuple[int, Activation]]:
        """``(k, layer)``: the (first) activation layer of each hidden layer k (from 1)."""
        found, seen = [], 0
        n_dense = len(self.dense_layers)
        for layer in self.layers:
            if isinstance(layer, Dense):
                seen += 1
            elif isinstance(layer, Activation) and 0 < seen < n_dense and (not found or found[-1][0] < seen):
                found.append((seen, layer))
        return found

    def hidden_outputs(self, X) -> list[np.ndarray]:
        """The output of each hidden layer's activation for ``X`` (inference mode)."""
        self.forward(self._checked(X), training=False)
        return [layer.output for _, layer in self.hidden_activations()]

    def _checked(self, X):
        return _validate.model_input("X", X, self.n_inputs, self.replicas, self.dtype)

    # ---------------------------------------------------------------- config
    def config(self) -> dict:
        config = {"class": "Sequential", "version": CONFIG_VERSION,
                  "layers": [layer.config() for layer in self.layers]}
        if self.seeds is not None:
            config["seeds"] = list(self.seeds)
            if getattr(self, "draws", "numpy") != "numpy":
                config["rng"] = self.draws
        return config

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        """A network with the same architecture.

        With ``seeds`` in the config (a network ``mlp`` built from seeds), the starting
        weights and dropout streams are those ``mlp`` gave it; otherwise they are fresh.
        """
        if not isinstance(config, dict) or config.get("class") != "Sequential":
            raise ValueError(f"not a Sequential config: {str(config)[:200]!r}")
        seeds = config.get("seeds")
        if seeds is None:
            return cls([layer_from_config(c) for c in config["layers"]])
        layers = _seeded_layers(config["layers"], seeds, config.get("rng", "numpy"))
        net = cls(layers)
        net.seeds = seeds
        net.draws = config.get("rng", "numpy")
        return net

    def save(self, path, meta: dict | None = None):
        """Write weights, state, config and ``meta`` to one ``.npz`` (see :mod:`.serialization`)."""
        from .serialization import save
        return save(self, path, meta)

    @classmethod
    def load(cls, path) -> Sequential:
        from .serialization import load
        return load(path)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n  {inner}\n])"

    def __setstate__(self, state):
        # pickle and deepcopy turn the parameter views into copies: bind them to fresh flat
        # buffers again, or training after unpickling would update buffers nobody reads
        self.__dict__.update(state)
        self._flatten()

    def _repr_html_(self) -> str:
        """Jupyter: the layer table (see :mod:`mlplab.notebook.reprs`)."""
        from ..notebook.reprs import sequential_html
        return sequential_html(self)

    def summary(self, format=None):
        """Each layer, its output shape and parameter count, and the total (== ``n_params``),
        as Keras prints them: a :class:`~mlplab.nn.summary.Summary` (text in a terminal, a
        table in Jupyter), or a string with ``format="text"``, ``"short"`` or ``"html"``."""
        from .summary import summary

        return summary(self, format)

    # ------------------------------------------------- bridges (mlplab.interop)
    def to_torch(self, replica=None, training: bool = False):
        """This network as a ``torch.nn.Sequential`` (see :func:`mlplab.interop.torch.to_torch`)."""
        from ..interop.torch import to_torch
        return to_torch(self, replica=replica, training=training)

    def state_dict(self, replica=None) -> dict:
        """PyTorch's ``state_dict`` of ``to_torch()``: NumPy arrays, weights ``(out, in)``."""
        from ..interop.torch import state_dict
        return state_dict(self, replica=replica)

    def load_state_dict(self, state, replica=None) -> Sequential:
        """Copy a PyTorch-layout state dict (NumPy arrays or torch tensors) into this network."""
        from ..interop.torch import load_state_dict
        return load_state_dict(self, state, replica=replica)

    def to_onnx(self, path, replica=None):
        """Write this network (inference mode) as an ONNX file (see :mod:`mlplab.interop.onnx`)."""
        from ..interop.onnx import to_onnx
        return to_onnx(self, path, replica=replica)


def mlp(sizes, activation="relu", output=None, init="he_normal", seed=None, replicas=None,
        dtype="float32", bias=True, dropout=0.0, batchnorm=False, rng="numpy") -> Sequential:
    """A multi-layer perceptron ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Each hidden layer is ``Dense -> [BatchNorm] -> activation -> [Dropout]``; the
    last is ``Dense -> output`` (``output=None`` leaves it linear: logits, for
    ``cross_entropy`` or ``bce_logits``).

    Parameters
    ----------
    sizes : sequence of int
        Widths, inputs first: ``[2, 4, 4, 2]``.
    activation : str, Activation or list
        Hidden activation, or one per hidden layer.
    output : str, optional
        Output activation (``"softmax"``, ``"sigmoid"``, ...).
    init : str or Initializer
        Weight initializer for every Dense layer.
    seed : int, Generator or list of ints
        With a list, replica ``r`` starts exactly as ``mlp(..., seed=seeds[r])``;
        with an int and ``replicas=R``, the seeds are ``seed, ..., seed + R - 1``.
    replicas : int, optional
        Train this many independent copies at once (one per seed).
    dtype : "float32" or "float64"
    dropout : float
        Drop probability after each hidden activation (0 = none).
    batchnorm : bool
        Batch normalisation after each hidden Dense (which then has no bias: the
        batch norm's ``beta`` takes its place).
    rng : "numpy" or "torch"
        Where the initial weights come from. ``"torch"`` (with ``init="torch"`` and
        integer seeds) gives, bit for bit, the weights ``torch.manual_seed(seed)``
        followed by ``nn.Linear`` layers built in order gives, for each replica's seed
        (:mod:`mlplab.nn.torch_draws`); PyTorch itself is not needed.

    >>> net = mlp([2, 4, 4, 2], seed=[0, 1, 2])
    >>> net.layers[0].params["W"].shape
    (3, 2, 4)
    """
    sizes = _check_sizes(sizes)
    dtype = _validate.float_dtype("dtype", dtype)
    _validate.replicas("replicas", replicas)
    n_hidden = len(sizes) - 2
    hidden = list(activation) if isinstance(activation, (list, tuple)) else [activation] * n_hidden
    if len(hidden) != n_hidden:
        raise ValueError(
            f"activation lists one activation per hidden layer ({n_hidden}); "
            f"received {len(hidden)}: {activation!r}"
        )
    dropout = _validate.probability("dropout", dropout)
    if isinstance(seed, (list, tuple)) and replicas is None:
        replicas = len(seed)
    reps = replica_shape(replicas)
    rngs = _weight_streams(rng, init, seed, reps) or replica_rngs(seed, replicas)
    layer_seed = rngs if reps else rngs[0]
    layers: list[Layer] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        # batch norm's shift makes a bias in front of it redundant (its gradient is 0)
        hidden_bn = batchnorm and i < n_hidden
        layers.append(Dense(fan_in, fan_out, init=init, bias=bias and not hidden_bn,
                            seed=layer_seed, replicas=replicas, dtype=dtype))
        if i < n_hidden:
            if batchnorm:
                layers.append(BatchNorm(fan_out, replicas=replicas, dtype=dtype))
            layers.append(layer_for(hidden[i]))
            if dropout:
                layers.append(Dropout(dropout, seed=_dropout_seed(seed, replicas, i)))
        elif output is not None:
            layers.append(layer_for(output))
    net = Sequential(layers)
    net.seeds = _seed_tuple(seed, reps)
    net.draws = rng
    return net


DRAWS = ("numpy", "torch")


def _weight_streams(rng, init, seed, reps):
    """For ``rng="torch"``: one emulated PyTorch generator per replica seed (None for
    ``"numpy"``), after checking that the initializer and seeds allow it."""
    if rng not in DRAWS:
        raise ValueError(f"rng must be one of {', '.join(DRAWS)}; received rng={rng!r}")
    if rng == "numpy":
        return None
    from . import initializers
    from .torch_draws import TorchGenerator

    name = initializers.get(init).name
    if name != "torch":
        raise ValueError(f"rng='torch' draws what nn.Linear's default initialisation draws, so it "
                         f"needs init='torch'; received init={name!r}")
    seeds = _seed_tuple(seed, reps)
    if seeds is None:
        raise TypeError(f"rng='torch' needs integer seeds (as torch.manual_seed takes); "
                        f"received seed={seed!r}")
    return [TorchGenerator(s) for s in seeds]


def _seed_tuple(seed, reps):
    """The seed of each replica, as ``replica_rngs`` and ``_dropout_seed`` use them."""
    if seed is None or isinstance(seed, np.random.Generator):
        return None
    if isinstance(seed, (list, tuple)):
        if any(isinstance(s, np.random.Generator) for s in seed):
            return None
        return tuple(int(s) for s in seed)
    count = int(np.prod(reps)) if reps else 1
    return tuple(int(seed) + r for r in range(count))


def _seeded_layers(configs, seeds, draws="numpy"):
    """Layers from their configs, drawing weights and dropout masks as ``mlp`` does from
    ``seeds``: one generator per replica shared by the Dense layers in order, and
    dropout after hidden layer i seeded from (i, seed)."""
    if not isinstance(configs, list) or not configs or not isinstance(seeds, list):
        raise ValueError("a Sequential config needs a list of layers and a list of seeds")
    dense = [c for c in configs if isinstance(c, dict) and c.get("class") == "Dense"]
    replicas = dense[0].get("replicas") if dense else None
    seed = list(seeds) if replicas else (seeds[0] if len(seeds) == 1 else seeds)
    if draws == "torch":
        from .torch_draws import TorchGenerator

        rngs = [TorchGenerator(s) for s in seeds]
    else:
        rngs = replica_rngs(seed, replicas)
    layer_seed = rngs if replicas else rngs[0]
    layers, n_dense = [], 0
    for c in configs:
        kind = c.get("class") if isinstance(c, dict) else None
        if kind == "Dense":
            c = {**c, "seed": layer_seed}
            n_dense += 1
        elif kind == "Dropout":
            c = {**c, "seed": _dropout_seed(seed, replicas, n_dense - 1)}
        layers.append(layer_from_config(c))
    return layers


def _dropout_seed(seed, replicas, layer_index):
    """The dropout layer's generator(s), from the model's seed(s) and the layer's position:
    one per replica, each exactly the one a single model with that replica's seed gets."""
    if seed is None or isinstance(seed, np.random.Generator):
        return None
    if isinstance(seed, (list, tuple)):
        seeds = list(seed)
    else:
        shape = replica_shape(replicas)
        seeds = [seed + r for r in range(int(np.prod(shape)))] if shape else [seed]
    if any(isinstance(s, np.random.Generator) for s in seeds):
        return None
    rngs = [np.random.default_rng([2, layer_index, s]) for s in seeds]
    return rngs if len(rngs) > 1 or isinstance(seed, (list, tuple)) else rngs[0]


def _check_sizes(sizes):
    try:
        sizes = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a list of layer widths such as [2, 8, 2]; "
                        f"received sizes={sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least the input and output widths; received sizes={sizes!r}")
    for i, s in enumerate(sizes):
        _validate.positive_int(f"sizes[{i}]", s)
    return [int(s) for s in sizes]
