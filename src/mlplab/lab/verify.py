"""``mlplab verify``: the same network trained in mlplab and in PyTorch, side by side.

Both start from the same initial weights (mlplab's, copied by ``to_torch``) and see
the same batches in the same order (PyTorch is fed the shuffles mlplab draws). After
every epoch both report the epoch's loss (the mean over its batches, as
:class:`~mlplab.nn.History` does) and training accuracy; on 2-D data the two
decision boundaries are compared on a grid. The run *agrees* when

- the largest loss difference over all epochs is at most ``tolerance`` (default
  1e-4 in float32, 1e-7 in float64; the two engines round differently, and the
  rounding differences grow slowly over training), and
- on 2-D data, the two models predict the same class on at least 99% of the grid
  points at every checked epoch (a point where either model's top two outputs are
  within the tolerance of each other is a tie, decided by rounding: it counts as alike).

>>> from mlplab.lab.verify import verify
>>> result = verify("moons", layers=(10, 5), optimizer="sgd", lr=0.1, epochs=50)  # doctest: +SKIP
>>> result.agrees  # doctest: +SKIP
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .. import nn
from ..nn import _validate
from ..nn.training import SHUFFLE_STREAM
from .train import TrainConfig, build_model, load_data, output_and_loss

#: default largest loss difference per dtype
TOLERANCE = {"float32": 1e-4, "float64": 1e-7}
#: the boundaries agree when at least this fraction of grid points get the same class
MIN_AGREEMENT = 0.99
GRID = 100
#: losses verify can replay in PyTorch
LOSSES = ("mse", "mae", "huber", "bce", "bce_logits", "cross_entropy", "nll")


class _Recording(np.random.Generator):
    """A generator that keeps every permutation it draws (the epochs' orders)."""

    def __init__(self, bits):
        super().__init__(bits)
        self.orders = []

    def permutation(self, x, axis=0):
        order = super().permutation(x, axis)
        self.orders.append(order)
        return order


@dataclass
class VerifyResult:
    """Per-epoch figures of both engines, and the verdict."""

    config: TrainConfig
    dtype: str
    tolerance: float
    loss: dict = field(default_factory=dict)       # "mlplab"/"torch" -> (epochs,)
    accuracy: dict = field(default_factory=dict)   # "mlplab"/"torch" -> (epochs,) or absent
    agreement: dict = field(default_factory=dict)  # epoch (from 1) -> fraction of grid points
    seconds: dict = field(default_factory=dict)    # "mlplab"/"torch" -> training time
    grid: tuple | None = None                      # (xx, yy, classes mlplab, classes torch)
    data: tuple | None = None                      # raw training points and labels (2-D)

    @property
    def loss_difference(self) -> np.ndarray:
        """``|loss_mlplab - loss_torch|`` per epoch."""
        return np.abs(self.loss["mlplab"] - self.loss["torch"])

    @property
    def max_difference(self) -> float:
        return float(self.loss_difference.max())

    @property
    def min_agreement(self) -> float | None:
        return min(self.agreement.values()) if self.agreement else None

    @property
    def agrees(self) -> bool:
        ok = np.isfinite(self.loss_difference).all() and self.max_difference <= self.tolerance
        return bool(ok and (self.min_agreement is None or self.min_agreement >= MIN_AGREEMENT))

    def rows(self):
        """``(epoch, max |dloss| so far, loss m, loss t, acc m, acc t, agreement)`` at the
        checked epochs."""
        diff = np.maximum.accumulate(self.loss_difference)
        acc = self.accuracy or {"mlplab": [np.nan] * len(diff), "torch": [np.nan] * len(diff)}
        for e in sorted(self.agreement) or _checked(len(diff)):
            yield (e, diff[e - 1], self.loss["mlplab"][e - 1], self.loss["torch"][e - 1],
                   acc["mlplab"][e - 1], acc["torch"][e - 1], self.agreement.get(e))

    def text(self) -> str:
        lines = [f"{'epoch':>6}  {'max|dloss|':>10}  {'loss mlplab':>11}  {'loss torch':>10}  "
                 f"{'acc mlplab':>10}  {'acc torch':>9}  {'boundary':>8}"]
        for e, d, lm, lt, am, at, ag in self.rows():
            pct = (lambda v: "-" if v is None or not np.isfinite(v) else f"{v:.2%}")
            lines.append(f"{e:>6}  {d:>10.3e}  {lm:>11.6f}  {lt:>10.6f}  {pct(am):>10}  "
                         f"{pct(at):>9}  {pct(ag):>8}")
        verdict = "AGREE" if self.agrees else "DISAGREE"
        rule = (f"largest loss difference {self.max_difference:.3e} "
                f"{'<=' if self.max_difference <= self.tolerance else '>'} tolerance "
                f"{self.tolerance:g} ({self.dtype})")
        if self.agreement:
            rule += (f"; boundaries agree on {self.min_agreement:.2%} of the {GRID}x{GRID} grid at "
                     f"worst (needed {MIN_AGREEMENT:.0%})")
        lines.append(f"{verdict}: {rule}")
        if not self.agrees and self.dtype == "float32":
            first = int(np.argmax(self.loss_difference > self.tolerance)) + 1
            lines.append(f"(the difference first passes the tolerance at epoch {first}; float32 "
                         f"rounding alone can tip a run onto another path, e.g. a ReLU unit dying "
                         f"one step earlier: if --dtype float64 agrees, the cause is rounding)")
        lines.append(f"time: mlplab {self.seconds['mlplab']:.2f} s, PyTorch "
                     f"{self.seconds['torch']:.2f} s (1 thread each)")
        return "\n".join(lines)

    def figure(self):
        """Both loss curves overlaid (and accuracies), and both boundaries side by side."""
        import matplotlib.pyplot as plt

        panels = 3 if self.grid is not None else 1
        fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 4.2), squeeze=False)
        ax = axes[0, 0]
        epochs = np.arange(1, len(self.loss["mlplab"]) + 1)
        ax.plot(epochs, self.loss["mlplab"], label="mlplab", lw=2.5, alpha=0.6)
        ax.plot(epochs, self.loss["torch"], "--", label="PyTorch", lw=1.2, color="black")
        ax.set(xlabel="epoch", ylabel="loss", yscale="log",
               title=f"loss; max |difference| {self.max_difference:.2e}")
        ax.legend()
        if self.grid is not None:
            xx, yy, zm, zt = self.grid
            X, y = self.data
            for ax, z, who in ((axes[0, 1], zm, "mlplab"), (axes[0, 2], zt, "PyTorch")):
                ax.contourf(xx, yy, z, levels=np.arange(z.max() + 2) - 0.5, cmap="coolwarm", alpha=0.35)
                ax.contour(xx, yy, z, levels=np.arange(z.max() + 1) + 0.5, colors="black", linewidths=1)
                ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=8, edgecolors="none")
                acc = self.accuracy.get("mlplab" if who == "mlplab" else "torch")
                ax.set_title(f"{who}: accuracy {acc[-1]:.2%}" if acc is not None else who)
            axes[0, 2].set_xlabel(f"same class on {self.agreement[max(self.agreement)]:.2%} of the grid")
        fig.suptitle(f"mlplab vs PyTorch: {'agree' if self.agrees else 'DISAGREE'} "
                     f"({self.dtype}, tolerance {self.tolerance:g})")
        fig.tight_layout()
        return fig


