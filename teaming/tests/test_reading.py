"""Reading the files people have: German number and date formats, Windows-1252, decisions.

The fixtures are written the way a German claims department exports them from a
spreadsheet: ``;`` between columns, decimal commas with ``.`` grouping thousands,
``DD.MM.YYYY`` dates, Windows-1252 text with euro signs and umlauts.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from teaming import DataError, HumanAITeam, load_data, read_table
from teaming.cli import main
from teaming.data import DataWarning
from teaming.persist import load_team

KINDS = ["Glas", "Sturm", "Hagel", "Leitungswasser", "Einbruch"]


def german_number(value: float) -> str:
    """1234.5 -> '1.234,50' (as a German spreadsheet writes it)."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def german_claims(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims as written to the file, and the same values as the numbers they mean."""
    rng = np.random.default_rng(seed)
    amount = np.round(rng.lognormal(7.0, 1.0, n), 2)
    kind = rng.choice(KINDS, n)
    age = rng.integers(18, 80, n)
    days = np.sort(rng.integers(0, 700, n))
    received = pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")
    score = (amount > 1500) * 1.0 + (kind == "Einbruch") * 1.0 + rng.normal(0, 0.6, n)
    justified = np.where(score > 0.8, "nein", "ja")
    truth = pd.DataFrame(
        {
            "Schadennummer": [f"S-{k:05d}" for k in range(n)],
            "Betrag": amount,
            "Schadenart": kind,
            "Alter": age,
            "Eingang": received,
            "Bemerkung": [f"Selbstbeteiligung 150 € – {k} Prüfung" for k in kind],
            "berechtigt": justified,
        }
    )
    written = truth.copy()
    written["Betrag"] = [german_number(v) for v in amount]
    written["Eingang"] = received.strftime("%d.%m.%Y")
    return written, truth


def decisions_for(truth: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for person, skill in [("Frau Özdemir", 0.9), ("Herr Müller", 0.75)]:
        for case, label in zip(truth.Schadennummer, truth.berechtigt):
            if rng.random() < 0.6:
                other = "nein" if label == "ja" else "ja"
                rows.append((case, person, label if rng.random() < skill else other))
    return pd.DataFrame(rows, columns=["Schadennummer", "Sachbearbeiter", "Entscheidung"])


def write_cp1252(frame: pd.DataFrame, path) -> str:
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")
    return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("german")
    written, truth = german_claims()
    return {
        "cases": write_cp1252(written, folder / "schaeden.csv"),
        "decisions": write_cp1252(decisions_for(truth), folder / "entscheidungen.csv"),
        "truth": truth,
        "written": written,
        "folder": folder,
    }


def load_german(files, **kwargs):
    return load_data(
        files["cases"],
        target="berechtigt",
        id="Schadennummer",
        decisions=files["decisions"],
        decision_columns=("Schadennummer", "Sachbearbeiter", "Entscheidung"),
        time="Eingang",
        text_features=["Bemerkung"],
        **kwargs,
    )


def test_a_german_export_reads_numbers_dates_and_euro_signs_without_options(files):
    data = load_german(files)
    truth = files["truth"]
    assert data.feature_types["Betrag"] == "numeric"
    np.testing.assert_allclose(data.X["Betrag"].to_numpy(dtype=float), truth.Betrag)
    # 03.04.2023 is the 3rd of April, never the 4th of March
    np.testing.assert_array_equal(data.time, truth.Eingang.to_numpy())
    assert data.X["Bemerkung"].iloc[0].startswith("Selbstbeteiligung 150 € – ")
    assert data.persons == ["Frau Özdemir", "Herr Müller"]
    assert data.read_options == {"decimal": ",", "thousands": ".", "dayfirst": True}


def test_thousands_separators_and_currency_signs_are_read_as_numbers(tmp_path):
    path = tmp_path / "betraege.csv"
    path.write_text("betrag;art\n1.234.567,89 €;a\n-12,5;b\n€ 3;a\n", encoding="utf-8")
    assert read_table(path).betrag.tolist() == [1234567.89, -12.5, 3.0]
    path.write_text('amount,kind\n"1,234.5",a\n0.125,b\n', encoding="utf-8")
    assert read_table(path).amount.tolist() == [1234.5, 0.125]


def test_numbers_that_read_both_ways_are_refused_with_the_column_and_the_fix(tmp_path):
    path = tmp_path / "mehrdeutig.csv"
    path.write_text("betrag;art\n1.234;a\n12.500;b\n7;a\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'betrag'.*1\.234.*--decimal") as err:
        read_table(path)
    assert err.value.column == "betrag"
    assert read_table(path, decimal=",").betrag.tolist() == [1234, 12500, 7]
    assert read_table(path, decimal=".").betrag.tolist() == [1.234, 12.5, 7.0]


def test_a_column_of_numbers_with_a_few_words_is_refused_not_turned_into_categories(tmp_path):
    values = [german_number(v) for v in np.linspace(10, 2000, 40)]
    values[7] = "unbekannt"
    path = tmp_path / "luecken.csv"
    pd.DataFrame({"betrag": values, "y": ["ja", "nein"] * 20}).to_csv(path, sep=";", index=False)
    with pytest.raises(DataError, match=r"'betrag'.*unbekannt.*--na-values.*--categorical"):
        read_table(path)
    table = read_table(path, na_values=["unbekannt"])
    assert table.betrag.isna().sum() == 1 and table.betrag.dtype == np.float64
    assert read_table(path, categorical=["betrag"]).betrag.iloc[7] == "unbekannt"


def test_day_first_dates_are_detected_and_ambiguous_ones_need_an_option(tmp_path):
    path = tmp_path / "daten.csv"
    frame = pd.DataFrame({"x": range(20), "y": [0, 1] * 10})
    frame["t"] = [f"{d:02d}/{m:02d}/2024" for d, m in zip(range(1, 21), [1, 2] * 10)]
    frame.to_csv(path, index=False)
    data = load_data(path, target="y", time="t")
    assert str(data.time[12])[:10] == "2024-01-13" and data.read_options["dayfirst"] is True
    frame["t"] = [f"{m:02d}/{d:02d}/2024" for d, m in zip(range(1, 21), [1, 2] * 10)]
    frame.to_csv(path, index=False)
    assert str(load_data(path, target="y", time="t").time[12])[:10] == "2024-01-13"
    frame["t"] = [f"{d:02d}/03/2024" for d in range(1, 13)] + ["01/04/2024"] * 8
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="time column 't'.*day-first and month-first.*--dayfirst"):
        load_data(path, target="y", time="t")
    day_first = load_data(path, target="y", time="t", read_options={"dayfirst": True})
    assert str(day_first.time[1])[:10] == "2024-03-02"
    explicit = load_data(path, target="y", time="t", read_options={"date_format": "%m/%d/%Y"})
    assert str(explicit.time[1])[:10] == "2024-02-03"


