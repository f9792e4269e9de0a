"""Datasets: the lessons' toy problems (seeded), per-seed stacks for replicas, real
data (MNIST, Fashion-MNIST, Iris, digits, CSV files) and preprocessing."""

from .files import DataNotFoundError
from .mnist import load_fashion_mnist, load_mnist
from .preprocessing import Scaler, one_hot, train_test_split
from .replicas import per_seed
from .tables import load_digits, load_iris, read_csv
from .toy import blobs, circles, disc_ring, get, line, logic_gate, moons, moons_circles, names, spirals

__all__ = ["blobs", "circles", "disc_ring", "get", "line", "logic_gate", "moons",
           "moons_circles", "names", "per_seed", "spirals", "load_mnist", "load_fashion_mnist",
           "load_iris", "load_digits", "read_csv", "Scaler", "one_hot", "train_test_split",
           "DataNotFoundError"]
