"""Who can take cases: named persons, persons who left, persons the team does not know."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from teaming import DataWarning, HumanAITeam, load_data
from teaming.cli import main


def history(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Claims over two years; ben left after the first half year, cem decides throughout."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "case_id": [f"C{k:04d}" for k in range(n)],
            "received": pd.date_range("2022-01-01", periods=n, freq="D").strftime("%d.%m.%Y"),
            "amount": rng.uniform(100, 5000, n).round(2),
            "kind": rng.choice(["Glas", "Sturm", "Einbruch"], n),
        }
    )
    score = (frame.kind == "Einbruch") * 1.4 + frame.amount / 2500 - 1.2 + rng.normal(0, 1, n)
    frame["y"] = np.where(score > 0, "prüfen", "zahlen")
    other = np.where(frame.y == "prüfen", "zahlen", "prüfen")
    for person, skill, until in [("anna", 0.9, n), ("ben", 0.97, 180), ("cem", 0.8, n)]:
        decided = (rng.random(n) < 0.5) & (np.arange(n) < until)
        answer = np.where(rng.random(n) < skill, frame.y, other)
        frame[person] = pd.Series(answer).where(decided)
    return frame


@pytest.fixture(scope="module")
def frame():
    return history()


@pytest.fixture(scope="module")
def team(frame):
    data = load_data(
        frame, target="y", id="case_id", humans=["anna", "ben", "cem"], time="received"
    )
    return HumanAITeam(method="compare_confidence", capacity=0.5, audit=0.0).fit(data)


def cases(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["y", "anna", "ben", "cem"]).head(80)


def test_a_person_without_recent_decisions_is_not_routed_unless_named(team, frame):
    assert team.person_activity_["active"] == ["anna", "cem"]
    assert team.person_activity_["last_decision"]["ben"].startswith("2022-06")
    out = team.route(cases(frame), explain=False)
    assert "ben" not in set(out.routed_to) and {"anna", "cem"} & set(out.routed_to)
    named = team.route(cases(frame), available=["ben"], explain=False)
    assert set(named.routed_to) == {"ai", "ben"}
    two = team.route(cases(frame), available=["ben", "anna"], explain=False)
    assert "cem" not in set(two.routed_to)
    one = team.route_one(cases(frame).iloc[0], explain=False, state=team.new_stream_state())
    assert one["routed_to"] != "ben"


def test_a_person_the_team_does_not_know_is_left_out_with_a_message(team, frame):
    with pytest.warns(DataWarning, match=r"1 available person.*not routed: dora.*refit"):
        out = team.route(cases(frame), available=["anna", "dora"], explain=False)
    assert set(out.routed_to) <= {"ai", "anna"}


def test_route_takes_available_names_or_a_file(team, frame, tmp_path, capsys):
    folder = team.save(tmp_path / "team")
    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["schema"]["person_activity"]["active"] == ["anna", "cem"]
    path = tmp_path / "new.csv"
    cases(frame).to_csv(path, index=False, sep=";")
    out = tmp_path / "out.csv"
    base = ["--quiet", "route", str(folder), str(path), "--no-explain", "--out", str(out)]
    assert main(base) == 0
    assert "ben" not in set(pd.read_csv(out).routed_to)
    roster = tmp_path / "heute.txt"
    roster.write_text("person\nben\ndora\n", encoding="utf-8")
    capsys.readouterr()
    assert main([*base, "--available", str(roster)]) == 0
    assert set(pd.read_csv(out).routed_to) <= {"ai", "ben"}
    assert "dora" in capsys.readouterr().err
    assert main([*base, "--available", "anna,cem"]) == 0
    assert set(pd.read_csv(out).routed_to) <= {"ai", "anna", "cem"}
    assert main([*base, "--available", "all"]) == 0


def test_route_names_the_cut_off_as_a_date_people_read(team, frame, tmp_path, capsys):
    folder = team.save(tmp_path / "team")
    path = tmp_path / "new.csv"
    cases(frame).to_csv(path, index=False)
    capsys.readouterr()
    assert (
        main(["route", str(folder), str(path), "--no-explain", "--out", str(tmp_path / "o.csv")])
        == 0
    )
    err = capsys.readouterr().err
    since = pd.Timestamp(team.person_activity_["since"])
    shown = since.strftime("%Y-%m-%d %H:%M" if since != since.normalize() else "%Y-%m-%d")
    assert f"no decision since {shown}; name them with --available): ben" in err
    assert "T00:00" not in err and "000000" not in err


def test_the_model_cards_give_the_training_period_as_dates(team, tmp_path):
    folder = team.save(tmp_path / "team")
    german = (folder / "MODELLKARTE.md").read_text(encoding="utf-8")
    english = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "- Zeitraum: 2022-01-01 – " in german
    assert "- Period: 2022-01-01 – " in english
    assert "T00:00" not in german + english and "000000" not in german + english


def test_the_model_cards_say_who_gets_no_case_for_too_few_decisions(frame, tmp_path):
    data = load_data(
        frame, target="y", id="case_id", humans=["anna", "ben", "cem"], time="received"
    )
    team = HumanAITeam(
        method="compare_confidence", capacity=0.5, audit=0.0, min_person_cases=120
    ).fit(data)
    assert team.persons_left_out_ == ["ben"]
    folder = team.save(tmp_path / "team")
    english = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    german = (folder / "MODELLKARTE.md").read_text(encoding="utf-8")
    assert "Not sent any case (fewer than 120 decided training cases" in english
    assert english.split("Not sent any case")[1].split("\n")[0].endswith("): ben.")
    assert "Bekommen keine Fälle (weniger als 120 entschiedene Trainingsfälle" in german
    # not also called one whose few cases are shrunk toward the pool
    assert "Few decided cases" not in english or "ben" not in english.split("Few decided")[1]