def test_unreadable_dates_name_the_values_and_the_format_option(tmp_path):
    path = tmp_path / "daten.csv"
    pd.DataFrame({"y": [0, 1, 0], "t": ["31.12.2024", "01.01.2025", "irgendwann"]}).to_csv(
        path, index=False
    )
    with pytest.raises(DataError, match=r"'t'.*irgendwann.*rows 2.*--date-format"):
        load_data(path, target="y", time="t")


def test_windows_1252_keeps_euro_signs_and_bad_encodings_are_refused(tmp_path):
    path = tmp_path / "notiz.csv"
    path.write_bytes("notiz;y\nSB 150 € „geprüft“;1\nÄrger;0\n".encode("cp1252"))
    assert read_table(path).notiz.tolist() == ["SB 150 € „geprüft“", "Ärger"]
    assert read_table(path).attrs["read_options"]["encoding"] == "cp1252"
    with pytest.raises(DataError, match=r"line 2.*control character.*'€'.*cp1252"):
        read_table(path, encoding="latin-1")
    path.write_bytes(b"notiz;y\nabc\x81;1\n")
    with pytest.raises(DataError, match=r"0x81 on line 2.*--encoding"):
        read_table(path)
    path.write_bytes("notiz;y\nSB 150 €;1\n".encode("utf-8-sig"))
    assert list(read_table(path).columns) == ["notiz", "y"]


