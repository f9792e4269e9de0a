"""Optimizers against torch.optim over 50 steps, in float64."""

import numpy as np
import pytest

from mlplab.nn import LRScheduler, optimizers, schedules

from ..conftest import torch_or_skip

SHAPES = [(3, 4), (1, 4), (2, 3, 2)]  # the last one: a parameter with a replica axis


def _problem(rng):
    params = [rng.standard_normal(s) for s in SHAPES]
    coefs = [rng.uniform(0.5, 2.0, s) for s in SHAPES]
    return params, coefs


def _grads(params, coefs):
    """Gradient of L = sum(c sin(p)) + sum(p^4) / 4 + sum(p^2): depends on p, so
    trajectories that drift apart would show."""
    return [c * np.cos(p) + p**3 + 2 * p for p, c in zip(params, coefs)]


CASES = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"momentum": 0.5, "dampening": 0.3}),
    ("sgd", {"momentum": 0.9, "weight_decay": 0.01}),
    ("rmsprop", {}),
    ("rmsprop", {"momentum": 0.8, "centered": True}),
    ("rmsprop", {"weight_decay": 0.05}),
    ("adagrad", {}),
    ("adagrad", {"lr_decay": 0.01, "weight_decay": 0.1}),
    ("adam", {}),
    ("adam", {"betas": (0.8, 0.99), "weight_decay": 0.02}),
    ("adamw", {}),
    ("adamw", {"weight_decay": 0.1}),
]
LR = {"sgd": 0.01, "rmsprop": 0.01, "adagrad": 0.1, "adam": 0.05, "adamw": 0.05}
TORCH_NAMES = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adam": "Adam", "adamw": "AdamW"}


def _torch_trajectory(torch, name, options, params, coefs, steps, clip=None, schedule=None):
    tp = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    tc = [torch.tensor(c) for c in coefs]
    opts = dict(options)
    if "betas" in opts:
        opts["betas"] = tuple(opts["betas"])
    opt = getattr(torch.optim, TORCH_NAMES[name])(tp, lr=LR[name], **opts)
    sched = schedule(opt) if schedule else None
    for _ in range(steps):
        opt.zero_grad()
        loss = sum((c * torch.sin(p)).sum() + (p**4).sum() / 4 + (p**2).sum() for p, c in zip(tp, tc))
        loss.backward()
        if clip and "value" in clip:
            torch.nn.utils.clip_grad_value_(tp, clip["value"])
        if clip and "norm" in clip:
            torch.nn.utils.clip_grad_norm_(tp, clip["norm"])
        opt.step()
        if sched:
            sched.step()
    return [p.detach().numpy() for p in tp]


def _our_trajectory(opt, params, coefs, steps, schedule=None):
    params = [p.copy() for p in params]
    base = opt.lr
    for t in range(steps):
        opt.step(list(zip(params, _grads(params, coefs))))
        if schedule is not None:
            opt.lr = schedule(base, t + 1)
    return params


@pytest.mark.parametrize("name,options", CASES, ids=str)
def test_follows_torch_for_50_steps(name, options, rng):
    torch = torch_or_skip()
    params, coefs = _problem(rng)
    ours = _our_trajectory(optimizers.get(name, lr=LR[name], **options), params, coefs, 50)
    theirs = _torch_trajectory(torch, name, options, params, coefs, 50)
    for a, b, start in zip(ours, theirs, params):
        assert not np.allclose(a, start)  # it moved
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


CLIPS = [{"value": 0.5}, {"norm": 1.0}, {"value": 0.5, "norm": 0.3}]


@pytest.mark.parametrize("name", ["sgd", "adam"])
@pytest.mark.parametrize("clip", CLIPS, ids=str)
def test_clipping_follows_torch(name, clip, rng):
    torch = torch_or_skip()
    # one model only: global-norm clipping is per replica, torch sees one model
    params = [rng.standard_normal(s) * 2 for s in [(3, 4), (1, 4)]]
    coefs = [rng.uniform(0.5, 2.0, p.shape) for p in params]
    opt = optimizers.get(name, lr=LR[name], clip_value=clip.get("value"), clip_norm=clip.get("norm"),
                         **({"momentum": 0.9} if name == "sgd" else {}))
    ours = _our_trajectory(opt, params, coefs, 50)
    theirs = _torch_trajectory(torch, name, {"momentum": 0.9} if name == "sgd" else {},
                               params, coefs, 50, clip=clip)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def _torch_schedules(torch):
    S = torch.optim.lr_scheduler
    return {
        "step": (schedules.get("step", step_size=7, gamma=0.5), lambda o: S.StepLR(o, 7, 0.5)),
        "exponential": (schedules.get("exponential", gamma=0.95), lambda o: S.ExponentialLR(o, 0.95)),
        "cosine": (schedules.get("cosine", t_max=50, eta_min=0.001),
                   lambda o: S.CosineAnnealingLR(o, 50, 0.001)),
    }


