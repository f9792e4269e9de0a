"""``index.html`` of a lesson run: the sections in the lesson's order, each with its
text, the mlplab code, its figures (files beside the page), its numbers and the
lesson's claims beside what was measured, with a verdict where a claim does not hold.
Offline: the page refers only to files in its own folder.
"""

from __future__ import annotations

import html
import json

from ..lab.report import CSS
from .runner import verdicts

LESSON_CSS = """
body { max-width: 60em; margin: 1.5em auto; padding: 0 1em; font-family: system-ui, sans-serif;
line-height: 1.45; }
.holds { color: #2e8b3a; font-weight: 600; } .fails { color: #c0392b; font-weight: 600; }
.compare { color: #555; }
.outside { background: #fff8e1; padding: .5em .8em; border-left: 3px solid #e0b000; }
.error { background: #fdecea; padding: .5em .8em; border-left: 3px solid #c0392b; white-space: pre-wrap; }
nav ol { columns: 2; } td.num { text-align: right; } pre code { padding: 0; background: none; }
"""

_VERDICT = {True: ("holds", "holds"), False: ("does not hold", "fails"), None: ("compare", "compare")}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _short(v, top: bool = True) -> str:
    """Readable text of a number, list or dict: floats to 4 significant digits, and a list longer
    than 8 items as its first 3, "...", its last 2 and "(n values)"."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, float):
        return f"{v:.6g}" if top else f"{v:.4g}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_short(x, False)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        items = [_short(x, False) for x in v]
        if len(items) > 8:
            items = items[:3] + ["..."] + items[-2:] + [f"({len(v)} values)"]
        return "[" + ", ".join(items) + "]"
    return str(v)


def _value(v) -> str:
    text = _short(v)
    return html.escape(text if len(text) <= 400 else text[:397] + "...")


def _numbers(numbers: dict) -> str:
    if not numbers:
        return ""
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td class='num'>{_value(v)}</td></tr>"
                   for k, v in numbers.items())
    return f"<details open><summary>numbers</summary><table>{rows}</table></details>"


def _claims(claims: list) -> str:
    if not claims:
        return ""
    rows = []
    for c in claims:
        word, cls = _VERDICT[c["holds"]]
        why = f"<br><small>{html.escape(c['evidence'])}</small>" if c["evidence"] else ""
        rows.append(f"<tr><td>{html.escape(c['said'])}</td><td>{html.escape(c['measured'])}</td>"
                    f"<td class='{cls}'>{word}{why}</td></tr>")
    return ("<table><tr><th>the lesson says</th><th>mlplab measured</th><th>verdict</th></tr>"
            + "".join(rows) + "</table>")


def _tables(tables: dict) -> str:
    out = []
    for caption, rows in tables.items():
        if not rows:
            continue
        head = list(rows[0])
        body = "".join("<tr>" + "".join(f"<td>{_value(r.get(h, ''))}</td>" for h in head) + "</tr>"
                       for r in rows)
        out.append(f"<table><caption>{html.escape(caption)}</caption><tr>"
                   + "".join(f"<th>{html.escape(str(h))}</th>" for h in head) + f"</tr>{body}</table>")
    return "".join(out)


def _figures(files: list) -> str:
    return "".join(f"<figure><img src='{html.escape(f)}' alt='{html.escape(f)}'></figure>" for f in files)


def _section(key: str, s: dict) -> str:
    parts = [f"<section id='{html.escape(key)}'><h2>{html.escape(s['title'])}</h2>"]
    if "error" in s:
        parts.append(f"<div class='error'>This section failed: {html.escape(s['error'])}</div>")
    else:
        parts += [_paragraphs(s["text"]),
                  f"<pre><code>{html.escape(s['code'].strip())}</code></pre>" if s["code"].strip() else "",
                  _figures(s["figures"]), _tables(s["tables"]), _claims(s["claims"]), _numbers(s["numbers"]),
                  f"<div class='outside'>{_paragraphs(s['outside'])}</div>" if s["outside"] else ""]
    parts.append(f"<p><small>{s['seconds']:.1f} s</small></p></section>")
    return "".join(parts)


def build_page(lesson, results: dict) -> str:
    """The HTML text of ``index.html`` for ``results`` (see :func:`.runner.run_lesson`)."""
    sections = results["sections"]
    counts = verdicts(results)
    failed = [k for k, s in sections.items() if "error" in s]
    mode = "quick mode (a reduced protocol: fewer seeds and epochs)" if results["quick"] else "full settings"
    head = [f"<h1>Lesson {lesson.key.upper()}: {html.escape(lesson.title)}</h1>",
            f"<p class='note'>Run with mlplab {html.escape(results['version'])} in {mode}, "
            f"{results['seconds']:.0f} s. Lesson file: <code>{html.escape(lesson.source)}</code>.</p>",
            _paragraphs(lesson.about),
            f"<p>{counts['all']} claims checked: <span class='holds'>{counts[True]} hold</span>, "
            f"<span class='fails'>{counts[False]} do not hold</span>, "
            f"<span class='compare'>{counts[None]} shown to compare</span>.</p>"]
    if failed:
        head.append(f"<p class='error'>{len(failed)} section(s) failed: {', '.join(failed)}</p>")
    nav = "".join(f"<li><a href='#{html.escape(k)}'>{html.escape(s['title'])}</a></li>"
                  for k, s in sections.items())
    body = "".join(head) + f"<nav><ol>{nav}</ol></nav>" + "".join(_section(k, s) for k, s in sections.items())
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
            f"<title>Lesson {lesson.key.upper()}: {html.escape(lesson.title)}</title>"
            f"<style>{CSS}{LESSON_CSS}</style></head><body>{body}</body></html>\n")
