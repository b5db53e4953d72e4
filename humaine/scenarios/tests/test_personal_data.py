"""A person's scenario data is exported and erased with the contact point's tools."""

import pytest

from humaine.contact import services as contact_services
from humaine.scenarios import services
from humaine.scenarios.access import ScenarioAccess
from humaine.scenarios.models import Activity, Comment, GatePosition, Member
from humaine.tests import factories as f

pytestmark = pytest.mark.django_db

MARKER = "Zeppelin-Marker-4711"


def test_export_and_erasure_cover_memberships_comments_and_positions(cast, world):
    user = f.make_user("maria", first_name="Maria", last_name=MARKER)
    person = f.make_person(f"Maria {MARKER}", user=user, organisation=cast.acme)
    invited = services.invite_member(
        world.scenario, role="works_council", name=f"Maria {MARKER}", actor=cast.staff
    )
    services.join(invited.member, user=user)
    decision = services.record_decision(
        world.scenario,
        actor=cast.staff,
        title="D",
        decided_by=f"Maria {MARKER}",
        decided_on="2026-01-01",
        reasons="r",
    )
    services.add_comment(
        world.scenario, kind="decision", item=decision, text=f"Meinung von {MARKER}", actor=user
    )
    assert ScenarioAccess(user, world.scenario).holds("works_council")
    exported = contact_services.export_person(person, actor=cast.staff)
    section = exported["scenarios"]
    assert section["memberships"][0]["role"] == "works_council"
    assert MARKER in section["comments"][0]["text"]
    contact_services.erase_person(person, actor=cast.staff)
    for model, fields in [
        (Member, ["name"]),
        (Comment, ["text", "author_label"]),
        (Activity, ["label", "actor_label"]),
        (GatePosition, ["statement", "author_label"]),
    ]:
        for field in fields:
            assert not model.objects.filter(**{f"{field}__contains": MARKER}).exists(), (
                model,
                field,
            )
    assert not Member.objects.filter(user=user, active=True).exists()
    decision.refresh_from_db()
    assert MARKER not in decision.decided_by
