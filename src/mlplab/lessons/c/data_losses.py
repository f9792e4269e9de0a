"""Lesson C, §1-2: data as numbers (pixels, scaling, encodings) and the losses
(MSE, MAE, cross-entropy, Huber, focal), their gradients, and a line fitted through
an outlier with MSE and with MAE."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

#: the lesson's house example: (age in years, bedrooms); the last two rows carry the
#: data set's extremes (age 1..92, bedrooms 0..6) that its min-max scaling uses
HOUSES = [[50.0, 3.0], [2.0, 5.0], [1.0, 0.0], [92.0, 6.0]]


def _near(a, b, tol):
    return bool(np.allclose(a, b, atol=tol))


@LESSON.add("numbers", "Everything is numbers: pixels, scaling and encodings")
def numbers(s: Settings) -> Outcome:
    """A picture is a grid of numbers; features on different scales are brought to
    one scale (min-max, z-score, robust); categories become one-hot rows or codes."""
    from ... import fit, mlp, viz
    from ...data import Scaler, load_digits, one_hot
    from ...data.tables import encode_labels

    letter_x = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    X_digits, y_digits = load_digits()
    eight = X_digits[0].reshape(8, 8).astype(int)

    houses = np.array(HOUSES)
    minmax = Scaler("minmax").fit(houses).transform(houses)
    wide = Scaler("minmax", feature_range=(-1, 1)).fit(houses).transform(houses)
    z = Scaler("zscore").fit(houses).transform(houses)
    robust = Scaler("robust").fit(houses).transform(houses)
    q1, q3 = np.percentile(houses, [25, 75], axis=0)
    by_quartiles = (houses - q1) / (q3 - q1)  # the lesson's "robust scaling" formula

    colours = np.array(["Red", "Blue", "Green"])
    codes, classes = encode_labels(colours)
    hot = one_hot(np.array([0, 1, 2]), 3)

    # PCA of the 8x8 digits, and of the hidden layer of a small net trained on them
    n = s.pick(1797, 600)
    Xd = Scaler("zscore").fit(X_digits[:n]).transform(X_digits[:n])
    net = mlp([64, 16, 10], "relu", seed=0)
    fit(net, Xd, y_digits[:n], loss="cross_entropy", optimizer="adam", lr=0.01,
        epochs=s.pick(20, 5), batch_size=64, seed=0)
    pca = viz.hidden_representations(net, Xd, y_digits[:n], method="pca")

    said = [[0.538, 0.5], [0.011, 0.833]]
    return Outcome(
        numbers={"letter_x": letter_x, "digit_pixels": eight, "digit_label": int(y_digits[0]),
                 "house_minmax": minmax[:2], "house_minmax_minus1_1": wide[:2],
                 "house_zscore_mean": z.mean(axis=0), "house_zscore_std": z.std(axis=0),
                 "house_robust_median_iqr": robust[:2], "house_robust_quartiles": by_quartiles[:2],
                 "label_codes": dict(zip(colours.tolist(), codes.tolist())), "one_hot": hot,
                 "classes_sorted": classes},
        figures={"digits": viz.image_grid(X_digits[:10], y_digits[:10], n=10, shape=(8, 8),
                                          title="8x8 digits: each pixel is a number 0-16"),
                 "digits_pca": pca},
        tables={"the letter X as 3x3 pixels (1 = ink)": [
                    {f"col {j}": int(v) for j, v in enumerate(row)} for row in letter_x],
                "the first 8x8 digit as numbers (0 white .. 16 black)": [
                    {f"c{j}": int(v) for j, v in enumerate(row)} for row in eight],
                "houses scaled to [0, 1] (min-max over the data set)": [
                    {"house": k + 1, "age": h[0], "bedrooms": h[1], "age scaled": round(m[0], 3),
                     "bedrooms scaled": round(m[1], 3)}
                    for k, (h, m) in enumerate(zip(houses[:2], minmax[:2]))]},
        claims=[Claim("house 1 -> age 0.538, bedrooms 0.5; house 2 -> 0.011, 0.833 (min-max)",
                      " / ".join(f"{v:.3f}" for v in minmax[:2].ravel()),
                      _near(minmax[:2], said, 5e-4)),
                Claim("z-scores have mean 0 and standard deviation 1",
                      f"mean {np.abs(z.mean(axis=0)).max():.1e}, sd {z.std(axis=0)[0]:.3f}",
                      _near(z.mean(axis=0), 0, 1e-12) and _near(z.std(axis=0), 1, 1e-12)),
                Claim("robust scaling is (x - Q1) / (Q3 - Q1)",
                      f"mlplab's robust scaler is (x - median) / IQR, the lesson's other formula: house 1's "
                      f"age {robust[0, 0]:.3f} against {by_quartiles[0, 0]:.3f} with Q1 (the two differ "
                      "by a constant shift)", None),
                Claim("one-hot: Red, Blue, Green -> [1,0,0], [0,1,0], [0,0,1]",
                      str(hot.astype(int).tolist()), bool((hot == np.eye(3)).all())),
                Claim("label encoding: Red 0, Blue 1, Green 2",
                      ", ".join(f"{c} {k}" for c, k in zip(colours, codes)), None,
                      "mlplab (as scikit-learn) numbers the classes in sorted order, not in order "
                      "of appearance; either is a valid code, and both imply an order")],
        text="A network sees only numbers: an image is a grid of pixel intensities, a table a "
             "row of measurements. Features on very different scales are rescaled first: min-max "
             "maps each feature's range onto [0, 1] (or any [a, b]), z-scores centre it and divide "
             "by its spread, robust scaling uses the median and quartiles so outliers weigh less. "
             "Categories become one-hot rows (no order implied) or integer codes (compact, but "
             "ordered). The last figure projects the digits onto their two main directions (PCA), "
             "as inputs and as a small network's hidden layer sees them.",
        code='from mlplab.data import Scaler, one_hot\n'
             'houses = [[50, 3], [2, 5], [1, 0], [92, 6]]      # age, bedrooms\n'
             'Scaler("minmax").fit(houses).transform(houses)   # [[0.538, 0.5], [0.011, 0.833], ...]\n'
             'Scaler("zscore"), Scaler("robust"), Scaler("minmax", feature_range=(-1, 1))\n'
             'one_hot([0, 1, 2], 3)\n'
             'viz.hidden_representations(net, X_digits, y_digits, method="pca")  # or "tsne"',
        outside="Text encodings (character codes, word embeddings, TF-IDF, Word2Vec, BPE/WordPiece), "
                "sound sampled into numbers, power transforms (Box-Cox, Yeo-Johnson, log), polynomial "
                "features, target encoding, feature hashing, entropy / mutual information / mRMR "
                "feature selection and UMAP are not part of mlplab. Nearest shown: images as numbers "
                "(the digits), the scalers, one-hot and label codes, and PCA (t-SNE with "
                "method='tsne'); polynomial inputs (x1^2, x1 x2, sin) exist in the playground.",
    )


def _one_point(loss, errors, targets=None):
    """Each error alone as a one-point replica: its loss and dL/d(prediction)."""
    e = np.asarray(errors, dtype=np.float64)
    t = np.zeros_like(e) if targets is None else np.asarray(targets, dtype=np.float64)
    p, t = (e + t).reshape(-1, 1, 1), t.reshape(-1, 1, 1)
    return np.asarray(loss.value(p, t)).ravel(), np.asarray(loss.grad(p, t)).ravel()


@LESSON.add("losses", "Loss functions: MSE, MAE, cross-entropy, Huber and focal")
def loss_functions(s: Settings) -> Outcome:
    """The losses' values on a small example against their formulas, their gradients
    against the error, and the clipping that keeps the cross-entropy finite."""
    from ... import viz
    from ...nn import losses

    t = np.array([3.0, -0.5, 2.0, 7.0])
    p = np.array([2.5, 0.0, 2.0, 8.0])
    col = (lambda a: a.reshape(-1, 1))
    mse = float(losses.get("mse").value(col(p), col(t)))
    mae = float(losses.get("mae").value(col(p), col(t)))
    huber1 = float(losses.get("huber", delta=1.0).value(col(p), col(t)))
    pb, tb = np.array([0.9, 0.2, 0.7]), np.array([1.0, 0.0, 1.0])
    bce = float(losses.get("bce").value(col(pb), col(tb)))
    by_formula = {"mse": np.mean((t - p) ** 2), "mae": np.mean(np.abs(t - p)),
                  "bce": -np.mean(tb * np.log(pb) + (1 - tb) * np.log(1 - pb))}

    logits, label = np.array([[2.0, 0.5, -1.0]]), np.array([0])
    p_t = float(np.exp(2.0) / np.exp(logits).sum())
    focal = float(losses.get("focal", gamma=2.0).value(logits, label))
    ce = float(losses.get("cross_entropy").value(logits, label))

    errors = np.array([-10.0, -1.0, 0.5, 10.0])
    _, d_mse = _one_point(losses.get("mse"), errors)
    _, d_huber = _one_point(losses.get("huber", delta=1.0), errors)
    probs = np.array([0.01, 0.5, 0.99])
    _, d_bce = _one_point(losses.get("bce"), probs - 1.0, np.ones(3))

    at_zero = float(losses.get("bce").value(np.zeros((1, 1)), np.ones((1, 1))))
    at_zero_lesson = float(losses.get("bce", eps=1e-15).value(np.zeros((1, 1)), np.ones((1, 1))))
    # the lesson's analytic gradients are per point (a sum); mlplab's loss is a mean
    n = len(pb)
    g_bce = np.asarray(losses.get("bce").grad(col(pb), col(tb))).ravel() * n
    g_mse = np.asarray(losses.get("mse").grad(col(p), col(t))).ravel() * len(p)
    grad_gap = max(np.abs(g_mse - 2 * (p - t)).max(),
                   np.abs(g_bce - (-tb / pb + (1 - tb) / (1 - pb))).max())

    return Outcome(
        numbers={"mse": mse, "mae": mae, "huber_delta1": huber1, "bce": bce,
                 "formula_gap": max(abs(mse - by_formula["mse"]), abs(mae - by_formula["mae"]),
                                    abs(bce - by_formula["bce"])),
                 "focal_gamma2": focal, "cross_entropy": ce, "p_true": p_t,
                 "errors": errors, "dmse_per_point": d_mse, "dhuber_per_point": d_huber,
                 "bce_probs": probs, "dbce_per_point": d_bce,
                 "bce_at_p0_eps1e-7": at_zero, "bce_at_p0_eps1e-15": at_zero_lesson,
                 "analytic_gradient_gap": grad_gap},
        figures={"loss_vs_error": viz.loss_vs_error(("mse", "mae", "huber")),
                 "bce_vs_mse": viz.bce_vs_mse()},
        claims=[Claim("MSE = mean (y - p)^2, MAE = mean |y - p|, BCE = -mean [y log p + (1-y) log(1-p)]",
                      f"MSE {mse:.4f}, MAE {mae:.4f}, BCE {bce:.4f}: equal to the formulas",
                      bool(max(abs(mse - by_formula["mse"]), abs(mae - by_formula["mae"]),
                               abs(bce - by_formula["bce"])) < 1e-12)),
                Claim("focal loss is -(1 - p_t)^gamma log p_t: it shrinks the loss of points "
                      "already right", f"p_t {p_t:.3f}: focal {focal:.4f} against cross-entropy {ce:.4f}",
                      bool(abs(focal + (1 - p_t) ** 2 * np.log(p_t)) < 1e-12 and focal < ce)),
                Claim("the MSE gradient is linear in the error",
                      "dMSE/dp at errors -10, -1, 0.5, 10: " + ", ".join(f"{v:g}" for v in d_mse),
                      bool(np.allclose(d_mse, 2 * errors))),
                Claim("the Huber gradient is bounded",
                      "dHuber/dp (delta 1): " + ", ".join(f"{v:g}" for v in d_huber),
                      bool(np.abs(d_huber).max() <= 1.0)),
                Claim("the cross-entropy gradient is stronger for wrong answers",
                      "dBCE/dp for a true 1 at p = 0.01, 0.5, 0.99: "
                      + ", ".join(f"{v:.3g}" for v in d_bce), bool(abs(d_bce[0]) > abs(d_bce[-1]))),
                Claim("clipping p to [eps, 1 - eps] (eps 1e-15) keeps the cross-entropy finite",
                      f"BCE at p = 0 for a true 1: {at_zero_lesson:.3f} with eps 1e-15, {at_zero:.3f} "
                      "with mlplab's default eps 1e-7", bool(np.isfinite(at_zero_lesson))),
                Claim("the gradients are 2 (p - y) and -y/p + (1 - y)/(1 - p)",
                      f"mlplab's gradients times N (its losses are means) differ by {grad_gap:.1e}",
                      bool(grad_gap < 1e-12))],
        text="A loss turns 'how wrong' into one number. MSE squares each error, so large errors "
             "dominate it and its gradient grows with the error; MAE counts every unit of error "
             "the same and its gradient is +-1; Huber is quadratic near zero and linear beyond "
             "delta, so its gradient is bounded. Cross-entropy punishes a confident wrong "
             "probability hardest, and focal loss scales it down for points already right. The "
             "log of 0 is avoided by clipping p away from 0 and 1.",
        code='from mlplab.nn import losses\n'
             'losses.get("mse").value(p, t); losses.get("huber", delta=1.0).grad(p, t)\n'
             'losses.get("focal", gamma=2.0).value(logits, labels)\n'
             'losses.get("bce", eps=1e-15).value([[0.0]], [[1.0]])   # 34.539\n'
             'viz.loss_vs_error(("mse", "mae", "huber")); viz.bce_vs_mse()',
    )


#: the lesson's "MAE" line, a weighted least-squares approximation (its printed fit)
LESSON_MAE_LINE = (2.002, 0.806)


@LESSON.add("outlier", "One outlier, two lines: MSE against MAE")
def outlier(s: Settings) -> Outcome:
    """A straight line fitted through the lesson's ten noisy points and the outlier
    (8, 50), once with MSE and once with MAE, each point's loss written beside it."""
    from ... import viz
    from ...data.toy import lesson_c_outliers

    X, y = lesson_c_outliers(seed=42)
    fig = viz.regression_losses(X, y, names=("mse", "mae"))
    fits = fig.mlplab_fits
    (w2, b2), (w1, b1) = fits["mse"], fits["mae"]
    x = X[:, 0]
    mse_points = (w2 * x + b2 - y) ** 2
    mae_points = np.abs(w1 * x + b1 - y)
    lw, lb = LESSON_MAE_LINE
    mae_ours, mae_lesson = float(mae_points.mean()), float(np.abs(lw * x + lb - y).mean())
    k = int(np.argmax(y))  # the outlier
    return Outcome(
        numbers={"X": x, "y": y, "mse_slope": w2, "mse_intercept": b2, "mae_slope": w1,
                 "mae_intercept": b1, "outlier_mse": float(mse_points[k]),
                 "outlier_mae": float(mae_points[k]), "mean_abs_error_mae_line": mae_ours,
                 "mean_abs_error_lesson_line": mae_lesson},
        figures={"outlier_lines": fig},
        claims=[Claim("the MSE line is y = 2.815 x + 0.150", f"y = {w2:.3f} x + {b2:.3f}",
                      bool(round(w2, 3) == 2.815 and round(b2, 3) == 0.150)),
                Claim("MSE lets the outlier pull the line up; MAE stays with the other points",
                      f"slope {w2:.3f} (MSE) against {w1:.3f} (MAE); the true slope is 2",
                      bool(abs(w1 - 2) < abs(w2 - 2))),
                Claim(f"the MAE line is y = {lw} x + {lb} (the lesson's figure)",
                      f"the line of least mean absolute error is y = {w1:.3f} x + {b1:.3f}", False,
                      f"the lesson draws a weighted least-squares approximation, not an MAE fit: its "
                      f"mean absolute error on these points is {mae_lesson:.3f}, the MAE fit's "
                      f"{mae_ours:.3f}; the red line sits about {b1 - lb:.1f} lower in the lesson"),
                Claim("the outlier's squared error under the MSE line is 747.2: it dominates the sum",
                      f"{mse_points[k]:.1f}, against {np.delete(mse_points, k).sum():.1f} for the ten "
                      f"other points together; its absolute error is {mae_points[k]:.1f} under the "
                      f"MAE fit ({abs(lw * x[k] + lb - y[k]):.1f} under the lesson's line, as its "
                      "figure prints)", bool(round(mse_points[k], 1) == 747.2))],
        text="With MSE the one far point (8, 50) costs hundreds while the others cost a few "
             "units, so the fit tilts towards it. With MAE its cost grows only linearly and the "
             "line stays with the ten ordinary points. The numbers beside each point are its loss "
             "under each fit. Both lines are trained by mlplab (w x + b, Adam); the MSE line "
             "equals the least-squares (np.polyfit) line.",
        code='from mlplab import viz\n'
             'from mlplab.data.toy import lesson_c_outliers\n'
             'X, y = lesson_c_outliers(seed=42)      # np.random.seed(42) draws + (8, 50)\n'
             'fig = viz.regression_losses(X, y, names=("mse", "mae"))\n'
             'fig.mlplab_fits                         # {"mse": (2.815, 0.150), "mae": (2.009, 1.997)}',
    )
