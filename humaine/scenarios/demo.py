"""Demo data: three scenarios, one per sector, in different phases, through the services.

Insurance (from the inquiry in status "scenario started"): in use, with the works council,
a re-run check that flags monitoring, decisions, a file, targets, the AI-literacy plan,
and a survey with a closed baseline and a closed follow-up answered by synthetic
employees: results per group, a small group withheld, and a before/after change paired
by code. Industry: in design, with a closed baseline. Health care: in analysis, with an
open baseline. Answers are made through the answer service, then dated in the past.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

SCALES = ["acceptance", "trust", "workload", "agency", "skills", "health"]


def present() -> bool:
    from .models import Scenario

    return Scenario.objects.exists()


def load(demo) -> None:
    contact = demo.objects["contact"]
    users = contact["users"]
    inquiries = contact["inquiries"]
    rng = random.Random(11)
    staff = users["staff2"] if "staff2" in users else users["staff"]
    scenarios = {
        "insurance": _insurance(demo, _inquiry(inquiries, "insurance", "scenario"), staff, rng),
        "industry": _industry(demo, _inquiry(inquiries, "industry", "scenario"), users, rng),
        "health": _health(demo, _inquiry(inquiries, "health", "matched"), users, rng),
    }
    demo.objects["scenarios"] = scenarios


def _inquiry(inquiries, sector, status):
    return next(i for i in inquiries if i.sector.slug == sector and i.status == status)


# ------------------------------------------------------------------------------ answers


def _answers(rng, library, items: dict, levels: dict) -> dict:
    """One synthetic employee: each item around the group's level on its scale."""
    answers = {}
    for scale_id, item_ids in items.items():
        response = library.response_of(scale_id)
        level = levels.get(scale_id, (response.min + response.max) / 2)
        person = rng.gauss(0, (response.max - response.min) * 0.12)
        for item_id in item_ids:
            noise = rng.gauss(0, (response.max - response.min) * 0.08)
            value = level + person + noise
            value = min(max(value, response.min), response.max)
            value = response.min + round((value - response.min) / response.step) * response.step
            if library.item(item_id).reverse:
                value = response.min + response.max - value
            answers[item_id] = int(value)
    return answers


def _answer_wave(wave, group, count, levels, rng, codes=(), texts=()):
    from .library import current_library
    from .services import issue_invitations, submit_response

    library = current_library()
    links = issue_invitations(wave, group, count=count, actor=None)
    for index, link in enumerate(links):
        code = codes[index] if index < len(codes) else None
        text = {"OPEN-BETTER": texts[index]} if index < len(texts) else {}
        submit_response(
            link.invitation,
            answers=_answers(rng, library, wave.survey.items, levels),
            texts=text,
            code_hash=code,
        )


def _date_wave(wave, opens_on, closes_on):
    from .models import Response, Wave

    Wave.objects.filter(pk=wave.pk).update(opens_on=opens_on, closes_on=closes_on)
    days = max((closes_on - opens_on).days, 0)
    for index, pk in enumerate(Response.objects.filter(wave=wave).values_list("pk", flat=True)):
        Response.objects.filter(pk=pk).update(
            answered_on=opens_on + timedelta(days=index % (days + 1))
        )
    wave.refresh_from_db()


def _codes(rng, n: int) -> list[str]:
    return [f"{rng.getrandbits(256):064x}" for _ in range(n)]


# ------------------------------------------------------------------------------ scenarios


def _walk_phases(scenario, phases, actors):
    """Record the gate's positions and move on, phase by phase, as the people would."""
    from .access import ScenarioAccess
    from .selectors import gate_status
    from .services import advance_phase, record_position

    for _phase in phases:
        gate = gate_status(scenario)
        for role in gate.roles:
            user = actors[role]
            record_position(
                scenario,
                role=role,
                position="conditions" if role == "works_council" else "agree",
                statement="Nur mit Betriebsvereinbarung; keine Einzelauswertung."
                if role == "works_council"
                else "",
                access=ScenarioAccess(user, scenario),
                actor=user,
            )
        scenario = advance_phase(scenario, actor=actors["staff"])
    return scenario


def _join(scenario, role, name, username, demo, group=None):
    from .services import invite_member, join

    invited = invite_member(scenario, role=role, name=name, group=group, actor=None)
    return join(invited.member, username=username, password=demo.password)


