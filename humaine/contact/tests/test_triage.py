"""Hub staff's triage queue and their work on one inquiry."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from humaine.contact.models import Inquiry, InquiryMessage, InquiryNote
from humaine.core.models import AuditEvent
from humaine.tests import factories as f

QUEUE = reverse("contact:queue")


def references(response) -> list[str]:
    return [inquiry.reference for inquiry in response.context["page"]]


def make_aged(organisation, days_ago: int, **fields) -> Inquiry:
    return f.make_inquiry(
        organisation, created_at=timezone.now() - timedelta(days=days_ago), **fields
    )


# Who may open the queue ----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["member", "expert_user"])
def test_member_and_expert_may_not_open_the_queue(client_for, cast, who):
    assert client_for(getattr(cast, who)).get(QUEUE).status_code == 403


def test_staff_lands_on_the_queue_after_login(client_for, cast):
    response = client_for(cast.staff).get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_hub_admin_may_open_the_queue(client_for, cast):
    assert client_for(cast.admin).get(QUEUE).status_code == 200


# The list ------------------------------------------------------------------------------------


def test_staff_sees_the_queue_newest_first(client_for, cast):
    old = make_aged(cast.acme, 10)
    new = make_aged(cast.globex, 0)
    middle = make_aged(cast.acme, 5)
    response = client_for(cast.staff).get(QUEUE + "?status=all")
    got = references(response)
    assert got.index(new.reference) < got.index(middle.reference) < got.index(old.reference)
    assert old.reference in response.content.decode()


def test_queue_shows_open_inquiries_by_default(client_for, cast):
    closed = f.make_inquiry(cast.acme, status=Inquiry.Status.CLOSED)
    declined = f.make_inquiry(cast.acme, status=Inquiry.Status.DECLINED)
    triage = f.make_inquiry(cast.acme, status=Inquiry.Status.TRIAGE)
    got = references(client_for(cast.staff).get(QUEUE))
    assert triage.reference in got and cast.acme_inquiry.reference in got
    assert closed.reference not in got and declined.reference not in got


def test_queue_filters_by_status(client_for, cast):
    closed = f.make_inquiry(cast.acme, status=Inquiry.Status.CLOSED)
    client = client_for(cast.staff)
    assert references(client.get(QUEUE + "?status=closed")) == [closed.reference]
    assert closed.reference in references(client.get(QUEUE + "?status=all"))


def test_queue_filters_by_sector(client_for, cast):
    health = f.make_organisation("Klinikum", sector=cast.sectors["health"])
    hospital = f.make_inquiry(health)
    got = references(client_for(cast.staff).get(QUEUE + "?sector=health"))
    assert got == [hospital.reference]


def test_queue_filters_by_assignee(client_for, cast):
    colleague = f.make_staff("colleague")
    mine = f.make_inquiry(cast.acme, assignee=cast.staff)
    theirs = f.make_inquiry(cast.acme, assignee=colleague)
    client = client_for(cast.staff)
    assert references(client.get(QUEUE + "?assignee=me")) == [mine.reference]
    assert references(client.get(QUEUE + f"?assignee={colleague.pk}")) == [theirs.reference]
    nobody = references(client.get(QUEUE + "?assignee=none"))
    assert mine.reference not in nobody and theirs.reference not in nobody
    assert cast.acme_inquiry.reference in nobody


def test_unknown_filter_values_are_ignored_not_an_error(client_for, cast):
    client = client_for(cast.staff)
    for query in ["?sector=nope", "?status=bogus", "?assignee=999999", "?assignee=abc", "?page=x"]:
        response = client.get(QUEUE + query)
        assert response.status_code == 200, query


def test_queue_is_paginated(client_for, cast):
    for _ in range(28):
        f.make_inquiry(cast.acme)
    client = client_for(cast.staff)
    first = client.get(QUEUE)
    assert len(references(first)) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(QUEUE + "?page=2")
    assert len(references(second)) == 30 - 25
    assert not set(references(first)) & set(references(second))
    assert references(client.get(QUEUE + "?page=999")) == references(second)


def test_pagination_links_keep_the_filters(client_for, cast):
    for _ in range(26):
        f.make_inquiry(cast.acme)
    page = client_for(cast.staff).get(QUEUE + "?sector=insurance").content.decode()
    assert "?sector=insurance&amp;page=2" in page


def test_htmx_request_gets_only_the_rows(client_for, cast):
    client = client_for(cast.staff)
    response = client.get(QUEUE + "?status=all", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "contact/triage/_queue_rows.html"
    page = response.content.decode()
    assert "<html" not in page and "<table" in page
    assert cast.acme_inquiry.reference in page
    assert "<html" in client.get(QUEUE).content.decode()


def test_queue_query_count_does_not_grow_with_the_inquiries_on_the_page(client_for, cast):
    client = client_for(cast.staff)
    colleague = f.make_staff("colleague", first_name="Carla")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE + "?status=all").status_code == 200
        return len(queries)

    f.make_inquiry(cast.acme, assignee=colleague)
    client.get(QUEUE)  # fills the cache (hub identity, session)
    few = count_queries()
    for number in range(25):
        health = f.make_organisation(sector=cast.sectors["health"])
        f.make_inquiry(health, assignee=colleague if number % 2 else cast.staff)
    assert Inquiry.objects.count() > 25
    many = count_queries()
    assert few == many


# Full-text search ----------------------------------------------------------------------------


def search(client, query: str) -> list[str]:
    return references(client.get(QUEUE, {"q": query, "status": "all"}))


def test_search_finds_word_prefixes(client_for, cast):
    client = client_for(cast.staff)
    assert search(client, "Betrugs") == [cast.globex_inquiry.reference]
    assert search(client, "Kfz Acme") == [cast.acme_inquiry.reference]
    assert search(client, "vertraulich") == [
        cast.globex_inquiry.reference,
        cast.acme_inquiry.reference,
    ]
    assert search(client, "Zeppelin") == []


def test_search_handles_umlauts(client_for, cast):
    found = f.make_inquiry(
        cast.acme, work_process="Qualitätsprüfung", problem="Übermüdete Prüferinnen."
    )
    client = client_for(cast.staff)
    assert search(client, "qualitätsprüfung") == [found.reference]
    assert search(client, "Übermüdete") == [found.reference]
    assert search(client, "prüferinnen") == [found.reference]


def test_search_finds_a_text_after_it_was_edited(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    inquiry.problem = "Lagerlogistik mit Gabelstaplern"
    inquiry.save(update_fields=["problem"])
    assert search(client, "Gabelstapler") == [inquiry.reference]
    assert search(client, "Piloten") == []


def test_search_with_operators_and_punctuation_is_not_an_error(client_for, cast):
    client = client_for(cast.staff)
    for query in ['"', "a & b | !c", "*", "(Kfz", "' OR 1=1 --", "NEAR(", "x" * 200]:
        assert client.get(QUEUE, {"q": query}).status_code == 200, query


def test_search_combines_with_filters(client_for, cast):
    client = client_for(cast.staff)
    got = references(client.get(QUEUE, {"q": "vertraulich", "assignee": "none"}))
    assert len(got) == 2
    got = references(client.get(QUEUE, {"q": "vertraulich", "sector": "health"}))
    assert got == []


# Status, assignment, notes, messages ---------------------------------------------------------


def detail(client, inquiry):
    return client.get(inquiry.get_absolute_url(), follow=True).content.decode()


def test_staff_moves_an_inquiry_through_allowed_statuses_with_audit(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    url = reverse("contact:change_status", args=[inquiry.pk])
    for status in ["triage", "matched", "scenario", "closed"]:
        assert client.post(url, {"status": status}).status_code == 302
        inquiry.refresh_from_db()
        assert inquiry.status == status
    events = AuditEvent.objects.filter(action="inquiry.status_changed", object_id=str(inquiry.pk))
    changes = [event.changes["fields"]["status"] for event in events.order_by("pk")]
    assert changes == [
        {"before": "new", "after": "triage"},
        {"before": "triage", "after": "matched"},
        {"before": "matched", "after": "scenario"},
        {"before": "scenario", "after": "closed"},
    ]
    assert all(event.actor == cast.staff for event in events)


def test_forbidden_status_change_shows_a_message_and_changes_nothing(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    response = client.post(
        reverse("contact:change_status", args=[inquiry.pk]), {"status": "scenario"}, follow=True
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW
    assert not AuditEvent.objects.filter(action="inquiry.status_changed").exists()


def test_unknown_status_is_refused(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    client.post(reverse("contact:change_status", args=[inquiry.pk]), {"status": "exploded"})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW


def test_declined_inquiry_can_be_reopened_into_triage(client_for, cast):
    client = client_for(cast.staff)
    inquiry = f.make_inquiry(cast.acme, status=Inquiry.Status.DECLINED)
    client.post(reverse("contact:change_status", args=[inquiry.pk]), {"status": "triage"})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.TRIAGE


@pytest.mark.parametrize("who", ["member", "expert_user"])
def test_non_staff_may_not_change_status_of_an_inquiry_they_see(client_for, cast, who):
    f.assign_expert(cast.expert, cast.acme_inquiry)
    client = client_for(getattr(cast, who))
    inquiry = cast.acme_inquiry
    assert client.get(inquiry.get_absolute_url()).status_code == 200
    for name, data in [
        ("change_status", {"status": "triage"}),
        ("assign", {"assignee": cast.staff.pk}),
        ("add_note", {"text": "Hallo"}),
        ("send_message", {"text": "Hallo"}),
    ]:
        assert client.post(reverse(f"contact:{name}", args=[inquiry.pk]), data).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW and inquiry.assignee is None
    assert not InquiryNote.objects.exists() and not InquiryMessage.objects.exists()


def test_staff_assigns_an_inquiry_which_starts_its_triage(client_for, cast):
    client = client_for(cast.staff)
    colleague = f.make_staff("colleague")
    inquiry = cast.acme_inquiry
    client.post(reverse("contact:assign", args=[inquiry.pk]), {"assignee": colleague.pk})
    inquiry.refresh_from_db()
    assert inquiry.assignee == colleague
    assert inquiry.status == Inquiry.Status.TRIAGE
    event = AuditEvent.objects.get(action="inquiry.assignee_changed", object_id=str(inquiry.pk))
    assert event.changes["fields"]["assignee"] == {"before": None, "after": "colleague"}
    assert event.changes["fields"]["status"] == {"before": "new", "after": "triage"}
    client.post(reverse("contact:assign", args=[inquiry.pk]), {"assignee": ""})
    inquiry.refresh_from_db()
    assert inquiry.assignee is None


def test_assigning_to_someone_outside_the_hub_is_refused(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    response = client.post(
        reverse("contact:assign", args=[inquiry.pk]), {"assignee": cast.member.pk}, follow=True
    )
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.assignee is None
    assert not AuditEvent.objects.filter(action="inquiry.assignee_changed").exists()


def test_internal_note_is_seen_by_staff_only(client, client_for, cast):
    inquiry = cast.acme_inquiry
    f.assign_expert(cast.expert, inquiry)
    staff = client_for(cast.staff)
    staff.post(reverse("contact:add_note", args=[inquiry.pk]), {"text": "Kunde wirkt zögerlich"})
    assert InquiryNote.objects.get(inquiry=inquiry).author == cast.staff
    assert "Kunde wirkt zögerlich" in detail(staff, inquiry)
    assert AuditEvent.objects.filter(action="inquiry.note_added").exists()
    for who in [cast.member, cast.expert_user]:
        page = client_for(who).get(inquiry.get_absolute_url())
        assert page.status_code == 200
        assert "Kunde wirkt zögerlich" not in page.content.decode()
    client.logout()
    status_page = client.get(reverse("contact:status", args=[inquiry.token()]))
    assert "Kunde wirkt zögerlich" not in status_page.content.decode()


def test_empty_note_is_refused(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    response = client.post(
        reverse("contact:add_note", args=[inquiry.pk]), {"text": ""}, follow=True
    )
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not InquiryNote.objects.exists()


def test_message_to_the_inquirer_is_shown_on_the_status_page_and_emailed(
    client, client_for, cast, run_jobs
):
    inquiry = cast.acme_inquiry
    client_for(cast.staff).post(
        reverse("contact:send_message", args=[inquiry.pk]),
        {"text": "Wir schlagen ein Erstgespräch am Dienstag vor."},
    )
    message = InquiryMessage.objects.get(inquiry=inquiry)
    assert message.direction == InquiryMessage.Direction.TO_INQUIRER
    assert AuditEvent.objects.filter(action="inquiry.message_sent").exists()
    client.logout()
    status_page = client.get(reverse("contact:status", args=[inquiry.token()]))
    assert "Wir schlagen ein Erstgespräch am Dienstag vor." in status_page.content.decode()
    run_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [inquiry.contact.email]
    assert "Wir schlagen ein Erstgespräch am Dienstag vor." in mail.outbox[0].body
    assert inquiry.status_url() in mail.outbox[0].body
    message.refresh_from_db()
    assert message.emailed_at is not None


def test_message_to_the_inquirer_is_enqueued_only_after_commit(
    client_for, cast, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    inquiry = cast.acme_inquiry
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.staff).post(
            reverse("contact:send_message", args=[inquiry.pk]), {"text": "Guten Tag"}
        )
    job = DBTaskResult.objects.get()
    assert job.task_path.endswith("email_message")
    assert job.args_kwargs["args"] == [InquiryMessage.objects.get().pk]


def test_detail_page_shows_the_audit_trail_with_before_and_after(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    client.post(reverse("contact:change_status", args=[inquiry.pk]), {"status": "declined"})
    page = detail(client, inquiry)
    assert 'data-action="inquiry.status_changed"' in page
    # the field and its values in words, not as stored
    assert "Status: neu → abgelehnt" in page
    assert "status: new → declined" not in page


def test_search_ignores_common_words_on_every_database(client_for, cast):
    client = client_for(cast.staff)
    assert search(client, "die Betrugserkennung") == [cast.globex_inquiry.reference]
    assert search(client, "the Betrug") == [cast.globex_inquiry.reference]
    assert search(client, "Kfz bei der Acme") == [cast.acme_inquiry.reference]


def test_search_without_umlauts_finds_words_with_umlauts(client_for, cast):
    found = f.make_inquiry(cast.acme, work_process="Prüfung der Schweißnähte")
    client = client_for(cast.staff)
    assert search(client, "Prufung") == [found.reference]
