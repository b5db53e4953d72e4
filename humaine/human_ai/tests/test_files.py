"""Uploaded files: what they really are, their preview and detected columns."""

import io
import zipfile

import pandas as pd
import pytest
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory
from django.utils import translation

from humaine.human_ai import synthetic, tables
from humaine.human_ai.uploads import DataUploadHandler, UploadProblem, sniff, upload_errors


@pytest.fixture
def claims():
    return synthetic.make("insurance", 300, seed=3)


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def parquet_bytes(frame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()


def xlsx_bytes(frame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def test_each_kind_is_recognised_when_it_is_what_its_name_says(tmp_path, claims):
    csv = write(tmp_path, "a.csv", claims.to_csv(index=False, sep=";").encode("cp1252"))
    assert sniff(csv, "Fälle.csv").kind == "csv"
    assert sniff(write(tmp_path, "b", parquet_bytes(claims)), "x.parquet").kind == "parquet"
    assert sniff(write(tmp_path, "c", xlsx_bytes(claims.head(20))), "x.xlsx").kind == "xlsx"


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("faelle.csv", lambda f: parquet_bytes(f), "Parquet"),
        ("faelle.parquet", lambda f: f.to_csv().encode(), "CSV"),
        ("faelle.xlsx", lambda f: b"\xd0\xcf\x11\xe0" + bytes(100), ".xls"),
        ("faelle.xlsx", lambda f: _zip(), "ZIP"),
        ("faelle.csv", lambda f: bytes(range(256)) * 4, "binary"),
        ("faelle.parquet", lambda f: parquet_bytes(f)[:-10], "damaged"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_with_what_it_is(
    tmp_path, claims, name, make, says
):
    path = write(tmp_path, "upload", make(claims))
    with translation.override("en"), pytest.raises(UploadProblem) as refused:
        sniff(path, name)
    assert says in str(refused.value)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def test_unknown_suffixes_and_empty_files_are_refused_in_german(tmp_path):
    with translation.override("de"):
        with pytest.raises(UploadProblem, match="xlsx"):
            sniff(write(tmp_path, "a", b"x"), "alt.xls")
        with pytest.raises(UploadProblem, match="leer"):
            sniff(write(tmp_path, "b", b""), "leer.csv")
        with pytest.raises(UploadProblem, match="CSV-, Parquet-"):
            sniff(write(tmp_path, "c", b"x"), "bild.png")


def test_the_upload_handler_streams_to_disk_and_drops_a_file_past_the_limit():
    request = RequestFactory().post("/")
    handler = DataUploadHandler(request, limit=100_000)
    handler.new_file("cases", "a.csv", "text/csv", None)
    for _ in range(10):
        handler.receive_data_chunk(b"x" * 9_000, 0)
    received = handler.file_complete(90_000)
    assert received.size == 90_000 and len(received.head) == 64 * 1024
    assert received.temporary_file_path()
    handler.new_file("decisions", "b.csv", "text/csv", None)
    with pytest.raises(SkipFile):
        for _ in range(20):
            handler.receive_data_chunk(b"y" * 9_000, 0)
    assert "0.1 MB" in upload_errors(request)["decisions"]


def test_a_csv_preview_reads_only_the_start_and_estimates_the_rows(tmp_path, claims, monkeypatch):
    big = pd.concat([claims] * 20, ignore_index=True)
    text = big.to_csv(index=False, sep=";", decimal=",")
    path = write(tmp_path, "big.csv", text.encode("utf-8"))
    monkeypatch.setattr(tables, "SAMPLE_BYTES", 50_000)
    seen = tables.preview(path, "csv")
    assert not seen.n_rows_exact and abs(seen.n_rows - len(big)) / len(big) < 0.1
    assert seen.read_options["decimal"] == "," and seen.read_options["sep"] == ";"
    kinds = {c.name: c.kind for c in seen.columns}
    assert kinds["schadenhoehe"] == "number"
    assert kinds["schilderung"] == "text"
    assert kinds["eingang"] == "date"
    assert kinds["region"] == "category"
    assert len(seen.rows) == tables.PREVIEW_ROWS


def test_the_preview_shows_every_digit_of_a_german_file(tmp_path):
    text = "fall;betrag;vertrag\r\nF1;18.745,74;1234567\r\nF2;1.234.567,89;1234568\r\nF3;0,5;\r\n"
    seen = tables.preview(write(tmp_path, "faelle.csv", text.encode("cp1252")), "csv")
    assert seen.read_options["decimal"] == ","
    assert [row[1:] for row in seen.rows] == [
        ["18745.74", "1234567"],
        ["1234567.89", "1234568"],
        ["0.5", ""],
    ]


def test_parquet_and_xlsx_previews_count_rows_and_name_sheets(tmp_path, claims):
    seen = tables.preview(write(tmp_path, "p", parquet_bytes(claims)), "parquet")
    assert seen.n_rows == 300 and seen.n_rows_exact
    seen = tables.preview(write(tmp_path, "x", xlsx_bytes(claims)), "xlsx")
    assert seen.n_rows == 300 and seen.sheets == ["Sheet1"]
    assert {c.name: c.kind for c in seen.columns}["schadenhoehe"] == "number"


def test_suggestions_find_id_target_time_text_groups_and_decision_columns(claims):
    suggested = tables.suggest_mapping(tables.describe(claims))
    assert suggested["id"] == "fall_nr"
    assert suggested["target"] == "berechtigt"
    assert suggested["time"] == "eingang"
    assert suggested["text_features"] == ["schilderung"]
    assert suggested["groups"] == ["altersgruppe", "region"]
    assert "altersgruppe" in suggested["features"]
    assert set(suggested["humans"]) == set(synthetic.PERSONS["insurance"])
    assert "schadenhoehe" in suggested["features"] and "fall_nr" not in suggested["features"]
    long = synthetic.long_decisions(claims, "insurance")
    assert tables.suggest_decision_columns(tables.describe(long)) == {
        "case": "fall_nr",
        "person": "bearbeiter",
        "decision": "entscheidung",
    }
