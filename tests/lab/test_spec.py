"""Registry names with parameters: lab/spec.py."""

import pytest

from mlplab.lab import spec
from mlplab.nn import initializers, schedules


@pytest.mark.parametrize("registry,text,expected", [
    (schedules.registry, "step:10:0.5", ("step", {"step_size": 10, "gamma": 0.5})),
    (schedules.registry, "exponential:0.95", ("exponential", {"gamma": 0.95})),
    (schedules.registry, "cosine", ("cosine", {})),
    (schedules.registry, "cosine:eta_min=0.01", ("cosine", {"eta_min": 0.01})),
    (initializers.registry, "normal:0.5", ("normal", {"std": 0.5})),
    (initializers.registry, "Kaiming-Normal", ("he_normal", {})),
])
def test_parse(registry, text, expected):
    assert spec.parse(registry, text, "x") == expected


def test_build_fills_defaults_the_spec_leaves_out():
    built = spec.build(schedules.registry, "cosine", "schedule", t_max=300, gamma=0.1)
    assert built == schedules.get("cosine", t_max=300)   # gamma is not cosine's: ignored
    assert spec.build(schedules.registry, "cosine:50", "schedule", t_max=300).t_max == 50


@pytest.mark.parametrize("text,message", [
    ("", "init must be a name such as 'zeros'"),
    ("nrml:1", "unknown init 'nrml' in 'nrml:1'; valid names are: zeros, normal"),
    ("uniform:1:2", r"init 'uniform' takes 1 parameter\(s\) \(uniform:limit\); received 'uniform:1:2'"),
    ("normal:sd=1", "init 'normal' has no parameter 'sd' .it takes std.; received 'normal:sd=1'"),
    ("normal:big", "init 'normal': std must be a number; received 'big' in 'normal:big'"),
    ("uniform:0", "init 'uniform:0': limit must be a finite number in"),
])
def test_bad_specs_name_the_rule_and_the_text(text, message):
    with pytest.raises(ValueError, match=message):
        spec.build(initializers.registry, text, "init")


def test_a_parameter_given_twice():
    with pytest.raises(ValueError, match="schedule 'step': parameter 'step_size' is given twice in "
                                         "'step:10:step_size=5'"):
        spec.parse(schedules.registry, "step:10:step_size=5", "schedule")
