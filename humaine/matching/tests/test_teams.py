from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from humaine.matching.config import load_config
from humaine.matching.conflicts import Conflict
from humaine.matching.ranking import default_taxonomy
from humaine.matching.teams import (
    Requirement,
    TeamCandidate,
    TeamSpec,
    objective,
    propose_team,
    prune,
    solve_brute_force,
    solve_exact,
    solve_greedy,
    team_spec,
)

TECH = Requirement("technical_ai", disciplines=frozenset({"computer_science", "engineering"}))
HUMAN = Requirement("human_factors", disciplines=frozenset({"work_science", "psychology"}))
SECTOR = Requirement("sector", sector="insurance", hard=False)
SPEC = TeamSpec(requirements=(TECH, HUMAN, SECTOR), max_size=3, slot_hours={"core": 8})
RIVALRY = Conflict(
    "competitor",
    {
        "de": "beschäftigt bei Rheinische Assekuranz, einem Wettbewerber",
        "en": "employed by Rheinische Assekuranz, a competitor",
    },
)


def expert(id, fit, disciplines, sectors=(), hours=10, conflicts=(), topical=0.5, **extra):
    return TeamCandidate(
        id=id,
        fit=fit,
        disciplines=frozenset(disciplines),
        sectors=frozenset(sectors),
        free_hours=hours,
        conflicts=tuple(conflicts),
        topical=topical,
        **extra,
    )


CAST = [
    expert("nlp", 0.9, ["computer_science"], ["insurance"]),
    expert("vision", 0.8, ["computer_science"]),
    expert("busy_star", 0.95, ["psychology"], ["insurance"], hours=2),
    expert("acceptance", 0.7, ["psychology"], ["insurance"]),
    expert("ergonomics", 0.6, ["work_science"]),
    expert("lawyer", 0.85, ["law"], ["insurance"]),
    expert("rival", 0.99, ["computer_science"], ["insurance"], conflicts=[RIVALRY]),
]


def test_team_covers_every_required_discipline_and_the_sector():
    proposal = propose_team(CAST, SPEC)
    ids = {m.id for m in proposal.members}
    assert proposal.satisfied and not proposal.unmet
    assert ids & {"nlp", "vision"} and ids & {"acceptance", "ergonomics"}
    assert len(ids) <= SPEC.max_size


def test_nobody_is_proposed_beyond_free_capacity():
    proposal = propose_team(CAST, SPEC)
    assert "busy_star" not in {m.id for m in proposal.members}
    assert "busy_star" in proposal.unavailable
    assert all(a.id != "busy_star" for m in proposal.members for a in m.alternatives)


def test_a_conflicted_expert_is_flagged_and_not_proposed_by_default():
    proposal = propose_team(CAST, SPEC)
    assert "rival" not in {m.id for m in proposal.members}
    [(flagged_id, conflicts)] = proposal.flagged
    assert flagged_id == "rival" and conflicts[0].code == "competitor"
    assert "Rheinische Assekuranz" in conflicts[0].reason["en"]


def test_conflicts_come_before_capacity_an_expert_without_hours_is_still_flagged():
    busy_rival = expert("busy_rival", 0.99, ["computer_science"], hours=0, conflicts=[RIVALRY])
    proposal = propose_team([*CAST, busy_rival], SPEC)
    assert "busy_rival" in dict(proposal.flagged)


def test_flag_handling_may_propose_a_conflicted_expert_but_marks_them():
    spec = TeamSpec(SPEC.requirements, max_size=3, on_conflict="flag")
    proposal = propose_team(CAST, spec)
    rival = next(m for m in proposal.members if m.id == "rival")
    assert rival.conflicts[0].code == "competitor"


