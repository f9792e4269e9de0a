import numpy as np
import pytest

from mlplab.data import catalog, load_digits, load_iris, read_csv
from mlplab.data.preprocessing import Scaler, one_hot, train_test_split
from mlplab.data.tables import CSVError, encode_labels


def test_iris_is_fishers_table():
    X, y, features, classes = load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float32
    np.testing.assert_allclose(X.mean(axis=0), [5.8433, 3.0573, 3.7580, 1.1993], atol=1e-4)
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert classes == ["setosa", "versicolor", "virginica"]
    np.testing.assert_allclose(X[34], [4.9, 3.1, 1.5, 0.2])  # row 35 of Fisher's table
    assert features[0] == "sepal_length"


def test_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.max() == 16 and sorted(set(y.tolist())) == list(range(10))


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_string_labels(tmp_path):
    path = _write(tmp_path, "a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat\n")
    X, labels, names = read_csv(path)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])
    assert labels.tolist() == ["cat", "dog", "cat"] and names == ["a", "b"]
    codes, classes = encode_labels(labels)
    assert codes.tolist() == [0, 1, 0] and classes == ["cat", "dog"]


def test_numeric_labels_sort_numerically():
    codes, classes = encode_labels(np.array(["10", "2", "2", "1"]))
    assert classes == ["1", "2", "10"] and codes.tolist() == [2, 1, 1, 0]


def test_csv_missing_label_column(tmp_path):
    path = _write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(CSVError, match="no label column 'kind'; columns are: a, b"):
        read_csv(path, label="kind")


def test_csv_missing_feature_column(tmp_path):
    path = _write(tmp_path, "a,b,y\n1,2,0\n")
    with pytest.raises(CSVError, match="missing feature column\\(s\\) 'c'; columns are: a, b, y"):
        read_csv(path, features=["a", "c"])


def test_csv_non_numeric_value(tmp_path):
    path = _write(tmp_path, "a,b,y\n1,2,0\n3,oops,1\n")
    with pytest.raises(CSVError, match="line 3, column 'b': 'oops' is not a number"):
        read_csv(path)


def test_csv_empty_file(tmp_path):
    with pytest.raises(CSVError, match="the file is empty"):
        read_csv(_write(tmp_path, ""))


def test_csv_header_only(tmp_path):
    with pytest.raises(CSVError, match="has a header but no data rows"):
        read_csv(_write(tmp_path, "a,b,y\n"))


def test_csv_ragged_row(tmp_path):
    with pytest.raises(CSVError, match="line 2: 2 values for 3 columns"):
        read_csv(_write(tmp_path, "a,b,y\n1,2\n"))


def test_csv_regression_detected_in_catalog(tmp_path):
    rows = "\n".join(f"{i},{i * 0.37 + 0.011:.3f}" for i in range(60))
    ds = catalog.load(str(_write(tmp_path, "x,target\n" + rows + "\n")), seed=0)
    assert ds.task == "regression" and ds.n_outputs == 1


@pytest.mark.parametrize("kind,sk", [("zscore", "StandardScaler"), ("robust", "RobustScaler"),
                                     ("minmax", "MinMaxScaler")])
def test_scalers_match_scikit_learn(kind, sk, rng):
    from sklearn import preprocessing
    X = rng.standard_normal((50, 3)) * [1, 10, 100] + [0, 5, -3]
    ours = Scaler(kind).fit(X)
    theirs = getattr(preprocessing, sk)().fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-10, atol=1e-12)
    again = Scaler.from_config(ours.config())
    np.testing.assert_allclose(again.transform(X), ours.transform(X))


def test_minmax_to_any_range(rng):
    X = rng.uniform(3, 9, (40, 2))
    Z = Scaler("minmax", feature_range=(-1, 1)).fit_transform(X)
    np.testing.assert_allclose(Z.min(axis=0), -1)
    np.testing.assert_allclose(Z.max(axis=0), 1)


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\]; received 0 to 2"):
        one_hot(np.array([0, 2]), 2)


def test_stratified_split_keeps_proportions(rng):
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = rng.standard_normal((100, 2))
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    assert np.bincount(y_test).tolist() == [12, 6, 2]
    assert np.bincount(y_train).tolist() == [48, 24, 8]


def test_catalog_names_and_unknown():
    ds = catalog.load("iris", seed=1)
    assert ds.X_train.shape == (120, 4) and ds.X_test.shape == (30, 4)
    np.testing.assert_allclose(ds.scaler.transform(ds.X_train).mean(axis=0), 0, atol=1e-5)
    with pytest.raises(ValueError, match="unknown dataset 'irs'; valid names are: disc_ring"):
        catalog.load("irs")


def test_csv_in_latin1_names_the_file_byte_offset_and_line(tmp_path):
    path = tmp_path / "cafe.csv"
    path.write_bytes("x1,x2,label\n1,2,tea\n3,4,caf\xe9\n".encode("latin-1"))
    with pytest.raises(CSVError, match=r"cafe.csv: the CSV file is not UTF-8 text: byte 0xe9 at offset 27 "
                                       r"\(line 3, column 8\)"):
        read_csv(path)


def test_binary_file_given_as_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(CSVError, match=r"image.csv: the CSV file is not UTF-8 text: byte 0x89 at offset 0 \(line 1"):
        read_csv(path)


def test_csv_with_utf8_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffx1,x2,label\n1,2,caf\xe9\n3,4,th\xe9\n".encode("utf-8"))
    X, labels, names = read_csv(path)
    assert names == ["x1", "x2"] and labels.tolist() == ["caf\xe9", "th\xe9"]
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])


def test_directory_given_as_csv(tmp_path):
    with pytest.raises(CSVError, match=r"is a directory, not a CSV file"):
        read_csv(tmp_path)