def _insurance(demo, inquiry, staff, rng):
    from humaine.check import services as check_services
    from humaine.check.profile import CaseProfile

    from . import services

    scenario = services.start_scenario(
        actor=staff,
        inquiry=inquiry,
        title="KI-Vorprüfung einfacher Kfz-Schäden",
        goal="Die Sachbearbeitung von Routinefällen entlasten; schwierige Fälle bleiben bei "
        "den Menschen, die sie am besten entscheiden.",
        work_process=inquiry.work_process,
        people="Sachbearbeitung Kfz in zwei Teams, ein kleines Gutachterteam.",
    )
    council = _join(scenario, "works_council", "Betriebsrat (Jens Adler)", "betriebsrat", demo)
    lead = _join(scenario, "lead", "Sabine Koch", "projektleitung", demo)
    manager = _join(scenario, "manager", "Teamleitung Kfz", "teamleitung", demo)
    north = services.save_group(
        scenario, actor=staff, name="Sachbearbeitung Kfz, Team Nord", headcount=14
    )
    south = services.save_group(
        scenario, actor=staff, name="Sachbearbeitung Kfz, Team Süd", headcount=11
    )
    small = services.save_group(scenario, actor=staff, name="Gutachterteam", headcount=4)
    _join(scenario, "employee", "Mitarbeiterin Team Nord", "mitarbeiterin", demo, group=north)
    first = services.start_check(scenario, actor=staff)
    rerun = services.start_check(scenario, actor=staff)
    check_services.set_profile(
        rerun.ai_check,
        CaseProfile(
            sector="insurance",
            purpose="Vorprüfung einfacher Kfz-Schäden",
            functions=["claims_assessment", "task_allocation_individual"],
            affected_persons=["insured_persons", "workers"],
            decision_role="assists",
            organisation_roles=["uses"],
            used_at_workplace=True,
            can_monitor_workers=True,
            works_council="yes",
            employees_count=1200,
        ),
        actor=staff,
    )
    actors = {
        "staff": staff,
        "lead": lead.user,
        "manager": manager.user,
        "works_council": council.user,
        "expert": staff,
    }
    _items(scenario, staff, demo)
    survey = services.create_survey(
        scenario,
        title="Arbeit mit der KI-Vorprüfung",
        scale_ids=SCALES,
        open_question_ids=["OPEN-BETTER"],
        groups=[north, south, small],
        ask_code=True,
        actor=staff,
    )
    today = timezone.localdate(demo.now)
    baseline = services.schedule_wave(
        survey,
        kind="baseline",
        label="Ausgangsbefragung",
        opens_on=today,
        closes_on=today,
        actor=staff,
    )
    codes = {g.pk: _codes(rng, 12) for g in (north, south, small)}
    before = {
        "trust": 2.6,
        "acceptance": 2.8,
        "workload": 62,
        "agency": 3.0,
        "skills": 3.3,
        "health": 2.7,
    }
    texts = [
        "Weniger Doppelerfassung.",
        "Mehr Zeit für schwierige Fälle.",
        "Klare Regeln, wann ich der KI widerspreche.",
    ]
    _answer_wave(baseline, north, 12, before, rng, codes[north.pk], texts)
    _answer_wave(baseline, south, 9, before | {"workload": 66}, rng, codes[south.pk], texts)
    _answer_wave(baseline, small, 3, before, rng, codes[small.pk])
    services.close_wave(baseline, actor=staff)
    _date_wave(baseline, today - timedelta(days=140), today - timedelta(days=126))
    follow = services.schedule_wave(
        survey,
        kind="follow_up",
        label="Nach drei Monaten",
        opens_on=today,
        closes_on=today,
        actor=staff,
    )
    after = {
        "trust": 3.7,
        "acceptance": 3.8,
        "workload": 46,
        "agency": 3.3,
        "skills": 3.4,
        "health": 3.3,
    }
    _answer_wave(follow, north, 12, after, rng, codes[north.pk], texts)
    _answer_wave(follow, south, 8, after | {"workload": 58, "trust": 3.1}, rng, codes[south.pk])
    _answer_wave(follow, small, 3, after, rng, codes[small.pk])
    services.close_wave(follow, actor=staff)
    _date_wave(follow, today - timedelta(days=21), today - timedelta(days=7))
    services.save_target(
        scenario,
        actor=staff,
        scale="workload",
        group=None,
        kind="not_worse",
        value=None,
        note="Belastung darf nicht steigen",
    )
    services.save_target(
        scenario, actor=staff, scale="trust", group=None, kind="at_least", value=3.5, note=""
    )
    _literacy(scenario, staff, [lead, manager], today)
    _grant(scenario, staff, roles=("expert",))
    scenario = _walk_phases(
        scenario, ["orientation", "analysis", "design", "development", "implementation"], actors
    )
    return {"scenario": scenario, "survey": survey, "checks": [first, rerun]}


