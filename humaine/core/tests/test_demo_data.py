"""The demo data command: a whole hub to try out, made by the project itself."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from humaine import policy
from humaine.contact import access as contact_access
from humaine.contact.models import Discipline, Expert, Inquiry, Organisation
from humaine.core.demo import DEMO_PASSWORD
from humaine.core.models import Hub


@pytest.fixture
def demo(db) -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def test_demo_has_a_hub_with_name_and_address(demo):
    hub = Hub.objects.get()
    assert hub.name and hub.city == "Bochum" and hub.street
    assert hub.imprint_de and hub.privacy_de and hub.imprint_en and hub.privacy_en


def test_demo_has_about_fifteen_experts_across_the_disciplines(demo):
    experts = Expert.objects.all()
    assert 12 <= experts.count() <= 20
    disciplines = {code for expert in experts for code in expert.disciplines}
    assert {
        Discipline.WORK_SCIENCE,
        Discipline.COMPUTER_SCIENCE,
        Discipline.ENGINEERING,
        Discipline.PSYCHOLOGY,
        Discipline.SOCIAL_SCIENCE,
        Discipline.TRANSFER,
    } <= disciplines


def test_demo_has_about_ten_organisations_of_every_kind(demo):
    # The network's organisations; companies that only sent an inquiry come on top.
    network = Organisation.objects.exclude(kind="hub").exclude(city="")
    kinds = Counter(network.values_list("kind", flat=True))
    assert 8 <= sum(kinds.values()) <= 15
    assert kinds["company"] and kinds["research"] and kinds["transfer"]
    sectors = set(
        Organisation.objects.filter(kind="company").values_list("sector__slug", flat=True)
    )
    assert {"industry", "health", "insurance"} <= sectors


def test_demo_has_about_twenty_inquiries_in_every_status_and_both_languages(demo):
    inquiries = Inquiry.objects.all()
    assert 15 <= inquiries.count() <= 30
    assert set(inquiries.values_list("status", flat=True)) == set(Inquiry.Status.values)
    assert set(inquiries.values_list("language", flat=True)) == {"de", "en"}
    assert all(inquiry.reference.startswith("HM-") for inquiry in inquiries)


def test_demo_prints_working_accounts_for_each_role(demo, client):
    assert DEMO_PASSWORD in demo
    users = get_user_model().objects
    roles = {
        "admin": policy.Role.ADMIN,
        "staff": policy.Role.STAFF,
        "member": policy.Role.MEMBER,
        "expert": policy.Role.EXPERT,
    }
    for username, role in roles.items():
        assert f" {username}\n" in demo
        user = users.get(username=username)
        assert role in policy.roles(user), username
        assert client.login(username=username, password=DEMO_PASSWORD)
    expert = users.get(username="expert")
    assert contact_access.inquiries_visible_to(expert).exists()
    member = users.get(username="member")
    visible = contact_access.inquiries_visible_to(member)
    assert visible.exists()
    assert set(visible.values_list("organisation_id", flat=True)) == set(
        policy.organisation_ids(member)
    )


def test_demo_pages_render_for_staff(demo, client):
    client.login(username="staff", password=DEMO_PASSWORD)
    queue = client.get("/staff/inquiries/?status=all")
    assert queue.status_code == 200
    assert queue.context["page"].paginator.count == Inquiry.objects.count()
    inquiry = Inquiry.objects.filter(status="matched").first()
    assert client.get(inquiry.get_absolute_url()).status_code == 200


def test_loading_demo_data_twice_fails_clearly(demo):
    with pytest.raises(CommandError, match="already holds inquiries"):
        call_command("load_demo_data", stdout=StringIO())


def test_if_empty_succeeds_without_duplicating(demo):
    counts = Inquiry.objects.count(), Expert.objects.count(), Organisation.objects.count()
    out = StringIO()
    call_command("load_demo_data", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert (Inquiry.objects.count(), Expert.objects.count(), Organisation.objects.count()) == counts


def test_if_empty_loads_into_an_empty_hub(db):
    call_command("load_demo_data", "--if-empty", stdout=StringIO())
    assert Inquiry.objects.exists()


def test_cli_demo_command_loads_the_demo_once(db, capsys, monkeypatch):
    from django.db import connections

    from humaine.cli import main

    # A command run from the command line closes the connections at its end; the test's
    # transaction lives on one of them.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    assert main(["demo"]) == 0
    count = Inquiry.objects.count()
    assert main(["demo"]) == 0
    assert Inquiry.objects.count() == count
    assert DEMO_PASSWORD in capsys.readouterr().out


def test_every_registered_loader_adds_its_own_rows(db):
    from django.apps import apps

    from humaine.core.demo import DEMO_DATA, Demo

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    demo = Demo(now=timezone.now())
    for data in DEMO_DATA:
        before = counts()
        data.load(demo)
        after = counts()
        assert any(after[label] > before[label] for label in after), data.name
        if data.present is not None:
            assert data.present(), data.name
    for role, username in [account for data in DEMO_DATA for account in data.accounts]:
        assert get_user_model().objects.filter(username=username).exists(), role
