"""Rosters with few decisions per person, streaming within capacity, the final AI."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingClassifier

from teaming import HumanAITeam, evaluate, load_data, split_data
from teaming.cli import main
from teaming.selection import choose_method


def crowd(
    n_cases: int = 1200,
    n_people: int = 300,
    seed: int = 0,
    accuracy: float = 0.68,
    noise: float = 0.8,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases judged by a crowd: each person decided 9 to 40 cases (long decisions)."""
    rng = np.random.default_rng(seed)
    cases = pd.DataFrame({"case_id": np.arange(n_cases), "a": rng.normal(size=n_cases)})
    cases["b"] = rng.normal(size=n_cases)
    cases["y"] = (cases.a + noise * rng.normal(size=n_cases) > 0).astype(int)
    rows = []
    for p in range(n_people):
        k = int(rng.integers(9, 41))
        for case in rng.choice(n_cases, k, replace=False):
            right = rng.random() < accuracy
            truth = int(cases.y.iat[case])
            rows.append((int(case), f"p{p:03d}", truth if right else 1 - truth))
    return cases, pd.DataFrame(rows, columns=["case_id", "person", "decision"])


@pytest.fixture(scope="module")
def crowd_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crowd")
    cases, decisions = crowd()
    cases.to_csv(folder / "cases.csv", index=False)
    decisions.to_csv(folder / "decisions.csv", index=False)
    return folder, cases, decisions


def test_teaming_fit_with_defaults_accepts_a_crowd_and_names_who_is_left_out(crowd_files, capsys):
    folder, _, decisions = crowd_files
    args = ["fit", str(folder / "cases.csv"), "--target", "y", "--id", "case_id"]
    args += ["--decisions", str(folder / "decisions.csv"), "--holdout", "0.3"]
    assert main([*args, "--out", str(folder / "team")]) == 0
    err = capsys.readouterr().err
    assert "left out of routing" in err
    from teaming.persist import load_team

    team = load_team(folder / "team")
    # counted on the training cases, after the hold-out split
    assert team.persons_left_out_ and set(team.persons_left_out_) <= set(decisions.person)
    assert all(p in err for p in team.persons_left_out_[:20])
    routed = team.route(pd.read_csv(folder / "cases.csv").drop(columns="y"), explain=False)
    assert not set(routed.routed_to) & set(team.persons_left_out_)


def test_persons_with_few_cases_can_be_kept_shrunk_toward_the_pool(crowd_files):
    _, cases, decisions = crowd_files
    data = load_data(cases, target="y", id="case_id", decisions=decisions)
    train, _ = split_data(data, test_size=0.3, random_state=0)
    team = HumanAITeam(method="compare_confidence", min_person_cases=0).fit(train)
    assert team.persons_left_out_ == [] and team.routable_.all()
    view, _ = team.case_view(train.X)
    # 300 people of equal skill and few cases each: their models stay near the pool
    per_person = view.person_correct.mean(axis=0)
    assert per_person.std() < 0.05 and abs(per_person.mean() - 0.68) < 0.06


def test_auto_keeps_the_simpler_method_unless_the_lead_exceeds_a_standard_error():
    n = 2000
    simple = np.full(n, 0.5)
    figures = {"ai_only": {"accuracy": 0.5}, "combine": {"accuracy": 0.51}}
    # paired differences: +1 on `up` cases, -1 on `down`: lead / se ~ (up - down) / sqrt(up + down)
    for up, down, expected in [(20, 19, "ai_only"), (40, 4, "combine")]:
        diff = np.zeros(n)
        diff[:up] = 1.0
        diff[up : up + down] = -1.0
        chosen, reason = choose_method(
            {"ai_only": simple, "combine": simple + diff}, figures, True, 0.3
        )
        assert chosen == expected, reason


