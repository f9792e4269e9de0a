"""The playground in real Chromium, driven by Playwright (system browser, no download).

The server is the real one (``server`` in conftest.py). Without Chromium or playwright these
tests skip with the reason, and fail under CI=true.
"""

import pytest

from .conftest import need_file, need_module, unavailable

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through playwright; skipped with the reason when absent (failed under CI=true)."""
    need_file(CHROMIUM, "apt-get install chromium; .ci/run installs it")
    sync_api = need_module("playwright.sync_api", "playwright is not installed: pip install -e '.[dev]'")
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken install: say why
            unavailable(f"{CHROMIUM} did not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    problems = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    context.close()
    assert problems == [], f"console errors: {problems}"  # no console errors, in every test


def _open(page, url, hash_=""):
    page.goto(url + hash_)
    page.wait_for_function("window.mlplab.frames > 0", timeout=15000)


def _pixels(page):
    return page.evaluate("""() => {
        const c = document.getElementById('output');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = [];
        for (let i = 0; i < d.length; i += 4 * 97) out.push(d[i], d[i + 1], d[i + 2]);
        return out; }""")


def _summary(page):
    return page.evaluate("window.mlplab.state.frame && window.mlplab.state.frame.summary")


def test_circle_relu_two_layers_learns(page, server, tmp_path):
    _open(page, server.url)
    page.click("[data-dataset=circle]")
    page.select_option("#activation", "relu")
    assert page.locator(".column.hidden-layer").count() == 2
    page.fill("#epochs_per_frame", "10")
    page.dispatch_event("#epochs_per_frame", "change")
    page.wait_for_timeout(500)
    before = _pixels(page)
    page.click("#play")
    page.wait_for_function("window.mlplab.state.frame.epoch >= 50", timeout=15000)
    after = _pixels(page)
    changed = sum(abs(a - b) for a, b in zip(before, after))
    assert changed > 5000, "the heatmap did not change while training"
    page.wait_for_function(
        "(() => { const s = window.mlplab.state.frame.summary; return s.test_loss < 0.1; })()",
        timeout=20000)
    assert float(page.text_content("#test-loss")) < 0.1
    page.click("#play")  # pause
    page.screenshot(path=str(tmp_path / "circle.png"), full_page=True)


def test_three_class_spiral_reaches_90_percent(page, server):
    _open(page, server.url)
    page.click("[data-dataset=spirals3]")
    page.select_option("#activation", "relu")
    page.select_option("#optimizer", "adam")
    page.select_option("#lr", "0.03")
    for layer, clicks in ((0, 4), (1, 6)):
        for _ in range(clicks):
            page.locator(".column.hidden-layer").nth(layer).locator('[data-act="more"]').click()
    assert page.evaluate("window.mlplab.state.config.layers") == [8, 8]
    page.wait_for_function("window.mlplab.state.data.n_classes === 3")
    assert page.locator(".column:last-child .node.out").count() == 3  # softmax over 3 outputs
    page.click("#play")
    page.wait_for_function(
        "(() => { const f = window.mlplab.state.frame; return f.summary.train_accuracy > 0.9; })()",
        timeout=30000)
    page.click("#play")


def test_drawing_points_by_clicking(page, server):
    _open(page, server.url)
    page.click("[data-dataset=points]")
    page.wait_for_function("window.mlplab.state.config.dataset === 'points'")
    box = page.locator("#output").bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 40)                       # class 0
    page.keyboard.down("Shift")
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + 40)        # class 1
    page.keyboard.up("Shift")
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 40)       # class 0
    page.wait_for_function(
        "window.mlplab.state.data.train.length + window.mlplab.state.data.test.length === 3")
    labels = page.evaluate(
        "[...window.mlplab.state.data.train, ...window.mlplab.state.data.test].map(p => p[2]).sort()")
    assert labels == [0, 0, 1]
    page.mouse.click(box["x"] + 40, box["y"] + 40, button="right")      # remove the first
    page.wait_for_function(
        "window.mlplab.state.data.train.length + window.mlplab.state.data.test.length === 2")


def test_reload_from_copied_url(page, server, browser):
    _open(page, server.url, "#hide=noise")
    page.click("[data-dataset=xor]")
    page.select_option("#lr", "0.1")
    page.click("#add-layer")
    page.click("[data-feature='x1*x2']")
    page.wait_for_function("window.mlplab.state.config.layers.length === 3")
    url = page.url
    assert "dataset=xor" in url and "lr=0.1" in url and "hide=noise" in url
    other = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    _open(other, url.split("#")[0], "#" + url.split("#")[1])
    cfg = other.evaluate("window.mlplab.state.config")
    assert cfg["dataset"] == "xor" and cfg["lr"] == 0.1 and cfg["layers"] == [4, 2, 2]
    assert cfg["features"] == ["x1", "x2", "x1*x2"]
    assert other.input_value("#lr") == "0.1"
    assert other.locator("[data-control=noise]").is_hidden()       # the teacher hid it
    assert other.locator("[data-control=batch_size]").is_visible()
    server_cfg = other.evaluate("window.mlplab.state.data.config")
    assert server_cfg["dataset"] == "xor" and server_cfg["layers"] == [4, 2, 2]
    other.context.close()


def test_errors_are_shown_in_the_page(page, server):
    _open(page, server.url)
    for _ in range(7):
        page.click("#add-layer")
    page.wait_for_selector("#error:not([hidden])")
    assert "at most 6 hidden layers" in page.text_content("#error")
