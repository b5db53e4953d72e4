"""The contact point tells people what happened: staff when an inquirer replies or when
they are made responsible, the inquirer by email when the status changes."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from humaine.contact import services
from humaine.contact.models import Inquiry
from humaine.contact.notifications import ASSIGNED, REPLY
from humaine.notifications.models import Notification
from humaine.tests import factories as f


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_a_reply_tells_the_responsible_specialist_only(cast):
    services.assign_inquiry(cast.acme_inquiry, cast.staff, actor=cast.staff)
    services.receive_message(cast.acme_inquiry, "Wann können wir sprechen?")
    assert list(Notification.objects.filter(kind=REPLY).values_list("recipient", flat=True)) == [
        cast.staff.pk
    ]
    # making oneself responsible tells nobody
    assert not Notification.objects.filter(kind=ASSIGNED).exists()


def test_a_reply_while_nobody_is_responsible_tells_every_transfer_specialist(cast):
    services.receive_message(cast.acme_inquiry, "Wann können wir sprechen?")
    told = set(Notification.objects.filter(kind=REPLY).values_list("recipient", flat=True))
    assert told == {cast.staff.pk, cast.admin.pk}
    assert cast.member.pk not in told and cast.expert_user.pk not in told


def test_being_made_responsible_by_someone_else_is_told(cast):
    services.assign_inquiry(cast.acme_inquiry, cast.staff, actor=cast.admin)
    [told] = Notification.objects.filter(kind=ASSIGNED)
    assert told.recipient == cast.staff
    assert told.params == {"reference": cast.acme_inquiry.reference}


def test_the_queue_marks_inquiries_with_unread_replies_until_opened(cast, client_for):
    services.receive_message(cast.acme_inquiry, "Wann können wir sprechen?")
    client = client_for(cast.staff)
    rows = client.get(_en("contact:queue")).content.decode()
    assert rows.count("data-unread-reply") == 1
    acme_row = rows[rows.index(cast.acme_inquiry.reference) :][:400]
    assert "new reply" in acme_row

    client.get(_en("contact:inquiry_detail", cast.acme_inquiry.pk))

    assert "data-unread-reply" not in client.get(_en("contact:queue")).content.decode()
    # the other transfer specialist has not read it yet
    admin_rows = client_for(cast.admin).get(_en("contact:queue")).content.decode()
    assert admin_rows.count("data-unread-reply") == 1


@pytest.mark.django_db(transaction=True)
def test_the_inquirer_is_emailed_each_new_status_with_the_status_link(cast, run_jobs):
    inquiry = f.make_inquiry(
        cast.acme,
        contact=f.make_person("A & B <x>", email="ab@example.org", organisation=cast.acme),
        language="en",
    )
    services.assign_inquiry(inquiry, cast.staff, actor=cast.staff)  # new -> triage
    run_jobs()
    [email] = [m for m in mail.outbox if m.to == ["ab@example.org"]]
    assert email.subject == f"Your inquiry {inquiry.reference}: in triage"
    assert "Hello A & B <x>," in email.body and "&amp;" not in email.body
    with translation.override("en"):
        assert inquiry.status_url() in email.body

    mail.outbox.clear()
    services.change_status(inquiry, Inquiry.Status.MATCHED, actor=cast.staff)
    services.change_status(inquiry, Inquiry.Status.CLOSED, actor=cast.staff)
    run_jobs()
    # two changes before the worker ran: the inquirer hears of the latest only
    [email] = mail.outbox
    assert "is now: closed" in email.body


@pytest.mark.django_db(transaction=True)
def test_the_inquirer_can_turn_status_emails_off_on_the_status_page(cast, client, run_jobs):
    inquiry = cast.acme_inquiry
    inquiry.contact.email = "kontakt@acme.example"
    inquiry.contact.save(update_fields=["email"])
    url = _en("contact:status", inquiry.token())
    page = client.get(url).content.decode()
    assert 'name="status_emails"' in page and "checked" in page

    response = client.post(_en("contact:status_emails", inquiry.token()), {})
    assert response.status_code == 302 and response["Location"] == url
    assert 'id="status-emails" aria' in client.get(url).content.decode()  # unticked

    services.change_status(inquiry, Inquiry.Status.TRIAGE, actor=cast.staff)
    run_jobs()
    assert not [m for m in mail.outbox if "kontakt@acme.example" in m.to]

    client.post(_en("contact:status_emails", inquiry.token()), {"status_emails": "on"})
    services.change_status(inquiry, Inquiry.Status.MATCHED, actor=cast.staff)
    run_jobs()
    assert len([m for m in mail.outbox if "kontakt@acme.example" in m.to]) == 1


def test_a_wrong_status_link_cannot_choose_emails(cast, client):
    response = client.post(_en("contact:status_emails", "x" * 43), {"status_emails": "on"})
    assert response.status_code == 404