@pytest.mark.parametrize("schedule", ["step", "exponential", "cosine"])
@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_schedules_follow_torch(schedule, name, rng):
    torch = torch_or_skip()
    ours_s, theirs_s = _torch_schedules(torch)[schedule]
    params, coefs = _problem(rng)
    options = {"momentum": 0.9} if name == "sgd" else {}
    ours = _our_trajectory(optimizers.get(name, lr=LR[name], **options), params, coefs, 50, ours_s)
    theirs = _torch_trajectory(torch, name, options, params, coefs, 50, schedule=theirs_s)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_schedule_values_by_hand():
    assert schedules.get("step", step_size=10, gamma=0.5)(0.1, 25) == pytest.approx(0.025)
    assert schedules.get("exponential", gamma=0.9)(1.0, 2) == pytest.approx(0.81)
    cos = schedules.get("cosine", t_max=10)
    assert cos(1.0, 0) == 1.0 and cos(1.0, 5) == pytest.approx(0.5) and cos(1.0, 10) == pytest.approx(0)


def test_changing_lr_keeps_state(rng):
    params, coefs = _problem(rng)
    # reference: 10 steps at 0.05, then 10 at 0.01, without a reset
    ref = optimizers.get("adam", lr=0.05)
    p_ref = _our_trajectory(ref, params, coefs, 10)
    ref.lr = 0.01
    p_ref = _our_trajectory(ref, p_ref, coefs, 10)
    assert ref.steps == 20 and ref.moments(0)[0].any()
    # a fresh optimizer at 0.01 after the first 10 steps ends elsewhere: state mattered
    fresh = _our_trajectory(optimizers.get("adam", lr=0.01), _our_trajectory(
        optimizers.get("adam", lr=0.05), params, coefs, 10), coefs, 10)
    assert not np.allclose(p_ref[0], fresh[0])


def test_lr_scheduler_callback_sets_lr_per_epoch():
    import mlplab
    from mlplab.data import blobs
    X, y = blobs(n_samples=40, seed=0)
    net = mlplab.mlp([2, 3, 2], seed=0)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.1, epochs=6,
                   callbacks=[LRScheduler("step", step_size=2, gamma=0.5)])
    np.testing.assert_allclose(h.lr, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_global_norm_clipping_is_per_replica():
    big, small = np.full((1, 2, 2), 10.0), np.full((1, 2, 2), 0.1)
    g = np.concatenate([big, small])  # replica 0 huge, replica 1 tiny
    p = np.zeros_like(g)
    optimizers.get("sgd", lr=1.0, clip_norm=1.0).step([(p, g)])
    np.testing.assert_allclose(np.sqrt((p[0] ** 2).sum()), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p[1], -small[0])


def test_optimizer_refuses_a_different_model():
    opt = optimizers.get("adam")
    opt.step([(np.zeros((2, 2)), np.ones((2, 2)))])
    with pytest.raises(ValueError, match="one optimizer per model"):
        opt.step([(np.zeros((2, 2)), np.ones((2, 2)))] * 2)


def test_adam_moments_match_torch_state(rng):
    torch = torch_or_skip()
    params, coefs = _problem(rng)
    ours = optimizers.get("adam", lr=0.05)
    _our_trajectory(ours, params, coefs, 20)
    tp = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    opt = torch.optim.Adam(tp, lr=0.05)
    for _ in range(20):
        opt.zero_grad()
        sum((torch.tensor(c) * torch.sin(p)).sum() + (p**4).sum() / 4 + (p**2).sum()
            for p, c in zip(tp, coefs)).backward()
        opt.step()
    for i, p in enumerate(tp):
        m, v = ours.moments(i)
        np.testing.assert_allclose(m, opt.state[p]["exp_avg"].numpy(), rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(v, opt.state[p]["exp_avg_sq"].numpy(), rtol=1e-9, atol=1e-14)
