"""The PDF of a run's report: the page's figures and plots, per-person figures only for
those who see every person, 404 for strangers, rate-limited and cached like the check's."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from humaine.contact import services as contact_services
from humaine.human_ai.models import PersonLink, Run
from humaine.tests import factories as f
from humaine.tests.leaks import find_everywhere

from .conftest import TEAM_PERSONS


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def url_of(run) -> str:
    return reverse("human_ai:run_pdf", args=[run.scenario_id, run.pk])


def test_staff_get_the_report_with_plots_and_every_person(cast, client_for, finished_run):
    response = client_for(cast.staff).get(url_of(finished_run))
    text = text_of(response)
    assert f"Lauf {finished_run.number} von {finished_run.dataset.title}" in text
    assert "Wie das Team über zurückgehaltene Fälle entscheidet" in text
    assert "KI allein" in text and "Abdeckungskurve" in text
    # the SVG plots are drawn into the PDF: their axis labels are text in it
    assert "Anteil der von Menschen entschiedenen Fälle" in text and "Sicherheit" in text
    persons = set(finished_run.evaluation["persons"])
    assert persons and all(p in text for p in persons)
    assert response["Content-Disposition"].endswith('-report-persons.pdf"')


def test_readers_get_it_without_per_person_figures_and_strangers_nothing(
    cast, client_for, finished_run
):
    text = text_of(client_for(cast.member).get(url_of(finished_run)))
    assert "Wie das Team über zurückgehaltene Fälle entscheidet" in text
    assert not any(p in text for p in TEAM_PERSONS)
    assert "nur für Lesende, die jede Person sehen" in text
    assert client_for(cast.other_member).get(url_of(finished_run)).status_code == 404
    forged = reverse("human_ai:run_pdf", args=[finished_run.scenario_id, finished_run.pk + 999])
    assert client_for(cast.staff).get(forged).status_code == 404


def test_an_unfinished_run_has_no_pdf(cast, client_for, finished_run):
    Run.objects.filter(pk=finished_run.pk).update(status=Run.Status.RUNNING)
    assert client_for(cast.staff).get(url_of(finished_run)).status_code == 404


def test_renders_are_cached_and_limited_per_address(
    cast, client_for, finished_run, renders, settings
):
    settings.PDF_RATE_LIMIT = 1
    # one long window: a fixed window that ends between two requests would let the
    # second through (seen under load)
    settings.PDF_RATE_WINDOW_SECONDS = 10**6
    settings.LOW_PRIORITY_NICE = 19
    client = client_for(cast.staff)
    url = url_of(finished_run)
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url).content == first.content  # from the cache
    [(thread, nice)] = renders  # rendered once, in the low-priority thread (core.low_priority)
    assert thread.startswith("humaine-low-priority") and nice in (19, None)
    refused = client.get(f"/en{url}")  # another PDF: over the limit
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    english = client.get(f"/en{url}", REMOTE_ADDR="192.0.2.9")
    assert "How the team decides on held-out cases" in text_of(english)
    assert len(renders) == 2


@pytest.mark.filterwarnings("ignore::teaming.DataWarning")
def test_an_erased_person_leaves_no_cached_pdf_behind(cast, client_for, finished_run):
    person = TEAM_PERSONS[0]
    assert person in text_of(client_for(cast.staff).get(url_of(finished_run)))
    assert any(leak.table == "cache" for leak in find_everywhere(person))
    PersonLink.objects.create(scenario=finished_run.scenario, pseudonym=person, user=cast.member)
    contact_services.erase_person(
        f.make_person(organisation=cast.acme, user=cast.member), actor=cast.staff
    )
    assert not find_everywhere(person)
    text = text_of(client_for(cast.staff).get(url_of(finished_run)))
    assert person not in text and "X-" in text
