"""scikit-learn estimators around the mlplab engine: ``MLPClassifier`` and ``MLPRegressor``.

They follow scikit-learn's contract (``get_params``/``set_params``, ``fit`` returns
self, fitted attributes end in ``_``, parameters validated in ``fit``), so they work in
``Pipeline``, ``cross_val_score`` and ``GridSearchCV`` and pass
``sklearn.utils.estimator_checks`` (see :func:`expected_failed_checks`).

The network is ``mlp([n_features, *hidden_layer_sizes, n_outputs])`` trained by
:func:`mlplab.fit`. Classifiers use one logit and ``bce_logits`` for two classes (as
scikit-learn's own MLP: ``coefs_[-1]`` is ``(h, 1)``), ``cross_entropy`` over ``K``
logits for more; any labels (strings too) are encoded through ``classes_``.

``n_seeds=k`` trains ``k`` replicas at once, seeds ``random_state, ..., random_state +
k - 1`` (replica ``r`` is exactly the single network of its seed), and keeps the one
with the best validation score (accuracy or R², ties broken by the lower validation
loss). The validation rows are held out as with ``early_stopping``
(``validation_fraction``, stratified for classifiers); ``seed_scores_`` lists every
replica's score and ``best_seed_`` the one kept.

>>> from sklearn.datasets import load_iris
>>> X, y = load_iris(return_X_y=True)
>>> clf = MLPClassifier((16,), learning_rate=0.01, epochs=200, random_state=0).fit(X, y)
>>> clf.score(X, y) > 0.9
True
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .. import nn
from ..nn import activations, initializers, optimizers

#: hidden activations by name; "logistic" is scikit-learn's name for the sigmoid
ACTIVATIONS = {n: n for n in activations.registry.names() if n not in ("softmax", "log_softmax")}
ACTIVATIONS["logistic"] = "sigmoid"


def _common_constraints():
    positive = Interval(Real, 0, None, closed="neither")
    count = Interval(Integral, 1, None, closed="left")
    return {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "optimizer": [StrOptions(set(optimizers.registry.names()))],
        "learning_rate": [positive],
        "lr": [None, positive],
        "epochs": [count],
        "batch_size": [StrOptions({"auto"}), None, count],
        "random_state": ["random_state"],
        "seed": [None, Interval(Integral, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [count],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "init": [StrOptions(set(initializers.registry.names()))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "batchnorm": ["boolean"],
        "n_seeds": [count],
        "dtype": [StrOptions({"float32", "float64"})],
        "verbose": ["verbose"],
    }


class _ValidationR2(nn.Callback):
    """Logs ``val_score``: R² per replica on the validation rows, averaged over outputs."""

    def __init__(self, X, Y):
        self.X, self.Y = X, Y
        self.total = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)

    def on_epoch_end(self, run, epoch, logs):
        logs["val_score"] = r2_per_replica(run.model.forward(self.X), self.Y, self.total)


def r2_per_replica(pred, Y, total=None):
    """``1 - sum (y - p)² / sum (y - mean y)²`` per output, averaged; ``pred (..., n, k)``."""
    total = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0) if total is None else total
    resid = ((pred - Y) ** 2).sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(total > 0, 1 - resid / np.where(total > 0, total, 1), np.where(resid > 0, 0.0, 1.0))
    return r2.mean(axis=-1)


def _one_network(estimator) -> bool:
    """partial_fit exists for one network trained on the rows it is given."""
    if estimator.n_seeds != 1 or estimator.early_stopping:
        raise AttributeError(f"partial_fit trains one network on the rows it gets; it needs "
                             f"n_seeds=1 and early_stopping=False; received n_seeds="
                             f"{estimator.n_seeds}, early_stopping={estimator.early_stopping}")
    return True


class _MLPBase(BaseEstimator):
    """What both estimators share: parameters, building, training, replica choice."""

    _parameter_constraints: dict = _common_constraints()

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, optimizer="adam",
                 learning_rate=0.001, lr=None, epochs=200, batch_size="auto", random_state=None,
                 seed=None, early_stopping=False, validation_fraction=0.1, patience=10,
                 alpha=0.0001, init="he_normal", dropout=0.0, batchnorm=False, n_seeds=1,
                 dtype="float64", verbose=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state
        self.seed = seed
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.alpha = alpha
        self.init = init
        self.dropout = dropout
        self.batchnorm = batchnorm
        self.n_seeds = n_seeds
        self.dtype = dtype
        self.verbose = verbose

    # --------------------------------------------------------------- settings
    def _hidden(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, Integral) else list(sizes)
        for i, s in enumerate(sizes):
            if not isinstance(s, Integral) or isinstance(s, bool) or s < 1:
                raise ValueError(f"hidden_layer_sizes must hold positive integer widths; "
                                 f"received hidden_layer_sizes={self.hidden_layer_sizes!r} "
                                 f"(element {i} is {s!r})")
        return [int(s) for s in sizes]

    def _learning_rate(self):
        if self.lr is not None and self.lr != self.learning_rate and self.learning_rate != 0.001:
            raise ValueError(f"give the learning rate once, as learning_rate or lr; received "
                             f"learning_rate={self.learning_rate} and lr={self.lr}")
        return float(self.lr if self.lr is not None else self.learning_rate)

    def _base_seed(self):
        """The first replica's seed: ``seed``, else ``random_state`` (an int, a RandomState
        that draws one, or None: fresh entropy)."""
        if self.seed is not None:
            if self.random_state is not None and self.random_state != self.seed:
                raise ValueError(f"give the seed once, as random_state or seed; received "
                                 f"random_state={self.random_state!r} and seed={self.seed!r}")
            return int(self.seed)
        rs = self.random_state
        if rs is None:
            return int(np.random.SeedSequence().entropy % (2**31))
        if isinstance(rs, Integral):
            if rs < 0:
                raise ValueError(f"random_state must be an integer >= 0; received random_state={rs}")
            return int(rs)
        return int(rs.randint(2**31 - 1))

    def _batch(self, n):
        if self.batch_size == "auto":
            return min(200, n)
        return n if self.batch_size is None else min(int(self.batch_size), n)

    def _build(self, n_inputs, n_outputs, seed):
        return nn.mlp([n_inputs, *self._hidden(), n_outputs], activation=ACTIVATIONS[self.activation],
                      output=self._output_activation(), init=self.init, seed=seed, dtype=self.dtype,
                      dropout=self.dropout, batchnorm=self.batchnorm)

    def _output_activation(self):
        return None

    # --------------------------------------------------------------- training
    def _train(self, X, T):
        """Train on ``X`` and encoded targets ``T``; sets the fitted attributes."""
        seed = self._base_seed()
        lr = self._learning_rate()
        hold_out = self.early_stopping or self.n_seeds > 1
        if hold_out:
            X, Xv, T, Tv = self._split(X, T, seed)
        seeds = [seed + r for r in range(self.n_seeds)]
        model = self._build(X.shape[1], self._n_outputs(T), seeds if self.n_seeds > 1 else seed)
        optimizer = optimizers.get(self.optimizer, lr=lr)
        batch = self._batch(len(X))
        callbacks = []
        if self.early_stopping:
            callbacks.append(nn.EarlyStopping("val_loss", patience=self.patience, restore_best=True))
        if hold_out and not self._is_classifier():
            callbacks.append(_ValidationR2(Xv.astype(self.dtype), self._targets(Tv)))
        if self.verbose:
            callbacks.append(nn.ProgressBar())
        history = nn.fit(model, X, T, loss=self._loss(T), optimizer=optimizer, epochs=self.epochs,
                         batch_size=batch, validation=(Xv, Tv) if hold_out else None,
                         l2=self.alpha / (2 * batch), callbacks=callbacks)
        replica = None
        if self.n_seeds > 1:
            scores, val_loss = self._replica_scores(model, Xv, Tv)
            replica = int(np.lexsort((np.nan_to_num(val_loss, nan=np.inf),
                                      -np.nan_to_num(scores, nan=-np.inf)))[0])
            self.seed_scores_ = scores
            self.seeds_ = np.asarray(seeds)
            self.best_seed_ = seeds[replica]
            model = _take_replica(model, replica, self._build(X.shape[1], self._n_outputs(T), seeds[replica]))
            optimizer = None  # its state is per replica; partial_fit starts a fresh one
        self.model_ = model
        self._optimizer = optimizer
        self.history_ = history

        def col(key):
            values = np.asarray(history[key], dtype=float)
            return values if replica is None else values[:, replica]

        self.loss_curve_ = col("loss").tolist()
        self.n_iter_ = history.epochs
        if hold_out:
            self.validation_scores_ = col("val_accuracy" if self._is_classifier() else "val_score").tolist()
            self.best_validation_score_ = float(np.nanmax(self.validation_scores_))
        else:
            self.validation_scores_ = None
            self.best_validation_score_ = None
        self.best_loss_ = float(np.nanmin(self.loss_curve_))
        return self

    def _split(self, X, T, seed):
        stratify = None
        if self._is_classifier():
            counts = np.bincount(T)
            n_val = int(np.ceil(self.validation_fraction * len(T)))
            if counts.min() >= 2 and len(counts) <= n_val <= len(T) - len(counts):
                stratify = T
        if len(X) < 2:
            raise ValueError(f"early_stopping and n_seeds > 1 hold out validation rows; they need "
                             f"at least 2 samples, received n_samples = {len(X)}")
        X, Xv, T, Tv = train_test_split(X, T, test_size=self.validation_fraction,
                                        random_state=seed, stratify=stratify)
        return X, Xv, T, Tv

    def _replica_scores(self, model, Xv, Tv):
        loss = nn.losses.get(self._loss(Tv))
        Xp, Tp, labels = nn.training.prepare(model, loss, Xv, Tv)
        out = model.forward(Xp)
        val_loss = np.asarray(loss.value(out, Tp), dtype=float)
        if self._is_classifier():
            correct = nn.training.count_correct(out, labels, loss.threshold)
            return np.asarray(correct, dtype=float) / len(Tv), val_loss
        return np.asarray(r2_per_replica(out, self._targets(Tv)), dtype=float), val_loss

    def partial_fit_epoch(self, X, T):
        """One more epoch on ``(X, T)`` with the kept optimizer (its state continues)."""
        if self._optimizer is None:
            self._optimizer = optimizers.get(self.optimizer, lr=self._learning_rate())
        batch = self._batch(len(X))
        h = nn.fit(self.model_, X, T, loss=self._loss(T), optimizer=self._optimizer, epochs=1,
                   batch_size=batch, l2=self.alpha / (2 * batch))
        self.loss_curve_.append(float(h["loss"][-1]))
        self.n_iter_ += 1

    def _forward(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return self.model_.forward(X.astype(self.model_.dtype, copy=False))

    # ------------------------------------------------------------- attributes
    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    @property
    def coefs_(self) -> list[np.ndarray]:
        """Weights of each Dense layer, ``(fan_in, fan_out)`` (scikit-learn's layout)."""
        check_is_fitted(self)
        return [layer.params["W"] for layer in self.model_.dense_layers]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """Biases of each Dense layer, ``(fan_out,)``; zeros for a hidden layer followed by
        batch norm (its shift ``beta`` plays the bias's part)."""
        check_is_fitted(self)
        return [layer.params["b"][0] if "b" in layer.params else np.zeros(layer.fan_out, self.model_.dtype)
                for layer in self.model_.dense_layers]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags


class MLPClassifier(ClassifierMixin, _MLPBase):
    """A multi-layer perceptron classifier trained by the mlplab engine.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default (100,)
        Widths of the hidden layers (``()``: a linear model, logistic regression).
    activation : str, default "relu"
        Hidden activation (``mlplab.nn.activations``; "logistic" = "sigmoid").
    optimizer : str, default "adam"
        ``sgd``, ``momentum``, ``nesterov``, ``rmsprop``, ``adagrad``, ``adam``, ``adamw``.
    learning_rate, lr : float, default 0.001
        Step size (``lr`` is an alias; give one of them).
    epochs : int, default 200
        Passes over the training data (scikit-learn's ``max_iter``).
    batch_size : "auto", int or None
        ``"auto"`` = ``min(200, n_samples)`` as scikit-learn; None = full batch.
    random_state, seed : int, RandomState or None
        Seed of the weights, the shuffles and the validation split (``seed``: an alias).
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the rows, stop when the validation loss has not
        improved for ``patience`` epochs, and keep the weights of the best epoch.
    validation_fraction : float, default 0.1
    patience : int, default 10
    alpha : float, default 1e-4
        L2 penalty ``alpha / (2 batch_size) * sum W²`` added to each batch's mean loss
        (scikit-learn's scaling).
    init : str, default "he_normal"
        Weight initializer (``mlplab.nn.initializers``; "torch" = PyTorch's Linear).
    dropout : float, default 0
        Drop probability after each hidden activation.
    batchnorm : bool, default False
        Batch normalisation after each hidden Dense layer.
    n_seeds : int, default 1
        Train this many replicas at once and keep the best on the validation rows
        (see the module docstring).
    dtype : "float64" or "float32"
    verbose : bool
        One progress line per epoch.

    Attributes
    ----------
    classes_ : labels seen in ``fit`` (any type)
    model_ : the trained :class:`mlplab.nn.Sequential`
    history_ : its :class:`mlplab.nn.History`
    loss_curve_, validation_scores_ (accuracy per epoch, with validation rows), n_iter_,
    best_loss_, best_validation_score_, coefs_, intercepts_, n_features_in_;
    with ``n_seeds > 1``: seeds_, seed_scores_, best_seed_.
    """

    def _is_classifier(self):
        return True

    def _n_outputs(self, T):
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _loss(self, T):
        return "bce_logits" if len(self.classes_) == 2 else "cross_entropy"

    def _targets(self, T):
        return T

    def _encode(self, y, classes=None, keep=False):
        """Label indices into ``classes_`` (set from ``classes`` or ``y`` unless ``keep``)."""
        check_classification_targets(y)
        if not keep:
            self.classes_ = np.unique(np.asarray(y if classes is None else classes))
        unknown = ~np.isin(y, self.classes_)
        if unknown.any():
            raise ValueError(f"y holds labels absent from classes {self.classes_.tolist()}: "
                             f"{np.unique(y[unknown]).tolist()}")
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _check_classes(self):
        if len(self.classes_) < 2:
            raise ValueError(f"a classifier needs samples of at least 2 classes; y holds 1 class: "
                             f"{self.classes_.tolist()}")

    def fit(self, X, y):
        """Train a fresh network on ``X (n_samples, n_features)`` and labels ``y (n_samples,)``."""
        self._validate_params()
        X, y = validate_data(self, X, y, reset=True, dtype=[np.float64, np.float32])
        y = column_or_1d(y, warn=True)
        T = self._encode(y)
        self._check_classes()
        return self._train(X, T)

    @available_if(_one_network)
    def partial_fit(self, X, y, classes=None):
        """One epoch on ``(X, y)``, continuing the current network (a new one on the first
        call: ``classes`` then lists every label, else the labels of this ``y``)."""
        first = not hasattr(self, "model_")
        if first:
            self._validate_params()
        X, y = validate_data(self, X, y, reset=first, dtype=[np.float64, np.float32])
        y = column_or_1d(y, warn=True)
        T = self._encode(y, classes, keep=not first)
        if first:
            self._check_classes()
            self.model_ = self._build(X.shape[1], self._n_outputs(T), self._base_seed())
            self._optimizer, self.loss_curve_, self.n_iter_ = None, [], 0
            self.validation_scores_ = self.best_validation_score_ = None
        self.partial_fit_epoch(X, T)
        self.best_loss_ = float(np.nanmin(self.loss_curve_))
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(n_samples, n_classes)``, columns in the order of ``classes_``."""
        check_is_fitted(self)
        out = np.asarray(self._forward(X), dtype=np.float64)
        if out.shape[-1] == 1:
            p = nn.activations.Sigmoid()(out)
            return np.hstack([1 - p, p])
        return nn.activations.Softmax()(out)

    def predict_log_proba(self, X) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable label of each row (from ``classes_``)."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = False
        return tags


class MLPRegressor(RegressorMixin, _MLPBase):
    """A multi-layer perceptron regressor trained by the mlplab engine.

    The parameters are those of :class:`MLPClassifier` (see there), plus ``loss``
    (``"mse"``, ``"mae"`` or ``"huber"``) and ``output`` (None = linear, or
    ``"sigmoid"``, ``"tanh"``, ``"softplus"``, ``"relu"`` for bounded targets).
    ``validation_scores_`` holds R² per epoch on the held-out rows. ``y`` may be
    ``(n_samples,)`` or ``(n_samples, n_targets)``; ``predict`` returns the same shape.
    """

    _parameter_constraints: dict = {
        **_common_constraints(),
        "loss": [StrOptions({"mse", "mae", "huber"})],
        "output": [None, StrOptions({"identity", "sigmoid", "tanh", "softplus", "relu"})],
    }

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, optimizer="adam",
                 learning_rate=0.001, lr=None, epochs=200, batch_size="auto", random_state=None,
                 seed=None, early_stopping=False, validation_fraction=0.1, patience=10,
                 alpha=0.0001, init="he_normal", dropout=0.0, batchnorm=False, n_seeds=1,
                 dtype="float64", verbose=False, loss="mse", output=None):
        super().__init__(hidden_layer_sizes, activation, optimizer=optimizer,
                         learning_rate=learning_rate, lr=lr, epochs=epochs, batch_size=batch_size,
                         random_state=random_state, seed=seed, early_stopping=early_stopping,
                         validation_fraction=validation_fraction, patience=patience, alpha=alpha,
                         init=init, dropout=dropout, batchnorm=batchnorm, n_seeds=n_seeds,
                         dtype=dtype, verbose=verbose)
        self.loss = loss
        self.output = output

    def _is_classifier(self):
        return False

    def _output_activation(self):
        return None if self.output in (None, "identity") else self.output

    def _n_outputs(self, T):
        return T.shape[1]

    def _loss(self, T):
        return self.loss

    def _targets(self, T):
        return T

    def _prepare_y(self, y):
        y = np.asarray(y, dtype=np.float64)
        self._y_1d = y.ndim == 1
        return y.reshape(len(y), -1)

    def fit(self, X, y):
        """Train a fresh network on ``X (n_samples, n_features)`` and ``y (n_samples[, k])``."""
        self._validate_params()
        X, y = validate_data(self, X, y, reset=True, dtype=[np.float64, np.float32],
                             multi_output=True, y_numeric=True)
        return self._train(X, self._prepare_y(y))

    @available_if(_one_network)
    def partial_fit(self, X, y):
        """One epoch on ``(X, y)``, continuing the current network (a new one on the first call)."""
        first = not hasattr(self, "model_")
        if first:
            self._validate_params()
        X, y = validate_data(self, X, y, reset=first, dtype=[np.float64, np.float32],
                             multi_output=True, y_numeric=True)
        T = self._prepare_y(y)
        if first:
            self.model_ = self._build(X.shape[1], T.shape[1], self._base_seed())
            self._optimizer, self.loss_curve_, self.n_iter_ = None, [], 0
            self.validation_scores_ = self.best_validation_score_ = None
        elif T.shape[1] != self.model_.n_outputs:
            raise ValueError(f"y must have {self.model_.n_outputs} target(s) per row, as before; "
                             f"received shape {y.shape}")
        self.partial_fit_epoch(X, T)
        self.best_loss_ = float(np.nanmin(self.loss_curve_))
        return self

    def predict(self, X) -> np.ndarray:
        """Predictions ``(n_samples,)`` (or ``(n_samples, n_targets)`` when fit on 2-D ``y``)."""
        out = np.asarray(self._forward(X), dtype=np.float64)
        return out[:, 0] if self._y_1d else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class Perceptron(ClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron (:class:`mlplab.nn.Perceptron`) with scikit-learn's full
    contract: any two labels (``classes_``), parameters checked in ``fit``, ``n_features_in_``.

    ``mlplab.nn.Perceptron`` itself (labels 0 and 1) also works in ``cross_val_score``,
    ``Pipeline`` and ``GridSearchCV``; this one also passes ``parametrize_with_checks``.
    ``random_state`` seeds the order of the samples when ``shuffle``.
    """

    _parameter_constraints: dict = {
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": [None, Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, lr=1.0, max_epochs=100, shuffle=False, random_state=None):
        self.lr = lr
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state

    def fit(self, X, y):
        """Train on ``X (n_samples, n_features)`` and two classes of labels ``y``."""
        self._validate_params()
        X, y = validate_data(self, X, y, reset=True, dtype=np.float64)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"Only binary classification is supported: the perceptron separates "
                             f"2 classes; y holds {len(self.classes_)} class(es): "
                             f"{self.classes_.tolist()[:10]}")
        rule = nn.Perceptron(lr=self.lr, max_epochs=self.max_epochs, shuffle=self.shuffle,
                             seed=self.random_state).fit(X, (y == self.classes_[1]).astype(np.int64))
        self.weights_, self.bias_ = rule.weights_, rule.bias_
        self.errors_, self.n_iter_, self.converged_ = rule.errors_, rule.n_iter_, rule.converged_
        return self

    def decision_function(self, X) -> np.ndarray:
        """``X @ w + b`` ``(n_samples,)``: positive on the side of ``classes_[1]``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.weights_ + self.bias_

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(np.int64)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


def _take_replica(model, r, single):
    """Copy replica ``r`` of the replicated ``model`` into ``single`` (same architecture,
    built from that replica's seed); returns ``single``."""
    for src, dst in zip(model.layers, single.layers):
        for store in ("params", "state"):
            for k, value in getattr(dst, store).items():
                value[...] = getattr(src, store)[k][r]
    return single


def expected_failed_checks(estimator) -> dict[str, str]:
    """Checks of ``sklearn.utils.estimator_checks`` these estimators are known to fail, with
    the reason (``parametrize_with_checks(..., expected_failed_checks=this)``)."""
    return {}
