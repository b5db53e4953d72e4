"""Retiring a scenario's file or one version: hidden, content deleted, trail kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from humaine.core.models import AuditEvent
from humaine.scenarios import services
from humaine.scenarios.models import ScenarioFile
from humaine.tests import factories as f

pytestmark = pytest.mark.django_db


def _upload(scenario, actor, name="plan.pdf", body=b"%PDF-1.4 eins", file=None):
    upload = SimpleUploadedFile(name, body, content_type="application/pdf")
    return services.upload_file(scenario, upload, actor=actor, title="Plan", file=file)


def _storage_has(version) -> bool:
    return version.content.storage.exists(version.content.name)


def test_retiring_a_version_deletes_its_content_and_keeps_the_others(
    cast, world, client_for, django_capture_on_commit_callbacks
):
    scenario = world.scenario
    first = _upload(scenario, cast.staff)
    second = _upload(scenario, cast.staff, body=b"%PDF-1.4 zwei", file=first.file)
    client = client_for(cast.staff)
    retire = reverse("scenarios:file_retire", args=[scenario.pk, first.file.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retire, {"version": "2", "reason": "falsche Fassung"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_retired and not _storage_has(second) and _storage_has(first)
    download = reverse("scenarios:download", args=[scenario.pk, first.file.pk, 2])
    assert client.get(download).status_code == 404
    assert (
        client.get(reverse("scenarios:download", args=[scenario.pk, first.file.pk, 1])).status_code
        == 200
    )
    assert first.file.latest.number == 1
    event = AuditEvent.objects.get(action="scenario.file_version_retired")
    assert event.changes["details"]["reason"] == "falsche Fassung"
    # The last version left is not retired alone.
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(retire, {"version": "1"}, follow=True)
    assert "einzige verbliebene Fassung" in refused.content.decode()
    first.refresh_from_db()
    assert not first.is_retired and _storage_has(first)


def test_a_retired_file_disappears_from_every_list_and_page(
    cast, world, client_for, django_capture_on_commit_callbacks
):
    scenario = world.scenario
    version = _upload(scenario, cast.staff)
    file = version.file
    decision = services.record_decision(
        scenario,
        actor=cast.staff,
        title="Pilot",
        decided_by="Lenkungskreis",
        decided_on="2026-01-01",
        reasons="Gründe",
        evidence=[file],
    )
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("scenarios:file_retire", args=[scenario.pk, file.pk]), {"reason": "veraltet"}
        )
    file.refresh_from_db()
    version.refresh_from_db()
    assert file.is_retired and version.is_retired and not _storage_has(version)
    assert file.retired_by_label and file.retire_reason == "veraltet"
    assert ScenarioFile.objects.filter(pk=file.pk).exists()  # the row stays for the trail
    file_page = reverse("scenarios:file", args=[scenario.pk, file.pk])
    assert client.get(file_page).status_code == 404
    assert (
        client.get(reverse("scenarios:download", args=[scenario.pk, file.pk, 1])).status_code == 404
    )
    for name in ("items", "workspace", "activity"):
        body = client.get(reverse(f"scenarios:{name}", args=[scenario.pk])).content.decode()
        assert file_page not in body, name
    decision_page = client.get(reverse("scenarios:decision", args=[scenario.pk, decision.pk]))
    assert "Plan (stillgelegt)" in decision_page.content.decode()
    assert AuditEvent.objects.filter(action="scenario.file_retired").count() == 1
    # No new version for a retired file; the API will not cite it as evidence.
    with pytest.raises(services.ScenarioError):
        _upload(scenario, cast.staff, file=file)


def test_only_those_who_edit_the_scenario_retire_files(cast, world, client_for):
    scenario = world.scenario
    version = _upload(scenario, cast.staff)
    retire = reverse("scenarios:file_retire", args=[scenario.pk, version.file.pk])
    assert client_for(world.council_user).post(retire).status_code == 403
    assert client_for(f.make_user("fremd")).post(retire).status_code == 404
    version.refresh_from_db()
    assert not version.is_retired and _storage_has(version)


def test_retiring_a_retired_file_again_says_so(cast, world, client_for):
    scenario = world.scenario
    version = _upload(scenario, cast.staff)
    retire = reverse("scenarios:file_retire", args=[scenario.pk, version.file.pk])
    client = client_for(cast.staff)
    assert client.post(retire).status_code == 302
    again = client.post(retire, follow=True)
    assert again.status_code == 200 and "schon stillgelegt" in again.content.decode()
    assert AuditEvent.objects.filter(action="scenario.file_retired").count() == 1
