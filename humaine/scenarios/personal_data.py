"""The scenarios' share of a person's data (GDPR art. 15 and 17).

Registered with :mod:`humaine.core.personal_data`. A person appears in scenarios as a
member (name, invitation address), as the author of comments, gate positions and file
versions (and as who retired a file), and in the AI-literacy evidence. Export lists all
of it; erasure blanks the names and texts the person wrote and their address, and ends
their memberships and open invitations, keeping the rows that count (a gate position
stays, signed by a placeholder). Survey responses are anonymous and hold nothing about a
person, so they are neither exported nor erased.
"""

from __future__ import annotations

import json

from django.db.models import Q

from humaine.core import audit
from humaine.core.personal_data import Section

from .models import (
    Activity,
    Comment,
    Decision,
    Deliverable,
    FileVersion,
    GatePosition,
    LiteracyEvidence,
    Member,
    PhaseChange,
    ScenarioFile,
)

LABELS = [
    (Activity, "actor_label"),
    (Comment, "author_label"),
    (GatePosition, "author_label"),
    (PhaseChange, "actor_label"),
    (Deliverable, "done_by_label"),
    (FileVersion, "uploaded_by_label"),
    (FileVersion, "retired_by_label"),
    (ScenarioFile, "retired_by_label"),
    (LiteracyEvidence, "recorded_by_label"),
]


def _members(person):
    condition = Q(person=person)
    if person.user_id:
        condition |= Q(user_id=person.user_id)
    return Member.objects.filter(condition).select_related("scenario")


def _by_user(model, person, field="author"):
    if not person.user_id:
        return model.objects.none()
    return model.objects.filter(**{f"{field}_id": person.user_id})


def export_scenarios(person) -> dict:
    members = list(_members(person))
    member_ids = [m.pk for m in members]
    data = {
        "memberships": [
            {
                "scenario": m.scenario.title,
                "role": m.role,
                "name": m.name,
                "invited_at": m.invited_at,
                "joined_at": m.joined_at,
                "active": m.active,
            }
            for m in members
        ],
        "comments": [
            {"scenario": c.scenario_id, "text": c.text, "written_at": c.created_at}
            for c in _by_user(Comment, person)
        ],
        "gate_positions": [
            {
                "scenario": p.scenario_id,
                "phase": p.phase,
                "role": p.role,
                "position": p.position,
                "statement": p.statement,
                "at": p.created_at,
            }
            for p in GatePosition.objects.filter(member_id__in=member_ids)
        ],
        "file_versions": [
            {"file": v.file.title, "name": v.original_name, "uploaded_at": v.uploaded_at}
            for v in _by_user(FileVersion, person, "uploaded_by").select_related("file")
        ],
        "ai_literacy": [
            {
                "topic": e.requirement.topic,
                "evidence": e.kind,
                "completed_on": e.completed_on,
                "score": e.score,
                "note": e.note,
            }
            for e in LiteracyEvidence.objects.filter(member_id__in=member_ids).select_related(
                "requirement"
            )
        ],
    }
    return {key: value for key, value in data.items() if value}


def _scrub_labels(person, placeholder: str) -> None:
    """Labels are snapshots of the actor's name: replace the person's everywhere."""
    labels = {person.name} if person.name else set()
    if person.user_id:
        labels.add(audit.actor_label(person.user))
    labels.discard("")
    for model, field in LABELS:
        model.objects.filter(**{f"{field}__in": labels}).update(**{field: placeholder})
    for change in PhaseChange.objects.filter(scenario__members__in=_members(person)).distinct():
        text = json.dumps(change.gate)
        scrubbed = text
        for label in labels:
            scrubbed = scrubbed.replace(json.dumps(label)[1:-1], placeholder)
        if scrubbed != text:
            change.gate = json.loads(scrubbed)
            change.save(update_fields=["gate"])
    for label in labels:
        Decision.objects.filter(decided_by__contains=label).update(decided_by=placeholder)


def erase_scenarios(person, placeholder: str) -> None:
    _scrub_labels(person, placeholder)
    members = _members(person)
    Activity.objects.filter(kind="member", object_id__in=members.values("pk")).update(
        label=placeholder
    )
    evidence = LiteracyEvidence.objects.filter(member__in=members).values("pk")
    Activity.objects.filter(kind="literacy", object_id__in=evidence).update(label=placeholder)
    member_ids = list(members.values_list("pk", flat=True))
    GatePosition.objects.filter(member_id__in=member_ids).update(
        statement="", author_label=placeholder
    )
    LiteracyEvidence.objects.filter(member_id__in=member_ids).update(note="")
    for evidence in LiteracyEvidence.objects.filter(member_id__in=member_ids).exclude(
        certificate=""
    ):
        evidence.certificate.delete(save=False)
        evidence.certificate = ""
        evidence.save(update_fields=["certificate"])
    members.update(name=placeholder, invite_email="", token_hash=None, token_nonce="", active=False)
    if person.user_id:
        Comment.objects.filter(author_id=person.user_id).update(
            text=placeholder, author_label=placeholder
        )
        FileVersion.objects.filter(uploaded_by_id=person.user_id).update(
            uploaded_by_label=placeholder
        )


SECTION = Section("scenarios", export=export_scenarios, erase=erase_scenarios)
