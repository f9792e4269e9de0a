"""Classification and regression metrics, per replica.

Labels are ``(..., n)`` integer arrays; the leading axes are replicas, and every
metric returns one value (or one table) per replica.
"""

from __future__ import annotations

import numpy as np


def accuracy(y_true, y_pred) -> np.ndarray:
    """Fraction of samples with ``y_pred == y_true``: shape ``(...)``."""
    return (np.asarray(y_true) == np.asarray(y_pred)).mean(axis=-1)


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``C[..., t, p]`` of samples of true class t predicted as p: ``(..., K, K)``."""
    y_true, y_pred = np.broadcast_arrays(np.asarray(y_true), np.asarray(y_pred))
    if n_classes is None:
        n_classes = int(max(y_true.max(), y_pred.max())) + 1
    lead = y_true.shape[:-1]
    replica = np.arange(int(np.prod(lead)) if lead else 1).reshape(*lead, 1) if lead else 0
    index = (replica * n_classes + y_true) * n_classes + y_pred
    counts = np.bincount(index.ravel(), minlength=(int(np.prod(lead)) if lead else 1) * n_classes**2)
    return counts.reshape(*lead, n_classes, n_classes)


def precision_recall_f1(y_true, y_pred, n_classes: int | None = None):
    """Per-class precision, recall, F1 and support, each ``(..., K)``.

    precision_k = TP / (TP + FP), recall_k = TP / (TP + FN),
    F1 = 2 P R / (P + R); 0 where a denominator is 0 (as scikit-learn's
    ``zero_division=0``).
    """
    C = confusion_matrix(y_true, y_pred, n_classes).astype(np.float64)
    tp = np.diagonal(C, axis1=-2, axis2=-1)
    predicted, support = C.sum(axis=-2), C.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return precision, recall, f1, support.astype(np.int64)


def classification_report(y_true, y_pred, class_names=None) -> str:
    """A text table: precision, recall, F1 and support per class, then accuracy and
    the macro and support-weighted averages (one model, no replica axes)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1:
        raise ValueError(f"classification_report takes one model's labels (n,); received {y_true.shape}")
    k = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    names = [str(c) for c in class_names] if class_names is not None else [str(i) for i in range(k)]
    p, r, f, s = precision_recall_f1(y_true, y_pred, k)
    width = max(12, *(len(n) for n in names))
    lines = [f"{'':>{width}}  precision  recall  f1-score  support"]
    for i, name in enumerate(names):
        lines.append(f"{name:>{width}}  {p[i]:9.4f}  {r[i]:6.4f}  {f[i]:8.4f}  {s[i]:7d}")
    total = s.sum()
    lines.append("")
    lines.append(f"{'accuracy':>{width}}  {'':9}  {'':6}  {accuracy(y_true, y_pred):8.4f}  {total:7d}")
    lines.append(f"{'macro avg':>{width}}  {p.mean():9.4f}  {r.mean():6.4f}  {f.mean():8.4f}  {total:7d}")
    w = s / max(total, 1)
    lines.append(f"{'weighted avg':>{width}}  {(p * w).sum():9.4f}  {(r * w).sum():6.4f}  "
                 f"{(f * w).sum():8.4f}  {total:7d}")
    return "\n".join(lines)


def rmse(y_true, y_pred) -> np.ndarray:
    """Root mean squared error over the last two axes (or the last, for ``(n,)``)."""
    d = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    axes = (-2, -1) if d.ndim >= 2 else -1
    return np.sqrt((d * d).mean(axis=axes))


def r2_score(y_true, y_pred) -> np.ndarray:
    """Coefficient of determination 1 - SS_res / SS_tot (targets ``(..., n)`` or ``(..., n, k)``,
    averaged over outputs as scikit-learn's ``uniform_average``)."""
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if t.ndim == 1 or p.ndim == t.ndim + 1:
        t = t[..., None]
    if p.ndim == t.ndim - 1:
        p = p[..., None]
    ss_res = ((t - p) ** 2).sum(axis=-2)
    ss_tot = ((t - t.mean(axis=-2, keepdims=True)) ** 2).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.where(ss_tot > 0, 1 - ss_res / ss_tot, 0.0)
    return r2.mean(axis=-1)