def test_auto_does_not_chase_a_crowd_that_only_guesses():
    # the features settle the case (a strong AI); the crowd guesses: every lead is noise
    cases, decisions = crowd(n_people=200, seed=3, accuracy=0.5, noise=0.15)
    data = load_data(cases, target="y", id="case_id", decisions=decisions)
    for seed in range(2):
        train, test = split_data(data, test_size=0.3, random_state=seed)
        team = HumanAITeam(random_state=seed).fit(train)
        # no network trained per person on a few dozen cases is even compared
        assert not {"learned_ce", "learned_ova"} & set(team.selection_report_["methods"])
        figures = evaluate(team, test, n_bootstrap=0, capacities=(0.3,)).to_dict()
        assert figures["team"]["human_share"] < 0.1
        assert figures["team"]["accuracy"] >= figures["ai"]["accuracy"] - 0.005


def test_a_team_warns_and_routes_without_persons_left_out(caplog):
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=600)})
    y = (X.a + 0.5 * rng.normal(size=600) > 0).astype(int)
    people = pd.DataFrame(
        {
            "anna": np.where(rng.random(600) < 0.9, y, 1 - y).astype(float),
            "ben": np.nan,
        }
    )
    people.loc[:4, "ben"] = y[:5]
    with caplog.at_level(logging.WARNING, logger="teaming"):
        team = HumanAITeam(method="compare_confidence").fit(X, y, people)
    assert "ben (5)" in caplog.text and team.persons_left_out_ == ["ben"]
    assert "ben" not in set(team.route(X, explain=False).routed_to)
    assert team.route_one(X.iloc[0].to_dict(), explain=False)["routed_to"] in {"ai", "anna"}


@pytest.fixture(scope="module")
def eager_team():
    rng = np.random.default_rng(2)
    n = 1500
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (X.a + rng.normal(size=n) > 0).astype(int)
    people = pd.DataFrame({p: np.where(rng.random(n) < 0.93, y, 1 - y) for p in ["anna", "ben"]})
    team = HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.05).fit(X, y, people)
    return team, X


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 400), st.integers(0, 1000))
def test_streaming_a_batch_keeps_to_the_capacity_over_that_batch(eager_team, size, start):
    team, X = eager_team
    cases = X.iloc[start : start + size]
    routed = team.route(cases, batch=False, explain=False)
    assert (routed.routed_to != "ai").sum() <= int(np.floor(team.capacity * len(cases) + 1e-9))


def test_a_150_case_batch_streamed_never_exceeds_30_percent(eager_team):
    team, X = eager_team
    for start in range(0, 1500, 150):
        routed = team.route(X.iloc[start : start + 150], batch=False, explain=False)
        assert (routed.routed_to != "ai").mean() <= 0.3
    # a stream continued with its own state still counts its window of stream_window cases
    state = team.new_stream_state()
    team.route(X.iloc[:150], batch=False, explain=False, state=state)
    assert state.n_routed == 150 and state.seen == 150


def test_with_a_time_column_the_final_ai_learns_from_all_cases():
    rng = np.random.default_rng(5)
    n = 800
    frame = pd.DataFrame({"a": rng.normal(size=n), "t": np.arange(n)})
    frame["y"] = (frame.a + 0.5 * rng.normal(size=n) > 0).astype(int)
    frame["p"] = np.where(rng.random(n) < 0.8, frame.y, 1 - frame.y)
    data = load_data(frame, target="y", humans=["p"], time="t", features=["a"])
    team = HumanAITeam(method="combine").fit(data)
    # the choice was made on the latest 30 %, held out
    assert team.training_metrics_["n_validation_cases"] == 240
    Z = team.preprocessor_.transform(data.X)
    every_case = HistGradientBoostingClassifier(random_state=0).fit(Z, data.y)
    assert np.allclose(team.ai_.raw_proba(Z), every_case.predict_proba(Z))
    kept = HumanAITeam(method="combine", refit_ai=False).fit(data)
    assert not np.allclose(kept.ai_.raw_proba(Z), every_case.predict_proba(Z))
