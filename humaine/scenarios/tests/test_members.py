"""Members are the hub's people: linked to their contact record, and added by account."""

import pytest
from django.urls import reverse

from humaine.contact.models import Person
from humaine.core.models import AuditEvent
from humaine.scenarios import services
from humaine.scenarios.models import Member
from humaine.tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_invitation_to_a_known_address_is_the_hubs_person_who_gets_the_account(
    cast, world, client
):
    known = f.make_person("Karla Kunde", email="karla@example.org", organisation=cast.acme)
    invited = services.invite_member(
        world.scenario, role="manager", name="Karla", email="KARLA@example.org", actor=cast.staff
    )
    assert invited.member.person == known
    url = reverse("scenarios:join", args=[invited.token])
    client.post(url, {"username": "karla", "password": "ein sicheres Passwort 42"})
    member = Member.objects.get(pk=invited.member.pk)
    known.refresh_from_db()
    assert member.person == known and known.user == member.user
    assert Person.objects.filter(email__iexact="karla@example.org").count() == 1


def test_joining_links_the_accounts_own_record_or_makes_one(cast, world):
    own = f.make_person("Erwin Eigen", user=f.make_user("erwin"))
    first = services.invite_member(world.scenario, role="user", name="Erwin", actor=cast.staff)
    services.join(first.member, user=own.user)
    assert Member.objects.get(pk=first.member.pk).person == own
    newcomer = f.make_user("neu", organisation=cast.acme)
    second = services.invite_member(world.scenario, role="user", name="Nora Neu", actor=None)
    services.join(second.member, user=newcomer)
    person = Member.objects.get(pk=second.member.pk).person
    assert person.user == newcomer and person.name == "Nora Neu"
    assert person.email == "neu@example.org" and person.organisation == cast.acme


def test_staff_add_an_existing_account_without_a_link(cast, world, client_for):
    client = client_for(cast.staff)
    url = reverse("scenarios:members", args=[world.scenario.pk])
    page = client.get(url).content.decode()
    form = page.split('name="add-account"')[1].split("</select>")[0]
    # staff may add the organisation's people, the hub's staff and the network's experts
    for user in (cast.member, cast.expert_user, cast.admin):
        assert f'value="{user.pk}"' in form
    assert f'value="{cast.other_member.pk}"' not in form
    response = client.post(
        url, {"form": "add", "add-account": cast.member.pk, "add-role": "manager"}
    )
    assert response.status_code == 302
    member = Member.objects.get(scenario=world.scenario, user=cast.member, role="manager")
    assert member.joined_at and member.person.user == cast.member and not member.token_hash
    assert AuditEvent.objects.filter(action="scenario.member_added").exists()
    assert client_for(cast.member).get(world.scenario.get_absolute_url()).status_code == 200


def test_adding_an_account_twice_or_an_employee_without_group_is_refused(cast, world, client_for):
    client = client_for(cast.staff)
    url = reverse("scenarios:members", args=[world.scenario.pk])
    data = {"form": "add", "add-account": world.lead_user.pk, "add-role": "lead"}
    twice = client.post(url, data)
    assert twice.status_code == 400
    assert "bereits" in twice.content.decode()
    no_group = client.post(url, data | {"add-role": "employee"})
    assert no_group.status_code == 400
    assert "gehören zu einer Stakeholdergruppe" in no_group.content.decode()
    assert Member.objects.filter(scenario=world.scenario, user=world.lead_user).count() == 1


def test_a_lead_may_add_only_people_of_the_scenarios_organisation(cast, world, client_for):
    client = client_for(world.lead_user)
    url = reverse("scenarios:members", args=[world.scenario.pk])
    page = client.get(url).content.decode()
    form = page.split('name="add-account"')[1].split("</select>")[0]
    assert f'value="{cast.member.pk}"' in form
    for user in (cast.other_member, cast.staff, cast.expert_user):
        assert f'value="{user.pk}"' not in form
    response = client.post(
        url, {"form": "add", "add-account": cast.other_member.pk, "add-role": "user"}
    )
    assert response.status_code == 400
    assert not Member.objects.filter(user=cast.other_member).exists()


def test_only_managers_add_members_and_strangers_see_nothing(cast, world, client_for):
    url = reverse("scenarios:members", args=[world.scenario.pk])
    data = {"form": "add", "add-account": cast.member.pk, "add-role": "user"}
    assert client_for(world.council_user).post(url, data).status_code == 403
    assert client_for(cast.other_member).post(url, data).status_code == 404
    assert not Member.objects.filter(user=cast.member).exists()
