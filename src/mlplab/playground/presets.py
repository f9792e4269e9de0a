"""The lessons' key setups as playground presets, each with a short "why".

A preset is a name, the lesson it comes from, a title, one or two sentences on what
to look at, and the settings that differ from the playground's defaults. The page
lists them; ``#preset=<name>`` in a link opens one, and ``&hide=lr,optimizer``
hides chosen controls (teacher mode: the class sees only what the lesson is about).
"""

from __future__ import annotations

from .config import validate

PRESETS = [
    {"name": "a-disc-ring-4-4", "lesson": "A", "title": "Disc and ring, 2-4-4-2 ReLU",
     "why": "Two ReLU layers of 4 units can wrap the disc, but not every seed does: press "
            "New weights a few times and count how often the ring is separated.",
     "config": {"dataset": "circle", "n_samples": 300, "train_ratio": 1.0, "layers": [4, 4],
                "activations": ["relu", "relu"], "optimizer": "adam", "lr": 0.05,
                "batch_size": 300, "init": "torch", "epoch_limit": 300}},
    {"name": "a-disc-ring-8-8", "lesson": "A", "title": "Disc and ring, 2-8-8-2 ReLU",
     "why": "Twice as many units per layer: far more seeds succeed, because a dead or "
            "badly placed unit no longer decides the outcome.",
     "config": {"dataset": "circle", "n_samples": 300, "train_ratio": 1.0, "layers": [8, 8],
                "activations": ["relu", "relu"], "optimizer": "adam", "lr": 0.05,
                "batch_size": 300, "init": "torch", "epoch_limit": 300}},
    {"name": "b-perceptron-and", "lesson": "B", "title": "A perceptron learns AND",
     "why": "One step unit, trained by the perceptron rule: each mistake moves the line "
            "towards the point it got wrong. AND's (1,1) can be cut off by a line, so an epoch "
            "comes with no mistake and the rule stops: converged, 100%.",
     "config": {"dataset": "and_table", "train_ratio": 1.0, "layers": [], "activations": [],
                "output": "step", "lr": 0.1, "epoch_limit": 100}},
    {"name": "b-perceptron-xor", "lesson": "B", "title": "A perceptron on XOR never converges",
     "why": "The same step unit on XOR: no line puts (0,0) and (1,1) on one side and (0,1), "
            "(1,0) on the other, so every epoch makes mistakes and the line keeps moving until "
            "the epoch limit. At best a line gets 3 of the 4 points right; here the rule cycles at 50%.",
     "config": {"dataset": "xor_table", "train_ratio": 1.0, "layers": [], "activations": [],
                "output": "step", "lr": 0.1, "epoch_limit": 100}},
    {"name": "b-xor-no-hidden", "lesson": "B", "title": "XOR truth table, no hidden layer",
     "why": "Without a hidden layer the network draws one straight line, and no line puts "
            "(0,0) and (1,1) on one side and (0,1), (1,0) on the other: it never reaches 100%.",
     "config": {"dataset": "xor_table", "train_ratio": 1.0, "layers": [], "activations": [],
                "optimizer": "sgd", "lr": 0.3, "batch_size": 4}},
    {"name": "b-xor-2-hidden", "lesson": "B", "title": "XOR truth table, 2 hidden units",
     "why": "Two hidden units draw two lines; the output combines them into the band XOR "
            "needs. All 4 points train (training data 100%), as in the lesson. Press New "
            "weights: some starts get stuck at 50%, the smallest XOR network's known trap.",
     "config": {"dataset": "xor_table", "train_ratio": 1.0, "layers": [2],
                "activations": ["tanh"], "optimizer": "sgd", "lr": 0.3, "batch_size": 4,
                "seed": 3}},
    {"name": "c-lr-too-big", "lesson": "C", "title": "A learning rate too large",
     "why": "At lr 3 each step overshoots the valley: the loss jumps about or blows up. "
            "Lower it to 0.03 and watch the same network learn.",
     "config": {"dataset": "circle", "layers": [4, 4], "activations": ["tanh", "tanh"],
                "optimizer": "sgd", "lr": 3.0, "batch_size": 10}},
    {"name": "c-line-mae", "lesson": "C", "title": "A line fitted with MAE",
     "why": "No hidden layer: the network is y = w x + b, fitted to lesson C's noisy line. "
            "MAE grows like |error|, so far points pull no harder than near ones; switch "
            "the loss to MSE and watch the line follow the far points more.",
     "config": {"dataset": "reg_line", "problem": "regression", "loss": "mae", "layers": [],
                "activations": [], "optimizer": "adam", "lr": 0.01, "noise": 0.3,
                "n_samples": 50, "batch_size": 10, "train_ratio": 1.0}},
    {"name": "d-moons-linear", "lesson": "D", "title": "Moons, logistic regression",
     "why": "No hidden layer: a straight boundary, right for most points but never for the "
            "tips of the moons.",
     "config": {"dataset": "moons", "layers": [], "activations": [], "optimizer": "sgd",
                "lr": 0.1, "noise": 0.1}},
    {"name": "d-moons-mlp", "lesson": "D", "title": "Moons, 2-10-5 tanh",
     "why": "Two hidden layers bend the boundary round the moons: compare with the "
            "logistic regression preset.",
     "config": {"dataset": "moons", "layers": [10, 5], "activations": ["tanh", "tanh"],
                "optimizer": "adam", "lr": 0.03, "noise": 0.1}},
    {"name": "e-deep-sigmoid", "lesson": "E", "title": "Spiral, 6 sigmoid layers",
     "why": "Through six sigmoid layers the gradient shrinks at each layer: the first layers "
            "hardly move (see the gradient norms) and training stalls.",
     "config": {"dataset": "spiral", "layers": [8] * 6, "activations": ["sigmoid"] * 6,
                "optimizer": "sgd", "lr": 0.1, "init": "xavier_normal"}},
    {"name": "e-deep-relu", "lesson": "E", "title": "Spiral, 6 ReLU layers",
     "why": "The same depth with ReLU and He initialisation keeps the gradient alive in "
            "every layer, and the spiral is learned.",
     "config": {"dataset": "spiral", "layers": [8] * 6, "activations": ["relu"] * 6,
                "optimizer": "adam", "lr": 0.01, "init": "he_normal"}},
]


def presets() -> list[dict]:
    """Every preset with its full, checked settings (``config`` as the server holds it)."""
    return [{**p, "config": validate(p["config"]).as_dict()} for p in PRESETS]
