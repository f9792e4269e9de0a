import pytest

from mlplab.cli import main


def _lines(out):
    return {line[:14].strip(): line[15:] for line in out.splitlines()}


def test_train_and_perceptron_as_lesson_b(capsys):
    assert main(["train", "and", "--perceptron", "--start", "small", "--rule", ">=", "--seed", "42"]) == 0
    out = _lines(capsys.readouterr().out)
    assert out["weights"] == "[0.1050, 0.0986]" and out["bias"] == "-0.2000"
    assert out["epochs"].startswith("converged after 4 epochs")
    assert out["mistakes"].startswith("2 3 1 0 ")
    assert "start small [0.0050, -0.0014]" in out["perceptron"]   # 0.01 randn, seed 42


def test_zeros_start_with_the_strict_rule_takes_6_epochs_on_and(capsys):
    assert main(["train", "and", "--perceptron"]) == 0
    out = _lines(capsys.readouterr().out)
    assert out["mistakes"].startswith("1 3 3 2 1 0 ") and out["weights"] == "[0.2000, 0.1000]"
    # the truth table's 4 rows are all there is: no "test accuracy" on the training rows again
    assert out["train"] == "accuracy 100.00%  (4 rows; no separate test set)" and "test" not in out


def test_a_dataset_with_a_test_split_reports_both(capsys):
    assert main(["train", "blobs", "--perceptron", "--epochs", "20"]) == 0
    out = _lines(capsys.readouterr().out)
    assert out["train"].startswith("accuracy ") and "rows" not in out["train"]
    assert out["test"].startswith("accuracy ")


def test_xor_never_converges(capsys):
    assert main(["train", "xor", "--perceptron", "--epochs", "30"]) == 0
    assert _lines(capsys.readouterr().out)["epochs"].startswith("not converged in 30 epochs")


def test_report_and_animation(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from PIL import Image

    report, gif = tmp_path / "p.html", tmp_path / "p.gif"
    assert main(["train", "or", "--perceptron", "--rule", ">=", "--report", str(report),
                 "--animate", str(gif)]) == 0
    page = report.read_text()
    assert "converged after 4 epochs" in page and page.count("data:image/png;base64,") >= 2
    with Image.open(gif) as im:
        assert im.n_frames == 5          # the start and 4 epochs


def test_refusals(capsys):
    assert main(["train", "iris", "--perceptron"]) == 2
    assert "a perceptron separates two classes; dataset 'iris' has 3 classes" in capsys.readouterr().err
    assert main(["train", "and", "--perceptron", "--layers", "4"]) == 2
    assert "--layers applies to networks" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["train", "and", "--perceptron", "--rule", "=>"])
