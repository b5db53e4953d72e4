"""Matching's share of a person's data: their expert profile and its stored vectors.

Registered with :mod:`humaine.core.personal_data` (order 100, before the contact point's
sections). Erasure deactivates the profile (it is never proposed again), blanks the texts
the expert wrote about their work, and removes the profile's stored vectors and quoted
segments from matching's index at once. Disciplines, sectors, languages and capacity stay
(they describe a role in the network's statistics, not the person); so do the
assignments, whose hours count in the hub's figures.
"""

from __future__ import annotations

from humaine.contact.models import Expert
from humaine.core.personal_data import Section


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
    expert.active = False
    expert.topics = ""
    expert.methods = ""
    expert.save(update_fields=["active", "topics", "methods", "updated_at"])
    expert.assignments.update(role="")
    store.remove("expert", [str(expert.pk)])


SECTION = Section("expert_profile", export=export_profile, erase=erase_profile, order=100)
