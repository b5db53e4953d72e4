"""Anonymity: no combination of shown cells isolates fewer than N people (hypothesis)."""

import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from humaine.scenarios.anonymity import (
    PROTECTS_OTHERS,
    TOO_FEW,
    atoms,
    is_safe,
    min_group_size,
    plan,
)
from humaine.scenarios.anonymity import _signatures as signatures


@st.composite
def surveys(draw, max_people=24, max_groups=5):
    """People in disjoint groups, the "all" row, and some extra (filter-like) cells."""
    n_people = draw(st.integers(0, max_people))
    n_groups = draw(st.integers(1, max_groups))
    group_of = draw(st.lists(st.integers(0, n_groups - 1), min_size=n_people, max_size=n_people))
    cells = {"all": set(range(n_people))}
    for g in range(n_groups):
        cells[f"group-{g}"] = {p for p, gg in enumerate(group_of) if gg == g}
    n_extra = draw(st.integers(0, 2))
    for e in range(n_extra):
        cells[f"filter-{e}"] = set(
            draw(st.sets(st.integers(0, max(n_people - 1, 0)), max_size=n_people))
            if n_people
            else set()
        )
    return cells


def revealed_small_set(cells, shown, min_n):
    """Brute force: a combination of shown cells (coefficients -1, 0, 1) that is the
    indicator of a set of 1..min_n-1 people, i.e. figures about them by differencing."""
    people = sorted(set().union(*(cells[k] for k in shown))) if shown else []
    if not people:
        return None
    index = {p: i for i, p in enumerate(people)}
    vectors = []
    for key in sorted(shown):
        v = np.zeros(len(people), dtype=int)
        for p in cells[key]:
            v[index[p]] = 1
        vectors.append(v)
    for coefficients in itertools.product((-1, 0, 1), repeat=len(vectors)):
        total = sum(c * v for c, v in zip(coefficients, vectors))
        if isinstance(total, int):
            continue
        if set(np.unique(total)) <= {0, 1} and 0 < total.sum() < min_n:
            return coefficients
    return None


@settings(max_examples=300, deadline=None)
@given(surveys(), st.integers(3, 6))
def test_a_plan_never_lets_atoms_fall_below_n(cells, min_n):
    result = plan(cells, min_n, priority=["all"])
    assert is_safe(cells, result.shown, min_n)
    for key in result.shown:
        assert len(cells[key]) >= min_n
    for key, members in cells.items():
        if len(members) < min_n:
            assert key not in result.shown and result.withheld[key] == TOO_FEW
    assert set(result.shown) | set(result.withheld) == set(cells)


@settings(max_examples=150, deadline=None)
@given(surveys(max_people=14, max_groups=4), st.integers(3, 5))
def test_no_difference_of_shown_cells_reveals_a_small_group(cells, min_n):
    assume(len(cells) <= 7)
    result = plan(cells, min_n, priority=["all"])
    assert revealed_small_set(cells, result.shown, min_n) is None


@settings(max_examples=200, deadline=None)
@given(surveys(), st.integers(3, 6), st.data())
def test_optional_cells_never_cost_a_base_cell(cells, min_n, data):
    people = sorted(cells["all"])
    optional = {
        f"paired-{i}": set(data.draw(st.sets(st.sampled_from(people), max_size=len(people))))
        if people
        else set()
        for i in range(data.draw(st.integers(0, 3)))
    }
    base = plan(cells, min_n, priority=["all"])
    both = plan(cells, min_n, priority=["all"], optional=optional)
    assert base.shown <= both.shown
    assert is_safe(cells | optional, both.shown, min_n)


@given(st.lists(st.integers(5, 30), min_size=1, max_size=6))
def test_groups_all_large_enough_are_all_shown_with_the_all_row(sizes):
    cells, start = {}, 0
    for g, size in enumerate(sizes):
        cells[f"g{g}"] = set(range(start, start + size))
        start += size
    cells["all"] = set(range(start))
    assert plan(cells, 5).shown == frozenset(cells)


def test_all_minus_team_north_is_never_possible():
    cells = {"all": set(range(18)), "north": set(range(14)), "south": set(range(14, 18))}
    result = plan(cells, 5, priority=["all", "north", "south"])
    assert result.withheld["south"] == TOO_FEW
    assert result.withheld["north"] == PROTECTS_OTHERS
    assert result.shown == {"all"}


def test_a_small_group_is_protected_by_withholding_its_smallest_neighbour():
    cells = {
        "all": set(range(30)),
        "north": set(range(0, 14)),
        "east": set(range(14, 20)),
        "south": set(range(20, 23)),
        "west": set(range(23, 30)),
    }
    result = plan(cells, 5, priority=["all", "north", "west", "east", "south"])
    assert result.shown == {"all", "north", "west"}
    assert result.withheld == {"south": TOO_FEW, "east": PROTECTS_OTHERS}
    assert atoms(signatures(cells), result.shown)[frozenset({"all"})] == 9


def test_the_threshold_is_never_below_three():
    assert min_group_size(None) == 5
    assert min_group_size(0) == 5
    assert min_group_size(1) == 3
    assert min_group_size(8) == 8
    assert plan({"a": {1, 2, 3}}, 1).shown == {"a"}
    assert plan({"a": {1, 2}}, 1).shown == frozenset()
