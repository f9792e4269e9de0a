"""The playground's success-rate runs and exports (model, data, command, GIF)."""

from __future__ import annotations

import base64
import io
import time
from types import SimpleNamespace

import numpy as np

from .config import output_layer
from .session import SUCCESS_SEEDS, Session


def success_rate(s: Session, epochs=None, rule=None) -> dict:
    """Train the current setup from 20 seeds at once (replicas) and report how many meet
    the success ``rule`` (:mod:`mlplab.nn.success`; default ``train_accuracy > 0.95``,
    the same rule as ``mlplab train``), with thumbnails. Regression, which has no
    accuracy, is judged by test R^2 > 0.9 unless a rule is given (``train_rmse < 0.1``)."""
    from .. import nn
    from ..nn import success
    from .session import NEURON_GRID, NEURON_RES

    judge = success.get(rule)

    c = s.config
    epochs = int(epochs or c.epoch_limit or max(s.epoch, 200))
    if not 1 <= epochs <= 5000:
        raise ValueError(f"epochs must be from 1 to 5000; received {epochs}")
    if s.step:
        return _success_rate_step(s, epochs, judge)
    with s.lock:
        seeds = list(range(c.seed, c.seed + SUCCESS_SEEDS))
        n_out = s.n_classes if s.task == "classification" else 1
        model = nn.mlp([len(c.features), *c.layers, n_out], activation=c.activations, init=c.init,
                       seed=seeds, dropout=c.dropout, batchnorm=c.batchnorm, output=output_layer(c))
        reg = {c.regularization: c.reg_rate} if c.regularization != "none" else {}
        start = time.perf_counter()
        try:
            nn.fit(model, s._inputs(s.X_train), s.y_train, loss=c.loss, epochs=epochs,
                   optimizer=nn.optimizers.get(c.optimizer, lr=c.lr, clip_norm=c.clip_norm or None),
                   batch_size=min(c.batch_size, len(s.X_train)), seed=c.seed, **reg)
        except nn.DivergenceError as exc:
            return {"type": "success_rate", "error": str(exc)}
        seconds = time.perf_counter() - start
        if s.task == "classification" or rule is not None:
            figures = _figures(s, model, nn.losses.get(c.loss))
            ok, score = judge.of(figures), figures[judge.split][judge.measure]
            metric, words, threshold = judge.metric, judge.describe(), judge.threshold
        else:
            X_eval, y_eval = (s.X_test, s.y_test) if len(s.X_test) else (s.X_train, s.y_train)
            score = nn.metrics.r2_score(y_eval, model.forward(s._inputs(X_eval))[..., 0])
            ok = score > 0.9
            metric, words, threshold = "R^2", "test R^2 > 0.9", 0.9
        if s.task == "classification":
            out = model.predict_proba(s._inputs(NEURON_GRID))
            thumbs = out[..., 1] if out.shape[-1] == 2 else out.argmax(axis=-1) / max(n_out - 1, 1)
        else:
            thumbs = (np.clip(model.forward(s._inputs(NEURON_GRID))[..., 0], -1, 1) + 1) / 2
    return {"type": "success_rate", "epochs": epochs, "seeds": seeds,
            "scores": np.round(np.asarray(score, dtype=float), 4).tolist(),
            "success": ok.tolist(), "successes": int(ok.sum()), "threshold": threshold,
            "metric": metric, "rule": words,
            "task": s.task, "n_classes": s.n_classes, "nres": NEURON_RES, "seconds": round(seconds, 3),
            "thumbnails": [base64.b64encode(np.round(t * 255).astype(np.uint8).tobytes()).decode()
                           for t in thumbs]}


def _success_rate_step(s: Session, epochs: int, judge) -> dict:
    """:func:`success_rate` for the step unit: 20 perceptrons, one per seed (each start
    drawn from its seed), trained by the rule until they converge or ``epochs``."""
    from .session import NEURON_GRID, NEURON_RES
    from .step import StepUnit

    c = s.config
    with s.lock:
        seeds = list(range(c.seed, c.seed + SUCCESS_SEEDS))
        X, y = s._inputs(s.X_train), s.y_train
        start = time.perf_counter()
        units = []
        for seed in seeds:
            unit = StepUnit(len(c.features), lr=c.lr, seed=seed, init=c.init)
            for _ in range(epochs):
                unit.train_epoch(X, y)
                if unit.converged:
                    break
            units.append(unit)
        seconds = time.perf_counter() - start
        figures = {}
        for split, Xs, ys in (("train", s.X_train, s.y_train), ("test", s.X_test, s.y_test)):
            if len(Xs):
                per = [u.figures(s._inputs(Xs), ys) for u in units]
                figures[split] = {k: np.array([f[k] for f in per]) for k in ("loss", "accuracy")}
        ok, score = judge.of(figures), figures[judge.split][judge.measure]
        thumbs = [u.predict(s._inputs(NEURON_GRID)).astype(float) for u in units]
    return {"type": "success_rate", "epochs": epochs, "seeds": seeds,
            "scores": np.round(np.asarray(score, dtype=float), 4).tolist(),
            "success": ok.tolist(), "successes": int(ok.sum()), "threshold": judge.threshold,
            "metric": judge.metric, "rule": judge.describe(),
            "task": s.task, "n_classes": s.n_classes, "nres": NEURON_RES, "seconds": round(seconds, 3),
            "thumbnails": [base64.b64encode(np.round(t * 255).astype(np.uint8).tobytes()).decode()
                           for t in thumbs]}


