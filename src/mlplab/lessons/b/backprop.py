"""Lesson B, middle: one forward and backward pass number by number, MSE against
binary cross-entropy, autograd (mlplab's scalar :class:`~mlplab.autograd.Value`) and
the nn.Module-style network printed and counted."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

#: the lesson's worked example: input, target and learning rate
X_STEP, Y_STEP, LR_STEP = (0.5, 0.8), 1.0, 0.5

#: ``torch.manual_seed(42); torch.randn(1, 3), torch.randn(3, 2), torch.randn(2, 1)``: the
#: lesson's autograd network, kept as numbers (mlplab draws torch's uniform streams but not
#: its normal ones; the tests check these against torch when it is installed)
TORCH_SEED_42 = {
    "x": [0.33669036626815796, 0.12880940735340118, 0.23446236550807953],
    "W_hidden": [[0.23033303022384644, -1.1228563785552979], [-0.18632829189300537, 2.2082014083862305],
                 [-0.637997031211853, 0.46165722608566284]],
    "W_out": [[0.2673508822917938], [0.5349046587944031]],
}


def _flat(a):
    return [float(v) for v in np.ravel(a)]


@LESSON.add("trace", "One forward and backward pass, number by number")
def worked_step(s: Settings) -> Outcome:
    """The lesson's 2-2-1 sigmoid network on x = [0.5, 0.8], y = 1: every number of
    the forward pass, the MSE, the chain rule backwards and one SGD step with lr 0.5;
    the gradients checked against the scalar autograd."""
    from ...autograd import ValueMLP
    from ...explain import lesson_b_network, trace

    t = trace(lesson_b_network(), X_STEP, Y_STEP, loss="mse", lr=LR_STEP)
    l1, l2 = t.layers
    numbers = {
        "z1": _flat(l1.z), "a1": _flat(l1.a), "z2": float(l2.z[0, 0]), "a2": float(l2.a[0, 0]),
        "loss": t.loss, "dL_da2": float(l2.dL_da[0, 0]), "da2_dz2": float(l2.da_dz[0, 0]),
        "delta2": float(l2.delta[0, 0]), "dW2": _flat(l2.dW), "db2": _flat(l2.db),
        "dL_da1": _flat(l1.dL_da), "da1_dz1": _flat(l1.da_dz), "delta1": _flat(l1.delta),
        "dW1": l1.dW.tolist(), "db1": _flat(l1.db),
        "W2_new": _flat(l2.W_new), "b2_new": _flat(l2.b_new), "W1_new": l1.W_new.tolist(),
        "b1_new": _flat(l1.b_new), "a2_new": float(t.new_output[0, 0]), "loss_new": t.new_loss,
        "loss_drop": t.loss - t.new_loss,
    }
    # the same gradients by the scalar autograd: every weight a Value, backward through the graph
    vnet = ValueMLP(lesson_b_network())
    out = vnet(list(X_STEP))[0]
    L = (Y_STEP - out) ** 2
    L.backward()
    g = vnet.grads()
    pairs = ((g["0.W"], l1.dW), (g["2.W"], l2.dW), (g["0.b"].ravel(), l1.db), (g["2.b"].ravel(), l2.db))
    gap = max(float(np.max(np.abs(auto - traced))) for auto, traced in pairs)
    numbers["autograd_gap"] = gap
    rows = [{"step": step, "quantity": name, "formula": formula, "value": value}
            for step, name, formula, value in t.rows(digits=7)]
    claims = [
        Claim("one step against the gradient lowers the loss",
              f"{t.loss:.6f} -> {t.new_loss:.6f} (a drop of {t.loss - t.new_loss:.6f})", t.new_loss < t.loss),
        Claim("the step moves the prediction towards the target 1",
              f"{numbers['a2']:.6f} -> {numbers['a2_new']:.6f}", numbers["a2_new"] > numbers["a2"]),
        Claim("backpropagation is the chain rule applied layer by layer (the same numbers as "
              "automatic differentiation)",
              f"largest difference between the traced gradients and the scalar autograd's: {gap:.1e}",
              gap < 1e-12),
    ]
    return Outcome(
        numbers=numbers,
        figures={"trace-backward": t.figure("backward 1"), "trace-steps": t.animation()},
        tables={"every number of the step (lesson's weights, x = [0.5, 0.8], y = 1, lr 0.5)": rows},
        claims=claims,
        text=("Forward: each layer computes z = a W + b and a = sigmoid(z); the loss is (y - a2)^2. "
              "Backward: dL/da2 = -2 (y - a2); each layer multiplies by its sigmoid slope a (1 - a) to "
              "get delta = dL/dz, takes a^T delta as the weight gradient and sends delta W^T back. "
              "Then every weight moves by -0.5 x its gradient, and the same input gives a smaller loss.\n\n"
              "The table lists every number the lesson prints, in its order; the pictures put them "
              "on the network (the GIF steps through forward, loss, backward and update)."),
        code=('from mlplab.explain import trace, lesson_b_network\n'
              't = trace(lesson_b_network(), [0.5, 0.8], 1, loss="mse", lr=0.5)\n'
              'print(t.text())            # every number with its formula\n'
              't.figure("backward 1"); t.animate("step.gif")\n'
              '# the shell: mlplab explain --example lesson-b'),
    )


@LESSON.add("losses", "MSE against binary cross-entropy")
def mse_vs_bce(s: Settings) -> Outcome:
    """Both losses for a target of 1 as the predicted probability goes from 0 to 1."""
    from ...nn import losses
    from ...viz import bce_vs_mse

    p = np.array([1e-6, 0.01, 0.1, 0.5, 0.9, 0.99]).reshape(-1, 1, 1)   # one replica per value
    t = np.ones_like(p)
    bce = np.ravel(losses.get("bce").value(p, t))
    mse = np.ravel(losses.get("mse").value(p, t))
    rows = [{"p": f"{v:g}", "BCE -log p": f"{b:.4f}", "MSE (1 - p)^2": f"{m:.4f}"}
            for v, b, m in zip(p.ravel(), bce, mse)]
    claims = [
        Claim("BCE punishes a confident wrong answer without bound (loss -> infinity as p -> 0 for y = 1)",
              f"BCE at p = 0.01: {bce[1]:.2f}; at p = 1e-6: {bce[0]:.2f}",
              bce[0] > 10 and bce[0] > bce[1] > bce[2]),
        Claim("MSE penalises errors quadratically (and never by more than 1 on probabilities)",
              f"MSE at p = 0.5: {mse[3]:.4f} = 0.5^2; at p = 1e-6: {mse[0]:.4f}",
              abs(mse[3] - 0.25) < 1e-12 and mse[0] <= 1),
        Claim("both losses are 0 only for the right answer and never negative",
              f"smallest BCE {bce.min():.4f}, smallest MSE {mse.min():.4f} (at p = 0.99)",
              bool(bce.min() >= 0 and mse.min() >= 0)),
    ]
    return Outcome(
        numbers={"p": _flat(p), "bce": _flat(bce), "mse": _flat(mse)},
        figures={"losses": bce_vs_mse()},
        tables={"loss for target 1": rows},
        claims=claims,
        text=("For a target of 1, MSE is (1 - p)^2 and binary cross-entropy is -log p. Both are zero "
              "at p = 1, but as p goes to 0 BCE grows without limit while MSE stops at 1. The right "
              "panel goes one step further than the lesson: through a sigmoid output, MSE's gradient "
              "also vanishes when the network is confidently wrong, and BCE's does not."),
        code=('from mlplab import viz\nviz.bce_vs_mse()\n'
              'losses.get("bce").value(p, 1), losses.get("mse").value(p, 1)'),
    )


@LESSON.add("autograd", "Automatic differentiation")
def autograd(s: Settings) -> Outcome:
    """The lesson's three autograd examples with :class:`mlplab.autograd.Value`."""
    from ...autograd import Value
    from ...explain import trace
    from ...nn import mlp

    x = Value(3.0, label="x")
    y = x ** 2 + 2 * x + 1
    y.backward()
    w = [Value(v, label=f"w{i}") for i, v in enumerate((1.0, 2.0, 3.0))]
    xs = (4.0, 5.0, 6.0)
    dot = sum((wi * xi for wi, xi in zip(w, xs)), Value(0.0))
    dot.backward()
    dot_grad = [v.grad for v in w]

    # the tiny 3-2-1 sigmoid network without biases, torch seed 42's numbers
    xin = np.array([TORCH_SEED_42["x"]])
    Wh = [[Value(v, label=f"Wh[{r},{c}]") for c, v in enumerate(row)]
          for r, row in enumerate(TORCH_SEED_42["W_hidden"])]
    Wo = [Value(row[0], label=f"Wo[{r}]") for r, row in enumerate(TORCH_SEED_42["W_out"])]
    hidden = [sum((Wh[r][c] * float(xin[0, r]) for r in range(3)), Value(0.0)).sigmoid() for c in range(2)]
    out = sum((h * wo for h, wo in zip(hidden, Wo)), Value(0.0)).sigmoid()
    loss = (1.0 - out) ** 2
    loss.backward()
    grad_h = [[v.grad for v in row] for row in Wh]
    grad_o = [v.grad for v in Wo]
    # the engine's chain rule on the same network agrees
    net = mlp([3, 2, 1], activation="sigmoid", output="sigmoid", bias=False, dtype="float64", seed=0)
    net.dense_layers[0].params["W"][...] = TORCH_SEED_42["W_hidden"]
    net.dense_layers[1].params["W"][...] = TORCH_SEED_42["W_out"]
    tr = trace(net, xin, 1.0, loss="mse", lr=0.1)
    gap = max(float(np.max(np.abs(np.array(grad_h) - tr.layers[0].dW))),
              float(np.max(np.abs(np.array(grad_o) - tr.layers[1].dW.ravel()))))
    claims = [
        Claim("y = x^2 + 2x + 1 at x = 3: dy/dx = 2x + 2 = 8", f"y = {y.data:g}, dy/dx = {x.grad:g}",
              y.data == 16 and x.grad == 8),
        Claim("y = w . x with x = [4, 5, 6]: dy/dw = x", f"y = {dot.data:g}, dy/dw = {dot_grad}",
              dot.data == 32 and dot_grad == [4.0, 5.0, 6.0]),
        Claim("autograd computes every gradient of the small network, no manual backprop",
              f"output {out.data:.4f}, loss {loss.data:.6f}; the engine's hand-written backward "
              f"agrees to {gap:.1e}", gap < 1e-12),
    ]
    return Outcome(
        numbers={"y": y.data, "dy_dx": x.grad, "dot": dot.data, "dot_grad": dot_grad,
                 "net_output": out.data, "net_loss": loss.data, "grad_hidden": grad_h, "grad_out": grad_o,
                 "engine_gap": gap, "backward_order": [n.name for n in y.order()]},
        figures={"autograd-graph": y.draw()},
        claims=claims,
        text=("mlplab's Value is a scalar autograd: every operation remembers its inputs and its local "
              "derivative, and backward() walks the graph from the output, adding local x upstream "
              "into each input's grad. x appears twice in x^2 + 2x + 1, so its gradient is the sum "
              "of two contributions (6 + 2 = 8), as the graph shows. The 3-2-1 network uses the "
              "numbers torch.manual_seed(42) draws, so output and loss match the lesson's."),
        code=('from mlplab.autograd import Value\n'
              'x = Value(3.0, label="x")\ny = x**2 + 2*x + 1\ny.backward()\n'
              'x.grad            # 8.0\nprint(y.explain()); y.draw()'),
        outside=("PyTorch's autograd works on tensors (and GPUs); mlplab's Value works on one number "
                 "at a time, which is what makes every step of the chain rule visible."),
    )


