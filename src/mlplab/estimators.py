"""scikit-learn estimators: ``MLPClassifier``, ``MLPRegressor`` and ``Perceptron`` (see
:mod:`mlplab.interop.sklearn`).

>>> from mlplab.estimators import MLPClassifier
>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import StandardScaler
>>> pipe = make_pipeline(StandardScaler(), MLPClassifier((16,), epochs=100, random_state=0))
"""

from .interop.sklearn import MLPClassifier, MLPRegressor, Perceptron

__all__ = ["MLPClassifier", "MLPRegressor", "Perceptron"]
