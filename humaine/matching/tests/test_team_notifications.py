"""Experts hear when staff put them on an inquiry's team or take them off it."""

import pytest
from django.core import mail
from django.utils import translation

from humaine.matching.notifications import PUT_ON_TEAM, TAKEN_OFF_TEAM
from humaine.matching.services import accept_team
from humaine.notifications.models import Notification
from humaine.tests import factories as f


def test_an_expert_put_on_a_team_and_taken_off_it_is_told(cast):
    colleague = f.make_expert("Dr. Otto Ohne-Konto")  # no account: nobody to tell
    inquiry = cast.acme_inquiry
    accept_team(inquiry, [cast.expert.pk, colleague.pk], actor=cast.staff, hours=6)
    [told] = Notification.objects.filter(kind=PUT_ON_TEAM)
    assert told.recipient == cast.expert_user
    assert told.params == {"reference": inquiry.reference, "hours": 6}
    with translation.override("en"):
        from humaine.notifications.kinds import KINDS

        assert KINDS[PUT_ON_TEAM].text(told) == (
            f"You are on the team of inquiry {inquiry.reference}, with 6 hours a month."
        )

    accept_team(inquiry, [colleague.pk], actor=cast.staff, hours=6, replace_accepted=True)

    [released] = Notification.objects.filter(kind=TAKEN_OFF_TEAM)
    assert released.recipient == cast.expert_user
    assert Notification.objects.filter(kind=PUT_ON_TEAM).count() == 1


def test_the_demo_data_tells_nobody(cast):
    accept_team(cast.acme_inquiry, [cast.expert.pk], actor=cast.staff, hours=6, notify=False)
    assert not Notification.objects.filter(kind__in=[PUT_ON_TEAM, TAKEN_OFF_TEAM]).exists()
    assert not Notification.objects.filter(object_id=str(cast.acme_inquiry.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_the_expert_is_emailed_with_a_link_to_the_inquiry(cast, run_jobs):
    cast.expert_user.email = "erika@example.org"
    cast.expert_user.save(update_fields=["email"])
    accept_team(cast.acme_inquiry, [cast.expert.pk], actor=cast.staff, hours=6)
    run_jobs()
    [email] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert cast.acme_inquiry.reference in email.subject
    assert f"/inquiries/{cast.acme_inquiry.pk}/" in email.body
