import time

import numpy as np
import pytest

from mlplab import explain
from mlplab.data import disc_ring


@pytest.mark.parametrize("hidden", [[2], [2, 2, 2], [3, 3, 3], [4, 2, 8]])
def test_one_point_measure_matches_the_theory(hidden):
    r = explain.dead_at_init([2, *hidden, 1], seeds=range(4000))
    theory = 1 - np.prod([1 - 2.0 ** -n for n in hidden])
    assert r.theory == pytest.approx(theory)
    assert r.interval[0] - 0.01 <= theory <= r.interval[1] + 0.01
    assert abs(r.dead - theory) < 0.03


def test_research_table_values():
    # P(alive) for width 2 and 10 layers, width 4 and 4 layers (anchors-and-user-asks table)
    assert explain.alive_theory([2] * 10) == pytest.approx(0.056, abs=5e-4)
    assert explain.alive_theory([4] * 4) == pytest.approx(0.77, abs=5e-3)


def test_a_thousand_seeds_take_well_under_a_second():
    explain.dead_at_init([2, 3, 3, 1], seeds=range(10))
    t = time.perf_counter()
    explain.dead_at_init([2, 3, 3, 3, 3, 1], seeds=range(1000))
    assert time.perf_counter() - t < 1.0


def test_over_data_is_rarer_than_at_one_point_and_per_seed_is_exact():
    X, _ = disc_ring(seed=0)
    sizes = [2, 3, 3, 3, 2]
    one = explain.dead_at_init(sizes, seeds=range(600))
    many = explain.dead_at_init(sizes, seeds=range(600), X=X)
    assert many.dead < one.dead
    # seed by seed: a network dead on all of X is dead at each point of X
    from mlplab.nn import mlp
    for s in np.flatnonzero(many.per_seed)[:5]:
        net = mlp(sizes, seed=int(s), dtype="float64")
        outs = net.hidden_outputs(X)
        assert any((o <= 0).all() for o in outs)
    assert many.first_dead.sum() == pytest.approx(many.dead)
    assert "born dead" in str(many) and "300 inputs" in str(many)


def test_bad_input():
    with pytest.raises(ValueError, match="seeds must hold at least one seed"):
        explain.dead_at_init([2, 3, 1], seeds=[])
    with pytest.raises(ValueError, match=r"X must be shaped \(n_samples, 2\); received shape \(4, 3\)"):
        explain.dead_at_init([2, 3, 1], seeds=range(3), X=np.ones((4, 3)))
    with pytest.raises(ValueError, match="at least one hidden layer"):
        explain.dead_at_init([2, 1], seeds=range(3))


def test_born_dead_figure():
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")
    fig = explain.born_dead_figure(widths=(2, 4), depths=[1, 3], seeds=range(200))
    ax = fig.axes[0]
    theory = [ln for ln in ax.lines if ln.get_label().startswith("width")]
    assert len(theory) == 2
    np.testing.assert_allclose(theory[0].get_ydata(), [0.25, 1 - 0.75**3])


def test_explain_and_autograd_import_nothing_heavy():
    import subprocess
    import sys
    code = ("import sys, mlplab.explain, mlplab.autograd; "
            "heavy = {'matplotlib', 'scipy', 'sklearn', 'torch', 'pandas'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
