"""Losses and outputs that fit together: one check, before training.

A loss is computed on what the network's last layer gives: logits (a linear last
layer), probabilities (sigmoid, softmax) or log-probabilities (log_softmax). A
mismatched pair still trains, to nonsense: ``bce`` on logits, ``nll`` on logits (a
negative loss), ``cross_entropy`` after a softmax layer (the softmax twice) or on one
output (softmax of one number is 1: the loss is 0). Each loss declares what it fits
(``outputs``, ``min_outputs``, ``classification``, ``binary`` in :mod:`.losses`);
:func:`check` reads those declarations and raises ``ValueError`` naming the loss, the
output found and the fix. ``fit`` calls it once; the CLI and the playground reach it
through ``fit`` or call it themselves before anything is built.

>>> from mlplab.nn import mlp
>>> check(mlp([2, 3], seed=0), "cross_entropy", [0, 1, 2])   # logits, 3 classes: fits
>>> check(mlp([2, 3], output="softmax", seed=0), "cross_entropy")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: loss='cross_entropy' does not fit output='softmax' (3 outputs): softmax would be ...
"""

from __future__ import annotations

import numpy as np

from . import losses

#: the output kinds a network ends in: linear (logits) and the usual output layers
OUTPUT_KINDS = ("linear", "sigmoid", "softmax", "log_softmax")


def output_kind(model) -> str:
    """What ``model`` outputs: "linear" (logits) or the name of its output activation."""
    kind = model.output_activation
    return "linear" if kind == "identity" else kind


def loss_for(output: str, n_outputs: int, task: str = "classification") -> str | None:
    """The loss that fits ``output`` with ``n_outputs`` outputs (None if no loss does).

    Regression: ``mse``. Classification: a sigmoid output ``bce``; one logit
    ``bce_logits``; k logits ``cross_entropy``; log_softmax ``nll``. A softmax output
    has no loss of its own (train on logits and let ``cross_entropy`` apply it).
    """
    if task == "regression":
        return "mse"
    if output == "linear":
        return "bce_logits" if n_outputs == 1 else "cross_entropy"
    choice = {"sigmoid": "bce", "log_softmax": "nll"}.get(output)
    if choice is None or not fits(losses.get(choice), output, n_outputs):
        return None
    return choice


def fits(loss, output: str, n_outputs: int) -> bool:
    """Whether ``loss`` (a name or Loss) fits ``output`` with ``n_outputs`` outputs."""
    loss = losses.get(loss)
    return ((loss.outputs is None or output in loss.outputs)
            and n_outputs >= loss.min_outputs)


def check_output(loss, output: str, n_outputs: int) -> None:
    """Raise ``ValueError`` unless ``loss`` fits ``output`` with ``n_outputs`` outputs.

    The message names the loss, the output found and the fix, e.g.
    ``loss='nll' does not fit output='linear' (3 outputs): nll takes log-probabilities,
    so a log_softmax output layer: use output='log_softmax', or use loss='cross_entropy'``.
    """
    loss = losses.get(loss)
    if fits(loss, output, n_outputs):
        return
    found = f"output={output!r} ({n_outputs} output{'s' if n_outputs != 1 else ''})"
    head = f"loss={loss.name!r} does not fit {found}: "
    if output in loss.refusals:
        raise ValueError(head + loss.refusals[output])
    alternative = loss_for(output, n_outputs)
    if alternative is not None and losses.get(alternative).binary and n_outputs > 2:
        alternative = None  # a two-class loss on 3+ outputs would be refused for the labels
    wrong_kind = loss.outputs is not None and output not in loss.outputs
    reasons, fixes = [], []
    if wrong_kind:
        want = loss.outputs[0]
        reasons.append(f"{loss.name} takes {loss.takes}")
        fixes.append(f"drop output={output!r}" if want == "linear" else f"use output={want!r}")
    if n_outputs < loss.min_outputs:
        reasons.append(f"{loss.name} needs at least {loss.min_outputs} outputs, one per class"
                       + ("" if wrong_kind else f" (with {n_outputs} the loss is always 0)"))
        fixes.append("build one output per class")
    reason, fix = "; ".join(reasons), " and ".join(fixes)
    if alternative is not None and alternative != loss.name:
        fix += f", or use loss={alternative!r}"
    raise ValueError(f"{head}{reason}: {fix}")