def _checked(epochs: int) -> list[int]:
    every = max(1, epochs // 20)
    return sorted({*range(every, epochs + 1, every), 1, epochs})


def _refuse_unsupported(config: TrainConfig, loss_name: str):
    why = {"schedule": config.schedule != "none", "clip_norm": config.clip_norm is not None,
           "clip_value": config.clip_value is not None, "patience": config.patience is not None,
           "dropout": config.dropout > 0, "l1": config.l1 > 0}
    bad = [k for k, v in why.items() if v]
    if bad:
        raise ValueError(f"verify replays plain training steps in PyTorch and does not compare "
                         f"{', '.join(bad)} yet (dropout masks are random in each engine); "
                         f"received {', '.join(f'{k}={getattr(config, k)!r}' for k in bad)}")
    if len(config.seeds) != 1:
        raise ValueError(f"verify compares one network: give one seed; received "
                         f"{len(config.seeds)} seeds")
    if loss_name not in LOSSES:
        raise ValueError(f"verify can replay the losses {', '.join(LOSSES)}; received loss={loss_name!r}")


def _torch_optimizer(torch, opt, params):
    o = torch.optim
    wd = opt.weight_decay
    if isinstance(opt, nn.AdamW):
        return o.AdamW(params, lr=opt.lr, betas=tuple(opt.betas), eps=opt.eps, weight_decay=wd)
    if isinstance(opt, nn.Adam):
        return o.Adam(params, lr=opt.lr, betas=tuple(opt.betas), eps=opt.eps, weight_decay=wd)
    if isinstance(opt, nn.SGD):
        return o.SGD(params, lr=opt.lr, momentum=opt.momentum, dampening=opt.dampening,
                     nesterov=opt.nesterov, weight_decay=wd)
    if isinstance(opt, nn.RMSprop):
        return o.RMSprop(params, lr=opt.lr, alpha=opt.alpha, eps=opt.eps, momentum=opt.momentum,
                         centered=opt.centered, weight_decay=wd)
    if isinstance(opt, nn.Adagrad):
        return o.Adagrad(params, lr=opt.lr, lr_decay=opt.lr_decay, eps=opt.eps,
                         initial_accumulator_value=opt.initial_accumulator_value, weight_decay=wd)
    raise ValueError(f"verify has no PyTorch optimizer for {opt.name!r}")  # pragma: no cover


def _torch_loss(torch, loss):
    F = torch.nn.functional
    return {
        "mse": F.mse_loss, "mae": F.l1_loss,
        "huber": lambda p, t: F.huber_loss(p, t, delta=getattr(loss, "delta", 1.0)),
        "bce": F.binary_cross_entropy, "bce_logits": F.binary_cross_entropy_with_logits,
        "cross_entropy": F.cross_entropy,  # with one-hot (probability) targets
        "nll": lambda p, t: -(p * t).sum(-1).mean(),
    }[loss.name]


def _classes(out: np.ndarray, threshold) -> np.ndarray:
    return out.argmax(-1) if out.shape[-1] > 1 else (out[..., 0] > threshold).astype(np.int64)


def _margin(out: np.ndarray, threshold) -> np.ndarray:
    """How far each point is from a tie: top output minus the runner-up (or the
    distance of the one output from its threshold)."""
    if out.shape[-1] == 1:
        return np.abs(out[..., 0] - threshold)
    top2 = np.sort(out, axis=-1)[..., -2:]
    return top2[..., 1] - top2[..., 0]


def verify(dataset: str | TrainConfig = "moons", *, dtype: str | None = None, tolerance=None,
           perturb: float = 0.0, callback=None, **options) -> VerifyResult:
    """Train one network in mlplab and in PyTorch from the same weights on the same
    batches, and compare them epoch by epoch (see the module docstring).

    Parameters
    ----------
    dataset : str or TrainConfig
        A dataset name (then ``options`` are :class:`TrainConfig`'s fields: ``layers``,
        ``optimizer``, ``lr``, ``epochs``, ``batch_size``, ``seeds``...) or a whole config.
    dtype : "float32" or "float64", optional
        Both engines compute in this precision (default: the config's ``dtype``).
    tolerance : float, optional
        Largest loss difference allowed (default :data:`TOLERANCE` of the dtype).
    perturb : float
        A test hook: added to one weight of the PyTorch copy (``weight[0, 0]`` of its
        first Linear) before training, to see verify disagree.
    callback : callable, optional
        Called as ``callback(epoch, loss_mlplab, loss_torch)`` after every checked
        epoch (epochs count from 1), for progress lines.
    """
    from ..interop.torch import _torch

    torch = _torch()
    config = dataset if isinstance(dataset, TrainConfig) else TrainConfig(dataset=dataset, **options)
    if isinstance(dataset, TrainConfig) and options:
        raise TypeError(f"give a TrainConfig or options, not both; received {sorted(options)}")
    dtype = config.dtype if dtype is None else dtype
    if dtype not in TOLERANCE:
        raise ValueError(f"dtype must be float32 or float64; received dtype={dtype!r}")
    tolerance = TOLERANCE[dtype] if tolerance is None else _validate.positive("tolerance", tolerance)

    ds = load_data(config)
    val_split = config.val_split if config.val_split is not None else (0.1 if ds.n_train >= 100 else 0.0)
    n_fit = ds.n_train - int(round(ds.n_train * val_split))
    n_outputs, loss_name = output_and_loss(config, ds.task, ds.n_outputs)
    _refuse_unsupported(config, loss_name)
    model = build_model(config, ds.n_features, n_outputs).astype(dtype)
    loss = nn.losses.get(loss_name)
    optimizer = nn.optimizers.get(config.optimizer, lr=config.lr)
    X_all = ds.scaler.transform(ds.X_train).astype(dtype)
    X, T, labels = nn.training.prepare(model, loss, X_all[:n_fit], ds.y_train[:n_fit])

    module = model.to_torch(training=True)
    if perturb:
        with torch.no_grad():
            next(m for m in module if isinstance(m, torch.nn.Linear)).weight[0, 0] += perturb
    t_opt = _torch_optimizer(torch, optimizer, module.parameters())
    t_loss = _torch_loss(torch, loss)
    Xt, Tt = torch.from_numpy(X), torch.from_numpy(T)
    penalty_l2 = config.l2

    stream = _Recording(np.random.PCG64([SHUFFLE_STREAM, model.seeds[0]]))
    model.shuffle_streams = [stream]

    grid = None
    if ds.n_features == 2 and ds.task == "classification":
        raw = ds.X_train[:n_fit]
        lo, hi = raw.min(axis=0), raw.max(axis=0)
        pad = 0.1 * (hi - lo)
        xx, yy = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], GRID),
                             np.linspace(lo[1] - pad[1], hi[1] + pad[1], GRID))
        points = ds.scaler.transform(np.c_[xx.ravel(), yy.ravel()]).astype(dtype)
        grid = (xx, yy, points)

    result = VerifyResult(config, dtype, tolerance, data=(ds.X_train[:n_fit], ds.y_train[:n_fit])
                          if grid is not None else None)
    t_losses, t_acc, t_seconds = [], [], [0.0, 0.0]  # PyTorch's training, the grid checks
    checked = set(_checked(config.epochs))
    batch = n_fit if config.batch_size is None else min(config.batch_size, n_fit)  # None: full batch
    threshold = loss.threshold

    class Replay(nn.Callback):
        def on_epoch_end(self, run, epoch, logs):
            start = time.perf_counter()
            order = stream.orders[epoch] if stream.orders and batch < n_fit else np.arange(n_fit)
            if batch < n_fit and len(stream.orders) != epoch + 1:  # pragma: no cover
                raise RuntimeError("verify lost track of mlplab's shuffles")
            total, hits = 0.0, 0
            for s in range(0, n_fit, batch):
                idx = torch.from_numpy(order[s:s + batch])
                xb, tb = Xt[idx], Tt[idx]
                out = module(xb)
                value = t_loss(out, tb)
                objective = value
                if penalty_l2:
                    objective = value + penalty_l2 * sum((m.weight ** 2).sum() for m in module
                                                         if isinstance(m, torch.nn.Linear))
                t_opt.zero_grad()
                objective.backward()
                t_opt.step()
                total += value.item() * len(idx)
                if labels is not None:
                    guess = _classes(out.detach().numpy(), threshold)
                    hits += int((guess == labels[order[s:s + batch]]).sum())
            t_losses.append(total / n_fit)
            t_acc.append(hits / n_fit)
            t_seconds[0] += time.perf_counter() - start
            start = time.perf_counter()
            if grid is not None and epoch + 1 in checked:
                out_m = model.forward(grid[2])
                module.eval()
                with torch.no_grad():
                    out_t = module(torch.from_numpy(grid[2])).numpy()
                module.train()
                zm, zt = _classes(out_m, threshold), _classes(out_t, threshold)
                # a point on which either model is tied within the tolerance (a network whose
                # units all died outputs a constant) is decided by rounding: it counts as alike
                tied = np.minimum(_margin(out_m, threshold), _margin(out_t, threshold)) <= tolerance
                result.agreement[epoch + 1] = float(((zm == zt) | tied).mean())
                result.grid = (grid[0], grid[1], zm.reshape(grid[0].shape), zt.reshape(grid[0].shape))
            if callback is not None and epoch + 1 in checked:
                callback(epoch + 1, float(logs["loss"]), t_losses[-1])
            t_seconds[1] += time.perf_counter() - start

    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        start = time.perf_counter()
        history = nn.fit(model, X, labels if labels is not None else T, loss=loss, optimizer=optimizer,
                         epochs=config.epochs, batch_size=batch, l2=config.l2, callbacks=[Replay()])
        total = time.perf_counter() - start
    finally:
        torch.set_num_threads(torch_threads)
    result.loss = {"mlplab": np.asarray(history.loss, dtype=float), "torch": np.asarray(t_losses)}
    if labels is not None:
        result.accuracy = {"mlplab": np.asarray(history["accuracy"], dtype=float),
                           "torch": np.asarray(t_acc)}
    result.seconds = {"mlplab": total - sum(t_seconds), "torch": t_seconds[0]}
    return result
