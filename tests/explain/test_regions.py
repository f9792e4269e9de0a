from math import comb

import numpy as np
import pytest

from mlplab import explain
from mlplab.data import disc_ring
from mlplab.nn import Dense, ReLU, Sequential, fit, mlp

BOX = (-2.0, 2.0, -2.0, 2.0)


def _random_biases(net, seed):
    rng = np.random.default_rng(seed)
    for d in net.dense_layers:
        d.params["b"][...] = rng.normal(size=d.params["b"].shape)
    return net


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [1, 3, 8, 15])
def test_one_hidden_layer_equals_the_arrangement_formula(k, seed):
    net = _random_biases(mlp([2, k, 1], seed=seed), 100 + seed)
    count = explain.linear_regions(net, BOX)
    assert count == explain.arrangement_count(net, BOX)
    assert count <= 1 + k + comb(k, 2) == explain.region_bound([2, k, 1])


def test_lines_through_one_point_are_not_in_general_position():
    # zero biases: every unit's line passes through the origin, k lines give 2k sectors
    net = mlp([2, 6, 1], seed=3)
    assert explain.linear_regions(net, BOX) == 12


def test_hand_made_lines():
    # units x > 0, y > 0, x + y > 1: three lines, two crossings inside the box, one outside
    net = Sequential([Dense(2, 3), ReLU(), Dense(3, 1)])
    net.layers[0].params["W"][...] = [[1, 0, 1], [0, 1, 1]]
    net.layers[0].params["b"][...] = [[0, 0, -1]]
    assert explain.linear_regions(net, (-1, 2, -1, 2)) == 1 + 3 + 3
    assert explain.linear_regions(net, (-1, 0.8, -1, 0.8)) == 1 + 3 + 1   # (0, 1), (1, 0) outside
    assert explain.linear_regions(net, (-1, 0.4, -1, 0.4)) == 1 + 2 + 1   # x + y = 1 outside
    assert explain.linear_regions(net, (0.1, 0.4, 0.1, 0.4)) == 1         # no line crosses


@pytest.mark.parametrize("arch, act", [([2, 4, 4, 2], "relu"), ([2, 8, 2, 2], "relu"),
                                       ([2, 4, 8, 2], "relu"), ([2, 5, 5, 5, 1], "leaky_relu")])
def test_deeper_networks_never_fewer_than_a_fine_grid(arch, act):
    seeds = list(range(6))
    net = _random_biases(mlp(arch, activation=act, seed=seeds), 7)
    counts = explain.linear_regions(net, BOX)
    grid = np.array([explain.grid_patterns(net, BOX, n=600, replica=r) for r in range(len(seeds))])
    assert counts.shape == (6,)
    assert np.all(counts >= grid)
    # the grid misses only thin regions: a few at most
    assert np.all(counts - grid <= 0.05 * counts + 1)
    assert np.any(counts == grid)
    assert np.all(counts <= explain.region_bound(arch))


def test_small_deep_network_equals_the_grid_exactly():
    net = _random_biases(mlp([2, 3, 3, 2], seed=11), 4)
    assert explain.linear_regions(net, (-1, 1, -1, 1)) == explain.grid_patterns(net, (-1, 1, -1, 1), n=1500)


def test_regions_partition_the_window_with_distinct_patterns():
    net = _random_biases(mlp([2, 6, 6, 2], seed=1), 2)
    found = explain.regions(net, BOX)
    assert sum(r.area for r in found) == pytest.approx(16.0, rel=1e-9)
    assert len({r.pattern for r in found}) == len(found)
    # the affine map of each region reproduces the network at its centroid
    for r in found[:10]:
        centre = r.polygon.mean(axis=0)
        np.testing.assert_allclose(net.forward(centre[None].astype("float32"))[0], centre @ r.M + r.c,
                                   rtol=1e-4, atol=1e-4)


def test_lesson_a_bounds():
    assert [explain.region_bound(a) for a in ([2, 4, 4, 2], [2, 8, 2, 2], [2, 4, 8, 2])] == [121, 148, 407]
    assert explain.region_bound([2, 1, 1]) == 2
    assert explain.region_bound([2, 8, 1]) == 37


def test_region_counter_logs_regions_per_epoch():
    X, y = disc_ring(seed=0)
    net = mlp([2, 4, 4, 2], init="torch", seed=[0, 1])
    box = (-1.25, 1.25, -1.25, 1.25)
    h = fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=6, batch_size=300,
            shuffle=False, callbacks=[explain.RegionCounter(box, every=3)])
    r = h["regions"]
    assert r.shape == (6, 2)
    assert np.isnan(r[1]).all() and not np.isnan(r[[0, 2, 5]]).any()
    np.testing.assert_array_equal(r[-1], explain.linear_regions(net, box))


def test_regions_table_lesson_a():
    table = explain.regions_table(seeds=range(4), epochs=40)
    assert [row["arch"] for row in table] == ["2-4-4-2", "2-8-2-2", "2-4-8-2"]
    assert [row["params"] for row in table] == [42, 48, 70]
    assert [row["bound"] for row in table] == [121, 148, 407]
    for row in table:
        assert row["regions"].shape == (4,)
        assert row["min"] <= row["median"] <= row["max"] <= row["bound"]
    text = table.text()
    assert "2-4-8-2" in text and "407" in text and "regions counted exactly" in text


@pytest.mark.parametrize("bad, err, msg", [
    ((0, 1, 0), TypeError, r"bounds must be four numbers.*received bounds=\(0, 1, 0\)"),
    ((1, 0, 0, 1), ValueError, r"x0 < x1 and y0 < y1; received bounds=\(1, 0, 0, 1\)"),
    ("abcd", TypeError, r"bounds must be four numbers"),
])
def test_bad_bounds(bad, err, msg):
    with pytest.raises(err, match=msg):
        explain.linear_regions(mlp([2, 3, 1]), bad)


def test_refuses_what_is_not_piecewise_linear_or_2d():
    with pytest.raises(ValueError, match=r"piecewise-linear.*layer 1 is 'tanh'"):
        explain.linear_regions(mlp([2, 3, 1], activation="tanh"))
    with pytest.raises(ValueError, match=r"takes 3 inputs, not 2"):
        explain.linear_regions(mlp([3, 3, 1]))
    with pytest.raises(TypeError, match="Sequential"):
        explain.linear_regions("net")
    with pytest.raises(ValueError, match="every must be a positive integer"):
        explain.RegionCounter(every=0)


def test_regions_figure_draws_every_region_and_the_boundary():
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")
    X, y = disc_ring(seed=0)
    net = mlp([2, 8, 2], init="torch", seed=1)
    fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=100, batch_size=300)
    box = (-1.25, 1.25, -1.25, 1.25)
    fig = explain.regions_figure(net, box, X, y)
    ax = fig.axes[0]
    polys, lines = ax.collections[0], ax.collections[1]
    n = explain.linear_regions(net, box)
    assert len(polys.get_paths()) == n
    assert f"{n} linear regions" in ax.get_title() and "37" in ax.get_title()
    # the boundary segments separate the classes: predictions differ on either side
    seg = np.asarray(lines.get_segments()[0])
    mid, normal = seg.mean(axis=0), np.array([seg[0, 1] - seg[1, 1], seg[1, 0] - seg[0, 0]])
    normal /= np.linalg.norm(normal)
    sides = net.predict(np.array([mid + 1e-3 * normal, mid - 1e-3 * normal], dtype="float32"))
    assert sides[0] != sides[1]
