"""The API of transfer: public entries and events without login, registrations, figures."""

import json
from datetime import timedelta

from django.utils import timezone

from humaine.transfer.models import Event
from humaine.transfer.tests.factories import make_entry, make_event

REGISTRATION = {"name": "Api Person", "email": "api@example.org", "privacy": True}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_entries_are_listed_and_read_without_login(cast, client):
    entry = make_entry(
        cast.staff, title_de="Öffentliche Methode", body_de="**fett** <script>x</script>"
    )
    make_entry(cast.staff, visibility="staff", title_de="Intern")
    listing = client.get("/api/v1/entries").json()
    slugs = [item["slug"] for item in listing["items"]]
    assert entry.slug in slugs and all("intern" not in s for s in slugs)
    detail = client.get(f"/api/v1/entries/{entry.slug}").json()
    assert "<strong>fett</strong>" in detail["html"] and "<script" not in detail["html"]
    assert detail["maturity_label"] == "erstmals in der Praxis erprobt"
    assert client.get("/api/v1/entries/no-such-entry").status_code == 404


def test_register_and_cancel_through_the_api(cast, client):
    event = make_event(capacity=1)
    first = post(client, f"/api/v1/events/{event.slug}/registrations", REGISTRATION)
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    again = post(client, f"/api/v1/events/{event.slug}/registrations", REGISTRATION)
    assert again.status_code == 409
    second = post(client, f"/api/v1/events/{event.slug}/registrations",
                  REGISTRATION | {"email": "zwei@example.org"})  # fmt: skip
    assert second.status_code == 201 and second.json()["status"] == "waitlisted"
    bad = post(client, f"/api/v1/events/{event.slug}/registrations",
               {"name": "", "email": "kaputt", "privacy": False})  # fmt: skip
    assert bad.status_code == 422
    assert event.registrations.count() == 2
    token = first.json()["cancel_url"].rstrip("/").rsplit("/", 1)[1]
    cancelled = post(client, "/api/v1/registrations/cancel", {"token": token})
    assert cancelled.status_code == 200 and cancelled.json()["promoted"] == 1
    assert post(client, "/api/v1/registrations/cancel", {"token": token}).status_code == 409
    assert post(client, "/api/v1/registrations/cancel", {"token": "x" * 43}).status_code == 404


def test_an_expired_cancellation_link_is_410(cast, client):
    event = make_event()
    response = post(client, f"/api/v1/events/{event.slug}/registrations", REGISTRATION)
    token = response.json()["cancel_url"].rstrip("/").rsplit("/", 1)[1]
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert post(client, "/api/v1/registrations/cancel", {"token": token}).status_code == 410


def test_registrations_and_unpublished_events_are_hidden_outside_staff(cast, client):
    event = make_event()
    post(client, f"/api/v1/events/{event.slug}/registrations", REGISTRATION)
    draft = make_event(published=False)
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert draft.slug not in client.get("/api/v1/events").content.decode()
    for user in (cast.member, cast.expert_user):
        client.force_login(user)
        assert client.get(f"/api/v1/events/{event.slug}/registrations").status_code == 404
    client.force_login(cast.staff)
    rows = client.get(f"/api/v1/events/{event.slug}/registrations").json()
    assert rows[0]["email"] == "api@example.org"


def test_figures_through_the_api_for_staff(cast, client):
    client.force_login(cast.staff)
    data = client.get("/api/v1/figures", {"start": "2026-01-01", "end": "2026-12-31"}).json()
    assert {f["key"] for f in data["figures"]} >= {"contact.inquiries", "transfer.events"}


def test_the_openapi_document_describes_transfer(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/entries", "/api/v1/entries/{slug}", "/api/v1/events",
                 "/api/v1/events/{slug}/registrations", "/api/v1/registrations/cancel",
                 "/api/v1/figures"):  # fmt: skip
        assert path in paths, path
