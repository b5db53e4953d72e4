"""A published entry's classification (sectors, disciplines, recommendations, visibility)
changes only through a new version that someone other than its author approves."""

import pytest

from humaine.core.models import AuditEvent
from humaine.transfer import services
from humaine.transfer.models import Entry, Visibility
from humaine.transfer.tests.factories import make_entry

pytestmark = pytest.mark.django_db


def _published(cast):
    return make_entry(
        cast.staff,
        cast.admin,
        title_de="Methode",
        visibility=Visibility.PUBLIC,
        sectors=[cast.sectors["insurance"]],
        disciplines=["work_science"],
    )


def test_a_classification_change_waits_for_the_review(cast):
    entry = _published(cast)
    published = entry.published_version
    data = services.EntryData(
        texts={"title_de": "Methode", "maturity": 3},
        sectors=[cast.sectors["insurance"], cast.sectors["health"]],
        disciplines=["engineering"],
        visibility=Visibility.STAFF,
    )
    draft = services.save_draft(cast.staff, entry, data)
    entry = Entry.objects.get(pk=entry.pk)
    # The published entry is as it was: same version, visibility, sectors, disciplines.
    assert entry.published_version_id == published.pk
    assert entry.visibility == Visibility.PUBLIC
    assert list(entry.sectors.values_list("slug", flat=True)) == ["insurance"]
    assert entry.discipline_codes == ["work_science"]
    assert draft.classification == {
        "sectors": ["health", "insurance"],
        "disciplines": ["engineering"],
        "visibility": "staff",
    }
    services.submit_for_review(cast.staff, draft)
    with pytest.raises(services.EntryError):
        services.approve_version(cast.staff, draft)  # not by its author
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.visibility == Visibility.PUBLIC and entry.published_version_id == published.pk
    services.approve_version(cast.admin, draft)
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.published_version_id == draft.pk
    assert entry.visibility == Visibility.STAFF
    assert sorted(entry.sectors.values_list("slug", flat=True)) == ["health", "insurance"]
    assert entry.discipline_codes == ["engineering"]
    event = AuditEvent.objects.filter(action="entry.published").first()
    assert event.changes["fields"]["classification"]["before"]["visibility"] == "public"
    assert event.changes["fields"]["classification"]["after"]["visibility"] == "staff"


def test_the_editor_page_keeps_the_published_entry_and_shows_what_waits(cast, client):
    entry = _published(cast)
    client.force_login(cast.staff)
    form = {
        "title_de": "Methode",
        "summary_de": "Kurzfassung.",
        "maturity": "3",
        "sectors": ["insurance"],
        "disciplines": ["work_science"],
        "visibility": "members",
    }
    response = client.post(f"/knowledge/manage/{entry.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PUBLIC
    page = client.get(f"/knowledge/manage/{entry.pk}/").content.decode()
    assert "wirksam sobald diese Fassung freigegeben ist" in page
    # Readers still see the published entry.
    client.logout()
    assert client.get(f"/knowledge/{entry.slug}/").status_code == 200


def test_the_visibility_of_a_published_entry_is_not_changed_directly(cast, client):
    entry = _published(cast)
    client.force_login(cast.staff)
    response = client.post(
        f"/knowledge/manage/{entry.pk}/visibility/", {"visibility": "staff"}, follow=True
    )
    assert "ändert sich mit einer neuen Fassung" in response.content.decode()
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PUBLIC
    with pytest.raises(services.EntryError):
        services.set_visibility(cast.admin, entry, Visibility.STAFF)
    # A draft never published: its visibility is set directly, as before.
    draft = make_entry(cast.staff, publish=False)
    services.set_visibility(cast.staff, draft, Visibility.MEMBERS)
    draft.refresh_from_db()
    assert draft.visibility == Visibility.MEMBERS
