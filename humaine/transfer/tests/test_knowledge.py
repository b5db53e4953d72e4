"""The knowledge base: who reads what, the review workflow, versions, case studies."""

import pytest

from humaine.core.models import AuditEvent
from humaine.tests import factories as f
from humaine.transfer import access, services
from humaine.transfer.models import Entry, EntryVersion, Kind, Visibility
from humaine.transfer.tests.factories import make_entry, make_member


@pytest.fixture
def network_user(cast):
    """A member of an organisation in the hub's network."""
    make_member(cast.acme)
    return cast.member


@pytest.fixture
def entries(cast):
    return {
        visibility: make_entry(cast.staff, visibility=visibility, title_de=f"Nur {visibility}")
        for visibility in Visibility.values
    } | {"draft": make_entry(cast.staff, publish=False, title_de="Entwurf geheim")}


def readers(cast, network_user):
    return {
        "visitor": None,
        "outsider": cast.other_member,
        "network member": network_user,
        "expert": cast.expert_user,
        "staff": cast.staff,
    }


EXPECTED = {
    "visitor": {"public"},
    "outsider": {"public"},
    "network member": {"public", "members"},
    "expert": {"public", "members"},
    "staff": {"public", "members", "staff"},
}


def test_each_reader_sees_exactly_the_entries_of_their_visibility(
    cast, network_user, entries, client
):
    for who, user in readers(cast, network_user).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for key, entry in entries.items():
            expected = key in EXPECTED[who]
            assert access.can_view_entry(user, entry) is expected, (who, key)
            assert access.entries_visible_to(user).filter(pk=entry.pk).exists() is expected
            page = client.get(f"/knowledge/{entry.slug}/")
            assert page.status_code == (200 if expected else 404), (who, key)
            listing = client.get("/knowledge/").content.decode()
            assert (entry.slug in listing) is expected, (who, key)
            api = client.get(f"/api/v1/entries/{entry.slug}")
            assert api.status_code == (200 if expected else 404), (who, key)


def test_a_draft_is_never_public_even_for_its_author_on_the_public_page(cast, client):
    entry = make_entry(cast.staff, publish=False, title_de="Entwurf")
    client.force_login(cast.staff)
    assert client.get(f"/knowledge/{entry.slug}/").status_code == 404
    assert client.get(f"/knowledge/manage/{entry.pk}/").status_code == 200
    assert entry.slug not in client.get("/knowledge/?q=Entwurf").content.decode()
    assert client.get(f"/api/v1/entries/{entry.slug}").status_code == 404


