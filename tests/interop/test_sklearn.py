"""mlplab.estimators in scikit-learn's tools, with real numbers (iris, digits, disc-ring)."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

import mlplab
from mlplab.data import disc_ring
from mlplab.estimators import MLPClassifier, MLPRegressor
from mlplab.nn import Perceptron


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return X, np.array(["setosa", "versicolor", "virginica"])[y]


def test_pipeline_cross_val_score_with_string_labels(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), MLPClassifier((16,), learning_rate=0.01, epochs=100,
                                                         random_state=0))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.mean() > 0.9
    fitted = pipe.fit(X, y)
    assert fitted.predict(X[:1]).tolist() == ["setosa"]
    assert set(fitted.predict(X)) <= set(y)
    proba = fitted.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert fitted[-1].classes_.tolist() == ["setosa", "versicolor", "virginica"]
    # predict is the argmax of predict_proba, in classes_ order
    assert (fitted[-1].classes_[proba.argmax(1)] == fitted.predict(X)).all()


def test_grid_search_on_digits_picks_the_wider_network():
    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    pipe = make_pipeline(StandardScaler(), MLPClassifier(epochs=30, random_state=0))
    search = GridSearchCV(pipe, {"mlpclassifier__hidden_layer_sizes": [(4,), (32,)]}, cv=3).fit(Xtr, ytr)
    assert search.best_params_ == {"mlpclassifier__hidden_layer_sizes": (32,)}
    low, high = search.cv_results_["mean_test_score"]
    assert high > 0.85 and high > low + 0.3
    assert search.score(Xte, yte) > 0.88


def test_fitted_attributes_follow_sklearn_layout(iris):
    X, y = iris
    clf = MLPClassifier((5, 3), epochs=20, learning_rate=0.01, random_state=1).fit(X, y)
    assert [w.shape for w in clf.coefs_] == [(4, 5), (5, 3), (3, 3)]
    assert [b.shape for b in clf.intercepts_] == [(5,), (3,), (3,)]
    assert clf.n_iter_ == 20 == len(clf.loss_curve_)
    assert clf.validation_scores_ is None
    # the forward pass written with coefs_ and intercepts_ gives predict_proba
    h = X
    for W, b in zip(clf.coefs_[:-1], clf.intercepts_[:-1]):
        h = np.maximum(h @ W + b, 0)
    logits = h @ clf.coefs_[-1] + clf.intercepts_[-1]
    p = np.exp(logits - logits.max(1, keepdims=True))
    np.testing.assert_allclose(p / p.sum(1, keepdims=True), clf.predict_proba(X), rtol=1e-10)
    # the loss curve is the History's, and it went down
    np.testing.assert_array_equal(clf.loss_curve_, clf.history_["loss"])
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_binary_classifier_has_one_logit_as_sklearn():
    X, y = disc_ring(seed=0)
    labels = np.where(y == 1, "ring", "disc")
    clf = MLPClassifier((8, 8), learning_rate=0.05, epochs=200, batch_size=None, random_state=0)
    clf.fit(X, labels)
    assert clf.coefs_[-1].shape == (8, 1)
    assert clf.score(X, labels) > 0.95
    p = clf.predict_proba(X)
    z = np.maximum(np.maximum(X @ clf.coefs_[0] + clf.intercepts_[0], 0) @ clf.coefs_[1]
                   + clf.intercepts_[1], 0) @ clf.coefs_[2] + clf.intercepts_[2]
    np.testing.assert_allclose(p[:, 1], 1 / (1 + np.exp(-z[:, 0])), rtol=1e-10)


def test_n_seeds_keeps_the_replica_best_on_validation_rows():
    """Each replica's score equals its seed trained alone; the best one is kept."""
    X, y = disc_ring(seed=0)
    k, base = 8, 0
    clf = MLPClassifier((4, 4), learning_rate=0.05, epochs=300, batch_size=None, init="torch",
                        n_seeds=k, random_state=base, validation_fraction=0.3).fit(X, y)
    assert clf.seeds_.tolist() == list(range(base, base + k))
    Xtr, Xv, ytr, yv = train_test_split(X.astype(np.float64), y, test_size=0.3, random_state=base,
                                        stratify=y)
    alone = []
    for s in clf.seeds_:
        net = mlplab.mlp([2, 4, 4, 1], init="torch", seed=int(s), dtype="float64")
        mlplab.fit(net, Xtr, ytr, loss="bce_logits", optimizer="adam", lr=0.05, epochs=300,
                   l2=1e-4 / (2 * len(Xtr)), validation=(Xv, yv))
        alone.append(((net.forward(Xv)[:, 0] > 0) == yv).mean())
        if s == clf.best_seed_:
            best_net = net
    np.testing.assert_allclose(clf.seed_scores_, alone)
    assert len(set(alone)) > 1  # the seeds differ: the choice matters
    assert clf.seed_scores_[clf.seeds_.tolist().index(clf.best_seed_)] == max(alone)
    np.testing.assert_allclose(clf.coefs_[0], best_net.layers[0].params["W"])
    assert clf.score(Xv, yv) == max(alone)
    assert clf.validation_scores_[-1] == max(alone)


def test_early_stopping_stops_and_keeps_the_best_epoch(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    clf = MLPClassifier((32,), learning_rate=0.05, epochs=500, early_stopping=True, patience=5,
                        random_state=0).fit(X, y)
    assert clf.n_iter_ < 500
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_) > 0.9
    # the weights kept are those of the epoch with the lowest validation loss
    best = int(np.argmin(clf.history_["val_loss"]))
    Xtr, Xv, ytr, yv = train_test_split(X, y, test_size=0.1, random_state=0, stratify=y)
    assert clf.score(Xv, yv) == clf.validation_scores_[best]


