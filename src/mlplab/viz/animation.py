"""The training animation: decision boundary beside the loss curve, one frame per
recorded epoch, exported as GIF, MP4 (when ffmpeg exists) or an offline HTML player.

The figure is built once; each frame swaps the field image's data, replaces the
boundary's 0.5 contour line (one ``contour`` call, not a filled ``contourf``) and
moves the curve's end, then only those artists are redrawn and the canvas grabbed
(``benchmarks/animation.py`` compares this with the usual way).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..nn.recorders import BoundaryRecorder
from ._style import frame_subset, new_figure
from .boundary import _legend, draw_boundary, draw_points, field_image
from .player import player_html, standalone_page


class FrameAnimation:
    """Anything that yields RGB frames, with exports to GIF, MP4 and an HTML player.

    Subclasses define ``frames()`` (a generator of ``(h, w, 3)`` uint8 arrays) and
    ``labels()`` (one caption per frame).
    """

    title = ""

    def frames(self):
        raise NotImplementedError

    def labels(self):
        return None

    def save_gif(self, path, fps: float = 10) -> Path:
        """An animated GIF (Pillow; no ffmpeg needed)."""
        from ..nn._atomic import atomic_file

        path = Path(path)
        data = self.gif_bytes(fps)
        with atomic_file(path) as f:  # complete or absent, never half-written
            f.write(data)
        return path

    def gif_bytes(self, fps: float = 10) -> bytes:
        """The animated GIF's bytes."""
        from PIL import Image

        images = [Image.fromarray(f).quantize(colors=255, method=Image.Quantize.FASTOCTREE)
                  for f in self.frames()]
        buf = io.BytesIO()
        images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], loop=0,
                       duration=int(round(1000 / fps)), disposal=1, optimize=False)
        return buf.getvalue()

    def save_mp4(self, path, fps: float = 10) -> Path:
        """An H.264 MP4 through ffmpeg (raises when ffmpeg is not installed)."""
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise RuntimeError("MP4 export needs ffmpeg, which is not installed here "
                               "(apt-get install ffmpeg); export a GIF or HTML player instead")
        frames = iter(self.frames())
        first = next(frames)
        h, w = first.shape[:2]
        cmd = [ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
               "-s", f"{w}x{h}", "-r", str(fps), "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
               "-pix_fmt", "yuv420p", "-vcodec", "libx264", str(path)]
        with subprocess.Popen(cmd, stdin=subprocess.PIPE) as proc:
            proc.stdin.write(first.tobytes())
            for frame in frames:
                proc.stdin.write(frame.tobytes())
            proc.stdin.close()
            if proc.wait():
                raise RuntimeError(f"ffmpeg failed with status {proc.returncode}")
        return Path(path)

    def to_html(self, fps: float = 10, fmt: str = "png") -> str:
        """An HTML fragment that plays the animation offline."""
        return player_html(list(self.frames()), self.labels(), fps, fmt, self.title)

    def save_html(self, path, fps: float = 10) -> Path:
        from ..nn._atomic import atomic_file

        path = Path(path)
        page = standalone_page(self.to_html(fps), self.title or "mlplab animation")
        with atomic_file(path, "w", encoding="utf-8") as f:  # complete or absent
            f.write(page)
        return path

    def save(self, path, fps: float = 10) -> Path:
        """Export by suffix: ``.gif``, ``.mp4`` or ``.html``."""
        suffix = Path(path).suffix.lower()
        writers = {".gif": self.save_gif, ".mp4": self.save_mp4, ".html": self.save_html}
        if suffix not in writers:
            raise ValueError(f"animation path must end in .gif, .mp4 or .html; received {str(path)!r}")
        return writers[suffix](path, fps)

    def _repr_html_(self) -> str:
        """Jupyter: the offline player, frames inline (:mod:`mlplab.notebook.reprs`)."""
        from ..notebook.reprs import animation_html
        return animation_html(self)


