"""One browser tab's lab: its data, its network, its training, and the frames it sees.

A :class:`Session` is plain Python (no server here): the server calls its methods
from a worker thread and sends what :meth:`Session.frame` returns. Frames are
compact: the output map and the neurons' maps are quantised to one byte per pixel
and base64-encoded; everything else is a few short lists.
"""

from __future__ import annotations

import base64
import copy
import threading
from contextlib import contextmanager

import numpy as np

from .. import nn
from . import datasets
from .config import DATA_KEYS, LIMITS, MODEL_KEYS, Config, output_layer, validate
from .step import StepUnit

RES = 100          # output map resolution
NEURON_RES = 20    # per-neuron map resolution
SUCCESS_SEEDS = 20


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode("ascii")


def _grid(res):
    t = np.linspace(-datasets.DOMAIN, datasets.DOMAIN, res, dtype=np.float32)
    gx, gy = np.meshgrid(t, t[::-1])  # row 0 at the top (y = +6), as on screen
    return np.column_stack([gx.ravel(), gy.ravel()])


GRID, NEURON_GRID = _grid(RES), _grid(NEURON_RES)


class _EpochStats(nn.Callback):
    """Per epoch: the loss curve (train and test figures), the gradient norm of each Dense
    layer at the epoch's last batch, and the session's stops: the epoch limit, and early
    stopping when the test loss has not improved for 100 epochs. (Training comes in
    chunks of a few epochs, so the session, not a per-fit callback, keeps the best loss.)"""

    def __init__(self, session):
        self.s = session

    def on_epoch_end(self, run, epoch, logs):
        s = self.s
        s.epoch += 1
        s.curve.append((s.epoch, float(logs["loss"]), float(logs.get("val_loss", np.nan)),
                        float(logs.get("accuracy", np.nan)), float(logs.get("val_accuracy", np.nan))))
        s.grad_norms = [float(np.sqrt((layer.grads["W"].astype(np.float64) ** 2).sum()))
                        for layer in run.model.dense_layers]
        if s.config.epoch_limit and s.epoch >= s.config.epoch_limit:
            run.stop_training = True
            s.status = "done"
        if s.config.early_stopping:
            val = logs.get("val_loss")
            if val is not None:
                if val < s.best_val - 1e-5:
                    s.best_val, s.best_epoch = float(val), s.epoch
                elif s.epoch - s.best_epoch >= 100:
                    run.stop_training = True
                    s.status = "done"
                    s.warning = (f"early stopping: the test loss has not improved for 100 epochs "
                                 f"(best {s.best_val:.4f} at epoch {s.best_epoch})")


