"""Streaming routing in two steps: prepare the cases (no state), then route them with one."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam, PreparedStream, StreamTurns

from .test_novelty import claims, new_cases


@pytest.fixture(scope="module")
def team():
    X, y, decisions = claims()
    return HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.2).fit(X, y, decisions)


def cases() -> pd.DataFrame:
    X, _, _ = claims(120, seed=9)
    return pd.concat([new_cases().head(3), X], ignore_index=True)  # 3 unusual cases first


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    plain = [c for c in a.columns if c != "explanation_data"]
    pd.testing.assert_frame_equal(a[plain], b[plain])
    if "explanation_data" in a:
        assert repr(a.explanation_data.tolist()) == repr(b.explanation_data.tolist())


def test_two_steps_route_exactly_as_route_with_a_state(team):
    X = cases()
    direct_state, split_state = team.new_stream_state(), team.new_stream_state()
    direct = team.route(X, batch=False, explain=True, state=direct_state)
    prepared = team.prepare_stream(X, explain=True)
    assert isinstance(prepared, PreparedStream) and len(prepared) == len(X)
    split = team.route_prepared(prepared, split_state)
    assert_same(direct, split)
    assert direct_state.to_dict() == split_state.to_dict()
    assert split_state.n_routed == len(X)
    # the unusual cases, the audit and the explanations are all in it
    assert split.unusual[:3].all() and (split.routed_to[:3] != "ai").all()
    assert split.audit.any()
    assert split.explanation.str.len().gt(0).all() and split.explanation_de.str.len().gt(0).all()


def test_without_a_state_the_cases_are_one_window_as_in_route(team):
    X = cases()
    direct = team.route(X, batch=False, explain=False)
    split = team.route_prepared(team.prepare_stream(X, explain=False))
    assert_same(direct, split)
    assert "explanation" not in split
    assert (split.routed_to != "ai").sum() <= int(np.floor(team.capacity * len(X) + 1e-9))


def test_cases_prepared_before_the_stream_moved_on_route_as_if_prepared_now(team):
    X = cases()
    earlier, later = X.head(60), X.tail(40)
    prepared = team.prepare_stream(later, explain=True)
    # meanwhile other requests go through the stream (as in a service, under its lock)
    state = team.new_stream_state()
    team.route(earlier, batch=False, explain=False, state=state)
    reference = copy.deepcopy(state)
    split = team.route_prepared(prepared, state)
    direct = team.route(later, batch=False, explain=True, state=reference)
    assert_same(direct, split)
    assert state.to_dict() == reference.to_dict() and state.n_routed == 100
    # the capacity left in the explanations is the stream's, not a fresh window's
    fresh = team.route_prepared(prepared, team.new_stream_state())
    lefts = [d["people_capacity_left"] for d in split.explanation_data]
    fresh_lefts = [d["people_capacity_left"] for d in fresh.explanation_data]
    assert lefts != fresh_lefts and sum(lefts) < sum(fresh_lefts)


def test_routing_prepared_cases_changes_nothing_prepared(team):
    X = cases().head(30)
    prepared = team.prepare_stream(X, explain=True)
    gains = prepared.gains.copy()
    first = team.route_prepared(prepared, team.new_stream_state())
    second = team.route_prepared(prepared, team.new_stream_state())
    assert_same(first, second)
    np.testing.assert_array_equal(prepared.gains, gains)


def test_availability_is_prepared_with_the_cases(team):
    X = cases().head(20)
    only_ben = np.tile([False, True], (len(X), 1))
    split = team.route_prepared(team.prepare_stream(X, available=only_ben, explain=False))
    assert set(split.routed_to) <= {"ai", "ben"}
    direct = team.route(X, batch=False, available=only_ben, explain=False)
    assert_same(direct, split)


def test_another_teams_or_a_changed_methods_preparation_is_refused(team):
    X, y, decisions = claims(300, seed=3)
    other = HumanAITeam(method="compare_confidence", capacity=0.3).fit(X, y, decisions)
    prepared = other.prepare_stream(cases().head(5), explain=False)
    with pytest.raises(ValueError, match="prepare them again"):
        team.route_prepared(prepared, team.new_stream_state())
    mine = team.prepare_stream(cases().head(5), explain=False)
    team.unusual_cases = "flag"
    try:
        with pytest.raises(ValueError, match="prepare them again"):
            team.route_prepared(mine)
    finally:
        team.unusual_cases = "person"


def test_a_state_of_other_persons_is_refused(team):
    prepared = team.prepare_stream(cases().head(5), explain=False)
    from teaming.router import StreamState

    with pytest.raises(ValueError, match="new_stream_state"):
        team.route_prepared(prepared, StreamState.start(3, ["a", "b", "c"]))


def test_the_turns_alone_move_the_state_and_the_table_follows_from_them(team):
    X = cases()
    prepared = team.prepare_stream(X, explain=True)
    whole_state, turns_state = team.new_stream_state(), team.new_stream_state()
    whole = team.route_prepared(prepared, whole_state)
    turns = team.stream_turns(prepared, turns_state)
    # the state is where route_prepared leaves it, before any table is made
    assert turns_state.to_dict() == whole_state.to_dict()
    assert isinstance(turns, StreamTurns) and len(turns.assign) == len(X)
    assert_same(whole, team.routed_frame(prepared, turns))
    # the table needs no state: made twice from the same turns, it is the same
    assert_same(whole, team.routed_frame(prepared, turns))
    assert turns_state.to_dict() == whole_state.to_dict()


def test_turns_of_other_cases_are_refused(team):
    X = cases()
    turns = team.stream_turns(team.prepare_stream(X.head(5)))
    with pytest.raises(ValueError, match="not of these prepared cases"):
        team.routed_frame(team.prepare_stream(X.head(6)), turns)