class TrainingAnimation(FrameAnimation):
    """Frames of a recorded training run.

    Parameters
    ----------
    recorder : BoundaryRecorder (after ``fit``)
    history : History of the same run
    X, y : the training points to draw (raw, as the recorder's grid)
    X_test, y_test : optional test points (drawn hollow)
    replica : which replica to show when the model had replicas
    max_frames : at most this many of the recorded frames, evenly spread (first and last
        kept): only those are rendered
    """

    def __init__(self, recorder: BoundaryRecorder, history, X, y, X_test=None, y_test=None,
                 replica: int = 0, classes=None, title: str = "", size=(9.0, 4.0), dpi: int = 80,
                 max_frames=None):
        if not recorder.frames:
            raise ValueError("the recorder holds no frames: pass it to fit(callbacks=[...]) first")
        film = recorder.film
        if film.ndim == 5:
            film = film[:, replica]
        keep = frame_subset(len(film), max_frames)
        self.film, self.grid = film[keep], recorder.grid
        self.epochs = [recorder.epochs[i] for i in keep]
        loss = np.asarray(history["loss"])
        acc = np.asarray(history["accuracy"]) if "accuracy" in history else None
        if loss.ndim == 2:
            loss = loss[:, replica]
            acc = None if acc is None else acc[:, replica]
        self.loss, self.accuracy = loss, acc
        X, y = np.asarray(X), np.asarray(y)
        if X.ndim == 3:
            X, y = X[replica], y[replica]
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.classes = classes or [str(k) for k in range(film.shape[-1])]
        self.title, self.size, self.dpi = title, size, dpi

    def __len__(self):
        return len(self.film)

    def _build(self):
        fig = new_figure(*self.size, dpi=self.dpi)
        ax, cx = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
        self._im = ax.imshow(field_image(self.film[0], boundary=False), extent=self.grid.extent,
                             origin="lower", interpolation="bilinear", aspect="auto", zorder=1)
        self._contours = []
        draw_points(ax, self.X, self.y, size=12)
        if self.X_test is not None:
            draw_points(ax, self.X_test, self.y_test, test=True, size=12)
        _legend(ax, self.classes, self.X_test is not None)
        ax.set_xlim(self.grid.x0, self.grid.x1)
        ax.set_ylim(self.grid.y0, self.grid.y1)
        # the longest title a frame can have, so the layout keeps room for it
        self._title = ax.set_title("epoch 00000   loss 0.0000   accuracy 100.0%", fontsize=9)
        (self._line,) = cx.plot([], [], color="#333", lw=2, label="loss")
        (self._dot,) = cx.plot([], [], "o", color="#333")
        cx.set_xlim(0, max(len(self.loss), 1))
        cx.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        top = float(np.nanmax(self.loss[np.isfinite(self.loss)])) if np.isfinite(self.loss).any() else 1
        # a loss of 0 throughout (a perceptron that separates at once) still gets an axis
        cx.set_ylim(0, top * 1.05 if top > 0 else 1.0)
        cx.set_xlabel("epoch")
        cx.set_ylabel("loss")
        cx.grid(alpha=0.3)
        if self.accuracy is not None:
            ax2 = cx.twinx()
            (self._acc,) = ax2.plot([], [], color="#1f77b4", lw=1.6, label="accuracy")
            ax2.set_ylim(0, 1.02)
            ax2.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax2.set_ylabel("accuracy", color="#1f77b4")
            # below the epoch axis: off the curves and clear of the title above
            cx.legend(handles=[self._line, self._acc], loc="upper center", ncols=2, fontsize=8,
                      bbox_to_anchor=(0.5, -0.16), frameon=False)
        else:
            self._acc = None
        if self.title:
            cx.set_title(self.title, fontsize=10)
        return fig

    def frames(self):
        """Yield each frame as an RGB uint8 array.

        The static parts (axes, ticks; no curve of epochs not yet reached) are drawn once and
        kept as a background; each frame restores it and draws only the artists
        that change (field, points on top of it, legend, curve ends, title).
        """
        fig = self._build()
        canvas = fig.canvas
        ax = self._im.axes
        points = list(ax.collections)
        moving = [self._line, self._dot, self._title]
        if self._acc is not None:
            moving.append(self._acc)
        for artist in [self._im, *points, *moving]:
            artist.set_animated(True)
        canvas.draw()
        fig.set_layout_engine("none")  # the layout is fixed now; keep it from re-running
        background = canvas.copy_from_bbox(fig.bbox)
        for proba, done in zip(self.film, self.epochs):
            self._update(proba, done)
            canvas.restore_region(background)
            # field, then its boundary line, then the points on top of both
            for artist in [self._im, *self._contours, *points, *moving]:
                fig.draw_artist(artist)
            yield np.asarray(canvas.buffer_rgba())[..., :3].copy()

    def _update(self, proba, done):
        self._im.set_data(field_image(proba, boundary=False))
        for old in self._contours:
            old.remove()
        self._contours = draw_boundary(self._im.axes, proba, self.grid)
        for c in self._contours:
            c.set_animated(True)
        x = np.arange(1, done + 1)
        self._line.set_data(x, self.loss[:done])
        self._dot.set_data(x[-1:], self.loss[done - 1:done])
        if self._acc is not None:
            self._acc.set_data(x, self.accuracy[:done])
        text = f"epoch {done}"
        if done:
            text += f"   loss {self.loss[done - 1]:.4f}"
            if self.accuracy is not None:
                text += f"   accuracy {100 * self.accuracy[done - 1]:.1f}%"
        self._title.set_text(text)

    def labels(self):
        return [f"epoch {e}" for e in self.epochs]