def test_an_overridden_conflict_may_be_proposed_and_stays_shown():
    allowed = [replace(c, overridden=True) if c.id == "rival" else c for c in CAST]
    proposal = propose_team(allowed, SPEC, taxonomy=default_taxonomy())
    rival = next(m for m in proposal.members if m.id == "rival")
    assert rival.overridden and rival.conflicts == (RIVALRY,)
    assert "allowed by the hub's staff" in rival.reason["en"]
    assert proposal.flagged == ()


def test_members_have_reasons_in_both_languages_with_fit():
    proposal = propose_team(CAST, SPEC, taxonomy=default_taxonomy())
    acceptance = next(m for m in proposal.members if m.id == "acceptance")
    assert acceptance.reason["en"].startswith("covers psychology")
    assert "Psychologie" in acceptance.reason["de"] and "fit 0.70" in acceptance.reason["en"]


def test_swapping_in_an_alternative_keeps_every_met_requirement():
    proposal = propose_team(CAST, SPEC)
    by_id = {c.id: c for c in CAST}
    team = [by_id[m.id] for m in proposal.members]
    for member in proposal.members:
        assert member.alternatives
        for alternative in member.alternatives:
            swapped = [c for c in team if c.id != member.id] + [by_id[alternative.id]]
            assert any(TECH.covers(c) for c in swapped) and any(HUMAN.covers(c) for c in swapped)
            assert by_id[alternative.id].free_hours >= SPEC.hours_per_member


def test_alternatives_that_fit_the_place_as_labelled_come_first():
    # two technical members: any psychologist "keeps" the technical requirement when
    # replacing one of them, but staff expect a technical alternative for a technical place
    spec = TeamSpec(requirements=(TECH, HUMAN), max_size=3, slot_hours={"core": 8})
    pool = [
        expert("cs1", 0.9, ["computer_science"]),
        expert("cs2", 0.85, ["computer_science"]),
        expert("psy1", 0.8, ["psychology"]),
        expert("psy2", 0.75, ["psychology"]),
        expert("eng", 0.3, ["engineering"]),
    ]
    proposal = propose_team(pool, spec)
    technical = [m for m in proposal.members if m.covers == ("technical_ai",)]
    assert technical and all(m.alternatives[0].id == "eng" for m in technical)


def test_unmet_requirement_is_reported_when_the_pool_cannot_cover_it():
    pool = [expert("a", 0.9, ["computer_science"]), expert("b", 0.8, ["law"])]
    proposal = propose_team(pool, SPEC)
    assert not proposal.satisfied
    missing = {u.key: u for u in proposal.unmet}
    assert missing["human_factors"].hard and not missing["human_factors"].available


def test_team_spec_uses_the_inquiry_sector_and_adds_clearly_needed_disciplines():
    spec = team_spec(load_config(), sector="health_care", needs={"law": 0.8, "transfer": 0.1})
    keys = [r.key for r in spec.requirements]
    assert keys == ["technical_ai", "human_factors", "sector", "discipline:law"]
    assert spec.requirements[2].sector == "health_care" and not spec.requirements[3].hard
    # lawyers are consulted: a place of its own, with its own hours
    assert spec.requirements[3].slot == "consultation"
    assert spec.slot_hours == {"core": 8.0, "consultation": 2.0}
    assert "sector" not in [r.key for r in team_spec(load_config()).requirements]


# --- the optimisation against brute force -------------------------------------------------


@st.composite
def pools(draw, max_candidates=9):
    n = draw(st.integers(1, max_candidates))
    n_requirements = draw(st.integers(1, 4))
    fits = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    cover = np.array(
        draw(
            st.lists(
                st.lists(st.booleans(), min_size=n_requirements, max_size=n_requirements),
                min_size=n,
                max_size=n,
            )
        ),
        dtype=bool,
    )
    min_counts = np.array(
        draw(st.lists(st.integers(1, 2), min_size=n_requirements, max_size=n_requirements))
    )
    hard = np.array(draw(st.lists(st.booleans(), min_size=n_requirements, max_size=n_requirements)))
    max_size = draw(st.integers(1, 4))
    min_size = draw(st.integers(1, max_size))
    cost = draw(st.sampled_from([0.0, 0.3]))
    return fits, cover, min_counts, hard, max_size, min_size, cost


