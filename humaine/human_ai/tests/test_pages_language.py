"""The pages read in the reader's language throughout: the kinds of a data set's columns and
of a service's inputs, why the engine chose its method, percentages and each person's
interval (found walking the pages with a German claims file: English words and decimal
points on German pages, per-person accuracies without intervals)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from humaine.human_ai import services
from humaine.human_ai.problems import Problem

from .conftest import claims_csv


def _cells(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", page)]


def test_the_kinds_of_the_detected_columns_are_in_the_readers_language(cast, client_for, scenario):
    dataset = services.upload_dataset(
        scenario, cases=SimpleUploadedFile("faelle.csv", claims_csv(60)), actor=cast.staff
    )
    kinds = {c.kind for c in dataset.preview.columns}
    assert {"number", "category"} <= kinds
    client = client_for(cast.staff)
    german = _cells(client.get(dataset.get_absolute_url()).content.decode())
    assert "Zahl" in german and "Kategorie" in german
    assert not kinds & set(german)
    with translation.override("en"):
        english = _cells(client.get(dataset.get_absolute_url()).content.decode())
    assert "number" in english and "category" in english and "Zahl" not in english


def test_a_services_inputs_name_their_kind_in_the_readers_language(cast, client_for, service):
    client = client_for(cast.staff)
    cells = _cells(client.get(service.get_absolute_url()).content.decode())
    # the claims team's inputs: vehicle age and previous claims are numbers, the rest categories
    assert "Zahl" in cells and "Kategorie" in cells
    assert not {"numeric", "categorical"} & set(cells)


def test_the_run_page_gives_the_reason_percentages_and_intervals_in_german(
    cast, client_for, finished_run
):
    evaluation = finished_run.evaluation
    client = client_for(cast.staff)
    page = client.get(finished_run.get_absolute_url()).content.decode()
    german, english = (escape(evaluation["selection"][k]) for k in ("reason_de", "reason"))
    assert german in page and english not in page
    team = 100 * evaluation["team"]["accuracy"]
    assert f"{team:.1f} %".replace(".", ",") in page
    assert f"{team:.1f} %" not in page
    for person, figures in evaluation["persons"].items():
        low, high = figures["accuracy_ci"]
        assert f"{low:.3f} – {high:.3f}".replace(".", ",") in page, person

    # the plots' axes and values too
    svg = "".join(re.findall(r"<svg.*?</svg>", page, flags=re.S))
    assert ">0,25<" in svg and ">0.25<" not in svg
    with translation.override("en"):
        text = client.get(finished_run.get_absolute_url()).content.decode()
    assert ">0.25<" in text and ">0,25<" not in text
    assert english in text and f"{team:.1f} %" in text
    low, high = next(iter(evaluation["persons"].values()))["accuracy_ci"]
    assert f"{low:.3f} – {high:.3f}" in text


def test_the_pdf_context_has_the_reason_in_the_readers_language(cast, finished_run):
    from humaine.human_ai import access, report_pdf
    from humaine.scenarios.access import ScenarioAccess

    reader = access.TeamAccess(ScenarioAccess(cast.staff, finished_run.scenario))
    with translation.override("de"):
        context = report_pdf._context(finished_run, reader)
    assert context["method_reason"] == finished_run.evaluation["selection"]["reason_de"]
    assert any(p["interval"].count(",") == 2 for p in context["persons"])


def test_problems_of_the_decisions_name_cases_not_rows():
    # the page then says "(Fälle: ...)"; the whole path is in test_bad_input
    assert Problem("unknown_cases", rows=["X99999"], count=1, source="decisions").rows_are_cases
    assert Problem("decided_twice", rows=["F-1"], source="decisions").rows_are_cases
    assert not Problem("not_numeric", column="betrag", rows=[3]).rows_are_cases
