"""The router: capacity and audit invariants, exact optimality, streaming rule."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from teaming.router import (
    OnlineRouter,
    StreamState,
    assign_batch,
    assignment,
    dual_prices,
    person_limits,
    route_batch,
    solve_lp,
)


def value(gains: np.ndarray, assign: np.ndarray) -> float:
    chosen = assign >= 0
    return float(gains[np.flatnonzero(chosen), assign[chosen]].sum())


def brute_force(gains: np.ndarray, total: int, caps: np.ndarray) -> float:
    n, m = gains.shape
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        a = np.array(choice)
        if (a >= 0).sum() > total:
            continue
        if (np.bincount(a[a >= 0], minlength=m) > caps).any():
            continue
        if any(a[i] >= 0 and not np.isfinite(gains[i, a[i]]) for i in range(n)):
            continue
        best = max(best, value(gains, a))
    return best


@st.composite
def instances(draw, max_n: int = 40, max_m: int = 5):
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, max_m))
    # rounded values make ties (the hard case for exact solvers) frequent
    gains = draw(
        arrays(np.float64, (n, m), elements=st.sampled_from([-0.5, -0.1, 0.0, 0.1, 0.2, 0.5, 1.0]))
    )
    unavailable = draw(arrays(np.bool_, (n, m)))
    gains = np.where(unavailable, -np.inf, gains)
    total = draw(st.integers(0, n))
    caps = np.array(draw(st.lists(st.integers(0, n), min_size=m, max_size=m)))
    return gains, total, caps


@settings(max_examples=300, deadline=None)
@given(instances(max_n=6, max_m=3))
def test_batch_assignment_equals_brute_force_on_small_instances(instance):
    gains, total, caps = instance
    assign = assign_batch(gains, total, caps)
    assert value(gains, assign) == pytest.approx(brute_force(gains, total, caps), abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_batch_assignment_equals_linear_programme(instance):
    gains, total, caps = instance
    assign = assign_batch(gains, total, caps)
    _, optimum = solve_lp(gains, total, caps)
    assert value(gains, assign) == pytest.approx(optimum, abs=1e-9)


@pytest.mark.parametrize("direct, sample", [(300, 10_000), (1000, 200)])
def test_large_batches_use_sample_prices_and_stay_optimal(monkeypatch, direct, sample):
    # shrink the thresholds so the sample-price start and the band run on a testable size
    # (a sample smaller than the direct limit, as by default, or capped by it)
    monkeypatch.setattr(assignment, "DIRECT_MAX_CASES", direct)
    monkeypatch.setattr(assignment, "PRICE_SAMPLE_CASES", sample)
    rng = np.random.default_rng(3)
    for seed in range(5):
        rng = np.random.default_rng(seed)
        gains = rng.normal(size=(3000, 4)) * 0.2 + rng.normal(size=(1, 4)) * 0.1
        gains[rng.random(gains.shape) < 0.25] = -np.inf
        caps = np.array([150, 300, 200, 100])
        assign = assign_batch(gains, 600, caps)
        _, optimum = solve_lp(gains, 600, caps)
        assert value(gains, assign) == pytest.approx(optimum, rel=1e-10)


@settings(max_examples=200, deadline=None)
@given(
    instances(max_n=60),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.5),
    st.integers(0, 2**31 - 1),
)
def test_capacity_is_never_exceeded_and_audit_share_is_honoured(instance, capacity, audit, seed):
    gains, _, caps = instance
    n, m = gains.shape
    routing = route_batch(
        gains, capacity=capacity, person_caps=caps, audit=audit, random_state=seed
    )
    total = int(np.floor(capacity * n + 1e-9))
    handled = routing.handler >= 0
    assert handled.sum() <= total
    assert (routing.workload(m) <= caps).all()
    # nobody handles a case they are not available for
    rows = np.flatnonzero(handled)
    assert np.isfinite(gains[rows, routing.handler[rows]]).all()
    # audits are AI-decided cases, never deferred ones
    assert not (routing.audit & (routing.assign >= 0)).any()
    n_ai = int((routing.assign < 0).sum())
    wanted = min(int(np.floor(audit * n_ai + 0.5)), total - int((routing.assign >= 0).sum()))
    assert routing.audit.sum() + routing.audit_shortfall == wanted


@settings(max_examples=100, deadline=None)
@given(st.integers(20, 300), st.floats(0.05, 0.9), st.floats(0.01, 0.3), st.integers(0, 99))
def test_audit_share_is_exact_when_everybody_is_available(n, capacity, audit, seed):
    rng = np.random.default_rng(seed)
    gains = rng.normal(size=(n, 3))
    total = int(np.floor(capacity * n + 1e-9))
    caps = np.full(3, total // 2 + 1)  # binding limits, together enough for the total
    routing = route_batch(
        gains, capacity=capacity, person_caps=caps, audit=audit, random_state=seed
    )
    n_ai = int((routing.assign < 0).sum())
    expected = min(int(np.floor(audit * n_ai + 0.5)), total - int((routing.assign >= 0).sum()))
    assert routing.audit_shortfall == 0
    assert routing.audit.sum() == expected
    assert (routing.handler >= 0).sum() <= total


def test_audit_is_a_uniform_draw_of_ai_decided_cases():
    gains = np.tile(np.linspace(-1, 1, 200)[:, None], (1, 2))
    hits = np.zeros(200)
    for seed in range(300):
        routing = route_batch(gains, capacity=0.5, audit=0.1, random_state=seed)
        hits += routing.audit
    ai_cases = np.flatnonzero(routing.assign < 0)
    # every AI-decided case is audited sometimes; deferred cases never
    assert (hits[ai_cases] > 0).all()
    assert hits[routing.assign >= 0].sum() == 0
    assert hits[ai_cases].std() / hits[ai_cases].mean() < 0.5


def test_dual_prices_reproduce_the_batch_assignment():
    rng = np.random.default_rng(0)
    gains = rng.normal(size=(500, 3))
    caps = np.array([40, 60, 80])
    assign = assign_batch(gains, 150, caps)
    prices = dual_prices(gains, assign, 150, caps)
    reduced = gains - prices
    rule = np.where(reduced.max(axis=1) > 1e-9, reduced.argmax(axis=1), -1)
    # ties aside (measure zero here), the price rule is the optimum
    assert (rule == assign).mean() > 0.99


def test_online_router_keeps_every_window_within_capacity():
    rng = np.random.default_rng(1)
    router = OnlineRouter([0.0, 0.0], capacity=0.3, person_shares=[0.2, 0.2], audit=0.1, window=50)
    state = router.start()
    per_window = []
    for _ in range(10):
        picks = [router.route(g, state) for g in rng.normal(0.5, 1, size=(50, 2))]
        used = np.bincount([j for j, _ in picks if j >= 0], minlength=2)
        per_window.append(used)
    for used in per_window:
        assert used.sum() <= 15 and (used <= 10).all()


def test_person_limits_reads_shares_counts_and_names():
    assert person_limits(None, ["a"], 10) is None
    assert person_limits({"a": 0.5}, ["a", "b"], 10).tolist() == [5, 10]
    with pytest.raises(ValueError, match="unknown persons"):
        person_limits({"zoe": 1}, ["a"], 10)
    with pytest.raises(ValueError, match="share"):
        person_limits(1.5, ["a"], 10)


def test_two_processes_sharing_a_stored_state_count_one_window():
    rng = np.random.default_rng(2)
    gains = rng.normal(-0.5, 1, size=(100, 2))
    kwargs = {"capacity": 0.2, "person_shares": [0.15, 0.15], "audit": 0.1, "window": 100}
    alone = OnlineRouter([0.0, 0.0], **kwargs)
    state = alone.start()
    expected = [alone.route(g, state) for g in gains]
    # two routers (two web processes) taking turns, the state kept as JSON in between
    processes = [OnlineRouter([0.0, 0.0], **kwargs), OnlineRouter([0.0, 0.0], **kwargs)]
    stored = json.dumps(processes[0].start().to_dict())
    shared = []
    for i, g in enumerate(gains):
        state = StreamState.from_dict(json.loads(stored))
        shared.append(processes[i % 2].route(g, state))
        stored = json.dumps(state.to_dict())
    assert shared == expected
    taken = sum(j >= 0 for j, _ in shared)
    assert taken <= 20 and any(audit for _, audit in shared)


def test_a_state_for_other_persons_is_refused():
    router = OnlineRouter([0.0, 0.0], capacity=0.5)
    with pytest.raises(ValueError, match="counts 3 persons"):
        router.route([0.1, 0.2], StreamState.start(3))


@given(arrays(np.float64, st.integers(1, 300), elements=st.sampled_from([-1.0, 0.0, 0.5, 2.0])))
@settings(max_examples=60, deadline=None)
def test_first_sorted_is_the_head_of_a_stable_sort(values):
    from teaming.router._flow import _first_sorted

    order = np.argsort(values, kind="stable")
    for k in {1, 2, values.size // 2 or 1, values.size}:
        assert np.array_equal(_first_sorted(values, k), order[:k])


@pytest.mark.parametrize("seed", range(3))
def test_cycle_cancelling_on_movers_equals_cancelling_on_all_cases(seed):
    # the large-batch solver works on the cases that can move and certifies on the whole
    # batch: the same assignment as cancelling cycles on all cases (continuous gains: one
    # optimum), with binding limits and unavailable persons
    from teaming.router._flow import cancel_cycles, cancel_cycles_large

    rng = np.random.default_rng(seed)
    n, m = 12_000, 4
    gains = rng.normal(0.1, 0.2, size=(n, m)) + rng.normal(0, 0.1, size=(n, 1))
    gains[rng.random((n, m)) < 0.2] = -np.inf
    total, caps = 3_000, np.array([900, 800, 700, 1_000])
    start = assignment._proposals(gains, total, caps)
    on_movers = cancel_cycles_large(start.copy(), gains, total, caps)
    on_all = cancel_cycles(start.copy(), gains, total, caps)
    assert np.array_equal(on_movers, on_all)
    assert np.array_equal(assign_batch(gains, total, caps), on_all)
    assert value(gains, on_all) == pytest.approx(solve_lp(gains, total, caps)[1], abs=1e-7)
