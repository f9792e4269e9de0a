import numpy as np
import pytest

from mlplab.nn import metrics

sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn is not installed")


@pytest.fixture
def labels(rng):
    t = rng.integers(0, 4, 80)
    p = np.where(rng.random(80) < 0.7, t, rng.integers(0, 4, 80))
    return t, p


def test_confusion_matrix_matches_scikit_learn(labels):
    t, p = labels
    np.testing.assert_array_equal(metrics.confusion_matrix(t, p, 4), sk.confusion_matrix(t, p))


def test_confusion_matrix_per_replica(labels):
    t, p = labels
    C = metrics.confusion_matrix(np.stack([t, t]), np.stack([p, t]), 4)
    np.testing.assert_array_equal(C[0], sk.confusion_matrix(t, p))
    np.testing.assert_array_equal(C[1], np.diag(np.bincount(t, minlength=4)))


def test_precision_recall_f1_match_scikit_learn(labels):
    t, p = labels
    ours = metrics.precision_recall_f1(t, p, 4)
    theirs = sk.precision_recall_fscore_support(t, p, zero_division=0)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b)


def test_report_lists_every_class_and_averages(labels):
    t, p = labels
    text = metrics.classification_report(t, p, ["a", "b", "c", "d"])
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    f1 = sk.f1_score(t, p, average=None)
    assert float(rows["c"][2]) == pytest.approx(f1[2], abs=1e-4)
    assert float(rows["accuracy"][0]) == pytest.approx(sk.accuracy_score(t, p), abs=1e-4)
    assert float(rows["macro"][3]) == pytest.approx(sk.f1_score(t, p, average="macro"), abs=1e-4)


def test_regression_metrics(rng):
    y = rng.standard_normal(40)
    pred = y + 0.3 * rng.standard_normal(40)
    assert metrics.r2_score(y, pred) == pytest.approx(sk.r2_score(y, pred))
    assert metrics.rmse(y, pred) == pytest.approx(np.sqrt(sk.mean_squared_error(y, pred)))
    assert metrics.r2_score(y, y) == 1.0
