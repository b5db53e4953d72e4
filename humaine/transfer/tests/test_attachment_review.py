"""A published entry's files are added and removed only through the next version's review,
approved by someone other than whoever changed them; a draft entry's files change at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from humaine.core.models import AuditEvent
from humaine.tests import factories as f
from humaine.transfer import services
from humaine.transfer.models import EntryAttachment, EntryVersion, NetworkMember
from humaine.transfer.tests.factories import make_entry, make_member

pytestmark = pytest.mark.django_db


def _upload(client, entry, name="vorlage.pdf", title="Vorlage"):
    upload = SimpleUploadedFile(name, b"%PDF-1.4 Vorlage", content_type="application/pdf")
    response = client.post(f"/knowledge/manage/{entry.pk}/files/", {"file": upload, "title": title})
    assert response.status_code == 302, response.content.decode()[:2000]
    return entry.attachments.get(title=title)


def _readers(cast, client):
    """The anonymous visitor and a network member, each logged in in turn."""
    client.logout()
    yield "anonymous"
    if not NetworkMember.objects.filter(organisation=cast.acme).exists():
        make_member(cast.acme)
    client.force_login(cast.member)
    yield "member"
    client.logout()


def _seen(client, entry, attachment) -> dict:
    page = client.get(f"/knowledge/{entry.slug}/").content.decode()
    download = client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/")
    api = client.get(f"/api/v1/entries/{entry.slug}").json()
    return {
        "page": f"/files/{attachment.pk}/" in page,
        "download": download.status_code,
        "api": any(a["url"].endswith(f"/files/{attachment.pk}/") for a in api["attachments"]),
    }


def _approve(author, reviewer, entry):
    version = services.open_version(entry)
    if version.status == EntryVersion.Status.DRAFT:
        services.submit_for_review(author, version)
    services.approve_version(reviewer, version)


def test_a_file_added_to_a_published_entry_waits_for_the_review(cast, client):
    entry = make_entry(cast.staff, cast.admin)
    client.force_login(cast.staff)
    attachment = _upload(client, entry)
    assert attachment.change == EntryAttachment.Change.ADD
    editor_page = client.get(f"/knowledge/manage/{entry.pk}/").content.decode()
    assert "hinzugefügt, sobald die nächste Fassung freigegeben ist" in editor_page
    # The editor may open the waiting file to review it.
    assert client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/").status_code == 200
    for _reader in _readers(cast, client):
        assert _seen(client, entry, attachment) == {"page": False, "download": 404, "api": False}
    assert not entry.usage.filter(downloads__gt=0).exists()
    # Whoever added the file cannot approve the version that publishes it.
    version = services.open_version(entry)
    services.submit_for_review(cast.admin, version)  # submitted by someone else
    with pytest.raises(services.EntryError):
        services.approve_version(cast.staff, version)
    client.force_login(cast.staff)
    response = client.post(f"/knowledge/versions/{version.pk}/approve/")
    assert response.status_code == 403
    assert EntryAttachment.objects.get(pk=attachment.pk).change == EntryAttachment.Change.ADD
    # Someone else approves it: readers see and download the file.
    services.approve_version(f.make_staff(), version)
    for _reader in _readers(cast, client):
        assert _seen(client, entry, attachment) == {"page": True, "download": 200, "api": True}
    event = AuditEvent.objects.filter(action="entry.published").first()
    assert event.changes["details"]["files_added"] == ["Vorlage"]


def test_the_author_cannot_approve_their_own_file(cast, client):
    entry = make_entry(cast.staff, cast.admin)
    client.force_login(cast.staff)
    attachment = _upload(client, entry)
    version = services.open_version(entry)
    services.submit_for_review(cast.staff, version)
    with pytest.raises(services.EntryError):
        services.approve_version(cast.staff, version)
    assert client.post(f"/knowledge/versions/{version.pk}/approve/").status_code == 403
    assert EntryAttachment.objects.get(pk=attachment.pk).change == EntryAttachment.Change.ADD
    client.logout()
    assert client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/").status_code == 404
    client.force_login(cast.admin)
    assert client.post(f"/knowledge/versions/{version.pk}/approve/").status_code == 302
    client.logout()
    assert client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/").status_code == 200


def test_a_removal_waits_for_the_review_and_the_file_goes_after_the_commit(
    cast, client, django_capture_on_commit_callbacks
):
    entry = make_entry(cast.staff, cast.admin, publish=False)
    client.force_login(cast.staff)
    attachment = _upload(client, entry)
    assert attachment.change == ""  # a draft entry's file is there at once
    _approve(cast.staff, cast.admin, entry)
    entry.refresh_from_db()
    assert entry.is_published
    storage, name = attachment.file.storage, attachment.file.name
    response = client.post(f"/knowledge/manage/{entry.pk}/files/{attachment.pk}/remove/")
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.change == EntryAttachment.Change.REMOVE and storage.exists(name)
    assert "entfernt, sobald die nächste Fassung freigegeben ist" in (
        client.get(f"/knowledge/manage/{entry.pk}/").content.decode()
    )
    assert AuditEvent.objects.filter(action="entry.attachment_removal_requested").exists()
    for _reader in _readers(cast, client):
        assert _seen(client, entry, attachment) == {"page": True, "download": 200, "api": True}
    version = services.open_version(entry)
    services.submit_for_review(cast.admin, version)
    with pytest.raises(services.EntryError):
        services.approve_version(cast.staff, version)  # asked for the removal
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_version(f.make_staff(), version)
    assert not EntryAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    for _reader in _readers(cast, client):
        assert client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="entry.published").first()
    assert event.changes["details"]["files_removed"] == ["Vorlage"]


def test_a_removal_can_be_withdrawn_and_a_waiting_file_removed_at_once(cast, client):
    entry = make_entry(cast.staff, cast.admin, publish=False)
    client.force_login(cast.staff)
    kept = _upload(client, entry, title="Bleibt")
    _approve(cast.staff, cast.admin, entry)
    client.post(f"/knowledge/manage/{entry.pk}/files/{kept.pk}/remove/")
    client.post(f"/knowledge/manage/{entry.pk}/files/{kept.pk}/keep/")
    kept.refresh_from_db()
    assert kept.change == "" and kept.change_by is None
    waiting = _upload(client, entry, title="Neu")
    client.post(f"/knowledge/manage/{entry.pk}/files/{waiting.pk}/remove/")
    assert not EntryAttachment.objects.filter(pk=waiting.pk).exists()


def test_a_draft_entrys_files_change_at_once(cast, client, django_capture_on_commit_callbacks):
    entry = make_entry(cast.staff, publish=False)
    client.force_login(cast.staff)
    attachment = _upload(client, entry)
    assert attachment.change == "" and services.open_version(entry).number == 1
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/manage/{entry.pk}/files/{attachment.pk}/remove/")
    assert not EntryAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
