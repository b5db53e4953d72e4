"""Each capability's share of what the hub holds about a person (GDPR art. 15 and 17).

A person (``contact.Person``) is known to several capabilities: the contact point keeps
their inquiries and messages, the check the checks they started, matching their expert
profile's vectors. Each app registers one :class:`Section` in its ``AppConfig.ready()``::

    personal_data.SECTIONS.register(
        Section("ai_checks", export=export_checks, erase=erase_checks, order=20)
    )

``export(person)`` returns JSON-ready data (or ``None``/empty when the app holds nothing
about the person); ``erase(person, placeholder)`` scrubs the person's personal fields and
free texts, keeping rows that count in the hub's statistics. Staff's export and erasure on
the person's page (``contact.services.export_person`` / ``erase_person``) run every
section inside one transaction, so a failing section leaves everything as it was.

**Order.** Sections run in ``order``, lowest first (then in the order they were
registered), for export and erasure alike. Capabilities that find the person's data
through the person's account or inquiries run first (``order`` below 900); the contact
point's own section, which blanks the person, their inquiries and unlinks the account,
runs last (``order=1000``). A new app keeps the default (100).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .registry import Registry

__all__ = ["Section", "SECTIONS", "export_sections", "erase_sections"]


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any, str], None]
    order: int = 100


SECTIONS: Registry[Section] = Registry("personal data sections")


def export_sections(person: Any) -> dict[str, Any]:
    """``{section name: data}`` for every section that holds something about ``person``."""
    out = {}
    for section in SECTIONS:
        data = section.export(person)
        if data:
            out[section.name] = data
    return out


def erase_sections(person: Any, placeholder: str) -> None:
    for section in SECTIONS:
        section.erase(person, placeholder)
