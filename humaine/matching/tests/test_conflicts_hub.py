"""Conflicts of interest, overrides and places with their own hours, through pages and API."""

import pytest
from django.urls import reverse

from humaine.contact.models import Assignment
from humaine.core.models import AuditEvent
from humaine.matching.models import ConflictOverride
from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f


@pytest.fixture
def rival(cast, pool):
    """A psychologist employed by a competitor of Acme (same sector and segment)."""
    for company in (cast.acme, cast.globex):
        company.segment = "Sachversicherung"
        company.save(update_fields=["segment"])
    expert = f.make_expert(
        "Rita Rival",
        disciplines=["psychology"],
        topics="Acceptance and trust of claims handlers in AI suggestions at Globex.",
        languages=["de"],
        capacity_hours=40,
    )
    expert.person.organisation = cast.globex
    expert.person.save()
    expert.sectors.set([cast.sectors["insurance"]])
    index_everything()
    return expert


def matches_of(client, inquiry):
    return client.get(f"/api/v1/inquiries/{inquiry.pk}/matches").json()


def test_the_ranked_list_shows_each_conflict_with_its_reason(cast, rival, client_for):
    body = matches_of(client_for(cast.staff), cast.acme_inquiry)
    listed = {hit["expert"]["id"]: hit for hit in body["experts"]}
    assert rival.pk in listed
    [reason] = listed[rival.pk]["conflicts"]
    assert "Globex Assekuranz" in reason
    flagged = {c["expert"]["id"]: c for c in body["team"]["flagged"]}
    assert rival.pk in flagged and not listed[rival.pk]["conflict_overridden"]


def test_staff_override_a_conflict_with_a_reason_and_may_then_accept(cast, rival, client_for):
    client = client_for(cast.staff)
    url = f"/api/v1/inquiries/{cast.acme_inquiry.pk}/conflicts/{rival.pk}/override"
    too_short = client.post(url, {"reason": "ok"}, content_type="application/json")
    assert too_short.status_code == 422
    response = client.post(
        url,
        {"reason": "Globex hat die Zusammenarbeit 2023 beendet."},
        content_type="application/json",
    )
    assert response.status_code == 200 and "Globex Assekuranz" in response.json()["conflicts"][0]
    event = AuditEvent.objects.get(action="conflict.overridden")
    assert event.changes["details"]["reason"] == "Globex hat die Zusammenarbeit 2023 beendet."
    body = matches_of(client, cast.acme_inquiry)
    listed = {hit["expert"]["id"]: hit for hit in body["experts"]}
    assert listed[rival.pk]["conflicts"] and listed[rival.pk]["conflict_overridden"]
    accepted = client.post(
        f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team",
        {"members": [rival.pk]},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    assert client.delete(url).status_code == 204
    assert not ConflictOverride.objects.exists()
    assert AuditEvent.objects.filter(action="conflict.override_revoked").exists()


def test_a_conflicted_expert_is_refused_without_an_override(cast, rival, client_for):
    response = client_for(cast.staff).post(
        f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team",
        {"members": [rival.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Globex" in response.json()["detail"][0]["msg"]


def test_only_staff_may_override(cast, rival, client_for):
    url = f"/api/v1/inquiries/{cast.acme_inquiry.pk}/conflicts/{rival.pk}/override"
    reason = {"reason": "Globex hat die Zusammenarbeit 2023 beendet."}
    member = client_for(cast.member).post(url, reason, content_type="application/json")
    assert member.status_code == 403
    stranger = client_for(cast.other_member).post(url, reason, content_type="application/json")
    assert stranger.status_code == 404


def test_a_lawyer_with_three_hours_is_consulted_for_two(cast, pool, client_for):
    lawyer = pool["Law"]
    lawyer.capacity_hours = 3
    lawyer.save(update_fields=["capacity_hours"])
    client = client_for(cast.staff)
    response = client.post(
        f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team",
        {"members": [pool["Code"].pk, lawyer.pk], "slots": {str(lawyer.pk): "consultation"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    hours = {a["expert"]: a["hours_per_month"] for a in response.json()["team"]}
    assert hours == {pool["Code"].pk: 8, lawyer.pk: 2}


def test_an_inquiry_gets_its_own_hours_per_place_audited(cast, pool, client_for):
    index_everything()
    client = client_for(cast.staff)
    url = f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team/hours"
    bad = client.put(url, {"hours": {"sabbatical": 4}}, content_type="application/json")
    assert bad.status_code == 422
    response = client.put(url, {"hours": {"consultation": 4}}, content_type="application/json")
    assert response.json() == {"core": 8, "consultation": 4}
    assert matches_of(client, cast.acme_inquiry)["team"]["slot_hours"]["consultation"] == 4
    assert AuditEvent.objects.filter(action="inquiry.slot_hours_changed").exists()
    lawyer = pool["Law"]
    client.post(
        f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team",
        {"members": [lawyer.pk], "slots": {str(lawyer.pk): "consultation"}},
        content_type="application/json",
    )
    assert Assignment.objects.get(expert=lawyer).hours_per_month == 4


def test_preview_takes_hours_per_place(cast, pool, client_for):
    index_everything()
    response = client_for(cast.staff).post(
        "/api/v1/matching/preview",
        {"text": "Rechtliche Beratung zum Betriebsrat", "slot_hours": {"consultation": 3}},
        content_type="application/json",
    )
    assert response.json()["team"]["slot_hours"] == {"core": 8, "consultation": 3}


def test_the_panel_page_shows_conflicts_and_places(cast, rival, client_for):
    page = client_for(cast.staff).get(reverse("matching:panel", args=[cast.acme_inquiry.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Globex Assekuranz" in text


def test_staff_allow_a_conflict_on_the_panel_page(cast, rival, client_for):
    client = client_for(cast.staff)
    url = reverse("matching:override_conflict", args=[cast.acme_inquiry.pk, rival.pk])
    response = client.post(url, {"reason": "Globex hat die Zusammenarbeit 2023 beendet."})
    assert response.status_code == 302
    override = ConflictOverride.objects.get()
    assert override.created_by == cast.staff and "Globex" in override.conflicts[0]["text"]
    page = client.get(reverse("matching:panel", args=[cast.acme_inquiry.pk])).content.decode()
    assert "Globex Assekuranz" in page
    assert client_for(cast.member).post(url, {"reason": "x" * 20}).status_code == 403