def _figures(s: Session, model, loss) -> dict:
    """``{split: {measure: per-replica values}}`` on the session's train and test points,
    as ``TrainResult.figures`` (what a success rule reads)."""
    from .. import nn

    out = {}
    for split, X, y in (("train", s.X_train, s.y_train), ("test", s.X_test, s.y_test)):
        if len(X):
            X_in = s._inputs(X)
            out[split] = nn.training.evaluate(model, loss, *nn.training.prepare(model, loss, X_in, y))
            if s.task == "regression":
                out[split]["rmse"] = nn.metrics.rmse(y, model.forward(X_in)[..., 0])
    return out


def _export_model(s: Session) -> dict:
    """The network as an mlplab ``.npz``, with what ``mlplab evaluate`` needs to use it on
    the exported CSV (its features are the network's inputs, unscaled)."""
    from ..data.preprocessing import Scaler
    from ..nn.serialization import write

    if s.step:
        raise ValueError("the step unit is a perceptron, not a network file: export the data and "
                         "the mlplab train command (it trains the same perceptron with --perceptron)")
    with s.lock:
        meta = {"dataset": "playground-data.csv", "task": s.task,
                "classes": [str(k) for k in range(s.n_classes)] if s.task == "classification" else None,
                "features": list(s.config.features),
                "scaler": Scaler("none").fit(s._inputs(s.X_train)).config(),
                "command": export_command(s)["text"]}
        buf = io.BytesIO()
        write(s.model, buf, meta)
    return {"filename": "playground-model.npz", "data": base64.b64encode(buf.getvalue()).decode()}


def export_data(s: Session) -> dict:
    """The points as CSV: the network's input features, a train/test ``split`` column
    (0 = train) and the label; ``mlplab train`` and ``mlplab evaluate`` read it as is."""
    with s.lock:
        names = list(s.config.features)
        rows = [",".join([*names, "split", "label"])]
        for split, X, y in ((0, s.X_train, s.y_train), (1, s.X_test, s.y_test)):
            F = s._inputs(X)
            for f, label in zip(F, y):
                # 9 significant digits write a float32 exactly: the CLI reads the same inputs
                rows.append(",".join([*(f"{v:.9g}" for v in f), str(split),
                                      f"{label:.9g}" if s.task == "regression" else str(int(label))]))
    return {"filename": "playground-data.csv", "text": "\n".join(rows) + "\n"}


def export_command(s: Session) -> dict:
    """The ``mlplab train`` line that reproduces this run on the exported CSV."""
    from ..lab.train import TrainConfig
    c = s.config
    if s.step:  # lesson B's perceptron: small start from the seed, w.x + b = 0 predicts 1
        return {"text": f"mlplab train playground-data.csv --perceptron --start "
                        f"{'zeros' if c.init == 'zeros' else 'small'} --rule '>=' --lr {c.lr:g} "
                        f"--epochs {max(s.epoch, 1)} --seed {c.seed} --scale none"}
    notes = []
    if c.schedule != "none":
        notes.append("# the playground's schedule is not carried over: this trains at a constant rate")
    cfg = TrainConfig(dataset="playground-data.csv", layers=tuple(c.layers), epochs=max(s.epoch, 1),
                      activation=",".join(c.activations) if len(set(c.activations)) > 1
                      else (c.activations[0] if c.activations else "relu"),
                      optimizer=c.optimizer, lr=c.lr, batch_size=c.batch_size, seeds=(c.seed,),
                      init=c.init, dropout=c.dropout, batchnorm=c.batchnorm, loss=c.loss,
                      output=output_layer(c),
                      l1=c.reg_rate if c.regularization == "l1" else 0.0,
                      l2=c.reg_rate if c.regularization == "l2" else 0.0,
                      clip_norm=c.clip_norm or None, val_split=0.0, scale="none")
    return {"text": "\n".join([*notes, cfg.command()])}


def export_gif(s: Session) -> dict:
    from ..nn.recorders import Grid
    from ..viz import TrainingAnimation
    from .datasets import DOMAIN

    with s.lock:
        if not s.film:
            raise ValueError("nothing to animate yet: press play first")

        maps = [p for _, p in s.film]  # what TrainingAnimation reads from a recorder
        film = SimpleNamespace(frames=maps, film=np.stack(maps), epochs=[e for e, _ in s.film],
                               grid=Grid(-DOMAIN, DOMAIN, -DOMAIN, DOMAIN, resolution=maps[0].shape[0]))

        curve = np.array([row[1] for row in s.curve]) if s.curve else np.zeros(1)
        history = {"loss": curve}
        if s.task == "classification" and s.curve:
            history["accuracy"] = np.array([row[3] for row in s.curve])
        y = s.y_train if s.task == "classification" else (s.y_train > 0).astype(int)
        data = TrainingAnimation(film, history, s.X_train, y, title="mlplab playground").gif_bytes(fps=10)
    return {"filename": "playground-training.gif", "data": base64.b64encode(data).decode()}


EXPORTS = {"model": _export_model, "data": export_data, "command": export_command, "gif": export_gif}
