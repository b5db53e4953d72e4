"""The teaming command end to end on the sample that ships with the tests."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from teaming.cli import main

from .conftest import SAMPLE

CLAIMS = str(SAMPLE / "claims.csv")
DECISIONS = str(SAMPLE / "decisions.csv")


@pytest.fixture(scope="module")
def team_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "team"
    code = main(
        [
            "--quiet",
            "fit",
            CLAIMS,
            "--target",
            "outcome",
            "--id",
            "case_id",
            "--decisions",
            DECISIONS,
            "--capacity",
            "0.3",
            "--audit",
            "0.05",
            "--method",
            "combine",
            "--text",
            "description",
            "--groups",
            "region",
            "--time",
            "received",
            "--features",
            "amount,kind,age,description",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_fit_writes_a_team_directory(team_dir):
    assert (team_dir / "metadata.json").is_file() and (team_dir / "MODELLKARTE.md").is_file()


def test_evaluate_json_has_the_promised_keys(team_dir, capsys):
    capsys.readouterr()
    code = main(
        [
            "--quiet",
            "evaluate",
            str(team_dir),
            CLAIMS,
            "--decisions",
            DECISIONS,
            "--json",
            "--bootstrap",
            "20",
        ]
    )
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["n_cases"] == 400
    for key in ["team", "ai", "oracle"]:
        assert 0 <= figures[key]["accuracy"] <= 1
    assert 0 <= figures["human_share"] <= 0.3 + 1e-9
    assert set(figures["persons"]) == {"anna", "ben", "cem"}
    for person in figures["persons"].values():
        assert {"accuracy", "workload"} <= set(person)
    assert "region" in figures["groups"]


def test_route_writes_csv_and_json_lines_with_explanations(team_dir, tmp_path):
    cases = pd.read_csv(CLAIMS).drop(columns=["outcome", "anna", "ben"]).head(25)
    cases_path = tmp_path / "new.csv"
    cases.to_csv(cases_path, index=False)
    assert (
        main(
            ["--quiet", "route", str(team_dir), str(cases_path), "--out", str(tmp_path / "out.csv")]
        )
        == 0
    )
    routed = pd.read_csv(tmp_path / "out.csv")
    assert len(routed) == 25 and routed.case_id.tolist() == cases.case_id.tolist()
    assert routed.explanation.str.len().min() > 20
    assert (
        main(
            [
                "--quiet",
                "route",
                str(team_dir),
                str(cases_path),
                "--stream",
                "--out",
                str(tmp_path / "out.jsonl"),
            ]
        )
        == 0
    )
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    record = json.loads(lines[0])
    assert len(lines) == 25 and record["routed_to"] and record["explanation_de"]


def test_report_writes_self_contained_html(team_dir, tmp_path):
    out = tmp_path / "report.html"
    assert (
        main(
            [
                "--quiet",
                "report",
                str(team_dir),
                CLAIMS,
                "--decisions",
                DECISIONS,
                "--bootstrap",
                "10",
                "--language",
                "de",
                "--persons",
                "pseudonymous",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    html = out.read_text()
    # self-contained: inline SVG, no scripts, no linked files
    assert html.count("<svg") >= 4 and "<script" not in html
    # in German, persons under pseudonyms
    assert '<html lang="de">' in html and "Person 1" in html
    assert not any(f">{name}<" in html for name in ["anna", "ben", "cem"])
    assert "Mensch-KI-Team: Auswertung" in html
    assert "<link" not in html and 'src="' not in html and 'href="http' not in html


def test_fit_with_wide_humans_and_auto_method(tmp_path, capsys):
    out = tmp_path / "wide"
    assert (
        main(
            [
                "--quiet",
                "fit",
                CLAIMS,
                "--target",
                "outcome",
                "--humans",
                "anna,ben",
                "--features",
                "amount,kind,age",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["method"] and summary["reason"]
    assert main(["--quiet", "evaluate", str(out), CLAIMS, "--json", "--bootstrap", "0"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["persons"]) == {"anna", "ben"}


def test_bad_data_exits_3_with_a_message_naming_the_column(tmp_path, capsys):
    bad = pd.read_csv(CLAIMS)
    bad.loc[[2, 5], "anna"] = "maybe"
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    code = main(
        [
            "--quiet",
            "fit",
            str(path),
            "--target",
            "outcome",
            "--humans",
            "anna,ben",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3 and "'anna'" in err and "maybe" in err
    code = main(
        [
            "--quiet",
            "fit",
            str(tmp_path / "missing.csv"),
            "--target",
            "y",
            "--humans",
            "a",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert code == 3 and "file not found" in capsys.readouterr().err


def test_bad_model_directory_exits_4(tmp_path, capsys):
    assert main(["--quiet", "evaluate", str(tmp_path), CLAIMS, "--json"]) == 4
    assert "not a saved team" in capsys.readouterr().err


def test_usage_errors_exit_2_and_every_command_has_help():
    with pytest.raises(SystemExit) as exit_info:
        main(["fit", CLAIMS])  # --target and --out missing
    assert exit_info.value.code == 2
    for command in ["fit", "evaluate", "route", "report"]:
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "teaming.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "fit" in result.stdout and "Exit codes" in result.stdout