@LESSON.add("module", "The network as a module: print, parameters, forward")
def module(s: Settings) -> Outcome:
    """The lesson's SimpleNet (2-4-1, ReLU then sigmoid) built with ``mlp``: its layers,
    named parameters, total count and a forward pass on three samples."""
    from ...nn import mlp

    net = mlp([2, 4, 1], activation="relu", output="sigmoid", init="torch", rng="torch", seed=42)
    params = [{"name": name, "shape": str(tuple(p.shape)), "count": int(p.size)}
              for name, p, _ in net.named_parameters()]
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=np.float32)
    out = net.forward(X)
    total = int(net.n_params)
    return Outcome(
        numbers={"layers": repr(net), "parameters": params, "total": total, "output_shape": list(out.shape),
                 "outputs": _flat(out)},
        tables={"named parameters": params},
        claims=[Claim("SimpleNet(2, 4, 1) has 17 parameters",
                      f"{total} ({' + '.join(str(p['count']) for p in params)})", total == 17),
                Claim("a forward pass on 3 samples gives 3 outputs in (0, 1)",
                      f"shape {tuple(out.shape)}, outputs " + " / ".join(f"{v:.4f}" for v in np.ravel(out)),
                      out.shape == (3, 1) and bool(np.all((out > 0) & (out < 1))))],
        text=("What nn.Module gives the lesson (a printable model, named parameters, a forward pass) "
              "is a Sequential in mlplab. init='torch' with rng='torch' draws the very weights "
              "torch.manual_seed(42) followed by nn.Linear would; the lesson's own SimpleNet is built "
              "after its autograd cell has used the stream, so its outputs differ from these."),
        code=('net = mlp([2, 4, 1], activation="relu", output="sigmoid", init="torch", rng="torch",\n'
              '          seed=42)\n'
              'print(net); net.named_parameters(); net.n_params     # 17\n'
              'net.forward([[0, 1], [1, 0], [1, 1]])'),
        outside=("The lesson's tensors (creation, +, *, @, mean, shape) and .to(device) are PyTorch; "
                 "mlplab computes with NumPy arrays on the CPU (the same operations: a + b, a * b, "
                 "a @ b, a.mean()). mlplab.interop exports a trained network to PyTorch when needed."),
    )