def test_regressor_fits_a_curve_and_reports_r2_per_epoch():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (300, 1))
    y = np.sin(X[:, 0]) + 0.05 * rng.standard_normal(300)
    reg = MLPRegressor((32, 32), activation="tanh", learning_rate=0.01, epochs=300, batch_size=64,
                       random_state=0, early_stopping=True, patience=20).fit(X, y)
    assert reg.predict(X).shape == (300,)
    assert reg.score(X, y) > 0.97
    Xtr, Xv, ytr, yv = train_test_split(X, y, test_size=0.1, random_state=0)
    assert abs(reg.best_validation_score_ - reg.score(Xv, yv)) < 1e-9
    two = MLPRegressor((8,), epochs=5, random_state=0).fit(X, np.c_[y, -y])
    assert two.predict(X).shape == (300, 2)


def test_partial_fit_continues_one_epoch_at_a_time(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    clf = MLPClassifier((16,), learning_rate=0.01, random_state=0)
    for _ in range(30):
        clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.n_iter_ == 30 and clf.loss_curve_[-1] < clf.loss_curve_[0] / 2
    # 30 partial_fit calls on the full batch == fit with 30 epochs
    full = MLPClassifier((16,), learning_rate=0.01, random_state=0, epochs=30, batch_size=None,
                         ).fit(X, y)
    np.testing.assert_allclose(clf.loss_curve_, full.loss_curve_, rtol=1e-10)
    with pytest.raises(ValueError, match="absent from classes"):
        clf.partial_fit(X[:2], ["setosa", "daisy"])
    assert not hasattr(MLPClassifier(n_seeds=2), "partial_fit")


def test_pickled_estimator_keeps_training(iris):
    X, y = iris
    clf = MLPClassifier((8,), epochs=5, random_state=0).fit(X, y)
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(X), clf.predict_proba(X))
    before = copy.coefs_[0].copy()
    copy.partial_fit(X, y)
    assert not np.array_equal(copy.coefs_[0], before)


@pytest.mark.parametrize("params, message", [
    ({"alpha": -1}, r"'alpha' parameter of MLPClassifier must be a float in the range \[0.0, inf\). Got -1"),
    ({"activation": "relu6"}, r"'activation' parameter .* Got 'relu6'"),
    ({"hidden_layer_sizes": (8, 0)}, r"hidden_layer_sizes must hold positive integer widths; received hidden_layer_sizes=\(8, 0\)"),
    ({"learning_rate": 0.1, "lr": 0.2}, r"as learning_rate or lr; received learning_rate=0.1 and lr=0.2"),
    ({"random_state": 1, "seed": 2}, r"as random_state or seed; received random_state=1 and seed=2"),
])
def test_bad_parameters_are_named_in_fit(iris, params, message):
    X, y = iris
    clf = MLPClassifier(**params)  # scikit-learn checks parameters in fit, not here
    with pytest.raises((ValueError, InvalidParameterError), match=message):
        clf.fit(X, y)


def test_one_class_is_refused(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="at least 2 classes; y holds 1 class: \\['a'\\]"):
        MLPClassifier(epochs=1).fit(X, ["a"] * len(X))


def test_aliases_lr_and_seed_act_as_learning_rate_and_random_state(iris):
    X, y = iris
    a = MLPClassifier((4,), lr=0.05, seed=3, epochs=10).fit(X, y)
    b = MLPClassifier((4,), learning_rate=0.05, random_state=3, epochs=10).fit(X, y)
    np.testing.assert_array_equal(a.loss_curve_, b.loss_curve_)
    assert clone(a).get_params()["lr"] == 0.05


def test_perceptron_works_in_sklearn_tools():
    X, y = load_iris(return_X_y=True)
    X, y = X[:, 2:], (y == 0).astype(int)  # setosa against the rest: separable
    scores = cross_val_score(make_pipeline(StandardScaler(), Perceptron(shuffle=True, seed=0)), X, y, cv=5)
    assert scores.tolist() == [1.0] * 5
    search = GridSearchCV(Perceptron(), {"max_epochs": [1, 50]}, cv=3).fit(X, y)
    assert search.best_params_ == {"max_epochs": 50}
    assert clone(Perceptron(lr=0.5, rule=">=")).get_params() == {
        "lr": 0.5, "max_epochs": 100, "shuffle": False, "seed": None, "init": "zeros",
        "init_scale": 0.01, "rule": ">="}
    with pytest.raises(ValueError, match="Perceptron has no parameter 'alpha'; valid: lr, max_epochs"):
        Perceptron().set_params(alpha=1)


def test_estimators_perceptron_takes_any_two_labels_and_learns_as_nn_perceptron():
    from mlplab.estimators import Perceptron as SkPerceptron

    X, y = load_iris(return_X_y=True)
    X = X[:, 2:]
    names = np.where(y == 0, "setosa", "other")
    est = SkPerceptron(lr=0.1).fit(X, names)
    plain = Perceptron(lr=0.1).fit(X, (names == "setosa").astype(int))  # classes_[1] is "setosa"
    assert est.classes_.tolist() == ["other", "setosa"]
    np.testing.assert_array_equal(est.weights_, plain.weights_)
    assert est.errors_ == plain.errors_ and est.converged_
    assert est.score(X, names) == 1.0
    with pytest.raises(ValueError, match=r"Only binary classification is supported: .* y holds 3 class\(es\): \[0, 1, 2\]"):
        SkPerceptron().fit(X, y)
