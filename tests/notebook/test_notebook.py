"""Execute tests/notebook/bridges.ipynb in a real kernel (nbclient) and read its outputs.

The kernel is this interpreter: a kernelspec written into a temporary directory that
JUPYTER_PATH points at runs ``sys.executable -m ipykernel_launcher`` with this checkout's
``mlplab`` first on PYTHONPATH, so no kernel has to be installed beforehand.
"""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

NOTEBOOK = Path(__file__).with_name("bridges.ipynb")


def _outputs(cell, kind):
    found = []
    for out in cell.outputs:
        if kind == "stdout" and out.get("name") == "stdout":
            found.append(out["text"])
        elif kind in out.get("data", {}):
            found.append(out["data"][kind])
    return "".join(found)


def test_notebook_runs_and_shows_what_it_should(kernel_name):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "outputs stripped"
    nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=120).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs is not None and not any(o.output_type == "error" for o in c.outputs) for c in code)
    # the network: its layer table (or the model's summary), 2*8+8 + 8*8+8 + 8*2+2 = 114 parameters
    network = _outputs(code[0], "text/html")
    assert "114" in network.replace(",", "")
    # the History: its curves as an inline PNG
    history = _outputs(code[1], "text/html")
    assert history.startswith("<div class='mlplab-history'><p>History: 100 epochs; last epoch: loss ")
    assert "data:image/png;base64," in history
    # the estimator in scikit-learn's cross_val_score
    (score,) = re.findall(r"cross-validated accuracy (\d\.\d{4})", _outputs(code[2], "stdout"))
    assert float(score) > 0.9
    # the widget: the k/N line after "Success rate", and the widget itself as the cell's display
    (k,) = re.findall(r"<b>(\d)/6 seeds reach training accuracy &gt; 95%</b>", _outputs(code[3], "stdout"))
    from mlplab.widgets import Trainer

    here = Trainer(epochs=60, n_seeds=6)  # the same clicks in this process count the same seeds
    result = here.success_rate()
    assert int(k) == int(result.config.success_rule.of(result.figures).sum())
    assert "application/vnd.jupyter.widget-view+json" in code[3].outputs[-1]["data"]