def check(model, loss, y=None, *, n_samples: int | None = None, validation_split: float = 0.0,
          name: str = "y") -> None:
    """Refuse a ``model`` / ``loss`` / targets triple that would train to nonsense.

    Checks, in order (each a ``ValueError`` naming the loss, what it found and the fix):

    1. a two-class loss (``bce``, ``bce_logits``) does not get integer labels of 3 or
       more classes (use ``cross_entropy``);
    2. a classification loss gets training labels of at least two classes, in each
       replica when ``y`` is given per replica (the message names the class and the
       number of samples);
    3. the loss fits the model's output layer and number of outputs (:func:`check_output`).

    The labels come first: when they are wrong, no output layer would make the pair fit.

    Parameters
    ----------
    model : Sequential
    loss : str or Loss
    y : array-like, optional
        Targets as ``fit`` takes them: labels ``(..., n)`` or rows ``(..., n, k)``.
        Targets this function cannot read are left for ``fit``'s own checks.
    n_samples : int, optional
        Rows of X (tells labels ``(R, n)`` from rows ``(n, k)``); default ``y``'s own.
    validation_split : float
        As in ``fit``: the last fraction of the samples is held out, so the single-class
        rule looks at the first ``n - round(n * validation_split)``.
    name : str
        What to call ``y`` in messages.
    """
    check_pair(loss, output_kind(model), model.n_outputs, y, n_samples=n_samples,
               validation_split=validation_split, replicas=tuple(model.replicas or ()),
               seeds=getattr(model, "seeds", None), name=name)


def check_pair(loss, output: str, n_outputs: int, y=None, *, n_samples: int | None = None,
               validation_split: float = 0.0, replicas: tuple = (), seeds=None,
               name: str = "y") -> None:
    """:func:`check` for a network not built yet: its ``output`` kind, ``n_outputs`` and
    ``replicas`` (and their ``seeds``, to name a replica in messages)."""
    loss = losses.get(loss)
    k = n_outputs
    labels = integer = None
    if y is not None and (loss.binary or loss.classification):
        labels, integer = _class_labels(y, k, n_samples, tuple(replicas))
    head = f"loss={loss.name!r} (output={output!r}, {k} output{'s' if k != 1 else ''})"
    # the labels first: when they are wrong, no output layer would make the pair fit
    if labels is not None and loss.binary and integer:
        classes = np.unique(labels)
        if len(classes) > 2:
            raise ValueError(
                f"{head} is a two-class loss, but {name} holds integer labels of "
                f"{len(classes)} classes ({_listing(classes)}): use loss='cross_entropy' on "
                "logits (a linear output layer, one output per class)")
    if labels is not None:
        n = labels.shape[-1]
        n_train = n - int(round(n * validation_split)) if validation_split else n
        _check_two_classes(head, labels[..., :n_train], name, n_train < n, seeds)
    check_output(loss, output, k)


def _class_labels(y, k, n, reps):
    """``(labels, integer)``: the class labels ``(..., n)`` that ``fit`` reads from ``y``
    and whether ``y`` gave them as integers (rather than one-hot rows); ``(None, False)``
    for regression values, soft targets, or a shape ``fit`` refuses itself."""
    try:
        y = np.asarray(y)
    except ValueError:  # ragged lists: fit's own check names them
        return None, False
    if y.dtype.kind not in "biuf" or y.ndim == 0 or not np.isfinite(y).all():
        return None, False
    if n is None:
        rows = y.ndim >= 2 and y.shape[-1] == k and y.shape[:-2] in ((), reps)
        n = y.shape[-2] if rows else y.shape[-1]
    if y.ndim >= 2 and y.shape[-2:] == (n, k) and y.shape[:-2] in ((), reps):
        if not np.isin(y, (0, 1)).all():
            return None, False
        if k == 1:
            return y[..., 0].astype(np.int64), False
        return (y.argmax(axis=-1), False) if (y.sum(axis=-1) == 1).all() else (None, False)
    if y.shape[-1] == n and y.shape[:-1] in ((), reps) and (np.mod(y, 1) == 0).all():
        return y.astype(np.int64), True
    return None, False


def _check_two_classes(head, labels, name, split, seeds):
    """Refuse labels of one class (in any replica): nothing to tell apart."""
    flat = labels.reshape(-1, labels.shape[-1])
    for r, row in enumerate(flat):
        if len(row) == 0 or (row != row[0]).any():
            continue
        where = ""
        if labels.ndim > 1:
            where = f" in replica {r}" + (f" (seed {seeds[r]})" if seeds and r < len(seeds) else "")
        which = "training samples (those before the validation split)" if split else "training samples"
        raise ValueError(
            f"{head} needs training labels of at least two classes, but {name} holds "
            f"a single class{where}: all {len(row)} {which} are class {int(row[0])}; "
            "a classifier needs examples of each class: check the labels (or the split)")


def _listing(classes, most=6):
    shown = ", ".join(str(int(c)) for c in classes[:most])
    return shown + (", ..." if len(classes) > most else "")
