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