@settings(max_examples=150, deadline=None)
@given(pools())
def test_exact_solution_equals_brute_force(pool):
    fits, cover, min_counts, hard, max_size, min_size, cost = pool
    exact = solve_exact(*pool)
    brute = solve_brute_force(*pool)
    assert objective(exact, fits, cover, min_counts, hard, cost) == pytest.approx(
        objective(brute, fits, cover, min_counts, hard, cost)
    )
    assert min(min_size, len(fits)) <= len(exact) <= max_size


@settings(max_examples=100, deadline=None)
@given(pools(max_candidates=14))
def test_pruning_keeps_an_optimal_team(pool):
    fits, cover, min_counts, hard, max_size, min_size, cost = pool
    kept = prune(fits, cover, max_size)
    on_pruned = solve_brute_force(fits[kept], cover[kept], *pool[2:])
    full = solve_brute_force(*pool)
    assert objective(on_pruned, fits[kept], cover[kept], min_counts, hard, cost) == pytest.approx(
        objective(full, fits, cover, min_counts, hard, cost)
    )


@settings(max_examples=150, deadline=None)
@given(pools())
def test_greedy_team_is_valid_and_never_better_than_exact(pool):
    fits, cover, min_counts, hard, max_size, min_size, cost = pool
    greedy = solve_greedy(*pool)
    assert len(set(greedy)) == len(greedy)
    assert min(min_size, len(fits)) <= len(greedy) <= max_size
    exact = solve_exact(*pool)
    assert objective(greedy, fits, cover, min_counts, hard, cost) <= objective(
        exact, fits, cover, min_counts, hard, cost
    )


@settings(max_examples=150, deadline=None)
@given(pools())
def test_greedy_meets_single_slot_hard_requirements_whenever_the_pool_allows(pool):
    fits, cover, _, hard, max_size, min_size, cost = pool
    min_counts = np.ones(len(hard), dtype=int)
    if hard.sum() > max_size:
        return
    args = (fits, cover, min_counts, hard, max_size, min_size, cost)
    best = objective(solve_brute_force(*args), fits, cover, min_counts, hard, cost)
    assert objective(solve_greedy(*args), fits, cover, min_counts, hard, cost)[0] == best[0]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["exact", "greedy"]))
def test_capacity_is_never_exceeded_on_random_pools(seed, method):
    rng = np.random.default_rng(seed)
    disciplines = ["computer_science", "engineering", "work_science", "psychology", "law"]
    pool = [
        expert(
            f"e{i}",
            float(rng.random()),
            list(rng.choice(disciplines, size=rng.integers(1, 3), replace=False)),
            ["insurance"] if rng.random() < 0.3 else [],
            hours=float(rng.integers(0, 20)),
        )
        for i in range(int(rng.integers(1, 60)))
    ]
    proposal = propose_team(pool, SPEC, method=method)
    hours = {c.id: c.free_hours for c in pool}
    for member in proposal.members:
        assert hours[member.id] >= SPEC.hours_per_member
        assert all(hours[a.id] >= SPEC.hours_per_member for a in member.alternatives)
    feasible = any(TECH.covers(c) and c.free_hours >= 8 for c in pool) and any(
        HUMAN.covers(c) and c.free_hours >= 8 for c in pool
    )
    assert proposal.satisfied == feasible


def test_exact_is_fast_enough_for_a_large_pool_because_pruning_bounds_it():
    rng = np.random.default_rng(1)
    n = 20_000
    fits = rng.random(n)
    cover = rng.random((n, 3)) < 0.3
    kept = prune(fits, cover, 4)
    assert len(kept) <= 2**3 * 4
    team = solve_exact(fits, cover, np.ones(3, dtype=int), np.array([True, True, False]), 4)
    assert len(team) <= 4
