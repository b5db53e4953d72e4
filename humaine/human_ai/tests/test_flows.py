"""Upload, map, check and build through the pages, with the real job worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from humaine.core.models import AuditEvent
from humaine.human_ai.models import DataSet, Run, ScenarioKey
from humaine.scenarios.models import Activity

from .conftest import claims_csv, claims_mapping_data


def _upload(client, scenario, name="faelle.csv", content=None, **extra):
    data = {"title": "Schäden 2025", "cases": SimpleUploadedFile(name, content or claims_csv())}
    data.update(extra)
    return client.post(reverse("human_ai:upload", args=[scenario.pk]), data)


def test_upload_shows_the_detected_columns_and_flags_the_codetermination_review(
    cast, client_for, scenario
):
    client = client_for(cast.staff)
    response = _upload(client, scenario)
    dataset = DataSet.objects.get(scenario=scenario)
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "schadenart" in page and "berechtigt" in page and "Anna Berger" in page
    assert dataset.cases_kind == "csv" and dataset.preview.n_rows == 300
    key = ScenarioKey.objects.get(scenario=scenario)
    assert key.codetermination_review_at is not None
    assert Activity.objects.filter(scenario=scenario, verb="codetermination_review").exists()
    listing = client.get(reverse("human_ai:datasets", args=[scenario.pk])).content.decode()
    assert "87" in listing


@pytest.mark.slow
def test_map_check_build_and_read_the_report(cast, client_for, scenario, run_jobs):
    client = client_for(cast.staff)
    _upload(client, scenario)
    dataset = DataSet.objects.get(scenario=scenario)
    url = dataset.get_absolute_url()
    response = client.post(url, claims_mapping_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.READY, dataset.problems
    assert dataset.summary["n_cases"] == 300 and len(dataset.persons) == 5
    assert all(p.startswith("P-") for p in dataset.persons)
    response = client.post(
        reverse("human_ai:run_new", args=[scenario.pk, dataset.pk]),
        {"method": "combine", "capacity": "0.3", "audit": "0.05", "person_capacity": ""},
    )
    run = Run.objects.get(scenario=scenario)
    assert response["Location"] == run.get_absolute_url()
    run_jobs()
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    assert run.progress.status == "done" and run.progress.done == run.progress.total
    page = client.get(run.get_absolute_url()).content.decode()
    assert page.count("<svg") >= 4 and dataset.persons[0] in page
    assert "Anna Berger" not in page
    report = client.get(reverse("human_ai:download", args=[scenario.pk, run.pk, "report"]))
    assert report.status_code == 200 and b"<svg" in b"".join(report.streaming_content)
    card = client.get(reverse("human_ai:download", args=[scenario.pk, run.pk, "model_card_de"]))
    assert card.status_code == 200
    compare = client.get(reverse("human_ai:compare", args=[scenario.pk, dataset.pk]))
    assert "combine" in compare.content.decode()
    assert AuditEvent.objects.filter(action="team_run.started").exists()


@pytest.mark.slow
def test_company_sees_aggregates_unless_a_works_agreement_is_recorded(
    cast, client_for, scenario, run_jobs
):
    from humaine.human_ai import services
    from humaine.human_ai.mapping import Mapping

    client = client_for(cast.staff)
    _upload(client, scenario)
    dataset = DataSet.objects.get(scenario=scenario)
    client.post(dataset.get_absolute_url(), claims_mapping_data())
    run_jobs()
    run = services.start_run(
        DataSet.objects.get(scenario=scenario), method="combine", actor=cast.staff
    )
    run_jobs()
    run.refresh_from_db()
    pseudonym = sorted(run.evaluation["persons"])[0]
    member = client_for(cast.member)
    page = member.get(run.get_absolute_url()).content.decode()
    assert pseudonym not in page and "persons-withheld" in page
    full = reverse("human_ai:download", args=[scenario.pk, run.pk, "report_full"])
    assert member.get(full).status_code == 403
    services.link_person(scenario, user=cast.member, identifier="Anna Berger", actor=cast.staff)
    own = services.pseudonyms.pseudonym(
        bytes(ScenarioKey.objects.get(scenario=scenario).key), "Anna Berger"
    )
    page = member.get(run.get_absolute_url()).content.decode()
    assert own in page and sum(p in page for p in run.evaluation["persons"]) == 1
    mine = member.get(reverse("human_ai:my_figures")).content.decode()
    assert scenario.title in mine
    services.set_works_agreement(scenario, "BV KI-Schaden 2026/3", actor=cast.staff)
    page = member.get(run.get_absolute_url()).content.decode()
    assert all(p in page for p in run.evaluation["persons"])
    assert AuditEvent.objects.filter(action="works_agreement.recorded").exists()
    assert Mapping  # the mapping module is importable next to services
