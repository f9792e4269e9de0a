"""Datasets: the lessons' toy problems (seeded), and per-seed stacks for replicas."""

from .replicas import per_seed
from .toy import blobs, circles, disc_ring, get, line, logic_gate, moons, moons_circles, names, spirals

__all__ = ["blobs", "circles", "disc_ring", "get", "line", "logic_gate", "moons",
           "moons_circles", "names", "per_seed", "spirals"]
