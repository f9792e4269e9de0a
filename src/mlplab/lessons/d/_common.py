"""Lesson D's data, draws and protocol, shared by its sections.

The lesson fixes everything: ``make_moons(300, noise=0.1, random_state=42)``,
``make_circles(300, noise=0.1, factor=0.5, random_state=42)``, Iris split 70/30
(stratified, ``random_state=42``) and standardised, full-batch SGD. Its from-scratch
networks draw their weights from NumPy's global stream after ``np.random.seed(42)``
(``randn * sqrt(2 / fan_in)`` for ReLU, ``sqrt(1 / fan_in)`` otherwise, zero biases),
one network after another; its PyTorch networks draw theirs from
``torch.manual_seed(42)``, one ``nn.Linear`` after another. :func:`numpy_weights` and
:func:`torch_weights` replay those streams, so each model here starts from the very
numbers the lesson's model started from.
"""

from __future__ import annotations

import numpy as np

SEED = 42
MOONS = {"n_samples": 300, "noise": 0.1}
CIRCLES = {"n_samples": 300, "noise": 0.1, "factor": 0.5}

#: the lesson's NumPy draws after ``np.random.seed(42)`` in step 8, in order:
#: model -> (layer sizes, hidden activation); the step-8 example uses a 0.1 scale
NUMPY_ORDER = {
    "forward": ([2, 3, 1], None),
    "moons": ([2, 10, 5, 1], "relu"),
    "circles_linear": ([2, 1], None),
    "circles": ([2, 20, 10, 1], "tanh"),
    "iris": ([4, 10, 8, 3], "relu"),
}
#: the lesson's PyTorch models after ``torch.manual_seed(42)``, in order
TORCH_ORDER = {"moons": [2, 10, 5, 1], "circles": [2, 20, 10, 1], "iris": [4, 10, 8, 3]}


def moons():
    """The lesson's moons: scikit-learn's draw for random_state 42, ``(X (300, 2), y (300,))``."""
    from ...data import toy

    return toy.moons(**MOONS, seed=SEED, rng="legacy")


def circles():
    """The lesson's circles (factor 0.5), scikit-learn's draw for random_state 42."""
    from ...data import toy

    return toy.circles(**CIRCLES, seed=SEED, rng="legacy")


def iris():
    """The lesson's Iris split: ``(X_train, X_test, y_train, y_test)`` standardised with
    the training rows' mean and std (105 + 45 rows)."""
    from ...data import catalog

    ds = catalog.load("iris", seed=SEED, test_size=0.3)
    return (ds.scaler.transform(ds.X_train), ds.scaler.transform(ds.X_test),
            ds.y_train, ds.y_test)


def _scale(activation, fan_in):
    if activation is None:
        return 0.1
    return np.sqrt((2.0 if activation == "relu" else 1.0) / fan_in)


def numpy_weights(model: str) -> dict:
    """The initial weights of the lesson's from-scratch ``model`` ("forward", "moons",
    "circles_linear", "circles", "iris"), as ``{"W1": ..., "b1": ...}`` for
    :func:`mlplab.explain.set_weights`: the global stream after ``np.random.seed(42)``
    replayed up to that model. (The moons logistic regression draws right after the
    seed of step 1: :func:`linear_weights`.)"""
    stream = np.random.RandomState(SEED)
    for name, (sizes, activation) in NUMPY_ORDER.items():
        if name == "circles_linear":
            drawn = {"W1": stream.randn(2, 1) * 0.01, "b1": np.zeros(1)}
        else:
            drawn = {}
            for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
                drawn[f"W{k}"] = stream.randn(a, b) * _scale(activation, a)
                drawn[f"b{k}"] = np.zeros(b)
        if name == model:
            return drawn
    raise ValueError(f"model must be one of {', '.join(NUMPY_ORDER)}; received {model!r}")


def linear_weights() -> dict:
    """The moons logistic regression's start: ``randn(2, 1) * 0.01`` after ``np.random.seed(42)``."""
    return {"W1": np.random.RandomState(SEED).randn(2, 1) * 0.01, "b1": np.zeros(1)}


def torch_weights(model: str) -> dict:
    """The initial weights of the lesson's PyTorch ``model`` ("moons", "circles",
    "iris"): ``torch.manual_seed(42)`` then each model's ``nn.Linear`` layers in the
    lesson's order, drawn without PyTorch (:class:`mlplab.nn.torch_draws.TorchGenerator`)."""
    from ...nn.torch_draws import TorchGenerator

    g = TorchGenerator(SEED)
    for name, sizes in TORCH_ORDER.items():
        drawn = {}
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            W, bias = g.linear(a, b, "float32")
            drawn[f"W{k}"], drawn[f"b{k}"] = W.T, bias
        if name == model:
            return drawn
    raise ValueError(f"model must be one of {', '.join(TORCH_ORDER)}; received {model!r}")


def network(sizes, weights: dict, activation="relu", output="sigmoid", dtype="float64"):
    """``mlplab.mlp(sizes, ...)`` started from ``weights`` (see :func:`numpy_weights`)."""
    from ... import mlp
    from ...explain import set_weights

    return set_weights(mlp(sizes, activation=activation, output=output, dtype=dtype, seed=0), weights)


def accuracy(model, X, y) -> float:
    """Fraction of points whose predicted class (p >= 0.5, or the top logit) is ``y``."""
    out = model.forward(X)
    guess = out.argmax(-1) if out.shape[-1] > 1 else (out[:, 0] >= 0.5).astype(int)
    return float((guess == np.asarray(y)).mean())


def pct(v) -> str:
    return f"{100 * v:.2f}%"


def tidy(fig):
    """``fig.tight_layout()`` without the warning a figure whose panels set their own layout gives."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()
    return fig
