"""The scenarios' test cast: the hub's cast plus a scenario with its people and a survey."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from humaine.scenarios import services
from humaine.scenarios.models import Invitation, Response
from humaine.tests import factories as f


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@dataclass
class World:
    scenario: object
    north: object
    south: object
    council_user: object
    council: object
    employee_user: object
    employee: object
    lead_user: object


def make_scenario(cast, **fields):
    defaults = {
        "title": "KI in der Kfz-Schadenprüfung",
        "goal": "Sachbearbeitung entlasten, ohne Handlungsspielraum zu verlieren.",
        "work_process": "Kfz-Schadenprüfung",
        "organisation": cast.acme,
        "sector": cast.sectors["insurance"],
    }
    return services.start_scenario(actor=cast.staff, **(defaults | fields))


def add_member(scenario, user, role, group=None):
    invited = services.invite_member(
        scenario, role=role, name=user.get_username(), group=group, actor=None
    )
    return services.join(invited.member, user=user)


@pytest.fixture
def world(cast) -> World:
    scenario = make_scenario(cast)
    north = services.save_group(scenario, actor=cast.staff, name="Team Nord", headcount=14)
    south = services.save_group(scenario, actor=cast.staff, name="Team Süd", headcount=6)
    council_user = f.make_user("betriebsrat")
    council = add_member(scenario, council_user, "works_council")
    employee_user = f.make_user("beschaeftigte")
    employee = add_member(scenario, employee_user, "employee", group=north)
    lead_user = f.make_user("lead", organisation=cast.acme)
    add_member(scenario, lead_user, "lead")
    expert_member = services.invite_member(scenario, role="expert", name="Erika", actor=None)
    services.join(expert_member.member, user=cast.expert_user)
    return World(scenario, north, south, council_user, council, employee_user, employee, lead_user)


def make_survey(scenario, groups, actor, scales=("trust", "workload"), open_questions=()):
    return services.create_survey(
        scenario,
        title="Befragung",
        scale_ids=list(scales),
        open_question_ids=list(open_questions),
        groups=groups,
        ask_code=True,
        actor=actor,
    )


def open_wave(survey, actor, kind="baseline", label="Baseline", start=None):
    start = start or timezone.localdate()
    return services.schedule_wave(
        survey,
        kind=kind,
        label=label,
        opens_on=start,
        closes_on=start + timedelta(days=14),
        actor=actor,
    )


def answer(wave, group, answers, texts=None, code=""):
    """A response as the answer page stores it (through the service)."""
    issued = services.issue_invitations(wave, group, count=1, actor=None)
    services.submit_response(
        issued[0].invitation, answers=answers, texts=texts or {}, code_hash=code or None
    )


def plant(wave, group, answers_list, codes=None):
    """Many responses at once (for results tests), as rows without invitations."""
    codes = codes or [""] * len(answers_list)
    Response.objects.bulk_create(
        Response(wave=wave, group=group, answered_on=date.today(), answers=a, code_hash=c)
        for a, c in zip(answers_list, codes)
    )


TRUST = ["TRU-1", "TRU-2", "TRU-3", "TRU-4"]


def trust(value):
    return {"TRU-1": value, "TRU-2": value, "TRU-3": value, "TRU-4": 6 - value}


__all__ = ["Invitation"]
