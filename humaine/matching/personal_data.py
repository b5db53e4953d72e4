"""Matching's share of a person's data: their expert profile, its stored vectors, the
relationships they declared (clients, vendors, products) and staff's decisions to let them
work on an inquiry despite a conflict of interest.

Registered with :mod:`humaine.core.personal_data` (order 100, before the contact point's
sections). Erasure deactivates the profile (it is never proposed again), blanks the texts
the expert wrote about their work, and removes the profile's stored vectors and quoted
segments from matching's index at once; it deletes the declared relationships, blanks
the reasons of conflict overrides, and redacts those texts in the audit trail.
Disciplines, sectors, languages and capacity stay (they describe a role in the network's
statistics, not the person); so do the assignments, whose hours count in the hub's
figures.
"""

from __future__ import annotations

from humaine.contact.models import Expert
from humaine.core import audit
from humaine.core.personal_data import Section

from .models import ConflictOverride


def _profile(person):
    return Expert.objects.filter(person=person).prefetch_related("sectors").first()


def export_profile(person) -> dict | None:
    expert = _profile(person)
    if expert is None:
        return None
    return {
        "active": expert.active,
        "disciplines": expert.disciplines,
        "topics": expert.topics,
        "methods": expert.methods,
        "languages": expert.languages,
        "capacity_hours": expert.capacity_hours,
        "sectors": [s.slug for s in expert.sectors.all()],
        "declared_relationships": [
            {"kind": r.kind, "name": r.name} for r in expert.relationships.all()
        ],
        "conflict_overrides": [
            {
                "inquiry": o.inquiry.reference,
                "conflicts": o.conflicts,
                "reason": o.reason,
                "decided_at": o.created_at,
            }
            for o in expert.conflict_overrides.select_related("inquiry").order_by("created_at")
        ],
        "assignments": [
            {
                "inquiry": a.inquiry.reference if a.inquiry_id else None,
                "role": a.role,
                "hours_per_month": a.hours_per_month,
                "active": a.active,
                "assigned_at": a.created_at,
            }
            for a in expert.assignments.select_related("inquiry").order_by("created_at")
        ],
    }


def erase_profile(person, placeholder: str) -> None:
    from . import store

    expert = _profile(person)
    if expert is None:
        return
    overrides = list(expert.conflict_overrides.all())
    texts = [expert.topics, expert.methods, *expert.relationships.values_list("name", flat=True)]
    texts += [o.reason for o in overrides]
    audit.redact(audit.events_of(Expert, [expert.pk]), texts, placeholder)
    audit.redact(audit.events_of(ConflictOverride, [o.pk for o in overrides]), texts, placeholder)
    expert.relationships.all().delete()
    for override in overrides:
        override.reason = placeholder
        override.conflicts = [
            {"code": c.get("code", ""), "text": placeholder} for c in override.conflicts
        ]
        override.save(update_fields=["reason", "conflicts"])
    expert.active = False
    expert.topics = ""
    expert.methods = ""
    expert.save(update_fields=["active", "topics", "methods", "updated_at"])
    expert.assignments.update(role="")
    store.remove("expert", [str(expert.pk)])


SECTION = Section("expert_profile", export=export_profile, erase=erase_profile, order=100)