def test_review_needs_someone_other_than_the_author(cast, client):
    entry = make_entry(cast.staff, publish=False)
    version = services.open_version(entry)
    client.force_login(cast.staff)
    client.post(f"/knowledge/manage/{entry.pk}/submit/")
    version.refresh_from_db()
    assert version.status == EntryVersion.Status.IN_REVIEW
    assert client.post(f"/knowledge/versions/{version.pk}/approve/").status_code == 403
    with pytest.raises(services.EntryError):
        services.approve_version(cast.staff, version)
    client.force_login(cast.admin)
    response = client.post(f"/knowledge/versions/{version.pk}/approve/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.published_version_id == version.pk
    assert AuditEvent.objects.filter(action="entry.published", object_id=str(entry.pk)).exists()


def test_a_returned_version_goes_back_to_draft_with_the_note(cast, client):
    entry = make_entry(cast.staff, publish=False)
    version = services.submit_for_review(cast.staff, services.open_version(entry))
    client.force_login(cast.admin)
    client.post(f"/knowledge/versions/{version.pk}/return/", {"note": "Quellen fehlen"})
    version.refresh_from_db()
    assert version.status == "draft" and version.review_note == "Quellen fehlen"


def test_editing_a_published_entry_keeps_the_published_version_until_the_new_one_passes(cast):
    entry = make_entry(cast.staff, title_de="Erste Fassung")
    first = entry.published_version
    data = services.EntryData(texts={"title_de": "Zweite Fassung", "maturity": 4})
    second = services.save_draft(cast.staff, entry, data)
    entry.refresh_from_db()
    assert second.number == 2 and entry.published_version_id == first.pk
    services.submit_for_review(cast.staff, second)
    services.approve_version(cast.admin, second)
    entry.refresh_from_db()
    first.refresh_from_db()
    assert entry.published_version_id == second.pk and entry.maturity == 4
    assert first.status == EntryVersion.Status.SUPERSEDED
    assert list(entry.versions.values_list("number", flat=True)) == [2, 1]


def test_an_outsider_cannot_open_the_editor_or_review(cast, client):
    entry = make_entry(cast.staff, publish=False)
    version = services.submit_for_review(cast.staff, services.open_version(entry))
    for user in (cast.member, cast.other_member):
        client.force_login(user)
        assert client.get(f"/knowledge/manage/{entry.pk}/").status_code == 404
        assert client.get("/knowledge/manage/").status_code == 403
        assert client.post(f"/knowledge/versions/{version.pk}/approve/").status_code == 404
    client.logout()
    assert client.get(f"/knowledge/manage/{entry.pk}/").status_code == 302


def test_an_expert_writes_a_method_staff_review_it(cast, client):
    client.force_login(cast.expert_user)
    response = client.post(
        "/knowledge/manage/new/",
        {
            "kind": "method",
            "title_en": "Think-aloud test",
            "summary_en": "Users think aloud.",
            "maturity": "2",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(created_by=cast.expert_user)
    assert entry.visibility == Visibility.PUBLIC
    assert client.get(f"/knowledge/manage/{entry.pk}/").status_code == 200
    other = make_entry(cast.staff, publish=False)
    assert client.get(f"/knowledge/manage/{other.pk}/").status_code == 404


def test_a_title_is_needed_and_nothing_is_saved_without_one(cast, client):
    client.force_login(cast.staff)
    before = Entry.objects.count()
    response = client.post("/knowledge/manage/new/", {"kind": "method", "maturity": "1"})
    assert response.status_code == 400
    assert "Titel" in response.content.decode()
    assert Entry.objects.count() == before


def test_a_case_study_never_shows_a_field_its_company_did_not_release(cast, client):
    entry = make_entry(
        cast.staff,
        publish=False,
        kind=Kind.CASE_STUDY,
        title_de="Schadenprüfung mit KI",
        case_fields={
            "organisation": {"de": "GEHEIM-Firma AG"},
            "goal": {"de": "Entlastung der Sachbearbeitung"},
            "outcomes": {"de": "GEHEIM: 37 % schneller"},
            "approach": {"de": "Gemeinsame Werkstätten"},
        },
    )
    version = services.submit_for_review(cast.staff, services.open_version(entry))
    with pytest.raises(services.EntryError):
        services.approve_version(cast.admin, version)
    services.record_consent(
        cast.admin, entry, released=services.default_release(), given_by="Dr. C"
    )
    services.approve_version(cast.admin, version)
    page = client.get(f"/knowledge/{entry.slug}/").content.decode()
    assert "Entlastung der Sachbearbeitung" in page and "Gemeinsame Werkstätten" in page
    assert "GEHEIM" not in page
    assert "GEHEIM" not in client.get(f"/api/v1/entries/{entry.slug}").content.decode()
    assert f'data-entry="{entry.slug}"' not in client.get("/knowledge/?q=GEHEIM").content.decode()
    entry.refresh_from_db()
    assert "GEHEIM" not in entry.published_version.search_text
    # the company releases the outcomes later; the name stays out
    services.record_consent(cast.admin, entry, released=["goal", "outcomes"], given_by="Dr. C")
    page = client.get(f"/knowledge/{entry.slug}/").content.decode()
    assert "37 % schneller" in page and "GEHEIM-Firma" not in page
    assert "Gemeinsame Werkstätten" not in page


def test_withdrawn_consent_unpublishes_the_case_study(cast, client):
    entry = make_entry(cast.staff, kind=Kind.CASE_STUDY, case_fields={"goal": {"de": "Ziel"}})
    assert client.get(f"/knowledge/{entry.slug}/").status_code == 200
    client.force_login(cast.staff)
    client.post(f"/knowledge/manage/{entry.pk}/consent/withdraw/")
    client.logout()
    assert client.get(f"/knowledge/{entry.slug}/").status_code == 404


def test_oversized_or_wrong_uploads_are_refused_with_a_message(cast, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TRANSFER_MAX_UPLOAD_BYTES = 1000
    entry = make_entry(cast.staff)
    client.force_login(cast.staff)
    big = SimpleUploadedFile("vorlage.docx", b"x" * 2000)
    response = client.post(f"/knowledge/manage/{entry.pk}/files/", {"file": big, "title": "Groß"})
    assert response.status_code == 400
    assert "höchstens" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ")
    response = client.post(f"/knowledge/manage/{entry.pk}/files/", {"file": exe})
    assert response.status_code == 400
    assert not entry.attachments.exists()
    ok = SimpleUploadedFile("vorlage.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    assert client.post(f"/knowledge/manage/{entry.pk}/files/", {"file": ok}).status_code == 302
    attachment = entry.attachments.get()
    client.logout()
    # The entry is published: the file waits for the next version's review.
    version = services.open_version(entry)
    services.submit_for_review(cast.staff, version)
    services.approve_version(cast.admin, version)
    download = client.get(f"/knowledge/{entry.slug}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 small"
    assert entry.usage.get().downloads == 1


def test_views_are_counted_per_day(cast, client):
    entry = make_entry(cast.staff)
    for _ in range(3):
        client.get(f"/knowledge/{entry.slug}/")
    assert entry.usage.get().views == 3


def test_an_english_only_entry_says_so_on_the_german_page(cast, client):
    entry = make_entry(
        cast.staff,
        title_de="",
        title_en="Workload survey",
        summary_de="",
        summary_en="Measure workload.",
    )
    page = client.get(f"/knowledge/{entry.slug}/").content.decode()
    assert "nur auf Englisch" in page and "Workload survey" in page
    assert f.make_sectors()


def test_staff_draft_a_case_study_from_a_scenario_with_nothing_released(cast, client):
    from humaine.scenarios import services as scenario_services

    scenario = scenario_services.start_scenario(
        actor=cast.staff, title="KI in der Schadenprüfung", goal="Sachbearbeitung entlasten.",
        work_process="Kfz-Schadenprüfung", organisation=cast.acme, sector=cast.sectors["insurance"],
    )  # fmt: skip
    client.force_login(cast.staff)
    page = client.get("/knowledge/manage/").content.decode()
    assert f'value="scenarios:{scenario.pk}"' in page
    response = client.post(
        "/knowledge/manage/from-scenario/", {"scenario": f"scenarios:{scenario.pk}"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(scenario_ref=f"scenarios:{scenario.pk}")
    version = services.open_version(entry)
    assert entry.kind == Kind.CASE_STUDY and entry.visibility == Visibility.STAFF
    assert entry.released_fields == [] and not entry.has_consent
    assert version.case_fields["organisation"]["de"] == "Acme Versicherung AG"
    assert version.case_fields["goal"]["de"] == "Sachbearbeitung entlasten."
    # someone who may not see the scenario cannot draft from it
    assert (
        client.post(
            "/knowledge/manage/from-scenario/", {"scenario": "scenarios:999999"}
        ).status_code
        == 302
    )
    assert Entry.objects.filter(kind=Kind.CASE_STUDY).count() == 1
    client.force_login(cast.member)
    assert (
        client.post(
            "/knowledge/manage/from-scenario/", {"scenario": f"scenarios:{scenario.pk}"}
        ).status_code
        == 403
    )
