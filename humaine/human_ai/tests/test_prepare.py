"""Preparing a data set: mapped columns only, people pseudonymised, the engine's checks."""

import pandas as pd
import pytest
from django.utils import translation

from humaine.human_ai import synthetic
from humaine.human_ai.mapping import Mapping
from humaine.human_ai.prepare import prepare
from humaine.human_ai.problems import Problem, from_data_error
from humaine.human_ai.pseudonyms import pseudonym

KEY = bytes(range(32))
PEOPLE = list(synthetic.PERSONS["insurance"])


@pytest.fixture
def claims(tmp_path):
    frame = synthetic.make("insurance", 400, seed=5)
    frame["interne_notiz"] = "vertraulich"
    path = tmp_path / "faelle.csv"
    frame.to_csv(path, index=False, sep=";", decimal=",")
    return frame, path


def wide_mapping(**changes) -> Mapping:
    fields = {
        "target": "berechtigt",
        "id": "fall_nr",
        "features": ["schadenart", "schadenhoehe", "fahrzeugalter", "altersgruppe", "vorschaeden"],
        "text_features": ["schilderung"],
        "humans": PEOPLE,
        "groups": ["region"],
        "time": "eingang",
        "cost": "schadenhoehe",
        "min_person_cases": 5,
    }
    fields["features"] = [f for f in fields["features"] if f != "schadenhoehe"]
    return Mapping(**(fields | changes))


def test_wide_decisions_become_pseudonyms_and_unmapped_columns_are_dropped(claims):
    frame, path = claims
    prepared = prepare(path, "csv", wide_mapping(), KEY)
    assert prepared.ok, prepared.problems
    assert "interne_notiz" not in prepared.cases
    assert not set(PEOPLE) & set(prepared.cases.columns)
    assert prepared.persons == [pseudonym(KEY, p) for p in PEOPLE]
    summary = prepared.summary
    assert summary["n_cases"] == 400 and summary["n_persons"] == 5
    assert set(summary["decided"]) == set(prepared.persons)
    assert summary["period"][0].startswith("2024")


def test_long_decisions_are_pseudonymised_the_same_way(claims, tmp_path):
    frame, path = claims
    long = synthetic.long_decisions(frame, "insurance")
    decisions = tmp_path / "entscheidungen.csv"
    long.to_csv(decisions, index=False)
    mapping = wide_mapping(
        humans=[], decisions={"case": "fall_nr", "person": "bearbeiter", "decision": "entscheidung"}
    )
    prepared = prepare(path, "csv", mapping, KEY, decisions, "csv")
    assert prepared.ok, prepared.problems
    assert set(prepared.decisions["person"]) == {pseudonym(KEY, p) for p in PEOPLE}
    assert list(prepared.decisions.columns) == ["case_id", "person", "decision"]
    assert prepared.summary["n_decisions"] == len(long)


def codes(prepared) -> list[str]:
    return [p.code for p in prepared.problems]


def test_a_mapping_naming_a_missing_column_is_a_problem_before_the_engine_runs(claims):
    _, path = claims
    prepared = prepare(path, "csv", wide_mapping(groups=["filiale"]), KEY)
    assert codes(prepared) == ["missing_column"]
    assert prepared.problems[0].column == "filiale"
    with translation.override("de"):
        assert "„filiale“" in prepared.problems[0].message


def test_a_target_with_one_class_is_refused(claims, tmp_path):
    frame, _ = claims
    frame = frame.assign(berechtigt="ja")
    path = tmp_path / "one.csv"
    frame.to_csv(path, index=False)
    prepared = prepare(path, "csv", wide_mapping(humans=[]), KEY)
    assert codes(prepared) == ["one_class"]
    with translation.override("de"):
        assert "nur einen Wert" in prepared.problems[0].message


def test_decisions_for_unknown_cases_are_named(claims, tmp_path):
    frame, path = claims
    long = synthetic.long_decisions(frame, "insurance")
    long.loc[len(long)] = [999999, "Anna Berger", "ja"]
    decisions = tmp_path / "d.csv"
    long.to_csv(decisions, index=False)
    mapping = wide_mapping(
        humans=[], decisions={"case": "fall_nr", "person": "bearbeiter", "decision": "entscheidung"}
    )
    prepared = prepare(path, "csv", mapping, KEY, decisions, "csv")
    assert codes(prepared) == ["unknown_cases"]
    problem = prepared.problems[0]
    assert problem.source == "decisions" and problem.rows == ["999999"] and problem.count == 1


def test_every_bad_feature_is_reported_at_once(claims, tmp_path):
    frame, _ = claims
    frame = frame.assign(leer=None, endbetrag=frame["berechtigt"].map({"ja": 1.0, "nein": 0.0}))
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    mapping = wide_mapping(features=["schadenart", "leer", "endbetrag"])
    prepared = prepare(path, "csv", mapping, KEY)
    assert sorted(codes(prepared)) == ["empty_feature", "leak"]
    assert {p.column for p in prepared.problems} == {"leer", "endbetrag"}


def test_rows_are_counted_from_one_as_people_see_them():
    from teaming import DataError

    problem = from_data_error(
        DataError(
            "target column 'y' is empty in rows 3, 7 (2 in all); ...", column="y", rows=[3, 7]
        )
    )
    assert problem.code == "target_missing_rows" and problem.rows == [4, 8] and problem.count == 2


def test_an_unknown_engine_message_is_shown_with_the_engines_words():
    from teaming import DataError

    problem = from_data_error(DataError("something new", column="x"))
    assert problem.code == "engine"
    with translation.override("de"):
        assert "something new" in problem.message


def test_problems_survive_a_round_trip_through_json():
    problem = Problem("one_class", "y", params={"classes": ["ja"]})
    assert Problem.from_dict(problem.to_dict()) == problem
    assert pd.Series([problem.to_dict()]).iloc[0]["code"] == "one_class"


@pytest.mark.parametrize("written", ["%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
def test_the_prepared_table_keeps_the_times_read_and_a_build_reads_the_same(
    claims, tmp_path, written
):
    """A build reads the check's times instead of every date again; the data and the
    reading options it gets (and a team saves) are those of the text the check read."""
    import teaming

    frame, _ = claims
    frame = frame.assign(eingang=pd.to_datetime(frame["eingang"]).dt.strftime(written))
    path = tmp_path / "zeiten.csv"
    frame.to_csv(path, index=False, sep=";", decimal=",")
    mapping = wide_mapping()
    prepared = prepare(path, "csv", mapping, KEY)
    assert prepared.ok, prepared.problems
    assert pd.api.types.is_datetime64_any_dtype(prepared.cases["eingang"])
    stored = tmp_path / "cases.parquet"
    prepared.cases.to_parquet(stored, index=False)
    build = teaming.load_data(pd.read_parquet(stored), **mapping.load_options(prepared.persons))
    # as before: the check's table with its dates as text, stored and read by the build
    text = teaming.read_table(path)[mapping.case_columns]
    text = text.rename(columns=dict(zip(PEOPLE, prepared.persons)))
    before = tmp_path / "text.parquet"
    text.to_parquet(before, index=False)
    old = teaming.load_data(pd.read_parquet(before), **mapping.load_options(prepared.persons))
    assert (build.time == old.time).all() and build.time.dtype == old.time.dtype
    assert build.read_options == old.read_options
    assert build.read_options.get("dayfirst") is (True if written.startswith("%d") else None)
    assert (build.H == old.H).all() and (build.y == old.y).all()
    assert build.X.equals(old.X)
