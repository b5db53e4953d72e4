"""Starting from an inquiry, joining by link, gates with the works council, the check diff."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from humaine.check import services as check_services
from humaine.check.profile import CaseProfile
from humaine.contact.models import Inquiry
from humaine.core.models import AuditEvent
from humaine.scenarios import services
from humaine.scenarios.access import ScenarioAccess
from humaine.scenarios.models import Member, Scenario
from humaine.scenarios.selectors import gate_status
from humaine.tests import factories as f

pytestmark = pytest.mark.django_db

MONITORING = CaseProfile(
    sector="insurance",
    functions=["worker_monitoring_evaluation"],
    affected_persons=["workers"],
    decision_role="assists",
    organisation_roles=["uses"],
    used_at_workplace=True,
    can_monitor_workers=True,
    works_council="yes",
    employees_count=300,
)


def test_staff_turn_an_inquiry_into_a_scenario_with_what_comes_along(cast, client_for):
    inquiry = cast.acme_inquiry
    f.assign_expert(cast.expert, inquiry)
    check = check_services.create_check(title="Check", inquiry=inquiry, actor=cast.staff).check
    client = client_for(cast.staff)
    url = reverse("scenarios:start_from_inquiry", args=[inquiry.pk])
    response = client.post(
        url, {"title": "Schadenprüfung", "goal": "Entlasten", "work_process": "Kfz-Schäden"}
    )
    scenario = Scenario.objects.get(inquiry=inquiry)
    assert response.status_code == 302 and response["Location"] == scenario.get_absolute_url()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SCENARIO
    assert scenario.organisation == cast.acme and scenario.contact == inquiry.contact
    roles = {(m.role, m.person_id) for m in scenario.members.all()}
    assert ("lead", inquiry.contact.pk) in roles
    assert ("expert", cast.expert.person.pk) in roles
    assert list(scenario.checks.values_list("ai_check", flat=True)) == [check.pk]
    assert AuditEvent.objects.filter(action="scenario.started").exists()
    # A second start is refused with a message, and nothing changes.
    again = client.post(url, {"title": "x", "goal": "y", "work_process": "z"})
    assert again.status_code == 200 and Scenario.objects.count() == 1


def test_a_closed_inquiry_gets_no_scenario_and_nothing_is_half_saved(cast):
    inquiry = cast.globex_inquiry
    inquiry.status = Inquiry.Status.CLOSED
    inquiry.save()
    with pytest.raises(services.ScenarioError):
        services.start_scenario(
            actor=cast.staff, inquiry=inquiry, title="t", goal="g", work_process="w"
        )
    assert not Scenario.objects.exists()


def test_an_invited_person_without_account_joins_once(cast, world, client):
    invited = services.invite_member(world.scenario, role="user", name="Nutzerin", actor=None)
    url = reverse("scenarios:join", args=[invited.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "nutzerin", "password": "ein sicheres Passwort 42"})
    assert response.status_code == 302
    member = Member.objects.get(pk=invited.member.pk)
    assert member.user.username == "nutzerin" and member.joined_at
    assert client.get(reverse("scenarios:workspace", args=[world.scenario.pk])).status_code == 200
    client.logout()
    used = client.get(url)
    assert used.status_code == 404
    assert "does not work" in used.content.decode() or "funktioniert nicht" in used.content.decode()


def test_an_expired_invitation_says_so_in_the_users_language(cast, world, client):
    invited = services.invite_member(world.scenario, role="user", name="Spät", actor=None)
    Member.objects.filter(pk=invited.member.pk).update(
        invitation_expires_at=timezone.now() - timedelta(days=1)
    )
    url = reverse("scenarios:join", args=[invited.token])
    german = client.get(url)
    assert "abgelaufen" in german.content.decode()
    english = client.get("/en" + url)
    assert "expired" in english.content.decode()
    response = client.post(url, {"username": "spaet", "password": "ein sicheres Passwort 42"})
    assert response.status_code == 400
    assert not Member.objects.get(pk=invited.member.pk).user_id
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="spaet").exists()


def _flag_monitoring(scenario, staff):
    link = services.start_check(scenario, actor=staff)
    check_services.set_profile(link.ai_check, MONITORING, actor=staff)
    return link


def test_monitoring_puts_the_works_council_on_the_gate(cast, world):
    scenario = world.scenario
    Scenario.objects.filter(pk=scenario.pk).update(phase="design")
    scenario.refresh_from_db()
    assert "works_council" not in gate_status(scenario).roles
    _flag_monitoring(scenario, cast.staff)
    status = gate_status(scenario)
    assert "works_council" in status.roles and "betrvg_87_1_6" in status.flags


def test_a_gate_needs_every_role_and_only_holders_may_speak(cast, world):
    scenario = world.scenario
    _flag_monitoring(scenario, cast.staff)
    Scenario.objects.filter(pk=scenario.pk).update(phase="analysis")
    scenario.refresh_from_db()
    staff_access = ScenarioAccess(cast.staff, scenario)
    with pytest.raises(services.ScenarioError):
        services.record_position(
            scenario,
            role="works_council",
            position="agree",
            statement="",
            access=staff_access,
            actor=cast.staff,
        )
    services.record_position(
        scenario,
        role="staff",
        position="agree",
        statement="",
        access=staff_access,
        actor=cast.staff,
    )
    lead_access = ScenarioAccess(world.lead_user, scenario)
    services.record_position(
        scenario,
        role="lead",
        position="agree",
        statement="",
        access=lead_access,
        actor=world.lead_user,
    )
    with pytest.raises(services.ScenarioError) as error:
        services.advance_phase(scenario, actor=cast.staff)
    assert "Interessenvertretung" in str(error.value) or "representatives" in str(error.value)
    council = ScenarioAccess(world.council_user, scenario)
    services.record_position(
        scenario,
        role="works_council",
        position="conditions",
        statement="Nur mit Betriebsvereinbarung",
        access=council,
        actor=world.council_user,
    )
    scenario = services.advance_phase(scenario, actor=cast.staff)
    assert scenario.phase == "design"
    change = scenario.phase_changes.get()
    assert change.gate["positions"]["works_council"]["position"] == "conditions"


def test_a_gate_approved_without_the_role_is_refused_over_http(cast, world, client_for):
    client = client_for(world.council_user)
    url = reverse("scenarios:position", args=[world.scenario.pk])
    response = client.post(url, {"role": "staff", "position": "agree"})
    assert response.status_code in (400, 403)
    assert not world.scenario.positions.exists()


def test_a_rerun_is_prefilled_and_the_diff_shows_what_changed(cast, world, client_for):
    first = services.start_check(world.scenario, actor=cast.staff)
    second = _flag_monitoring(world.scenario, cast.staff)
    assert second.based_on == first.ai_check
    assert second.ai_check.respondents.count() == first.ai_check.respondents.count()
    client = client_for(cast.staff)
    url = reverse(
        "scenarios:check_diff", args=[world.scenario.pk, second.ai_check.pk, first.ai_check.pk]
    )
    page = client.get(url).content.decode()
    assert "87 Abs. 1 Nr. 6" in page


def test_a_members_invitation_is_emailed_once_and_the_address_forgotten(cast, world, mailoutbox):
    from humaine.scenarios import tasks

    invited = services.invite_member(
        world.scenario, role="manager", name="Mara", email="mara@example.org", actor=cast.staff
    )
    assert tasks.send_member_invitation.call(invited.member.pk) == "sent"
    # the job run again (a retry) sends nothing more
    Member.objects.filter(pk=invited.member.pk).update(invite_email="mara@example.org")
    assert tasks.send_member_invitation.call(invited.member.pk) == "sent before"
    assert [m.to for m in mailoutbox] == [["mara@example.org"]]
    assert invited.token in mailoutbox[0].body
    assert Member.objects.get(pk=invited.member.pk).invite_email == ""
