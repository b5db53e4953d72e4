"""Places of a team have their own hours; below the fit floor a place stays open."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from humaine.matching.teams import (
    Requirement,
    TeamCandidate,
    TeamSpec,
    objective,
    propose_team,
    solve_brute_force,
    solve_exact,
)

TECH = Requirement("technical_ai", disciplines=frozenset({"computer_science"}))
LAW = Requirement("law", disciplines=frozenset({"law"}), hard=False, slot="consultation")
HOURS = {"core": 8, "consultation": 2}


def expert(id, fit, disciplines, hours=10, topical=0.5):
    return TeamCandidate(id, fit, frozenset(disciplines), free_hours=hours, topical=topical)


def spec(**changes):
    base = {"requirements": (TECH, LAW), "max_size": 2, "slot_hours": HOURS}
    return TeamSpec(**{"max_consultations": 1, **base, **changes})


def test_a_lawyer_with_three_hours_is_consulted_not_left_out():
    pool = [expert("cs", 0.8, ["computer_science"]), expert("lawyer", 0.6, ["law"], hours=3)]
    proposal = propose_team(pool, spec())
    places = {m.id: (m.slot, m.hours) for m in proposal.members}
    assert places == {"cs": ("core", 8), "lawyer": ("consultation", 2)}
    assert proposal.satisfied and not proposal.unmet


def test_capacity_is_checked_against_the_place_filled():
    pool = [expert("cs", 0.8, ["computer_science"]), expert("lawyer", 0.6, ["law"], hours=1)]
    proposal = propose_team(pool, spec())
    assert "lawyer" not in {m.id for m in proposal.members}
    [open_place] = proposal.unmet
    assert open_place.key == "law" and open_place.why == "no_capacity"


def test_an_inquiry_can_give_a_place_more_hours():
    pool = [expert("cs", 0.8, ["computer_science"]), expert("lawyer", 0.6, ["law"], hours=3)]
    proposal = propose_team(pool, spec(slot_hours={"core": 8, "consultation": 4}))
    assert "lawyer" not in {m.id for m in proposal.members}


def test_below_the_fit_floor_the_place_stays_open_and_says_nobody_fits():
    pool = [
        expert("cs", 0.8, ["computer_science"]),
        expert("patent_lawyer", 0.3, ["law"], topical=0.05),
    ]
    proposal = propose_team(pool, spec(fit_floor=0.2))
    assert {m.id for m in proposal.members} == {"cs"}
    [open_place] = proposal.unmet
    assert open_place.key == "law" and open_place.why == "no_fit"


def test_nobody_is_added_for_the_sake_of_size():
    pool = [
        expert("cs", 0.8, ["computer_science"]),
        expert("off_topic", 0.9, ["psychology"], topical=0.1),
    ]
    proposal = propose_team(pool, spec(fit_floor=0.2, max_size=4, requirements=(TECH,)))
    assert [m.id for m in proposal.members] == ["cs"]


@st.composite
def places(draw):
    n = draw(st.integers(1, 5))
    fits = np.array(draw(st.lists(st.floats(0, 1), min_size=2 * n, max_size=2 * n)))
    cover = np.array(
        draw(
            st.lists(
                st.lists(st.booleans(), min_size=2, max_size=2), min_size=2 * n, max_size=2 * n
            )
        ),
        dtype=bool,
    )
    kinds = np.array([0, 1] * n)
    persons = np.repeat(np.arange(n), 2)
    return fits, cover, kinds, persons, draw(st.integers(1, 3)), draw(st.integers(0, 2))


@settings(max_examples=120, deadline=None)
@given(places())
def test_exact_equals_brute_force_with_places_and_one_place_per_person(pool):
    fits, cover, kinds, persons, max_size, max_consultations = pool
    args = (fits, cover, np.ones(2, dtype=int), np.array([True, False]), max_size, 1, 0.1)
    shape = {"kinds": kinds, "persons": persons, "max_consultations": max_consultations}
    exact = solve_exact(*args, **shape)
    brute = solve_brute_force(*args, **shape)
    assert objective(exact, *args[:4], 0.1) == objective(brute, *args[:4], 0.1)
    assert len(set(persons[list(exact)])) == len(exact)
    assert (kinds[list(exact)] == 1).sum() <= max_consultations
    assert (kinds[list(exact)] == 0).sum() <= max_size
