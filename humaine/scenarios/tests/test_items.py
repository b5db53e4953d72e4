"""Files with versions and limits, decisions, milestones, comments, the instrument page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from humaine.scenarios.models import Comment, FileVersion, InstrumentItem, ScenarioFile

pytestmark = pytest.mark.django_db


def upload(name="plan.pdf", content=b"%PDF-1.4 plan", size=None):
    data = content if size is None else b"x" * size
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_files_get_versions_and_are_served_only_through_the_rules(
    cast, world, client_for, _private_storage
):
    client = client_for(cast.staff)
    url = reverse("scenarios:items", args=[world.scenario.pk])
    response = client.post(url, {"form": "file", "title": "Plan", "upload": upload()})
    assert response.status_code == 302
    file = ScenarioFile.objects.get()
    detail = reverse("scenarios:file", args=[world.scenario.pk, file.pk])
    client.post(detail, {"upload": upload(content=b"%PDF-1.4 v2"), "note": "zweite"})
    assert list(file.versions.values_list("number", flat=True)) == [2, 1]
    stored = file.versions.get(number=1).content.name
    assert stored.startswith(f"scenarios/{world.scenario.pk}/") and "plan" not in stored
    assert (_private_storage / stored).exists()
    download = client_for(world.council_user).get(
        reverse("scenarios:download", args=[world.scenario.pk, file.pk, 2])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 v2"
    assert download["Content-Disposition"].startswith("attachment")
    other = client_for(cast.other_member).get(
        reverse("scenarios:download", args=[world.scenario.pk, file.pk, 2])
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("name", "size", "german"),
    [
        ("big.pdf", 3 * 1024 * 1024, "zu groß"),
        ("run.exe", 10, "nicht angenommen"),
        ("empty.pdf", 0, "leer"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_stored(
    cast, world, client_for, settings, _private_storage, name, size, german
):
    settings.SCENARIO_MAX_FILE_BYTES = 2 * 1024 * 1024
    client = client_for(cast.staff)
    url = reverse("scenarios:items", args=[world.scenario.pk])
    response = client.post(url, {"form": "file", "title": "X", "upload": upload(name, size=size)})
    assert response.status_code == 400
    assert german in response.content.decode()
    assert not ScenarioFile.objects.exists() and not FileVersion.objects.exists()
    assert not _private_storage.exists() or not any(_private_storage.rglob("*.*"))
    english = client.post("/en" + url, {"form": "file", "upload": upload(name, size=size)})
    assert english.status_code == 400


def test_a_failing_save_leaves_no_file_behind(cast, world, monkeypatch, _private_storage):
    from humaine.scenarios import services

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "log", broken)
    with pytest.raises(RuntimeError):
        services.upload_file(world.scenario, upload(), actor=cast.staff, title="Plan")
    assert not ScenarioFile.objects.exists()
    assert not any(_private_storage.rglob("*.pdf"))


def test_decisions_milestones_and_comments(cast, world, client_for):
    client = client_for(cast.staff)
    url = reverse("scenarios:items", args=[world.scenario.pk])
    client.post(
        url,
        {
            "form": "decision",
            "title": "Keine Einzelauswertung",
            "decided_by": "Lenkungskreis",
            "decided_on": "2026-03-01",
            "reasons": "Betriebsrat",
            "alternatives": "Ranking",
        },
    )
    client.post(url, {"form": "milestone", "title": "Pilot", "due_on": "2026-06-01"})
    decision = world.scenario.decisions.get()
    milestone = world.scenario.milestones.get()
    council = client_for(world.council_user)
    comment_url = reverse("scenarios:comment", args=[world.scenario.pk, "decision", decision.pk])
    assert council.post(comment_url, {"text": "Einverstanden."}).status_code == 302
    assert Comment.objects.get().author_label.startswith("betriebsrat")
    page = council.get(reverse("scenarios:decision", args=[world.scenario.pk, decision.pk]))
    assert "Einverstanden." in page.content.decode()
    assert milestone.title == "Pilot"
    feed = client.get(reverse("scenarios:activity", args=[world.scenario.pk])).content.decode()
    assert "Keine Einzelauswertung" in feed and "Pilot" in feed
    # A comment on another scenario's item, or an unknown kind, is not found.
    assert (
        council.post(
            reverse("scenarios:comment", args=[world.scenario.pk, "nope", 1]), {"text": "x"}
        ).status_code
        == 404
    )


def test_an_instrument_file_with_an_error_is_refused_in_the_users_language(cast, client_for):
    client = client_for(cast.staff)
    url = reverse("scenarios:instruments")
    bad = SimpleUploadedFile(
        "neu.yaml", b"items: [{id: TRU-1, scale: trust, source: humaine, text: {de: a, en: b}}]"
    )
    response = client.post(url, {"form": "file", "upload": bad})
    assert response.status_code == 400 and "doppelte id" in response.content.decode()
    broken = SimpleUploadedFile("neu.yaml", b"items: [\n {id: X")
    english = client.post("/en" + url, {"form": "file", "upload": broken})
    assert english.status_code == 400 and "not valid YAML" in english.content.decode()
    good = SimpleUploadedFile(
        "neu.yaml",
        "items: [{id: TRU-9, scale: trust, source: humaine, "
        "text: {de: 'Ich prüfe.', en: 'I check.'}}]".encode(),
    )
    assert client.post(url, {"form": "file", "upload": good}).status_code == 302
    assert InstrumentItem.objects.get().item_id == "TRU-9"
    assert client_for(cast.member).get(url).status_code == 403