def _items(scenario, staff, demo):
    from . import services

    today = timezone.localdate(demo.now)
    upload = SimpleUploadedFile(
        "aufgabenteilung.md",
        "# Aufgabenteilung\n\n| Aufgabe | Stufe | Begründung |\n| --- | --- | --- |\n"
        "| Vorprüfung Routinefall | Vorschlag | Mensch entscheidet |\n".encode(),
        content_type="text/markdown",
    )
    version = services.upload_file(
        scenario, upload, actor=staff, title="Tabelle Aufgabenteilung", phase="design"
    )
    services.record_decision(
        scenario,
        actor=staff,
        title="Die KI schlägt vor, die Sachbearbeitung entscheidet",
        decided_by="Lenkungskreis mit Betriebsrat",
        decided_on=today - timedelta(days=150),
        alternatives="Automatische Regulierung kleiner Schäden",
        reasons="Verantwortung und Lernen bleiben bei den Menschen; § 87 Abs. 1 Nr. 6 BetrVG.",
        phase="design",
        evidence=[version.file],
    )
    services.save_milestone(
        scenario,
        actor=staff,
        title="Pilot in Team Nord",
        due_on=today - timedelta(days=100),
        phase="implementation",
        done_on=today - timedelta(days=98),
    )
    services.save_milestone(
        scenario,
        actor=staff,
        title="Folgebefragung nach sechs Monaten",
        due_on=today + timedelta(days=80),
        phase="use",
    )


def _literacy(scenario, staff, members, today):
    from . import services

    for topic in ("capabilities", "automation_bias", "override"):
        requirement = services.plan_literacy(
            scenario, role="manager", topic=topic, due_on=today - timedelta(days=90), actor=staff
        )
        manager = next(m for m in members if m.role == "manager")
        services.record_evidence(
            requirement,
            member=manager,
            kind="attendance",
            completed_on=today - timedelta(days=95),
            actor=staff,
        )
    services.plan_literacy(
        scenario, role="lead", topic="incidents", due_on=today + timedelta(days=30), actor=staff
    )


def _industry(demo, inquiry, users, rng):
    from . import services

    staff = users["staff"]
    scenario = services.start_scenario(
        actor=staff,
        inquiry=inquiry,
        title="Sichtprüfung mit KI-Unterstützung",
        goal="Seltene Fehler sicherer finden, ohne die Prüferinnen und Prüfer zu bevormunden.",
        work_process=inquiry.work_process,
    )
    line_a = services.save_group(scenario, actor=staff, name="Endprüfung Linie A", headcount=9)
    line_b = services.save_group(scenario, actor=staff, name="Endprüfung Linie B", headcount=7)
    services.start_check(scenario, actor=staff)
    survey = services.create_survey(
        scenario,
        title="Sichtprüfung heute",
        scale_ids=["workload", "agency", "trust"],
        open_question_ids=[],
        groups=[line_a, line_b],
        ask_code=True,
        actor=staff,
    )
    today = timezone.localdate(demo.now)
    baseline = services.schedule_wave(
        survey,
        kind="baseline",
        label="Ausgangsbefragung",
        opens_on=today,
        closes_on=today,
        actor=staff,
    )
    levels = {"workload": 70, "agency": 2.9, "trust": 2.5}
    _answer_wave(baseline, line_a, 8, levels, rng)
    _answer_wave(baseline, line_b, 6, levels | {"workload": 74}, rng)
    services.close_wave(baseline, actor=staff)
    _date_wave(baseline, today - timedelta(days=40), today - timedelta(days=30))
    council = _join(scenario, "works_council", "Betriebsrat Ruhrstahl", "br-ruhrstahl", demo)
    actors = {"staff": staff, "lead": staff, "expert": staff, "works_council": council.user}
    _grant(scenario, staff)
    scenario = _walk_phases(scenario, ["orientation", "analysis"], actors)
    return {"scenario": scenario, "survey": survey}


def _grant(scenario, staff, roles=("lead", "expert")):
    """Demo shortcut: the transfer specialist also speaks for these roles."""
    from .models import Member

    for role in roles:
        Member.objects.get_or_create(
            scenario=scenario, role=role, user=staff, defaults={"name": staff.get_full_name()}
        )


def _health(demo, inquiry, users, rng):
    from . import services

    staff = users["staff"]
    scenario = services.start_scenario(
        actor=staff,
        inquiry=inquiry,
        title="Spracherkennung in der Pflegedokumentation",
        goal="Weniger Zeit am Rechner, mehr am Bett; die Pflege behält die Kontrolle über jeden "
        "Eintrag.",
        work_process=inquiry.work_process,
    )
    ward = services.save_group(scenario, actor=staff, name="Station 3 (Innere)", headcount=18)
    night = services.save_group(scenario, actor=staff, name="Nachtdienst", headcount=6)
    survey = services.create_survey(
        scenario,
        title="Dokumentation heute",
        scale_ids=["workload", "health", "acceptance"],
        open_question_ids=["OPEN-BETTER"],
        groups=[ward, night],
        ask_code=True,
        actor=staff,
    )
    today = timezone.localdate(demo.now)
    baseline = services.schedule_wave(
        survey,
        kind="baseline",
        label="Ausgangsbefragung",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=11),
        actor=staff,
    )
    _answer_wave(baseline, ward, 7, {"workload": 68, "health": 2.6, "acceptance": 3.1}, rng)
    services.issue_invitations(baseline, night, count=4, actor=staff)
    actors = {"staff": staff, "lead": staff}
    _grant(scenario, staff)
    scenario = _walk_phases(scenario, ["orientation"], actors)
    return {"scenario": scenario, "survey": survey}
