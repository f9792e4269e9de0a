"""scikit-learn's own estimator checks on mlplab's MLPClassifier and MLPRegressor.

Small networks and few epochs keep the ~100 checks fast; the checks that measure
accuracy (check_classifiers_train, check_regressors_train) still have to pass with them.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlplab.estimators import MLPClassifier, MLPRegressor, Perceptron
from mlplab.interop.sklearn import expected_failed_checks

FAST = dict(hidden_layer_sizes=(16,), learning_rate=0.02, epochs=60, batch_size=None)


@parametrize_with_checks([MLPClassifier(**FAST), MLPRegressor(**FAST),
                          MLPClassifier(**FAST, n_seeds=2, early_stopping=True, patience=5),
                          Perceptron()],
                         expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
