"""A self-contained HTML player for a sequence of frames.

Frames are embedded as base64 PNG (or JPEG) images; the controls are plain HTML
buttons with text labels and a slider, driven by a few lines of JavaScript. There
is no icon font, no CDN and no network request: the file plays offline.
"""

from __future__ import annotations

import base64
import html
import io
import json
import uuid

import numpy as np


def encode_frame(rgb: np.ndarray, fmt: str = "png", quality: int = 85) -> str:
    """An RGB frame as a ``data:`` URI."""
    from PIL import Image

    buf = io.BytesIO()
    image = Image.fromarray(rgb)
    if fmt == "jpeg":
        image.save(buf, format="JPEG", quality=quality)
    else:  # a 255-colour palette keeps plots crisp at a third of the size
        image.quantize(colors=255, method=Image.Quantize.FASTOCTREE).save(buf, format="PNG")
    return f"data:image/{fmt};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def player_html(frames, labels=None, fps: float = 10, fmt: str = "png", title: str = "") -> str:
    """An HTML fragment (a ``<div>`` with its script) that plays ``frames``."""
    uris = [encode_frame(f, fmt) for f in frames]
    labels = labels or [f"frame {i + 1}" for i in range(len(uris))]
    pid = "p" + uuid.uuid4().hex[:8]
    data = json.dumps({"frames": uris, "labels": [str(x) for x in labels], "fps": fps})
    return f"""
<div class="mlplab-player" id="{pid}">
  <div class="mlplab-title">{html.escape(title)}</div>
  <img alt="animation frame" style="max-width:100%" src="{uris[0] if uris else ''}">
  <div class="mlplab-controls">
    <button type="button" data-act="first" title="first frame">|&lt;</button>
    <button type="button" data-act="prev" title="previous frame">&lt;</button>
    <button type="button" data-act="play" title="play / pause">Play</button>
    <button type="button" data-act="next" title="next frame">&gt;</button>
    <button type="button" data-act="last" title="last frame">&gt;|</button>
    <input type="range" min="0" max="{max(len(uris) - 1, 0)}" value="0" aria-label="frame">
    <span class="mlplab-label"></span>
  </div>
</div>
<script>
(function() {{
  var d = {data};
  var root = document.getElementById("{pid}");
  var img = root.querySelector("img"), slider = root.querySelector("input");
  var label = root.querySelector(".mlplab-label"), play = root.querySelector('[data-act="play"]');
  var i = 0, timer = null;
  function show(k) {{
    i = Math.max(0, Math.min(d.frames.length - 1, k));
    img.src = d.frames[i]; slider.value = i; label.textContent = d.labels[i];
  }}
  function stop() {{ if (timer) {{ clearInterval(timer); timer = null; }} play.textContent = "Play"; }}
  function start() {{
    if (i >= d.frames.length - 1) show(0);
    timer = setInterval(function() {{ if (i >= d.frames.length - 1) stop(); else show(i + 1); }},
                        1000 / d.fps);
    play.textContent = "Pause";
  }}
  root.querySelectorAll("button").forEach(function(b) {{
    b.addEventListener("click", function() {{
      var act = b.getAttribute("data-act");
      if (act === "play") {{ timer ? stop() : start(); return; }}
      stop();
      show({{first: 0, prev: i - 1, next: i + 1, last: d.frames.length - 1}}[act]);
    }});
  }});
  slider.addEventListener("input", function() {{ stop(); show(parseInt(slider.value, 10)); }});
  show(0);
}})();
</script>"""


PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; padding: 0 1em; }
.mlplab-controls { display: flex; align-items: center; gap: .4em; margin-top: .3em; }
.mlplab-controls input { flex: 1; }
.mlplab-controls button { font: inherit; padding: .15em .6em; }
.mlplab-label { font-variant-numeric: tabular-nums; min-width: 9em; }
.mlplab-title { font-weight: 600; margin-bottom: .3em; }
"""


def standalone_page(body: str, title: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<link rel=\"icon\" href=\"data:,\"><title>{html.escape(title)}</title>"
            f"<style>{PAGE_CSS}</style></head><body>{body}</body></html>\n")
