"""``mlplab explain``: every number of one training step, with its formula."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .options import check_targets, choice, nonnegative_int, positive_float, spec_type

EPILOG = """examples:
  mlplab explain --example lesson-b          lesson B's worked example (2-2-1 sigmoid)
  mlplab explain model.npz --x 0.5,0.8 --y 1 --loss mse --lr 0.5 --animate trace.gif
  mlplab explain --layers 2,2,1 --activation sigmoid --output sigmoid --seed 0 --x 0.5,0.8 --y 1
  mlplab explain --layers 2,2,1 --activation sigmoid --output sigmoid --x 0.5,0.8 --y 1 \\
      --weights '{"W1": [[0.1, 0.3], [0.2, 0.4]], "b1": [0.01, 0.02], "W2": [[0.5], [0.6]], "b2": [0.03]}'

--x and --y take one sample as 0.5,0.8 and several separated by semicolons: '0.5,0.8;0.1,0.2'.
--weights takes a JSON object, or the path of a JSON file holding one, with keys Wk and bk for
Dense layer k (from 1, as in the trace): Wk is (fan_in, fan_out) as in x @ Wk + bk, bk has fan_out
numbers; keys left out keep the network's own values.
"""

EXAMPLES = ("lesson-b",)


def rows(text):
    """``0.5,0.8`` (one sample) or ``0.5,0.8;0.1,0.2`` (one row per sample)."""
    try:
        out = [[float(v) for v in row.split(",")] for row in text.split(";")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas, samples by semicolons (0.5,0.8;0.1,0.2); "
            f"received {text!r}") from None
    if len({len(r) for r in out}) != 1:
        raise argparse.ArgumentTypeError(f"expected samples of equal length; received {text!r}")
    return out


def sizes(text):
    """``2,2,1``: every width, inputs first and outputs last."""
    try:
        out = [int(v) for v in text.split(",")]
    except ValueError:
        out = []
    if len(out) < 2 or min(out) < 1:
        raise argparse.ArgumentTypeError(f"expected at least two positive widths, inputs first and "
                                         f"outputs last, such as 2,2,1; received {text!r}")
    return out


def weights_arg(text):
    """A JSON object, or the path of a JSON file holding one."""
    source = text
    if not text.lstrip().startswith("{"):
        path = Path(text)
        if not path.is_file():
            raise argparse.ArgumentTypeError(f"expected a JSON object or the path of a JSON file; "
                                             f"{text!r} is neither")
        source = path.read_text(encoding="utf-8")
    try:
        value = json.loads(source)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(
            f"expected JSON such as '{{\"W1\": [[0.1, 0.3], [0.2, 0.4]]}}'; {text[:80]!r} is not "
            f"valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object with keys W1, b1, ...; received "
                                         f"{type(value).__name__}")
    return value


def _model(args):
    from .. import nn
    from ..explain import LESSON_B, set_weights
    from ..lab import spec

    given = [what for what, v in (("MODEL.npz", args.model), ("--layers", args.layers),
                                  ("--example", args.example)) if v]
    if len(given) > 1:
        raise ValueError(f"give one network: MODEL.npz, --layers or --example; received "
                         f"{' and '.join(given)}")
    if args.model:
        model = nn.load(args.model)
    elif args.layers:
        model = nn.mlp(args.layers, activation=args.activation, output=args.output,
                       init=spec.build(nn.initializers.registry, args.init, "init"),
                       seed=args.seed, dtype="float64")
    elif args.example == "lesson-b":
        model = nn.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0, dtype="float64")
        set_weights(model, LESSON_B)
    else:
        raise ValueError("mlplab explain needs a network: MODEL.npz, --layers 2,2,1 (a fresh "
                         "network) or --example lesson-b")
    if args.weights:
        set_weights(model, args.weights)
    return model


def _loss_of(model) -> str:
    """The loss a saved model trained with (its metadata), else mse (lesson B's)."""
    from ..nn import pairing

    config = model.meta.get("train_config") or {}
    if config.get("loss"):
        return config["loss"]
    task = model.meta.get("task")
    if task is None:
        return "mse"
    kind = pairing.output_kind(model)
    n_fit = max(model.n_outputs, 2) if task == "classification" and kind == "linear" else model.n_outputs
    return pairing.loss_for(kind, n_fit, task) or "mse"


def _cmd_explain(args) -> int:
    import numpy as np

    from ..explain import trace

    if args.example:
        args.x = args.x or [[0.5, 0.8]]
        args.y = args.y or [[1.0]]
    if args.x is None or args.y is None:
        raise ValueError("give the sample and its target: --x 0.5,0.8 --y 1")
    check_targets(animate=args.animate)
    if args.animate and not args.animate.lower().endswith((".gif", ".html", ".mp4")):
        raise ValueError(f"--animate must end in .gif, .html or .mp4; received {args.animate!r}")
    model = _model(args)
    x = np.array(args.x)
    if args.scale:
        from ..data.preprocessing import Scaler

        if "scaler" not in model.meta:
            raise ValueError("--scale applies the scaler saved with the model, and this network "
                             "has none (only models from `mlplab train --save` do)")
        x = Scaler.from_config(model.meta["scaler"]).transform(x)
    elif model.meta.get("scaler", {}).get("kind", "none") != "none":
        print(f"note: this model was trained on {model.meta['scaler']['kind']}-scaled features; "
              "--x goes into the network as given (--scale applies the model's scaler)\n")
    y = np.array(args.y)
    y = y[:, 0] if y.shape[1] == 1 else y
    tr = trace(model, x, y, loss=args.loss or _loss_of(model), lr=args.lr, replica=args.replica)
    arch = "-".join(str(n) for n in [model.n_inputs, *(layer.W.shape[1] for layer in tr.layers)])
    acts = ", ".join(layer.activation for layer in tr.layers)
    print(f"one SGD step of a {arch} network ({acts}); loss {tr.loss_name}, lr {tr.lr:g}, "
          f"{tr.n_samples} sample{'s' if tr.n_samples > 1 else ''}; computed in float64\n")
    print(tr.text(digits=args.digits))
    if args.animate:
        print(f"\nanimation      {tr.animate(args.animate)}")
    return 0


def add(sub):
    """``mlplab explain``."""
    from ..nn import activations, initializers, losses

    p = sub.add_parser("explain", help="print every number of one training step (forward, "
                                       "backward, update) with its formula; animate it",
                       description="Trace one SGD step of a small network: z and a per layer, the "
                                   "loss, dL/da, delta = dL/dz with its chain-rule factor, dW and db, "
                                   "the new weights and the new loss.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", nargs="?", help="a model saved by `mlplab train --save` (or use --layers)")
    p.add_argument("--x", type=rows, help="the input: 0.5,0.8 (several samples: 0.5,0.8;0.1,0.2)")
    p.add_argument("--y", type=rows, help="the target: 1, a class label, or one value per output")
    p.add_argument("--loss", type=choice(losses.names, "loss"),
                   help="default: the loss a saved model trained with, else mse (lesson B's)")
    p.add_argument("--lr", type=positive_float, default=0.5, help="learning rate of the step (default 0.5)")
    p.add_argument("--layers", type=sizes, help="a fresh network: every width, inputs first and "
                                                "outputs last (2,2,1)")
    p.add_argument("--activation", type=choice(activations.names, "activation", many=True),
                   default="sigmoid", help="fresh network: hidden activation (default sigmoid)")
    p.add_argument("--output", type=choice(activations.names, "output"),
                   help="fresh network: output activation (default none: linear)")
    p.add_argument("--init", type=spec_type(lambda: initializers.registry, "init"), default="he_normal",
                   help="fresh network: weight initializer (default he_normal)")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="fresh network: seed (default 0)")
    p.add_argument("--weights", type=weights_arg, metavar="JSON",
                   help="set weights: a JSON object or file with keys W1, b1, W2, ... (see below)")
    p.add_argument("--example", choices=EXAMPLES, help="lesson-b: the 2-2-1 sigmoid network, x, y "
                                                       "and weights of lesson B's worked example")
    p.add_argument("--replica", type=nonnegative_int, help="which replica of a replicated model")
    p.add_argument("--scale", action="store_true",
                   help="apply the model's saved scaler to --x (default: --x goes in as given)")
    p.add_argument("--digits", type=nonnegative_int, default=7, help="decimals shown (default 7)")
    p.add_argument("--animate", metavar="OUT.gif", help="write the steps on the network graph "
                                                       "(.gif, .html or .mp4)")
    p.set_defaults(run=_cmd_explain)