class Session:
    """A playground session: ``configure``, ``train``, ``frame`` and friends."""

    def __init__(self, config: dict | None = None):
        self.lock = threading.RLock()
        self.points: list | None = None      # drawn points [[x, y, label], ...]
        self.csv_data = None                 # (X, y, task) from an upload
        self.config = Config()
        self.status = "paused"
        self._rebuild_data()
        self._rebuild_model()
        if config:
            self.configure(config)

    # ------------------------------------------------------------- setup
    @contextmanager
    def _all_or_nothing(self):
        """Apply a change completely or not at all: if the block raises, the session's
        settings, data, network, weights and optimizer are put back as they were."""
        with self.lock:
            saved = dict(self.__dict__)
            config = copy.deepcopy(self.config)
            weights = [(p, p.copy()) for p, _ in self.model.parameters()]
            try:
                yield
            except BaseException:
                self.__dict__.clear()
                self.__dict__.update(saved)
                self.config = config
                for p, old in weights:
                    p[...] = old
                raise

    def configure(self, raw: dict) -> set:
        """Apply settings; returns which parts were rebuilt (``{"data", "model"}``).

        A refused setting raises ``ValueError`` and leaves the session as it was."""
        with self._all_or_nothing():
            new = validate(raw, self.config)
            old = self.config
            changed = {k for k in new.as_dict() if new.as_dict()[k] != old.as_dict()[k]}
            if changed & {"loss", "output"} and not changed & DATA_KEYS:
                self._check_pair(new)  # refused before anything changes
            self.config = new
            rebuilt = set()
            if changed & DATA_KEYS or (new.dataset == "points" and "dataset" in changed):
                self._rebuild_data()
                rebuilt |= {"data", "model"}
            if new.output == "step" and self.task == "classification" and self.n_classes > 2:
                raise ValueError(f"output 'step' (a perceptron) separates two classes; dataset "
                                 f"{new.dataset!r} has {self.n_classes}: choose a two-class dataset "
                                 f"or another output")
            if rebuilt or changed & MODEL_KEYS:
                self._rebuild_model()
                rebuilt.add("model")
            else:
                self._apply_live(changed)
            return rebuilt

    def _rebuild_data(self):
        c = self.config
        if c.dataset == "points":
            pts = np.asarray(self.points or [], dtype=np.float64).reshape(-1, 3)
            X, y = pts[:, :2].astype(np.float32), pts[:, 2]
            task = "classification"
            y = y.astype(np.int64)
        elif c.dataset == "csv":
            if self.csv_data is None:
                raise ValueError("dataset 'csv' needs an uploaded CSV file first")
            X, y, task = self.csv_data
        else:
            X, y, task = datasets.make(c.dataset, c.n_samples, c.noise, c.data_seed)
        if task != c.problem:  # the data decide the problem type, and its usual loss
            c.loss = "cross_entropy" if task == "classification" else "mse"
            c.output = "linear"
        c.problem = task
        if len(X) >= 2:
            self.X_train, self.y_train, self.X_test, self.y_test = datasets.split(
                X, y, c.train_ratio, c.data_seed, keep_order=c.dataset in datasets.TABLES)
        else:  # too few drawn points to split: everything trains, nothing tests
            self.X_train, self.y_train = X, y
            self.X_test, self.y_test = X[:0], y[:0]
        self.task = c.problem
        if task == "classification":
            labels = np.concatenate([self.y_train, self.y_test]) if len(y) else np.array([0, 1])
            self.n_classes = max(2, int(labels.max()) + 1)
        else:
            self.n_classes = 1
        if nn.losses.get(c.loss).binary and self.n_classes > 2:  # new data, more classes
            c.loss = "cross_entropy"
        if c.output == "step" and (task != "classification" or self.n_classes > 2):
            c.output = "linear"  # a perceptron separates two classes: the data decide

    def _check_pair(self, c):
        """The engine's check (``nn.pairing``) of ``c``'s loss and output on the current
        labels. Labels of a single class are left to ``train`` (drawing the first class
        of points must not refuse every setting)."""
        if c.output == "step":  # no loss: the perceptron rule
            return
        y = None
        if self.task == "classification" and len(np.unique(self.y_train)) > 1:
            y = np.concatenate([self.y_train, self.y_test])  # every class the data hold
        nn.pairing.check_pair(c.loss, c.output, self._n_outputs(), y)

    def _n_outputs(self):
        return self.n_classes if self.task == "classification" else 1

    @property
    def step(self) -> bool:
        """Whether the network is lesson B's perceptron (one step unit, see step.py)."""
        return self.config.output == "step"

    def _rebuild_model(self):
        c = self.config
        if self.step:
            self.model = StepUnit(len(c.features), lr=c.lr, seed=c.seed, init=c.init)
        else:
            sizes = [len(c.features), *c.layers, self._n_outputs()]
            self.model = nn.mlp(sizes, activation=c.activations, init=c.init, seed=c.seed,
                                output=output_layer(c), dropout=c.dropout, batchnorm=c.batchnorm)
        self._new_optimizer()
        self.epoch = 0
        self.curve: list[tuple] = []
        self.grad_norms: list[float] = []
        self.best_val, self.best_epoch = np.inf, 0
        self.status = "paused"
        self.warning = None
        self.film: list[tuple[int, np.ndarray]] = []
        self._features_cache = {}

    def _new_optimizer(self):
        c = self.config
        self.optimizer = nn.optimizers.get(c.optimizer, lr=c.lr, clip_norm=c.clip_norm or None)
        self.base_lr = c.lr

    def _apply_live(self, changed):
        """Settings that apply without touching the weights."""
        c = self.config
        if "optimizer" in changed or "clip_norm" in changed:
            self._new_optimizer()  # a different rule starts with fresh state
        elif "lr" in changed:
            self.optimizer.lr = c.lr   # same moments and velocities
            self.base_lr = c.lr
        if self.step:
            self.model.lr = c.lr

    def reset(self, new_weights: bool = False):
        """Back to epoch 0: the same initial weights for the same seed, or the next seed."""
        with self._all_or_nothing():
            if new_weights:
                self.config.seed += 1
            self._rebuild_model()

    def regenerate(self):
        with self._all_or_nothing():
            self.config.data_seed += 1
            self._rebuild_data()
            self._rebuild_model()

    def set_points(self, points):
        if not isinstance(points, list) or len(points) > LIMITS["points"]:
            raise ValueError(f"points must be a list of at most {LIMITS['points']} [x, y, class] "
                             f"triples; received {type(points).__name__} of length "
                             f"{len(points) if hasattr(points, '__len__') else '?'}")
        clean = []
        for i, p in enumerate(points):
            if not (isinstance(p, (list, tuple)) and len(p) == 3
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p)):
                raise ValueError(f"points[{i}] must be [x, y, class]; received {p!r}")
            x, y, k = p
            if not (abs(x) <= datasets.DOMAIN and abs(y) <= datasets.DOMAIN) or k not in range(8):
                raise ValueError(f"points[{i}] must lie in [-6, 6]^2 with a class 0-7; received {p!r}")
            clean.append([float(x), float(y), int(k)])
        with self._all_or_nothing():
            self.points = clean
            self.config.dataset = "points"
            self.config.problem = "classification"
            self._rebuild_data()
            self._rebuild_model()

    def set_csv(self, text: str):
        from ..data.tables import encode_labels
        if not isinstance(text, str):
            raise ValueError("csv must be the file's text")
        if len(text.encode()) > LIMITS["upload_bytes"]:
            raise ValueError(f"the CSV file is {len(text.encode())} bytes; the playground takes at "
                             f"most {LIMITS['upload_bytes']}")
        rows = [r.split(",") for r in text.strip().splitlines() if r.strip()]
        if len(rows) < 3:
            raise ValueError("the CSV file needs a header row and at least 2 data rows")
        try:
            values = [[float(v) for v in r[:2]] for r in rows[1:]]
        except ValueError:
            raise ValueError("the CSV file's first two columns must be numbers (x1, x2); "
                             "the label goes in the last column") from None
        labels = np.array([r[-1].strip() for r in rows[1:]])
        if len(values) > LIMITS["points"]:
            raise ValueError(f"the CSV file has {len(values)} rows; the playground takes at most "
                             f"{LIMITS['points']}")
        X = np.asarray(values, dtype=np.float64)
        span = np.abs(X).max() or 1.0
        X = (X / span * 5).astype(np.float32)  # into the playground's square
        try:
            target = labels.astype(np.float64)
            regression = len(np.unique(target)) > 8
        except ValueError:
            regression = False
        if regression:
            y = np.clip(target / (np.abs(target).max() or 1), -1, 1).astype(np.float32)
            task = "regression"
        else:
            y, classes = encode_labels(labels)
            if len(classes) > 8:
                raise ValueError(f"the CSV file has {len(classes)} classes; the playground shows at most 8")
            task = "classification"
        with self._all_or_nothing():
            self.csv_data = (X, y, task)
            self.config.dataset = "csv"
            self.config.problem = task
            self._rebuild_data()
            self._rebuild_model()

    def edit_weight(self, layer: int, i: int, j: int, value: float):
        """Set weight (i -> j) of Dense layer ``layer`` (0 = the first)."""
        with self._all_or_nothing():
            dense = self.model.dense_layers
            if not (isinstance(layer, int) and 0 <= layer < len(dense)):
                raise ValueError(f"layer must be 0 to {len(dense) - 1}; received {layer!r}")
            W = dense[layer].params["W"]
            if not (isinstance(i, int) and isinstance(j, int) and 0 <= i < W.shape[0]
                    and 0 <= j < W.shape[1]):
                raise ValueError(f"weight index must be within {W.shape}; received ({i!r}, {j!r})")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= 100:
                raise ValueError(f"weight value must be a number from -100 to 100; received {value!r}")
            W[i, j] = value

    # ---------------------------------------------------------- training
    def _inputs(self, X):
        """The network's inputs for points ``X`` (cached for the fixed grids and data)."""
        scale = datasets.input_scale(self.config.dataset)  # the lesson's scale, not the view's
        key = (id(X), len(X), tuple(self.config.features), scale)
        hit = self._features_cache.get(key)
        if hit is None or hit[0] is not X:
            if len(self._features_cache) > 16:
                self._features_cache.clear()
            hit = self._features_cache[key] = (X, datasets.features(X / np.float32(scale),
                                                                    self.config.features))
        return hit[1]

    def train(self, epochs: int) -> None:
        """Train ``epochs`` more epochs (stops early at the epoch limit or on divergence)."""
        with self.lock:
            c = self.config
            if c.epoch_limit and self.epoch >= c.epoch_limit:
                self.status = "done"
                return
            if len(self.X_train) == 0:
                self.warning = "no training points: draw some by clicking on the output"
                self.status = "paused"
                return
            if self.step:
                return self._train_step(epochs)
            loss = nn.losses.get(c.loss)
            try:  # as fit would, but answered in the page: nothing trains
                nn.pairing.check(self.model, loss, self.y_train)
            except ValueError as exc:
                self.warning = str(exc)
                self.status = "paused"
                return
            callbacks = [_EpochStats(self)]
            if c.schedule != "none":
                options = {"cosine": {"t_max": max(c.epoch_limit or 500, 1)},
                           "step": {"step_size": 100, "gamma": 0.5},
                           "exponential": {"gamma": 0.995}}[c.schedule]
                callbacks.insert(0, nn.LRScheduler(c.schedule, offset=self.epoch, base_lr=self.base_lr,
                                                   **options))
            reg = {c.regularization: c.reg_rate} if c.regularization != "none" else {}
            validation = (self._inputs(self.X_test), self.y_test) if len(self.X_test) else None
            try:
                nn.fit(self.model, self._inputs(self.X_train), self.y_train, loss=loss,
                       optimizer=self.optimizer, epochs=epochs,
                       batch_size=min(c.batch_size, len(self.X_train)),  # shuffles from model.seeds
                       validation=validation, callbacks=callbacks, **reg)
            except nn.DivergenceError as exc:
                self.status = "diverged"
                self.warning = str(exc)

    def _train_step(self, epochs: int) -> None:
        """The perceptron rule, epoch by epoch, until an epoch makes no mistake (then the
        points are separated and the rule stops, as lesson B's) or the epoch limit."""
        c = self.config
        if len(np.unique(self.y_train)) < 2 and len(self.y_train) > 1:
            self.warning = "the training points are all of one class: nothing to separate"
        X, y = self._inputs(self.X_train), self.y_train
        for _ in range(epochs):
            if self.model.converged or (c.epoch_limit and self.epoch >= c.epoch_limit):
                self.status = "done"
                return
            self.model.train_epoch(X, y)
            self.epoch += 1
            train = self.model.figures(X, y)
            test = self.model.figures(self._inputs(self.X_test), self.y_test) if len(self.X_test) \
                else {"loss": np.nan, "accuracy": np.nan}
            self.curve.append((self.epoch, train["loss"], test["loss"], train["accuracy"],
                               test["accuracy"]))
            if self.model.converged:
                self.status = "done"
                self.warning = (f"converged: epoch {self.epoch} made no mistake, so the perceptron "
                                f"rule stops (the training points are separated by a line)")
            elif c.epoch_limit and self.epoch >= c.epoch_limit:
                self.status = "done"
                self.warning = (f"the epoch limit ({c.epoch_limit}) came first: the perceptron "
                                f"rule still makes mistakes each epoch, as it does for ever when "
                                f"no line separates the classes")

    # ------------------------------------------------------------ frames
    def _output(self, X):
        out = self.model.predict_proba(self._inputs(X)) if self.task == "classification" \
            else self.model.forward(self._inputs(X))
        return out

    def frame(self, since: int = 0) -> dict:
        """Everything the page draws, compactly (see the module docstring).

        ``curve`` holds the epochs after ``since`` (what the page has not seen yet).
        """
        with self.lock:
            c = self.config
            out = self._output(GRID)
            frame = {"type": "frame", "epoch": self.epoch, "status": self.status,
                     "warning": self.warning, "lr": self.optimizer.lr, "task": self.task,
                     "n_classes": self.n_classes, "res": RES, "nres": NEURON_RES}
            if self.task == "classification":
                if out.shape[-1] == 2:
                    frame["map"] = _b64(np.round(out[:, 1] * 255))
                else:
                    frame["map"] = _b64(out.argmax(axis=-1))
                    frame["map_conf"] = _b64(np.round(out.max(axis=-1) * 255))
            else:
                frame["map"] = _b64(np.round((np.clip(out[:, 0], -1, 1) + 1) * 127.5))
            self._keep_film(out)
            # every hidden unit's map (normalised per unit), then dead / saturated marks
            hidden = self.model.hidden_outputs(self._inputs(NEURON_GRID))
            on_train = self.model.hidden_outputs(self._inputs(self.X_train)) if len(self.X_train) else []
            maps, dead, saturated = [], [], []
            for k, H in enumerate(hidden):
                scale = np.abs(H).max(axis=0)
                maps.append(np.round((H / np.where(scale > 0, scale, 1) + 1) * 127.5).T)
                name = c.activations[k]
                Ht = on_train[k] if k < len(on_train) else None
                dead.append((Ht.max(axis=0) <= 0).tolist() if name == "relu" and Ht is not None
                            else [False] * H.shape[1])
                if name in ("sigmoid", "tanh") and Ht is not None:
                    flat = (Ht < 0.02) | (Ht > 0.98) if name == "sigmoid" else np.abs(Ht) > 0.98
                    saturated.append(flat.all(axis=0).tolist())
                else:
                    saturated.append([False] * H.shape[1])
            frame["neurons"] = _b64(np.concatenate(maps).ravel()) if maps else ""
            frame["dead"], frame["saturated"] = dead, saturated
            frame["weights"] = [np.round(layer.params["W"], 4).tolist() for layer in self.model.dense_layers]
            frame["biases"] = [np.round(layer.params.get("b", np.zeros((1, layer.fan_out)))[0], 4).tolist()
                               for layer in self.model.dense_layers]
            frame["grad_norms"] = [round(g, 6) for g in self.grad_norms]
            frame["curve"] = [[round(v, 5) if v == v else None for v in row] for row in self.curve[since:]]
            frame["summary"] = self.summary()
            return frame

    def summary(self) -> dict:
        """Train / test loss and accuracy now, and the test confusion matrix."""
        out = {}
        loss = nn.losses.get(self.config.loss)
        if self.step:  # the 0-1 loss: the fraction wrong
            for name, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
                if len(X):
                    figures = self.model.figures(self._inputs(X), y)
                    out[f"{name}_loss"], out[f"{name}_accuracy"] = figures["loss"], figures["accuracy"]
            if len(self.X_test):
                pred = self.model.predict(self._inputs(self.X_test))
                out["confusion"] = nn.metrics.confusion_matrix(self.y_test, pred, 2).tolist()
            return out
        for name, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
            if not len(X):
                continue
            _, T, labels = nn.training.prepare(self.model, loss, self._inputs(X), y)
            figures = nn.training.evaluate(self.model, loss, self._inputs(X), T, labels)
            out[f"{name}_loss"] = float(figures["loss"])
            if "accuracy" in figures:
                out[f"{name}_accuracy"] = float(figures["accuracy"])
        if self.task == "classification" and len(self.X_test):
            pred = self.model.predict(self._inputs(self.X_test))
            out["confusion"] = nn.metrics.confusion_matrix(self.y_test, pred, self.n_classes).tolist()
        return out

    def _keep_film(self, out):
        """A 50x50 copy of the output at each frame, for the GIF export (at most 200)."""
        p = out.reshape(RES, RES, -1)[::-2, ::2]  # flip back to y growing upwards
        if p.shape[-1] == 1:
            p = np.concatenate([(1 - p) / 2, (1 + p) / 2], axis=-1)  # regression: two "classes"
        if self.film and self.film[-1][0] == self.epoch:
            return
        self.film.append((self.epoch, p.astype(np.float16)))
        if len(self.film) > 200:
            self.film = self.film[::2]

    def data_message(self) -> dict:
        """The points, sent when the data change."""
        with self.lock:
            def pts(X, y):
                return np.column_stack([np.round(X, 3), y]).tolist() if len(X) else []
            return {"type": "data", "train": pts(self.X_train, self.y_train),
                    "test": pts(self.X_test, self.y_test), "task": self.task,
                    "n_classes": self.n_classes, "config": self.config.as_dict(),
                    "one_d": self.config.dataset in datasets.ONE_D}
