"""Each capability's share of what the hub holds about a person (GDPR art. 15 and 17).

The contact point owns people (``contact.Person``) and their export and erasure; other
capabilities keep data about the same person (the checks they started, say) without the
contact point knowing their models. Each such app registers one :class:`Section` in its
``AppConfig.ready()``::

    personal_data.register(Section("ai_checks", export=export_checks, erase=erase_checks))

``export(person)`` returns JSON-ready data (or ``None``/empty when the app holds nothing
about the person); ``erase(person, placeholder)`` scrubs the person's personal fields and
free texts, keeping rows that count in the hub's statistics. Erasure runs inside the
contact point's transaction, so a failing section leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Section", "register", "export_sections", "erase_sections"]


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any, str], None]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, e.g. on a reload in tests) the section of one app."""
    _SECTIONS[section.name] = section


def export_sections(person: Any) -> dict[str, Any]:
    """``{section name: data}`` for every section that holds something about ``person``."""
    out = {}
    for section in _SECTIONS.values():
        data = section.export(person)
        if data:
            out[section.name] = data
    return out


def erase_sections(person: Any, placeholder: str) -> None:
    for section in _SECTIONS.values():
        section.erase(person, placeholder)
