"""Builds in a child process: progress, the saved team, cancellation, bad data."""

import json

import pytest

from humaine.human_ai import engine, fitting, synthetic
from humaine.human_ai.mapping import Mapping
from humaine.human_ai.prepare import prepare

from .threads import at_once

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    frame = synthetic.make("industry", 600, seed=4)
    source = folder / "teile.csv"
    frame.to_csv(source, index=False)
    mapping = Mapping(
        target="befund",
        id="teil_nr",
        features=["dicke_mm", "helligkeit", "flaeche_px", "kantenindex", "stahlsorte"],
        humans=list(synthetic.PERSONS["industry"]),
        groups=["linie"],
        min_person_cases=5,
    )
    done = prepare(source, "csv", mapping, bytes(32))
    assert done.ok, done.problems
    cases = folder / "cases.parquet"
    done.cases.to_parquet(cases)
    return folder, cases, mapping.load_options(done.persons), done.persons


def spec(prepared, out, **team):
    folder, cases, load, _ = prepared
    return fitting.BuildSpec(
        cases=str(cases),
        out=str(folder / out),
        load=load,
        team={"capacity": 0.3, "audit": 0.05, "method": "combine", **team},
        n_bootstrap=10,
    )


@pytest.fixture(scope="module")
def built(prepared):
    """One build, its progress steps and its outcome."""
    steps = []
    outcome = engine.run_build(
        spec(prepared, "ok"),
        on_progress=lambda step, n, total, message: steps.append((n, total)),
        should_cancel=lambda: False,
    )
    return outcome, steps


def test_a_build_reports_its_steps_in_order_and_saves_a_team_that_loads(prepared, built):
    outcome, steps = built
    engine.forget_teams()
    assert outcome.status == "done", outcome.error
    assert [n for n, _ in steps] == sorted(n for n, _ in steps)
    assert steps[-1] == (len(fitting.STEPS), len(fitting.STEPS))
    assert outcome.result["method"] == "combine"
    assert outcome.result["persons"] == prepared[3]
    out = prepared[0] / "ok"
    figures = json.loads((out / "evaluation.json").read_text())
    assert figures["persons"] and figures["team"]["accuracy"] > 0.5
    assert "<svg" in (out / "report_aggregate.html").read_text()
    assert prepared[3][0] not in (out / "report_aggregate.html").read_text()
    assert "dicke_mm" in json.loads((out / "profile.json").read_text())
    team = engine.load_team("ok", out / "team")
    assert engine.load_team("ok", "/nonexistent") is team
    case = {
        "dicke_mm": 1.0,
        "helligkeit": 100.0,
        "flaeche_px": 300.0,
        "kantenindex": 0.2,
        "stahlsorte": "A300",
    }
    assert team.route_one(case, explain=False)["ai_decision"] in {
        "in_ordnung",
        "nacharbeit",
        "ausschuss",
    }


def test_threads_asking_for_one_team_at_once_load_it_once(prepared, built):
    """Pages run on threads: the first requests after a start may ask for a team at the
    same moment. They all get the one team loaded (and loads never run side by side: on
    CPython 3.11 parallel loads could fail in the array headers' ``ast`` parse)."""
    assert built[0].status == "done", built[0].error
    engine.forget_teams()
    folder = prepared[0] / "ok" / "team"
    teams, errors = at_once(6, lambda: engine.load_team("at-once", folder))
    assert errors == [] and len(teams) == 6
    assert all(team is teams[0] for team in teams)
    assert engine.read_team(folder) is not teams[0]  # read again, not from the cache
    assert engine.read_team(folder).persons_ == teams[0].persons_
    engine.forget_teams()


def test_a_cancelled_build_stops_its_process_at_once(prepared):
    asked = []
    outcome = engine.run_build(
        spec(prepared, "cancelled"),
        on_progress=lambda *args: None,
        should_cancel=lambda: asked.append(1) or True,
        check_every=0.0,
    )
    assert outcome.status == "cancelled" and asked
    assert not (prepared[0] / "cancelled" / "team" / "metadata.json").exists()


def test_bad_data_in_a_build_is_a_data_error_not_a_crash(prepared):
    bad = spec(prepared, "bad")
    bad.load = {**bad.load, "target": "nicht_da"}
    outcome = engine.run_build(bad, on_progress=lambda *a: None, should_cancel=lambda: False)
    assert outcome.status == "data_error" and outcome.error["column"] == "nicht_da"


def test_a_web_process_imports_the_teams_persistence_when_it_starts():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = "import sys, humaine.wsgi; print('skops.io' in sys.modules)"
    environment = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(root)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env=environment,
        timeout=300,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr[-2000:]
