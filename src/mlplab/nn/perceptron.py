"""Rosenblatt's perceptron."""

from __future__ import annotations

import numpy as np

from . import _validate

INITS = ("zeros", "small")
RULES = (">", ">=")


def _check_xy(X, y):
    X = _validate.finite_array("X", X, min_ndim=2, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be (n_samples, n_features); received shape {X.shape}")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be shaped ({X.shape[0]},), one label per row of X; "
                         f"received shape {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must hold labels 0 and 1; received {np.unique(y).tolist()}")
    return X, y


class Perceptron:
    """The classic perceptron: a step unit trained by the perceptron rule.

    Prediction: ``y_hat = 1 if x . w + b > 0 else 0`` (``rule=">="``: ``>= 0``, as
    lesson B's step function). Learning, one sample at a time in order:
    ``w += lr (y - y_hat) x``, ``b += lr (y - y_hat)``; an epoch with no mistakes ends
    training (the data are then separated).

    Parameters
    ----------
    lr : float
        Learning rate (with a zero start it only scales w and b).
    max_epochs : int
    shuffle : bool
        Visit the samples in a new random order each epoch (default: in order).
    seed : int, numpy.random.Generator or numpy.random.RandomState
        Shuffles, and the starting weights of ``init="small"``.
    init : "zeros", "small" or an array of ``n_features`` weights
        The starting weights (the bias starts at 0). ``"small"`` draws
        ``init_scale * N(0, 1)`` per weight; an int seed draws them as NumPy's legacy
        ``np.random.seed(seed); np.random.randn(n)`` does (lesson B's stream), and a
        shared ``RandomState`` continues one stream over several perceptrons, as the
        lesson's AND then OR.
    init_scale : float
        Standard deviation of the ``"small"`` start (default 0.01).
    rule : ">" or ">="
        Whether ``x . w + b = 0`` predicts 0 (``">"``, the default) or 1 (``">="``).

    After ``fit``: ``weights_ (n_features,)``, ``bias_``, ``errors_`` (mistakes per
    epoch), ``n_iter_``, ``converged_``, ``initial_weights_`` and ``classes_`` (``[0, 1]``).

    It follows scikit-learn's estimator protocol (``get_params``/``set_params``, the
    classifier tags), so ``cross_val_score``, ``Pipeline`` and ``GridSearchCV`` take it;
    scikit-learn is imported only when one of them asks for the tags.

    >>> from mlplab.data import logic_gate
    >>> X, y = logic_gate("and")
    >>> Perceptron(lr=0.1).fit(X, y).converged_
    True
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = False, seed=None,
                 init="zeros", init_scale: float = 0.01, rule: str = ">"):
        self.lr = _validate.positive("lr", lr)
        self.max_epochs = _validate.positive_int("max_epochs", max_epochs)
        self.shuffle = bool(shuffle)
        self.seed = seed if isinstance(seed, np.random.RandomState) else _validate.seed("seed", seed)
        if isinstance(init, str) and init not in INITS:
            raise ValueError(f"init must be one of {', '.join(map(repr, INITS))} or an array of "
                             f"starting weights; received init={init!r}")
        self.init = init
        self.init_scale = _validate.positive("init_scale", init_scale)
        if rule not in RULES:
            raise ValueError(f"rule must be '>' (w.x + b = 0 predicts 0) or '>=' (it predicts 1); "
                             f"received rule={rule!r}")
        self.rule = rule

    _PARAMS = ("lr", "max_epochs", "shuffle", "seed", "init", "init_scale", "rule")

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's arguments (scikit-learn's protocol)."""
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params) -> Perceptron:
        """Change constructor arguments, checked as the constructor checks them."""
        for name in params:
            if name not in self._PARAMS:
                raise ValueError(f"Perceptron has no parameter {name!r}; valid: {', '.join(self._PARAMS)}")
        self.__init__(**{**self.get_params(), **params})
        return self

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(multi_class=False))

    def __repr__(self):
        return (f"Perceptron(lr={self.lr}, max_epochs={self.max_epochs}, shuffle={self.shuffle}, "
                f"seed={self.seed!r}, init={self.init!r}, init_scale={self.init_scale}, "
                f"rule={self.rule!r})")

    def fit(self, X, y, on_epoch=None) -> Perceptron:
        """Learn from ``X (n_samples, n_features)`` and labels ``y`` in {0, 1}.

        ``on_epoch(w, b)``, when given, is called with the starting weights and then
        after every epoch (what the pictures of the line's path need).
        """
        X, y = _check_xy(X, y)
        rng = self.seed if isinstance(self.seed, np.random.RandomState) \
            else np.random.default_rng(self.seed)
        w = self._start(X.shape[1])
        self.initial_weights_ = w.copy()
        b = 0.0
        fires = np.greater_equal if self.rule == ">=" else np.greater
        if on_epoch is not None:
            on_epoch(w, b)
        self.errors_ = []
        self.converged_ = False
        for _ in range(self.max_epochs):
            b, mistakes = self._epoch(X, y, w, b, rng, fires)
            self.errors_.append(mistakes)
            if on_epoch is not None:
                on_epoch(w, b)
            if mistakes == 0:
                self.converged_ = True
                break
        self.weights_, self.bias_ = w, b
        self.n_iter_ = len(self.errors_)
        self.classes_ = np.array([0, 1])
        return self

    def partial_fit(self, X, y) -> Perceptron:
        """One more epoch of the rule, from the weights so far (scikit-learn's name).

        The first call starts from ``init`` as :meth:`fit` does; each call then visits
        every sample once, updates ``weights_`` (in place) and ``bias_``, appends its
        mistakes to ``errors_`` and sets ``converged_`` when it made none. This is how a
        caller trains in chunks (the playground, epoch by epoch). ``max_epochs`` does
        not apply: the caller decides when to stop.
        """
        X, y = _check_xy(X, y)
        if not hasattr(self, "weights_"):
            self.start(X.shape[1])
        elif X.shape[1] != self.weights_.shape[0]:
            raise ValueError(f"X must have {self.weights_.shape[0]} features, as before; "
                             f"received shape {X.shape}")
        if not hasattr(self, "_rng_"):  # fitted by fit: a fresh shuffle stream
            self._rng_ = np.random.default_rng(self.seed)
        rng = self._rng_
        fires = np.greater_equal if self.rule == ">=" else np.greater
        self.bias_, mistakes = self._epoch(X, y, self.weights_, float(self.bias_), rng, fires)
        self.errors_.append(mistakes)
        self.converged_ = mistakes == 0
        self.n_iter_ = len(self.errors_)
        return self

    def start(self, n_features: int) -> Perceptron:
        """Draw the starting weights for ``n_features`` inputs (``init``; the bias 0) and
        forget any training: what :meth:`partial_fit` does first, callable beforehand to
        show the start."""
        self._rng_ = self.seed if isinstance(self.seed, np.random.RandomState) \
            else np.random.default_rng(self.seed)
        self.weights_ = self._start(_validate.positive_int("n_features", n_features))
        self.initial_weights_ = self.weights_.copy()
        self.bias_, self.errors_, self.classes_ = 0.0, [], np.array([0, 1])
        self.converged_, self.n_iter_ = False, 0
        return self

    def _epoch(self, X, y, w, b, rng, fires):
        """One pass of the rule over ``X``: ``w`` is updated in place; returns
        ``(b, mistakes)``."""
        order = rng.permutation(len(X)) if self.shuffle else range(len(X))
        mistakes = 0
        for i in order:  # the rule is online by definition: one sample at a time
            update = self.lr * (y[i] - fires(X[i] @ w + b, 0))
            if update:
                w += update * X[i]
                b += update
                mistakes += 1
        return b, mistakes

    def _start(self, n: int) -> np.ndarray:
        if isinstance(self.init, str) and self.init == "zeros":
            return np.zeros(n)
        if isinstance(self.init, str):  # "small"
            seed = self.seed
            if isinstance(seed, np.random.Generator):
                return seed.standard_normal(n) * self.init_scale
            stream = seed if isinstance(seed, np.random.RandomState) else np.random.RandomState(seed)
            return stream.randn(n) * self.init_scale
        w = _validate.finite_array("init", self.init, min_ndim=1, dtype=np.float64).copy()
        if w.shape != (n,):
            raise ValueError(f"init must hold one starting weight per feature ({n}); "
                             f"received shape {w.shape}")
        return w

    def decision_function(self, X) -> np.ndarray:
        """``X @ w + b`` shaped ``(n_samples,)``: positive on the class-1 side of the line."""
        if not hasattr(self, "weights_"):
            raise ValueError("this Perceptron is not fitted yet: call fit(X, y) before "
                             "decision_function, predict or score")
        X = _validate.finite_array("X", X, min_ndim=2, dtype=np.float64)
        if X.shape[-1] != self.weights_.shape[0]:
            raise ValueError(f"X must have {self.weights_.shape[0]} features, as in fit; "
                             f"received shape {X.shape}")
        return X @ self.weights_ + self.bias_

    def predict(self, X) -> np.ndarray:
        fires = np.greater_equal if self.rule == ">=" else np.greater
        return fires(self.decision_function(X), 0).astype(np.int64)

    def score(self, X, y) -> float:
        """Accuracy on ``(X, y)``."""
        return float((self.predict(X) == np.asarray(y)).mean())
