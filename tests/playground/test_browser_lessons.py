"""The playground at the lessons' scale, in real Chromium: 32 units a layer, 100% training
data, lesson presets with their "why", teacher links that hide controls (issue 12)."""

from .test_browser import _open, browser, page  # noqa: F401  (fixtures)


def test_thirty_two_units_stay_readable(page, server, tmp_path):  # noqa: F811
    _open(page, server.url, "#layers=32,32&activations=relu,relu&dataset=xor")
    page.wait_for_function("window.mlplab.state.data.config.layers[0] === 32")
    assert page.locator(".column.hidden-layer").nth(0).locator(".node.neuron").count() == 32
    assert page.locator("#columns.dense").count() == 1
    # every unit is inside the network panel and no two nodes of a layer overlap
    boxes = page.evaluate("""() => [...document.querySelectorAll('.column.hidden-layer')][0]
        .querySelectorAll('.node.neuron').length && [...[...document.querySelectorAll(
        '.column.hidden-layer')][0].querySelectorAll('.node.neuron')].map(n => {
        const r = n.getBoundingClientRect(); return [r.top, r.bottom]; })""")
    assert all(b[0] >= a[1] for a, b in zip(boxes, boxes[1:]))
    assert boxes[-1][1] - boxes[0][0] < 700
    page.wait_for_function("document.querySelectorAll('#links line').length === 2*32 + 32*32 + 32*2")
    more = page.locator(".column.hidden-layer").nth(0).locator('[data-act="more"]')
    more.click()
    assert "at most 32 neurons per layer" in page.text_content("#error")
    page.screenshot(path=str(tmp_path / "wide.png"), full_page=True)


def test_all_the_data_can_train(page, server):  # noqa: F811
    _open(page, server.url)
    page.click("[data-dataset=xor_table]")
    page.wait_for_function("window.mlplab.state.config.dataset === 'xor_table'")
    page.fill("#train_ratio", "100")
    page.dispatch_event("#train_ratio", "change")
    page.wait_for_function("window.mlplab.state.data.train.length === 4 && "
                           "window.mlplab.state.data.test.length === 0")
    assert page.text_content("#train_ratio-value") == "100%"


def test_a_preset_opens_its_setup_and_says_why(page, server):  # noqa: F811
    _open(page, server.url)
    page.select_option("#preset", "b-xor-2-hidden")
    page.wait_for_function("window.mlplab.state.data.config.dataset === 'xor_table'")
    cfg = page.evaluate("window.mlplab.state.data.config")
    assert cfg["layers"] == [2] and cfg["train_ratio"] == 1.0 and cfg["lr"] == 0.3
    why = page.text_content("#preset-why")
    assert "Lesson B" in why and "two lines" in why
    page.click("#play")
    page.wait_for_function("window.mlplab.state.frame.summary.train_accuracy === 1", timeout=20000)
    page.click("#play")
    assert "preset=b-xor-2-hidden" in page.url


def test_teacher_link_opens_a_preset_with_controls_hidden(page, server, tmp_path):  # noqa: F811
    _open(page, server.url, "#preset=a-disc-ring-4-4&hide=lr,optimizer,presets")
    page.wait_for_function("window.mlplab.state.data.config.layers.join() === '4,4'")
    cfg = page.evaluate("window.mlplab.state.data.config")
    assert cfg["dataset"] == "circle" and cfg["init"] == "torch" and cfg["train_ratio"] == 1.0
    assert page.locator("[data-control=lr]").is_hidden()
    assert page.locator("[data-control=optimizer]").is_hidden()
    assert page.locator("[data-control=presets]").is_hidden()
    assert page.locator("[data-control=activation]").is_visible()
    assert page.locator("#preset-why").is_visible() and "Lesson A" in page.text_content("#preset-why")
    page.screenshot(path=str(tmp_path / "teacher.png"), full_page=True)


def test_mae_is_a_loss_choice(page, server):  # noqa: F811
    _open(page, server.url)
    page.click("[data-dataset=reg_plane]")
    page.wait_for_function("window.mlplab.state.data.task === 'regression'")
    page.select_option("#loss", "mae")
    page.wait_for_function("window.mlplab.state.data.config.loss === 'mae' || "
                           "window.mlplab.state.config.loss === 'mae'")
    page.click("#step")
    page.wait_for_function("window.mlplab.state.frame && window.mlplab.state.frame.epoch >= 1")


def test_one_d_regression_draws_its_fitted_curve(page, server, tmp_path):  # noqa: F811
    _open(page, server.url, "#preset=c-line-mae")
    page.wait_for_function("window.mlplab.state.data.one_d === true")
    assert page.evaluate("window.mlplab.state.config.features") == ["x1"]
    page.fill("#epochs_per_frame", "20")
    page.dispatch_event("#epochs_per_frame", "change")
    page.click("#play")
    page.wait_for_function("window.mlplab.state.frame.epoch >= 300", timeout=30000)
    page.click("#play")
    page.wait_for_timeout(300)
    curve = page.evaluate("window.mlplab.curve1d()")
    pts = page.evaluate("window.mlplab.state.data.train")
    xs = [c[0] for c in curve]
    import numpy as np
    at = np.interp([p[0] for p in pts], xs, [c[1] for c in curve])
    px, py = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
    # the curve runs through the points as well as their own best line does (MAE: the
    # median miss is what it minimises)
    line = np.polyval(np.polyfit(px, py, 1), px)
    assert np.median(np.abs(at - py)) <= np.median(np.abs(line - py)) + 0.1
    # a straight line (no hidden layer) with about the points' own slope
    assert abs(np.polyfit(xs, [c[1] for c in curve], 1)[0] - np.polyfit(px, py, 1)[0]) < 0.15
    # and it is drawn: dark pixels along it on the output canvas
    dark = page.evaluate("""() => { const c = document.getElementById('output'), ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 60) n++;
        return n; }""")
    assert dark > 300
    page.screenshot(path=str(tmp_path / "line.png"), full_page=True)
