"""The scenarios' examples for the hub-wide common tests."""

from humaine.scenarios import services
from humaine.scenarios.access import ScenarioAccess
from humaine.tests.hooks import EXAMPLES, PersonalDataExample


def scenarios_example(person, marker, cast):
    scenario = services.start_scenario(
        actor=cast.staff,
        title="Szenario",
        goal="Ziel",
        work_process="Prozess",
        organisation=cast.acme,
        sector=cast.sectors["insurance"],
    )
    invited = services.invite_member(
        scenario,
        role="works_council",
        name=f"Maria {marker}",
        email=f"{marker}@example.org",
        actor=cast.staff,
    )
    member = services.join(invited.member, user=person.user)
    decision = services.record_decision(
        scenario,
        actor=cast.staff,
        title="Entscheidung",
        decided_by="Lenkungskreis",
        decided_on="2026-01-01",
        reasons="Gründe",
    )
    services.add_comment(
        scenario, kind="decision", item=decision, text=f"Meinung {marker}", actor=person.user
    )
    services.record_position(
        scenario,
        role="staff",
        position="agree",
        statement="",
        access=ScenarioAccess(cast.staff, scenario),
        actor=cast.staff,
    )
    requirement = services.plan_literacy(
        scenario, role="works_council", topic="data", due_on="2026-06-01", actor=cast.staff
    )
    services.record_evidence(
        requirement,
        member=member,
        kind="attendance",
        completed_on="2026-05-01",
        note=f"Schulung {marker}",
        actor=cast.staff,
    )


EXAMPLES.register(PersonalDataExample("scenarios", scenarios_example))
