"""Export (GDPR art. 15) and erasure (art. 17) of a contact person's data by hub staff."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from humaine.contact.models import Inquiry, InquiryMessage, Person
from humaine.contact.services import ERASED, add_note, send_message
from humaine.core import audit
from humaine.core.models import AuditEvent
from humaine.core.services import issue_api_token
from humaine.tests import factories as f


@pytest.fixture
def inquirer(cast):
    """A contact person with an account, two inquiries and a message thread."""
    cast.member.first_name, cast.member.last_name = "Mia", "Mitglied"
    cast.member.save()
    person = f.make_person(
        "Mia Mitglied",
        email="mia@acme.example",
        phone="+49 201 123456",
        job_title="Leiterin Schaden",
        organisation=cast.acme,
        user=cast.member,
    )
    first = f.make_inquiry(
        cast.acme, contact=person, work_process="Regressprüfung", problem="Mia beschreibt den Fall"
    )
    second = f.make_inquiry(cast.acme, contact=person, status=Inquiry.Status.CLOSED)
    send_message(first, "Guten Tag Frau Mitglied", actor=cast.staff)
    InquiryMessage.objects.create(
        inquiry=first, direction=InquiryMessage.Direction.FROM_INQUIRER, text="Mia antwortet"
    )
    # Mia acted in the hub herself: her name is in the trail's labels.
    audit.record(cast.member, "inquiry.note_added", first)
    return person, first, second


def export(client, person):
    return client.post(reverse("contact:person_export", args=[person.pk]))


def erase(client, person, confirm=True):
    data = {"confirm": "on"} if confirm else {}
    return client.post(reverse("contact:person_erase", args=[person.pk]), data, follow=True)


def test_export_contains_the_persons_data_inquiries_and_messages(client_for, cast, inquirer):
    person, first, second = inquirer
    response = export(client_for(cast.staff), person)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="person-{person.pk}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["name"] == "Mia Mitglied"
    assert data["person"]["email"] == "mia@acme.example"
    assert data["person"]["phone"] == "+49 201 123456"
    assert data["person"]["account"] == "member"
    by_reference = {inquiry["reference"]: inquiry for inquiry in data["inquiries"]}
    assert set(by_reference) == {first.reference, second.reference}
    assert by_reference[first.reference]["problem"] == "Mia beschreibt den Fall"
    texts = [message["text"] for message in by_reference[first.reference]["messages"]]
    assert texts == ["Guten Tag Frau Mitglied", "Mia antwortet"]


def test_export_of_an_expert_contains_the_profile(client_for, cast):
    data = json.loads(export(client_for(cast.staff), cast.expert.person).content)
    assert data["expert_profile"]["disciplines"] == ["computer_science"]


def test_export_is_audited(client_for, cast, inquirer):
    person, _first, _second = inquirer
    export(client_for(cast.staff), person)
    event = AuditEvent.objects.get(action="person.exported")
    assert event.object_id == str(person.pk)
    assert event.actor == cast.staff


def test_export_needs_a_post(client_for, cast, inquirer):
    person, _first, _second = inquirer
    response = client_for(cast.staff).get(reverse("contact:person_export", args=[person.pk]))
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="person.exported").exists()


def test_erase_anonymises_personal_fields_and_texts_but_keeps_the_inquiries(
    client_for, cast, inquirer
):
    person, first, second = inquirer
    response = erase(client_for(cast.staff), person)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_erased
    assert (person.name, person.email, person.phone, person.job_title) == (ERASED, "", "", "")
    assert person.user is None
    for inquiry in (first, second):
        inquiry.refresh_from_db()
        assert inquiry.work_process == inquiry.problem == ERASED
        assert inquiry.data_available == ""
    # The statistics stay: sector, size, status, dates.
    assert Inquiry.objects.filter(contact=person).count() == 2
    first.refresh_from_db()
    assert first.sector == cast.sectors["insurance"] and first.status == "new"
    assert set(InquiryMessage.objects.filter(inquiry=first).values_list("text", flat=True)) == {
        ERASED
    }


def test_erase_deactivates_the_linked_account(client, client_for, cast, inquirer):
    person, _first, _second = inquirer
    erase(client_for(cast.staff), person)
    cast.member.refresh_from_db()
    assert not cast.member.is_active
    assert (cast.member.first_name, cast.member.last_name, cast.member.email) == ("", "", "")
    client.logout()
    assert not client.login(username="member", password=f.PASSWORD)


def test_erase_scrubs_names_and_texts_from_the_audit_labels(client_for, cast, inquirer):
    person, first, second = inquirer
    erase(client_for(cast.staff), person)
    events = AuditEvent.objects.exclude(action="person.erased")
    assert events.exists()
    for event in events:
        assert "Mia" not in event.object_label, event.action
        assert "Regressprüfung" not in event.object_label, event.action
        assert "Mia" not in event.actor_label, event.action
        assert "Mitglied" not in event.actor_label, event.action


def test_erase_is_audited_and_idempotent(client_for, cast, inquirer):
    person, _first, _second = inquirer
    client = client_for(cast.staff)
    erase(client, person)
    erased_at = Person.objects.get(pk=person.pk).erased_at
    response = erase(client, person)
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).erased_at == erased_at
    event = AuditEvent.objects.get(action="person.erased")
    assert event.actor == cast.staff and event.object_id == str(person.pk)
    assert event.object_label == ERASED


def test_erase_needs_confirmation(client_for, cast, inquirer):
    person, _first, _second = inquirer
    response = erase(client_for(cast.staff), person, confirm=False)
    assert "Bitte bestätigen Sie die Löschung." in response.content.decode()
    person.refresh_from_db()
    assert not person.is_erased
    assert not AuditEvent.objects.filter(action="person.erased").exists()


def test_erase_closes_the_old_status_link(client, client_for, cast, inquirer):
    person, first, _second = inquirer
    old_link = reverse("contact:status", args=[first.token()])
    assert client.get(old_link).status_code == 200
    erase(client_for(cast.staff), person)
    client.logout()
    assert client.get(old_link).status_code == 404


def test_erased_texts_are_no_longer_found_by_search(client_for, cast, inquirer):
    person, first, _second = inquirer
    client = client_for(cast.staff)
    queue = reverse("contact:queue")
    found = client.get(queue, {"q": "Regressprüfung", "status": "all"}).context["page"]
    assert [inquiry.reference for inquiry in found] == [first.reference]
    erase(client, person)
    found = client.get(queue, {"q": "Regressprüfung", "status": "all"}).context["page"]
    assert list(found) == []


def test_export_after_erasure_holds_nothing_personal(client_for, cast, inquirer):
    person, _first, _second = inquirer
    client = client_for(cast.staff)
    erase(client, person)
    text = export(client, person).content.decode()
    for secret in ["Mia", "mia@acme.example", "123456", "Regressprüfung", "member"]:
        assert secret not in text


def test_export_holds_staffs_internal_notes_about_the_person(client_for, cast, inquirer):
    person, first, _second = inquirer
    add_note(first, "Rückruf vereinbart, Tel. +49 201 123456", actor=cast.staff)
    add_note(cast.globex_inquiry, "Empfehlung von Mia Mitglied", actor=cast.staff)
    add_note(cast.globex_inquiry, "Nichts über sie", actor=cast.staff)
    data = json.loads(export(client_for(cast.staff), person).content)
    notes = {i["reference"]: i["internal_notes"] for i in data["inquiries"]}
    assert [n["text"] for n in notes[first.reference]] == [
        "Rückruf vereinbart, Tel. +49 201 123456"
    ]
    named = data["person"]["named_in_internal_notes"]
    assert [(n["inquiry"], n["text"]) for n in named] == [
        (cast.globex_inquiry.reference, "Empfehlung von Mia Mitglied")
    ]


def test_erase_blanks_notes_on_her_inquiries_and_her_name_in_other_notes(
    client_for, cast, inquirer
):
    person, first, _second = inquirer
    own = add_note(first, "Frau Mitglied wirkt skeptisch", actor=cast.staff)
    other = add_note(
        cast.globex_inquiry, "Tipp von MIA MITGLIED (mia@acme.example), 0201 1", actor=cast.staff
    )
    unrelated = add_note(cast.globex_inquiry, "Termin am Montag", actor=cast.staff)
    erase(client_for(cast.staff), person)
    own.refresh_from_db(), other.refresh_from_db(), unrelated.refresh_from_db()
    assert own.text == ERASED
    assert other.text == f"Tipp von {ERASED} ({ERASED}), 0201 1"
    assert unrelated.text == "Termin am Montag"


def test_erase_takes_her_name_out_of_every_audit_entry_and_records_who_erased(
    client_for, cast, inquirer
):
    person, _first, _second = inquirer
    # an entry about another object that recorded her name and address in its details
    globex = cast.globex_inquiry
    audit.record(cast.staff, "inquiry.note_added", globex, to="Mia Mitglied")
    audit.record(cast.staff, "inquiry.note_added", globex, to="mia@acme.example")
    erase(client_for(cast.staff), person)
    forwarded = AuditEvent.objects.filter(action="inquiry.note_added", object_id=str(globex.pk))
    assert [e.changes["details"]["to"] for e in forwarded] == [ERASED, ERASED]
    erased = AuditEvent.objects.get(action="person.erased")
    assert erased.actor == cast.staff and erased.object_label == ERASED
    assert "Mia" not in json.dumps(erased.changes)


def test_erase_ends_her_sessions_and_revokes_her_api_tokens(client_for, cast, inquirer):
    person, _first, _second = inquirer
    browser = Client()
    browser.force_login(cast.member)
    key = browser.session.session_key
    other = Client()
    other.force_login(cast.other_member)
    token, api_key = issue_api_token(cast.member, "Skript")
    assert (
        browser.get("/api/v1/inquiries", HTTP_AUTHORIZATION=f"Bearer {api_key}").status_code == 200
    )
    erase(client_for(cast.staff), person)
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=other.session.session_key).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        Client().get("/api/v1/inquiries", HTTP_AUTHORIZATION=f"Bearer {api_key}").status_code == 401
    )


def test_a_logged_in_member_who_submits_an_inquiry_is_its_contact_person(
    client_for, cast, inquirer
):
    person, _first, _second = inquirer
    client = client_for(cast.member)
    data = f.inquiry_form_data(
        contact_name="Mia M.", email="mia.neu@acme.example", phone="+49 201 999"
    )
    assert client.post(reverse("contact:inquiry_form"), data).status_code == 302
    inquiry = Inquiry.objects.latest("pk")
    assert inquiry.contact == person
    person.refresh_from_db()
    # reached where she asked to be; known by the name the hub had
    assert (person.name, person.email, person.phone) == (
        "Mia Mitglied",
        "mia.neu@acme.example",
        "+49 201 999",
    )
    assert Person.objects.filter(user=cast.member).count() == 1
    event = AuditEvent.objects.get(action="person.updated")
    assert event.changes["details"]["fields"] == ["email", "phone"]
    assert "mia" not in json.dumps(event.changes)


def test_a_member_without_a_person_gets_one_linked_to_the_account(client_for, cast):
    client = client_for(cast.other_member)
    data = f.inquiry_form_data(contact_name="Otto Other", email="otto@globex.example")
    assert client.post(reverse("contact:inquiry_form"), data).status_code == 302
    person = Inquiry.objects.latest("pk").contact
    assert (person.user, person.name, person.email) == (
        cast.other_member,
        "Otto Other",
        "otto@globex.example",
    )
