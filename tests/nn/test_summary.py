import re

import pytest

import mlplab
from mlplab.nn import BatchNorm, Dense, Dropout, ReLU, Sequential, Sigmoid


def _counts(text):
    """params column of the text table."""
    rows = [line.split() for line in text.splitlines()[1:-1]]
    return [int(next(c for c in r[2:] if re.fullmatch(r"[\d,]+", c)).replace(",", "")) for r in rows]


@pytest.mark.parametrize("net", [
    mlplab.mlp([2, 4, 1], seed=0),                                         # lesson B's SimpleNet: 17
    mlplab.mlp([784, 128, 64, 10], seed=0),                                # 109,386
    mlplab.mlp([2, 8, 8, 2], seed=[0, 1, 2], batchnorm=True, dropout=0.1),  # replicas + batch norm
    Sequential([Dense(3, 5, bias=False), BatchNorm(5), ReLU(), Dropout(0.5), Dense(5, 1), Sigmoid()]),
])
def test_summary_counts_add_up_to_n_params(net):
    s = net.summary()
    assert s.total == net.n_params == sum(_counts(s.text()))
    assert f"total: {net.n_params:,} trainable parameters" in str(s)
    assert len(s.rows) == len(net.layers)


def test_summary_values_by_hand():
    s = mlplab.mlp([784, 128, 64, 10], seed=0).summary()
    assert [r[3] for r in s.rows] == [100480, 0, 8256, 0, 650]
    assert s.total == 109386
    assert [r[2] for r in s.rows][:2] == ["(None, 128)", "(None, 128)"]


def test_replicas_and_batch_norm_are_shown():
    net = mlplab.mlp([2, 4, 2], seed=[5, 6, 7], batchnorm=True)
    s = net.summary()
    assert s.rows[0][2] == "(3, None, 4)"
    assert s.rows[0][3] == 8 and s.rows[1][3] == 8     # W 2x4 without bias; gamma and beta
    assert s.non_trainable == 8                       # running mean and variance
    assert "(78 in 3 replicas, seeds 5-7); 8 non-trainable" in s.text()
    assert s.total == net.n_params == 8 + 8 + 10   # W1; gamma, beta; W2 and b2


def test_short_and_html_forms():
    net = mlplab.mlp([2, 4, 1], activation="tanh", output="sigmoid", seed=0)
    short = net.summary("short").splitlines()
    assert short[0] == "2-4-1, 17 trainable parameters"
    assert short[1].split() == ["layer", "1", "Dense", "2x4", "+", "tanh", "12", "params"]
    assert short[2].split() == ["layer", "2", "Dense", "4x1", "+", "sigmoid", "5", "params"]
    page = net.summary(format="html")
    assert page.startswith("<table") and page.count("<tr>") == 1 + 4
    assert net.summary()._repr_html_() == page


def test_bad_format_is_named():
    with pytest.raises(ValueError, match=r"format must be one of None, 'text', 'short', 'html'; "
                                         r"received format='latex'"):
        mlplab.mlp([2, 1]).summary("latex")


def test_train_prints_the_summary_and_the_report_shows_it(capsys, tmp_path):
    from mlplab.cli import main

    assert main(["train", "xor", "--layers", "4", "--epochs", "2", "--report", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("network        2-4-2, 22 trainable parameters\n"
                          "               layer 1  Dense 2x4 + relu")
    page = (tmp_path / "r.html").read_text()
    assert "<table class='mlplab-summary'>" in page and "W 4x2, b 2" in page
