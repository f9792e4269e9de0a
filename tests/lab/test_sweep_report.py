"""The sweep's HTML report and Jupyter view, on results made of real runs."""

import re
import shutil
from itertools import combinations

import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from mlplab.lab.group import wilson  # noqa: E402
from mlplab.lab.sweep_report import (  # noqa: E402
    build_sweep_report,
    findings,
    sweep_repr_html,
    write_sweep_report,
)
from tests.lab._sweeps import layers_grid, one_key  # noqa: E402


def _sections(page):
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_report_has_every_section_offline(tmp_path):
    result = layers_grid()
    path = write_sweep_report(result, tmp_path / "grid.html")
    page = path.read_text()
    assert _sections(page) == ["Spec", "What this shows", "Success rates", "Training accuracy over seeds",
                               "Training curves", "Alive units", "Runs"]
    assert page.count("<img") == 4 and page.count("data:image/png;base64,") == 4
    assert not re.search(r"(src|href)=.(https?:)?//", page)     # nothing loaded from elsewhere
    summary = page.split("<h2>Success rates</h2>")[1].split("</table>")[0]
    for row in result.summary():
        label = "x".join(map(str, row["layers"]))
        assert re.search(rf"<td data-v='[^']*'>{label}</td><td data-v='[^']*'>"
                         rf"{row['successes']}/{row['n']}</td>", summary)
    assert "every run: 20" in page
    # each figure's median [min, max] trio is one column
    assert "<th>train accuracy <small>median [min, max]</small></th>" in summary
    first = result.summary()[0]
    assert (f"{100 * first['train_accuracy_median']:.2f}% <small>[{100 * first['train_accuracy_min']:.2f}%, "
            f"{100 * first['train_accuracy_max']:.2f}%]</small>") in summary
    assert "train_accuracy &gt; 0.95 (training accuracy &gt; 95%)" in page
    assert "<title>lesson A, small</title>" in build_sweep_report(result, title="lesson A, small")


def test_findings_read_the_intervals():
    result = layers_grid()
    rows = result.summary()
    lines = findings(result)
    best = max(rows, key=lambda r: r["rate"])
    label = "x".join(map(str, best["layers"]))
    ties = [r for r in rows if r["successes"] == best["successes"]]
    if len(ties) == 1:
        assert lines[0].startswith(f"Highest success rate: {label} ({best['successes']}/5)")
    else:
        assert lines[0].startswith(f"Highest success rate: {best['successes']}/5, shared by "
                                   f"{len(ties)} settings ({label}")
    low, high = wilson(best["successes"], 5)
    assert f"95% interval {100 * low:.0f}% to {100 * high:.0f}%" in lines[0]
    overlap = [r for r in rows if r is not best and r["rate_low"] <= best["rate_high"]
               and best["rate_low"] <= r["rate_high"]]
    assert lines[1] == (f"{len(overlap)} of the other 3 settings cannot be told apart from {label} "
                        f"at 5 seeds: their 95% intervals overlap with its own.")
    apart = sum(1 for a, b in combinations(rows, 2)
                if a["rate_low"] > b["rate_high"] or b["rate_low"] > a["rate_high"])
    assert lines[2].startswith(f"Of the 6 pairs of settings, {apart} have intervals that do not overlap")
    assert lines[3].startswith("Of the 4 pairs of neighbouring settings")   # 2x2-2x4, 2x2-4x2, ...
    assert any(line.startswith("Changing n1 (first hidden layer width)")
               or line.startswith("Changing n2 (second hidden layer width)") for line in lines)
    assert lines[-1].startswith("At 5 seeds a rate near 50% has a 95% interval")


def test_findings_for_one_key_and_one_setting():
    lines = findings(one_key())
    assert any(line.startswith("Changing lr moves the success rate from") for line in lines)
    one = one_key()
    single = type(one)([r for r in one.runs if r["lr"] == 0.05], one.vary)
    k = sum(r["success"] for r in single.runs)
    assert findings(single) == [f"{k}/5 seeds reach training accuracy > 95%: {100 * k / 5:.0f}%, "
                                f"95% interval {100 * wilson(k, 5)[0]:.0f}% to {100 * wilson(k, 5)[1]:.0f}%."]


def test_repr_html_is_compact():
    text = sweep_repr_html(layers_grid())
    assert text.count("<img") == 1 and "data:image/png;base64," in text
    assert text.count("<tr>") == 5                     # the head and one row per setting
    assert "train accuracy median" not in text          # only the rates
    assert len(text) < 60_000
    assert "4 settings of layers, 20 runs" in text


def test_report_sorts_in_a_browser(tmp_path):
    if not shutil.which("chromium") and not shutil.os.path.exists("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium is not installed (see .ci/run)")
    playwright = pytest.importorskip("playwright.sync_api")
    result = layers_grid()
    path = write_sweep_report(result, tmp_path / "grid.html")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        table = page.locator("table.sortable").first
        table.locator("th").nth(2).click()             # rate, ascending
        rates = [float(t.rstrip("%")) for t in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
        table.locator("th").nth(2).click()             # descending
        down = [float(t.rstrip("%")) for t in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
        widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
        browser.close()
    assert rates == sorted(rates) and down == sorted(rates, reverse=True)
    assert len(rates) == 4 and all(w > 300 for w in widths)
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == [] and errors == []


def test_findings_name_every_setting_that_shares_the_best_count():
    from mlplab import lab

    result = lab.sweep("disc_ring", vary={"layers": ["6x6", "8x8", "2x2"]}, seeds=range(3),
                       epochs=200, lr=0.05, batch_size=None)
    counts = {r["layers"]: r["successes"] for r in result.summary()}
    assert counts[(6, 6)] == counts[(8, 8)] == 3 and counts[(2, 2)] < 3
    line = findings(result)[0]
    assert line.startswith("Highest success rate: 3/3, shared by 2 settings (6x6, 8x8)")
    assert "lowest: 2x2" in line
