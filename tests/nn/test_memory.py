"""fit keeps big temporaries in malloc's heap while it runs, and gives the defaults back."""

import numpy as np

from mlplab import nn
from mlplab.nn import _memory


def test_thresholds_raised_inside_fit_and_restored_once_after(monkeypatch):
    calls = []
    monkeypatch.setattr(_memory, "_mallopt", lambda option, value: calls.append((option, value)))
    with _memory.reuse_memory():
        with _memory.reuse_memory():  # nested: nothing more
            pass
        assert calls == [(_memory.M_MMAP_THRESHOLD, _memory.TRAINING_THRESHOLD),
                         (_memory.M_TRIM_THRESHOLD, 2 * _memory.TRAINING_THRESHOLD)]
    assert calls[2:] == [(_memory.M_MMAP_THRESHOLD, _memory.DEFAULT_THRESHOLD),
                         (_memory.M_TRIM_THRESHOLD, _memory.DEFAULT_THRESHOLD)]
    calls.clear()
    net = nn.mlp([2, 3, 2], seed=0)
    nn.fit(net, np.zeros((4, 2)), np.array([0, 1, 0, 1]), loss="cross_entropy", epochs=1)
    assert [c[1] for c in calls] == [_memory.TRAINING_THRESHOLD, 2 * _memory.TRAINING_THRESHOLD,
                                     _memory.DEFAULT_THRESHOLD, _memory.DEFAULT_THRESHOLD]
