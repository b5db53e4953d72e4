"""Notifications in the hub: each user's own list, unread markers, reading, and the
choice of emails (sent by a job as each person chose, in their language)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from humaine.contact import services as contact_services
from humaine.contact.notifications import REPLY, STATUS
from humaine.notifications import kinds, services
from humaine.notifications.models import Notification, Preferences
from humaine.tests import factories as f


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def _reply(cast, text="Gibt es schon einen Termin?"):
    return contact_services.receive_message(cast.acme_inquiry, text)


def test_every_kind_reads_and_links_in_both_languages(cast):
    assert {"contact.reply_received", "matching.put_on_team"} <= set(kinds.KINDS.keys())
    # the kinds about an inquiry; other apps test theirs with their own objects
    # (e.g. humaine/human_ai/tests/test_monitoring.py)
    about_inquiries = [k for k in kinds.KINDS if k.name.split(".")[0] in ("contact", "matching")]
    for kind in about_inquiries:
        notification = Notification(
            recipient=cast.staff,
            kind=kind.name,
            object_type="contact.inquiry",
            object_id=str(cast.acme_inquiry.pk),
            params={"reference": "HM-2026-00001", "hours": 8},
        )
        texts = {}
        for language in ("de", "en"):
            with translation.override(language):
                texts[language] = kind.text(notification)
                assert str(kind.label)
                if kind.link:
                    assert kind.link(notification).startswith("/")
        assert "HM-2026-00001" in texts["de"]
        assert texts["de"] != texts["en"], kind.name


def test_a_user_sees_and_opens_only_their_own_notifications(cast, client_for):
    assert contact_services.assign_inquiry(cast.acme_inquiry, cast.staff, actor=cast.admin)
    _reply(cast)
    [own] = Notification.objects.filter(recipient=cast.staff, kind=REPLY)
    other_staff = f.make_staff("other-staff")

    client = client_for(other_staff)
    assert cast.acme_inquiry.reference not in client.get(_en("notifications:list")).content.decode()
    assert client.get(_en("notifications:open", own.pk)).status_code == 404
    own.refresh_from_db()
    assert not own.is_read

    client = client_for(cast.staff)
    page = client.get(_en("notifications:list")).content.decode()
    assert f"The inquirer of {cast.acme_inquiry.reference} replied" in page
    assert "unread" in page
    opened = client.get(_en("notifications:open", own.pk))
    assert opened.status_code == 302
    assert opened["Location"] == _en("contact:inquiry_detail", cast.acme_inquiry.pk)
    own.refresh_from_db()
    assert own.is_read


def test_the_menu_counts_unread_notifications_and_mark_all_read_clears_it(cast, client_for):
    contact_services.assign_inquiry(cast.acme_inquiry, cast.staff, actor=cast.admin)
    _reply(cast)
    _reply(cast, "Und noch eine Frage.")
    client = client_for(cast.staff)
    page = client.get(_en("notifications:list")).content.decode()
    assert '<span class="badge unread">3<span class="visually-hidden"> unread</span>' in page

    client.post(_en("notifications:mark_all_read"))

    assert services.unread_count(cast.staff) == 0
    assert "badge unread" not in client.get(_en("notifications:list")).content.decode()


def test_the_preferences_page_offers_the_kinds_of_the_users_roles(cast, client_for):
    staff_page = client_for(cast.staff).get(_en("notifications:preferences")).content.decode()
    assert "an inquirer replies on their status page" in staff_page
    assert "put you on an inquiry" not in staff_page
    expert_page = client_for(cast.expert_user).get(_en("notifications:preferences"))
    assert "put you on an inquiry" in expert_page.content.decode()
    assert "an inquirer replies" not in expert_page.content.decode()
    member_page = client_for(cast.member).get(_en("notifications:preferences"))
    assert "no notifications for your role" in member_page.content.decode()


def test_saving_preferences_keeps_only_kinds_the_user_may_receive(cast, client_for):
    client = client_for(cast.expert_user)
    response = client.post(
        _en("notifications:preferences"),
        {"language": "en", "email_contact__reply_received": "on"},
    )
    assert response.status_code == 302
    saved = Preferences.objects.get(user=cast.expert_user)
    assert saved.language == "en"
    # the expert turned every expert's kind off (unticked); the staff kind is not theirs
    assert saved.emails == {"matching.put_on_team": False, "matching.taken_off_team": False}


def test_a_notification_of_a_kind_no_longer_sent_is_listed_without_a_link(cast, client_for):
    page = client_for(cast.staff).get(_en("notifications:list")).content.decode()
    assert "A notification of a kind the hub no longer sends." in page
    [old] = cast.extras["notifications"][:1]
    opened = client_for(cast.staff).get(_en("notifications:open", old.pk))
    assert opened["Location"] == _en("notifications:list")


def test_a_bad_language_changes_nothing(cast, client_for):
    response = client_for(cast.staff).post(_en("notifications:preferences"), {"language": "fr"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Preferences.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_emails_go_out_as_each_person_chose_in_their_language(cast, client_for, run_jobs):
    other = f.make_staff("other-staff")
    other.email = "other@example.org"
    other.save(update_fields=["email"])
    cast.staff.email = "tina@example.org"
    cast.staff.save(update_fields=["email"])
    client_for(other).post(_en("notifications:preferences"), {"language": "de"})  # all off
    client_for(cast.staff).post(
        _en("notifications:preferences"),
        {"language": "en", "email_contact__reply_received": "on"},
    )
    mail.outbox.clear()

    _reply(cast)  # nobody is responsible: every transfer specialist is told
    run_jobs()

    assert Notification.objects.filter(kind=REPLY).count() == 3  # staff, admin, other
    [email] = [m for m in mail.outbox if "tina@example.org" in m.to]
    assert not [m for m in mail.outbox if "other@example.org" in m.to]
    assert cast.acme_inquiry.reference in email.subject
    assert f"The inquirer of {cast.acme_inquiry.reference} replied" in email.body
    assert f"/en/inquiries/{cast.acme_inquiry.pk}/" in email.body
    assert "/en/notifications/emails/" in email.body
    notification = Notification.objects.get(recipient=cast.staff, kind=REPLY)
    assert notification.emailed_at is not None

    run_jobs()  # nothing is sent twice
    assert len([m for m in mail.outbox if "tina@example.org" in m.to]) == 1


def test_address_choices_are_for_kinds_without_accounts_only(cast):
    with pytest.raises(ValueError):
        services.choose_email_at("a@example.org", REPLY, False, actor_name="test")
    assert services.wants_email_at("A@Example.org ", STATUS)
    services.choose_email_at("a@example.org", STATUS, False, actor_name="test")
    assert not services.wants_email_at("A@Example.org ", STATUS)