def test_decisions_for_unknown_cases_are_an_error_or_a_counted_warning(files, tmp_path):
    decisions = pd.read_csv(files["decisions"], sep=";", encoding="cp1252")
    extra = pd.DataFrame(
        {
            "Schadennummer": ["S-99998", "S-99999", "S-99999"],
            "Sachbearbeiter": ["Herr Müller", "Herr Müller", "Frau Özdemir"],
            "Entscheidung": ["ja", "nein", "ja"],
        }
    )
    path = write_cp1252(pd.concat([decisions, extra]), tmp_path / "mehr.csv")
    with pytest.raises(DataError, match=r"3 decision\(s\) for 2 case id\(s\).*S-99998, S-99999"):
        load_german({**files, "decisions": path})
    with pytest.warns(DataWarning, match=r"3 decision\(s\) for 2 case id\(s\)"):
        data = load_german({**files, "decisions": path}, unknown_decisions="warn")
    assert int((data.H >= 0).sum()) == len(decisions)


@pytest.fixture(scope="module")
def cli_team(files):
    out = files["folder"] / "team"
    code = main(
        [
            "--quiet",
            "fit",
            files["cases"],
            "--target",
            "berechtigt",
            "--id",
            "Schadennummer",
            "--decisions",
            files["decisions"],
            "--case-column",
            "Schadennummer",
            "--person-column",
            "Sachbearbeiter",
            "--decision-column",
            "Entscheidung",
            "--time",
            "Eingang",
            "--text",
            "Bemerkung",
            "--method",
            "combine",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_the_team_keeps_its_reading_options_and_route_reads_new_files_with_them(
    cli_team, files, tmp_path
):
    saved = json.loads((cli_team / "metadata.json").read_text())["schema"]["read_options"]
    assert saved == {"decimal": ",", "thousands": ".", "dayfirst": True}
    written, truth = german_claims(40, seed=7)
    # a later export whose amounts alone would not say which decimal mark they use
    written["Betrag"] = [german_number(round(v)).split(",")[0] for v in truth.Betrag]
    written.loc[0, "Betrag"] = "1.250"
    truth["Betrag"] = [float(str(v).replace(".", "")) for v in written.Betrag]
    new = write_cp1252(written.drop(columns="berechtigt"), tmp_path / "neu.csv")
    out = tmp_path / "routed.csv"
    assert main(["--quiet", "route", str(cli_team), new, "--out", str(out), "--no-explain"]) == 0
    routed = pd.read_csv(out)
    team = load_team(cli_team)
    expected = team.route(truth.drop(columns="berechtigt"), explain=False)
    np.testing.assert_allclose(routed.ai_confidence, expected.ai_confidence, rtol=1e-6)
    assert routed.routed_to.tolist() == expected.routed_to.tolist()


def test_evaluate_reads_a_german_held_out_file_without_repeating_options(cli_team, files, capsys):
    capsys.readouterr()
    code = main(
        [
            "--quiet",
            "evaluate",
            str(cli_team),
            files["cases"],
            "--decisions",
            files["decisions"],
            "--case-column",
            "Schadennummer",
            "--person-column",
            "Sachbearbeiter",
            "--decision-column",
            "Entscheidung",
            "--json",
            "--bootstrap",
            "10",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["n_cases"] == 300


def test_a_value_the_training_data_read_never_turns_missing_at_route_time(files):
    data = load_german(files)
    team = HumanAITeam(method="ai_only").fit(data)
    cases = files["written"].drop(columns="berechtigt").head(5).copy()
    # text as written in a German file: read with the team's decimal comma
    fine = team.route(cases, explain=False)
    expected = team.route(files["truth"].drop(columns="berechtigt").head(5), explain=False)
    np.testing.assert_allclose(fine.ai_confidence, expected.ai_confidence)
    cases.loc[3, "Betrag"] = "12 Euro 50"
    with pytest.raises(DataError, match=r"column 'Betrag'.*12 Euro 50.*rows 3"):
        team.route(cases, explain=False)
    case = cases.iloc[0].to_dict()
    assert team.route_one(case, explain=False)["ai_confidence"] == pytest.approx(
        fine.ai_confidence.iloc[0], rel=1e-5
    )
    with pytest.raises(DataError, match="column 'Betrag'"):
        team.route_one({**case, "Betrag": "1.5.3"}, explain=False)


def test_the_cli_says_what_is_wrong_with_a_file_and_exits_3(files, tmp_path, capsys):
    path = tmp_path / "mehrdeutig.csv"
    path.write_text("betrag;y;anna\n1.234;ja;ja\n12.500;nein;nein\n", encoding="utf-8")
    code = main(["--quiet", "fit", str(path), "--target", "y", "--humans", "anna", "--out", "x"])
    assert code == 3
    assert "column 'betrag'" in capsys.readouterr().err
