"""Cases unlike the training data are flagged with their reasons and go to a person."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam
from teaming.persist import load_team

KINDS = ["Glas", "Sturm", "Leitungswasser", "Einbruch"]


def claims(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "amount": rng.uniform(100, 5000, n),
            "kind": rng.choice(KINDS, n),
            "age": rng.integers(18, 80, n).astype(float),
            "region": rng.choice(["Nord", "Süd"], n),
        }
    )
    score = (X.kind == "Einbruch") * 1.5 + X.amount / 2500 - 1.2 + rng.normal(0, 0.8, n)
    y = np.where(score > 0, "prüfen", "zahlen")
    other = np.where(y == "prüfen", "zahlen", "prüfen")
    decisions = pd.DataFrame(
        {
            person: pd.Series(np.where(rng.random(n) < skill, y, other)).where(rng.random(n) < 0.6)
            for person, skill in [("anna", 0.92), ("ben", 0.8)]
        }
    )
    return X, y, decisions


@pytest.fixture(scope="module")
def team():
    X, y, decisions = claims()
    return HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.0).fit(X, y, decisions)


def new_cases() -> pd.DataFrame:
    X, _, _ = claims(40, seed=5)
    X.loc[0, "kind"] = "Hagel"  # a kind of claim never seen
    X.loc[1, ["amount", "kind", "region"]] = [np.nan, None, None]  # most fields empty
    X.loc[2, "amount"] = 250_000.0  # far above every training amount
    return X


def test_each_unusual_case_says_why(team):
    out = team.route(new_cases())
    assert out.unusual.tolist()[:3] == [True, True, True]
    assert not out.unusual[3:].any()
    assert "kind = 'Hagel' never occurred in the training data" in out.unusual_reasons[0]
    assert "Hagel" in out.unusual_reasons_de[0] and "nicht vor" in out.unusual_reasons_de[0]
    assert "features are missing" in out.unusual_reasons[1]
    assert "amount = 2.5e+05 lies far outside" in out.unusual_reasons[2]
    kinds = [r["kind"] for r in out.explanation_data[1]["unusual"]]
    assert kinds == ["missing"]
    assert out.explanation[0].startswith("Unlike the training data")
    assert out.explanation_de[0].startswith("Anders als die Trainingsdaten")


def test_unusual_cases_go_to_a_person_and_the_ai_is_less_sure_of_them(team):
    cases = new_cases()
    out = team.route(cases)
    assert (out.routed_to[:3] != "ai").all()
    assert out.explanation_data[0]["reason"] == "unusual_case"
    plain = team.ai_.predict_proba(team.preprocessor_.transform(cases.head(3))).max(axis=1)
    assert (out.ai_confidence[:3].to_numpy() < plain).all()
    # the AI's decision itself is unchanged
    labels = team.classes_[
        team.ai_.predict_proba(team.preprocessor_.transform(cases.head(3))).argmax(axis=1)
    ]
    assert out.ai_decision[:3].tolist() == labels.tolist()


def test_capacity_still_binds_when_many_cases_are_unusual(team):
    cases = new_cases()
    cases["kind"] = "Hagel"
    out = team.route(cases)
    assert out.unusual.all()
    assert (out.routed_to != "ai").mean() <= 0.3 + 1e-9


def test_flag_only_leaves_routing_to_the_method(team):
    flagging = HumanAITeam(**{**team.get_params(), "unusual_cases": "flag"})
    X, y, decisions = claims()
    flagging.fit(X, y, decisions)
    out = flagging.route(new_cases())
    assert out.unusual[:3].all()
    assert all(e["reason"] != "unusual_case" for e in out.explanation_data)


def test_streaming_and_single_cases_are_checked_too(team):
    cases = new_cases()
    stream = team.route(cases, batch=False)
    assert stream.unusual[:3].all() and (stream.routed_to[:3] != "ai").all()
    state = team.new_stream_state()
    one = team.route_one(cases.iloc[0], state=state)
    assert one["unusual"] and one["routed_to"] != "ai"
    assert "Hagel" in one["unusual_reasons"]
    usual = team.route_one(cases.iloc[5], state=state, explain=False)
    assert not usual["unusual"] and usual["unusual_reasons"] == ""


def test_a_saved_team_keeps_what_its_training_data_looked_like(team, tmp_path):
    loaded = load_team(team.save(tmp_path / "team"))
    out = loaded.route(new_cases(), explain=False)
    assert out.unusual.tolist()[:4] == [True, True, True, False]
