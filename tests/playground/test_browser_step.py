"""The step (perceptron) unit in real Chromium: chosen in the Activation menu with no hidden
layer, its hard boundary drawn, refused with the reason where backprop cannot train it, and
lesson B's two perceptron presets (issue 12)."""

from .test_browser import _open, _pixels, browser, page  # noqa: F401  (fixtures)


def test_step_unit_learns_and_with_its_boundary_drawn(page, server, tmp_path):  # noqa: F811
    _open(page, server.url, "#dataset=and_table&train_ratio=1&layers=&activations=&lr=0.1")
    page.wait_for_function("window.mlplab.state.data.config.dataset === 'and_table'")
    before = _pixels(page)
    page.select_option("#activation", "step")
    page.wait_for_function("window.mlplab.state.data.config.output === 'step'")
    assert page.text_content(".node.out.step") == "" and page.locator(".node.out").count() == 1
    assert page.is_disabled("#loss")
    page.click("#play")
    page.wait_for_function("window.mlplab.state.frame.status === 'done'", timeout=20000)
    frame = page.evaluate("window.mlplab.state.frame")
    assert frame["summary"]["train_accuracy"] == 1 and frame["epoch"] == 6
    assert "converged: epoch 6 made no mistake" in page.text_content("#warning")
    # the hard boundary: the output is painted in exactly two colours (no soft band)
    colours = page.evaluate("""() => { const c = document.getElementById('output');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set();
        for (let y = 20; y < 300; y += 7) for (let x = 20; x < 300; x += 7) {
          const i = (y * c.width + x) * 4; s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); }
        return [...s]; }""")
    assert len(colours) <= 8 and _pixels(page) != before  # two colours, a few points and their rims
    page.screenshot(path=str(tmp_path / "step-and.png"), full_page=True)


def test_step_in_a_hidden_layer_is_refused_with_the_reason(page, server):  # noqa: F811
    _open(page, server.url)
    page.wait_for_function("window.mlplab.state.data.config.layers.length === 2")
    page.select_option("#activation", "step")
    error = page.text_content("#error")
    assert "cannot be a hidden unit" in error and "derivative is 0 everywhere" in error
    assert page.evaluate("window.mlplab.state.config.output") == "linear"
    assert page.input_value("#activation") == "tanh"  # the menu shows what the network has
    # a link asking for it anyway: the server's validate() refuses and the page shows why
    _open(page, server.url, "#output=step")
    page.wait_for_function("document.getElementById('error').textContent.includes('hidden layers')")
    assert "backpropagation passes no gradient" in page.text_content("#error")


def test_lesson_b_perceptron_presets(page, server, tmp_path):  # noqa: F811
    _open(page, server.url, "#preset=b-perceptron-xor")
    page.wait_for_function("window.mlplab.state.data.config.output === 'step'")
    assert "never converges" in page.text_content("#preset-why")
    page.click("#play")
    page.wait_for_function("window.mlplab.state.frame.status === 'done'", timeout=30000)
    frame = page.evaluate("window.mlplab.state.frame")
    assert frame["epoch"] == 100 and frame["summary"]["train_accuracy"] < 1
    assert "still makes mistakes each epoch" in page.text_content("#warning")
    page.screenshot(path=str(tmp_path / "step-xor.png"), full_page=True)
    page.select_option("#preset", "b-perceptron-and")
    page.wait_for_function("window.mlplab.state.data.config.dataset === 'and_table'")
    # adding a hidden layer to a perceptron is refused, with the reason
    page.click("#add-layer")
    assert "cannot be a hidden unit" in page.text_content("#error")
    assert page.evaluate("window.mlplab.state.config.layers.length") == 0
