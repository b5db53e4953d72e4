"""The AI-literacy plan (EU AI Act Art. 4): its topic catalogue and each person's status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .datafiles import DataError, Entry, LocalText, build_entries

PATH = Path(__file__).resolve().parent / "data" / "literacy.yaml"


class Topic(Entry):
    id: str
    title: LocalText
    description: LocalText


class LiteracyError(DataError):
    what = "AI-literacy catalogue"


@cache
def topics() -> dict[str, Topic]:
    """The topics of the catalogue by id (validated once)."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}
    entries, _origins, problems = build_entries(
        [(PATH.name, item) for item in data.get("topics", [])], "topics", Topic
    )
    if problems:
        raise LiteracyError(problems)
    return entries


@dataclass
class PersonStatus:
    member: object
    requirement: object
    evidence: list

    @property
    def done(self) -> bool:
        return bool(self.evidence)


def plan_status(scenario, today) -> list[dict]:
    """Per requirement: the members of its role, each with their evidence, and overdue ones."""
    members = list(scenario.members.filter(active=True).select_related("person", "user"))
    requirements = list(scenario.literacy.prefetch_related("evidence"))
    rows = []
    for requirement in requirements:
        evidence = list(requirement.evidence.all())
        people = [
            PersonStatus(m, requirement, [e for e in evidence if e.member_id == m.pk])
            for m in members
            if m.role == requirement.role
        ]
        rows.append(
            {
                "requirement": requirement,
                "topic": topics().get(requirement.topic),
                "people": people,
                "done": sum(p.done for p in people),
                "overdue": requirement.due_on < today and any(not p.done for p in people),
            }
        )
    return rows


def auditor_rows(scenario) -> list[dict]:
    """One row per person, topic and piece of evidence: who was trained on what, when."""
    rows = []
    for row in plan_status(scenario, today=datetime.date.max):
        for person in row["people"]:
            base = {
                "role": row["requirement"].role,
                "topic": row["requirement"].topic,
                "due_on": row["requirement"].due_on.isoformat(),
                "person": person.member.display_name,
            }
            if not person.evidence:
                rows.append(base | {"evidence": "", "completed_on": "", "score": "", "note": ""})
            for item in person.evidence:
                rows.append(
                    base
                    | {
                        "evidence": item.kind,
                        "completed_on": item.completed_on.isoformat(),
                        "score": "" if item.score is None else item.score,
                        "note": item.note,
                    }
                )
    return rows
