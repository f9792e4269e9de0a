"""Lesson E: deep networks: gradients, activations, normalisation
(``../shared/seeds/lesson-e-deep-networks-keras.txt``).

The lesson is written for Keras; every item is run here with mlplab, on the lesson's
own data (its spirals and its moons + circles, drawn as its NumPy / scikit-learn code
draws them, ``rng="legacy"``) and with Keras's defaults where they matter (Glorot
uniform initial weights, Adam at 1e-3, batches of 32, the last 20% of the training
rows for validation). Each section is a function ``settings -> Outcome`` (see
:mod:`mlplab.lessons.section`); the modules hold them in the lesson's order:

- :mod:`.depth`: the spirals, the parameter counts, shallow against deep (Ex1);
- :mod:`.gradients`: derivatives and gradient flow (Ex2);
- :mod:`.activations`: the modern activations and their race (Ex3, Ex4);
- :mod:`.inside`: hidden representations and dead ReLUs (Ex5, Ex6);
- :mod:`.stability`: gradient clipping, batch norm and dropout (Ex7, Ex8);
- :mod:`.practice`: the practice exercises and what lies outside mlplab.
"""

from __future__ import annotations

from importlib import import_module

from ..section import Lesson

LESSON = Lesson(
    key="e",
    title="Deep networks: gradients, activations, normalisation",
    source="lesson-e-deep-networks-keras.txt",
    about=("Shallow against deep on spirals, vanishing gradients through sigmoid layers, the modern "
           "activations (Leaky ReLU, ELU, SELU, Swish, GELU, Mish), batch normalisation and dropout, "
           "hidden representations, dead ReLUs against initialisation, and gradient clipping. "
           "The lesson is written for Keras/TensorFlow; mlplab runs each item with Keras's defaults "
           "(Glorot uniform weights, Adam 1e-3, batch 32, validation on the last 20%) on the lesson's "
           "own data, and over several seeds where one run would be noise."),
    presets=("e-deep-sigmoid", "e-deep-relu"),
)

#: the section modules in the lesson's order; importing one registers its sections
MODULES = ("depth", "gradients", "activations", "inside", "stability", "practice")
for _name in MODULES:
    import_module(f"{__name__}.{_name}")
