"""Events: capacity, the waiting list, cancellation, emails, calendars, attendance, erasure."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from humaine.core.models import AuditEvent
from humaine.tests.leaks import sessions_text
from humaine.transfer import services
from humaine.transfer.models import Event, Registration
from humaine.transfer.tests.factories import make_event, register

FORM = {
    "name": "Erika Muster",
    "email": "erika@example.org",
    "organisation_name": "Muster GmbH",
    "accessibility_needs": "stufenloser Zugang",
    "privacy": "on",
}


def test_registration_takes_a_place_until_the_event_is_full_then_the_waiting_list(cast, client):
    event = make_event(capacity=1)
    first = client.post(f"/events/{event.slug}/", FORM)
    assert first.status_code == 302
    page = client.get(first["Location"]).content.decode()
    assert 'id="cancel-link"' in page
    second = client.post(f"/events/{event.slug}/", FORM | {"email": "zweite@example.org"})
    assert second.status_code == 302
    page = client.get(second["Location"]).content.decode()
    assert "Warteliste" in page
    statuses = list(event.registrations.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "waitlisted"]
    assert "Warteliste" in client.get(f"/events/{event.slug}/").content.decode()


def test_a_double_registration_is_refused_with_a_clear_message(cast, client):
    event = make_event()
    client.post(f"/events/{event.slug}/", FORM)
    again = client.post(f"/events/{event.slug}/", FORM | {"email": "ERIKA@example.org"})
    assert again.status_code == 409
    assert "bereits" in again.content.decode()
    assert event.registrations.count() == 1


def test_bad_registration_input_saves_nothing(cast, client):
    event = make_event()
    response = client.post(
        f"/events/{event.slug}/", FORM | {"email": "keine-adresse", "privacy": ""}
    )
    assert response.status_code == 400
    assert not event.registrations.exists()


def test_registration_after_the_deadline_is_closed(cast, client):
    event = make_event(days=-1)
    response = client.post(f"/events/{event.slug}/", FORM)
    assert response.status_code == 400
    assert 'id="registration-closed"' in response.content.decode()
    assert not event.registrations.exists()
    with pytest.raises(services.RegistrationClosed):
        register(event)


def test_cancelling_moves_the_first_on_the_waiting_list_up_and_emails_them(cast, client, run_jobs):
    event = make_event(capacity=1)
    first = register(event, email="a@example.org")
    second = register(event, email="b@example.org")
    register(event, email="c@example.org")
    run_jobs()
    mail.outbox.clear()
    response = client.post(f"/events/cancel/{first.token}/")
    assert response.status_code == 200
    second.registration.refresh_from_db()
    assert second.registration.status == Registration.Status.CONFIRMED
    assert second.registration.promoted_at is not None
    assert event.registrations.waiting().count() == 1
    run_jobs()
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert mail.outbox[0].attachments[0][0].endswith(".ics")
    assert AuditEvent.objects.filter(action="registration.promoted").count() == 1


def test_confirmation_and_waiting_list_emails_are_jobs(cast, run_jobs):
    event = make_event(capacity=1)
    register(event, email="a@example.org")
    register(event, email="b@example.org", language="en")
    assert not mail.outbox
    run_jobs()
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(s.startswith("Anmeldung bestätigt") for s in subjects)
    assert any(s.startswith("Waiting list") for s in subjects)


def test_a_cancellation_link_stops_working_when_the_event_starts(cast, client):
    event = make_event()
    result = register(event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    response = client.post(f"/events/cancel/{result.token}/")
    assert response.status_code == 410
    assert "nicht mehr" in response.content.decode()
    result.registration.refresh_from_db()
    assert result.registration.status == Registration.Status.CONFIRMED


def test_a_wrong_cancellation_link_is_404_and_a_second_cancel_says_it_is_done(cast, client):
    event = make_event()
    result = register(event)
    assert client.get("/events/cancel/not-a-token/").status_code == 404
    client.post(f"/events/cancel/{result.token}/")
    again = client.post(f"/events/cancel/{result.token}/")
    assert again.status_code == 200 and 'id="cancel-result"' in again.content.decode()


def test_more_places_move_people_up(cast):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event)
    services.update_event(cast.staff, event, {"capacity": 2})
    waiting.registration.refresh_from_db()
    assert waiting.registration.status == Registration.Status.CONFIRMED


def test_fewer_places_than_confirmed_are_refused(cast):
    event = make_event(capacity=2)
    register(event)
    register(event)
    with pytest.raises(services.EventError):
        services.update_event(cast.staff, event, {"capacity": 1})


def test_a_reversed_event_is_refused_by_the_form(cast, client):
    client.force_login(cast.staff)
    before = Event.objects.count()
    response = client.post(
        "/events/new/",
        {
            "kind": "workshop",
            "title_de": "X",
            "description_de": "Y",
            "venue": "Z",
            "starts_at": "2030-05-02T10:00",
            "ends_at": "2030-05-01T10:00",
            "capacity": "5",
        },
    )
    assert response.status_code == 400
    assert Event.objects.count() == before


def test_reminder_is_a_job_that_waits_until_the_day_before(cast, run_jobs, settings):
    event = make_event(days=3)
    register(event, email="r@example.org")
    run_jobs()
    assert len(mail.outbox) == 1  # the confirmation; the reminder waits
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_event_reminder")
    assert pending.count() == 1
    pending.update(run_after=timezone.now())
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(hours=5), ends_at=timezone.now() + timedelta(hours=8)
    )
    run_jobs()
    assert mail.outbox[-1].subject.startswith("Erinnerung")


def test_ics_and_feed(cast, client):
    event = make_event(title_de="Frühjahrsmesse")
    make_event(published=False, title_de="Geheimer Entwurf")
    ics = client.get(f"/events/{event.slug}/event.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    calendar = Calendar.from_ical(ics.content)
    [item] = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Frühjahrsmesse"
    feed = client.get("/events/calendar.ics").content.decode()
    assert "Frühjahrsmesse" in feed and "Geheimer Entwurf" not in feed


def test_registrations_are_invisible_to_everyone_but_staff(cast, client):
    event = make_event()
    register(event, name="Sichtbar Nie")
    unpublished = make_event(published=False)
    for user in (None, cast.member, cast.expert_user):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(f"/staff/events/{event.slug}/").status_code == 404
        assert client.get(f"/staff/events/{event.slug}/check-in.csv").status_code == 404
        assert client.get(f"/api/v1/events/{event.slug}/registrations").status_code in (401, 404)
        assert "Sichtbar Nie" not in client.get(f"/events/{event.slug}/").content.decode()
        assert client.get(f"/events/{unpublished.slug}/").status_code == 404
    client.force_login(cast.staff)
    assert "Sichtbar Nie" in client.get(f"/staff/events/{event.slug}/").content.decode()


def test_check_in_lists_and_attendance(cast, client):
    import io

    from pypdf import PdfReader

    event = make_event()
    a = register(event, name="=HYPERLINK(evil)").registration
    b = register(event, name="Bernd Besucher", accessibility_needs="Rollstuhl").registration
    client.force_login(cast.staff)
    csv_text = client.get(f"/staff/events/{event.slug}/check-in.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in csv_text and "Rollstuhl" in csv_text
    pdf = client.get(f"/staff/events/{event.slug}/check-in.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Bernd Besucher" in text
    client.post(f"/staff/events/{event.slug}/attendance/", {"attended": [str(b.pk)]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.attended and not a.attended


def test_the_check_in_pdf_is_made_anew_in_a_render_place_at_low_priority(
    cast, client, renders, settings
):
    from django.core.cache import cache

    settings.LOW_PRIORITY_NICE = 19
    settings.PDF_RENDERS_AT_ONCE = 1
    event = make_event()
    register(event, name="Bernd Besucher")
    client.force_login(cast.staff)
    url = f"/staff/events/{event.slug}/check-in.pdf"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Disposition"] == f'attachment; filename="{event.slug}-check-in.pdf"'
    # never cached (personal data), each render in the low-priority thread
    assert len(renders) == 2
    assert all(t.startswith("humaine-low-priority") and n in (19, None) for t, n in renders)
    cache.add("slot:check.pdf:0", 1)  # another process is rendering a PDF
    busy = client.get(url)
    assert busy.status_code == 429 and busy["Retry-After"] == "5"
    assert "Gerade werden andere PDFs erstellt." in busy.content.decode()
    assert len(renders) == 2


def test_personal_data_of_registrations_is_erased_after_the_retention_time(cast, settings):
    settings.TRANSFER_REGISTRATION_RETENTION_DAYS = 30
    old = make_event(days=-40)
    recent = make_event(days=-5)
    for event in (old, recent):
        Event.objects.filter(pk=event.pk).update(published=True)
        Registration.objects.create(
            event=event,
            status="confirmed",
            name="Alt Person",
            email=f"alt{event.pk}@example.org",
            token_hash=f"h{event.pk}",
            accessibility_needs="Hörschleife",
            attended=True,
        )
    call_command("erase_event_registrations", verbosity=0)
    gone = old.registrations.get()
    assert gone.name == "" and gone.email == "" and gone.accessibility_needs == ""
    assert gone.erased_at is not None and gone.attended
    assert recent.registrations.get().name == "Alt Person"


def test_the_registered_page_shows_the_cancel_link_that_the_session_does_not_hold(client, cast):
    event = make_event(capacity=5)
    form = {"name": "Erika Muster", "email": "erika@example.org", "privacy": "on"}
    response = client.post(f"/events/{event.slug}/", form)
    assert response.status_code == 302
    page = client.get(response["Location"])
    registration = event.registrations.get()
    assert registration.cancel_token() in page.content.decode()
    assert "erika@example.org" in page.content.decode() and "no-store" in page["Cache-Control"]
    stored = sessions_text()
    assert registration.cancel_token() not in stored and "erika@example.org" not in stored


# Logs ------------------------------------------------------------------------------------
