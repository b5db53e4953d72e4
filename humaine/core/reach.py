"""Organisations and people the hub reached, each counted once across capabilities.

A person may send an inquiry, register for an event, join a scenario and answer a check:
each app's own figures count them there, and the hub's "people reached" must count them
once. Every app registers a :class:`ReachSource` in its ``AppConfig.ready()``::

    reach.REACH.register(ReachSource("transfer", people=people_reached))

``people(start, end)`` gives an identity key for each person the app reached in the
period (``start <= t < end``), ``organisations(start, end)`` the ids of the organisations
(``contact.Organisation``). A key is the person's normalised email address when it is
known (through the linked person or account first), else the linked person
(``person:<id>``) or account (``user:<id>``); someone the hub cannot tell apart from
anyone else (an erased registration, a check respondent known only by a label) gets a key
of their own row and counts once on their own. No key leaves this module: only the counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .registry import Registry

__all__ = [
    "ReachSource",
    "REACH",
    "normalised_email",
    "person_key",
    "people_reached",
    "organisations_reached",
]


def normalised_email(email: str | None) -> str:
    """The address as the hub compares it: without surrounding spaces, in lower case."""
    return (email or "").strip().lower()


def person_key(
    *,
    email: str | None = None,
    person_id: int | None = None,
    person_email: str | None = None,
    user_id: int | None = None,
    user_email: str | None = None,
    row: str = "",
) -> str:
    """One person's identity key: the first known of the linked person's address, the
    account's address, the row's own address, the person, the account; else ``row``."""
    for address in (person_email, user_email, email):
        if normalised_email(address):
            return "email:" + normalised_email(address)
    if person_id is not None:
        return f"person:{person_id}"
    if user_id is not None:
        return f"user:{user_id}"
    return "row:" + row


@dataclass(frozen=True)
class ReachSource:
    name: str
    people: Callable[[datetime, datetime], Iterable[str]]
    organisations: Callable[[datetime, datetime], Iterable[Any]] | None = None


REACH: Registry[ReachSource] = Registry("reach sources")


def people_reached(start: datetime, end: datetime) -> int:
    keys: set[str] = set()
    for source in REACH:
        keys.update(source.people(start, end))
    return len(keys)


def organisations_reached(start: datetime, end: datetime) -> int:
    ids: set[Any] = set()
    for source in REACH:
        if source.organisations is not None:
            ids.update(i for i in source.organisations(start, end) if i is not None)
    return len(ids)
