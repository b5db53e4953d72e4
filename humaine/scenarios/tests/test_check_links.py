"""The check inside a scenario: a respondent's link is theirs. Those who manage the
scenario's checks send the invitation by email or revoke it; no page shows the link."""

import pytest
from django.core import mail
from django.urls import reverse

from humaine.scenarios import services

pytestmark = pytest.mark.django_db


def _page(client, scenario, link):
    return client.get(reverse("scenarios:check", args=[scenario.pk, link.ai_check_id]))


def test_no_private_link_appears_on_the_check_page(cast, world, client_for):
    scenario = world.scenario
    first = services.start_check(scenario, actor=cast.staff)
    second = services.start_check(scenario, actor=cast.staff)  # carries the respondent over
    for link in (first, second):
        respondent = link.ai_check.respondents.get()
        for user in (cast.staff, world.lead_user, world.council_user):
            page = _page(client_for(user), scenario, link)
            body = page.content.decode()
            assert page.status_code == 200
            assert "/check/answer/" not in body
            assert respondent.token() not in body
            assert respondent.label in body
        staff_page = _page(client_for(cast.staff), scenario, link).content.decode()
        revoke = reverse(
            "scenarios:check_revoke", args=[scenario.pk, link.ai_check_id, respondent.pk]
        )
        assert revoke in staff_page
        council_page = _page(client_for(world.council_user), scenario, link).content.decode()
        assert "/resend/" not in council_page and "/revoke/" not in council_page


def test_staff_send_the_invitation_by_email_and_revoke_it(cast, world, client_for, run_jobs):
    scenario = world.scenario
    link = services.start_check(scenario, actor=cast.staff)
    respondent = link.ai_check.respondents.get()
    prefix = f"r{respondent.pk}"
    args = [scenario.pk, link.ai_check_id, respondent.pk]
    client = client_for(cast.staff)
    bad = client.post(
        reverse("scenarios:check_resend", args=args),
        {f"{prefix}-email": "kaputt", f"{prefix}-language": "de"},
    )
    assert bad.status_code == 400 and "gültige E-Mail-Adresse" in bad.content.decode()
    assert respondent.token() not in bad.content.decode()
    run_jobs()
    assert mail.outbox == []
    sent = client.post(
        reverse("scenarios:check_resend", args=args),
        {f"{prefix}-email": "leitung@example.org", f"{prefix}-language": "de"},
        follow=True,
    )
    assert sent.status_code == 200
    run_jobs()
    assert [m.to for m in mail.outbox] == [["leitung@example.org"]]
    assert respondent.token() in mail.outbox[0].body
    assert respondent.token() not in sent.content.decode()
    respondent.refresh_from_db()
    assert respondent.invite_email == ""  # the address is used once, not kept
    old_token = respondent.token()
    client.post(reverse("scenarios:check_revoke", args=args))
    respondent.refresh_from_db()
    assert respondent.is_revoked
    assert client.get(reverse("check:respond", args=[old_token])).status_code == 404
    again = client.post(
        reverse("scenarios:check_resend", args=args),
        {f"{prefix}-email": "leitung@example.org", f"{prefix}-language": "de"},
        follow=True,
    )
    run_jobs()
    assert len(mail.outbox) == 1
    assert "widerrufen oder beantwortet" in again.content.decode()


def test_the_works_council_may_not_send_or_revoke(cast, world, client_for):
    scenario = world.scenario
    link = services.start_check(scenario, actor=cast.staff)
    respondent = link.ai_check.respondents.get()
    args = [scenario.pk, link.ai_check_id, respondent.pk]
    client = client_for(world.council_user)
    assert client.post(reverse("scenarios:check_revoke", args=args)).status_code == 403
    respondent.refresh_from_db()
    assert not respondent.is_revoked
