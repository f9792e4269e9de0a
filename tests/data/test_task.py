"""How a CSV label column is read: tables.infer_task and --task."""

import numpy as np
import pytest

from mlplab.data import catalog
from mlplab.data.tables import infer_task


@pytest.mark.parametrize("labels,task", [
    (["cat", "dog", "cat", "dog"], "classification"),               # words are classes
    (["0", "1", "1", "0"], "classification"),                       # 2 values in 4 rows
    ([str(v % 3) for v in range(150)], "classification"),           # iris-like codes
    ([str(v) for v in range(11)], "regression"),                    # 11 values in 11 rows
    ([str(v % 25) for v in range(1000)], "regression"),             # more than 20 values
    (["1.5", "2", "2", "1.5"], "regression"),                       # a fractional part
])
def test_infer_task(labels, task):
    assert infer_task(np.array(labels))[0] == task


def _csv(tmp_path, labels):
    path = tmp_path / "t.csv"
    path.write_text("x,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(labels)))
    return str(path)


def test_task_overrides_the_rule(tmp_path):
    path = _csv(tmp_path, [v % 2 for v in range(20)])
    assert catalog.load(path, test_size=0).task == "classification"
    ds = catalog.load(path, test_size=0, task="regression")
    assert ds.task == "regression" and ds.y_train.dtype == np.float32
    np.testing.assert_array_equal(ds.y_train, [v % 2 for v in range(20)])
    assert "read as regression, as asked" in ds.notes


def test_regression_of_words_is_refused_naming_the_file_and_value(tmp_path):
    path = _csv(tmp_path, ["a", "b", "a", "b"])
    with pytest.raises(ValueError, match=r"t.csv: task 'regression' needs numeric targets in the "
                                         r"label column; received 'a'"):
        catalog.load(path, task="regression")
