"""Search the whole database for a text, the way an auditor would after an erasure.

``find_everywhere("Erika Muster", "erika@example.org")`` looks at every text, JSON and
file-name column of every table of every installed app (the job queue's arguments and
results, the audit trail, matching's stored segments, ...) and at the decoded session
store, and returns where each text was found. Every later app's tables are covered
without registering anything: only their personal-data section has to erase what it holds.

    identity = Identity.of(person)        # before the erasure
    services.erase_person(person, actor=staff)
    assert_person_gone(identity)          # name, email and phone: nowhere
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

# A file field stores the file's name, which often carries a person's name.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


@dataclass(frozen=True)
class Leak:
    table: str
    column: str
    pk: object
    needle: str

    def __str__(self) -> str:
        return f"{self.needle!r} in {self.table}.{self.column} (pk {self.pk})"


def text_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete text or JSON column of every installed model."""
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                columns.append((model, field))
    return columns


def _forms(needle: str) -> set[str]:
    # JSON columns store non-ASCII text escaped on some databases ("ü" as "\u00fc").
    return {needle, json.dumps(needle)[1:-1]}


def _search_column(model, field, needle: str) -> list[Leak]:
    found = []
    queryset = model._default_manager.all()
    for form in _forms(needle):
        if isinstance(field, models.JSONField):
            matches = queryset.annotate(_as_text=Cast(field.name, models.TextField())).filter(
                _as_text__icontains=form
            )
        else:
            matches = queryset.filter(**{f"{field.name}__icontains": form})
        found += [
            Leak(model._meta.db_table, field.column, pk, needle)
            for pk in matches.values_list("pk", flat=True)[:20]
        ]
    return found


def _search_sessions(needle: str) -> list[Leak]:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    found = []
    forms = {form.lower() for form in _forms(needle)}
    for session in Session.objects.all():
        data = json.dumps(SessionStore().decode(session.session_data), default=str).lower()
        if any(form in data for form in forms):
            found.append(Leak("django_session", "session_data (decoded)", session.pk, needle))
    return found


def find_everywhere(*needles: str) -> list[Leak]:
    """Where each of ``needles`` (case-insensitive) is stored; empty when nowhere."""
    leaks: list[Leak] = []
    needles = tuple(n for n in needles if n)
    for model, field in text_columns():
        for needle in needles:
            leaks += _search_column(model, field, needle)
    if apps.is_installed("django.contrib.sessions"):
        for needle in needles:
            leaks += _search_sessions(needle)
    return sorted(set(leaks), key=str)


def assert_nowhere(*needles: str) -> None:
    leaks = find_everywhere(*needles)
    assert not leaks, "still stored after erasure:\n" + "\n".join(f"  {leak}" for leak in leaks)


@dataclass(frozen=True)
class Identity:
    """What identifies a person to an auditor: name, email and phone, as they were."""

    name: str
    email: str
    phone: str

    @classmethod
    def of(cls, person) -> Identity:
        return cls(person.name, person.email, person.phone)

    def needles(self) -> tuple[str, ...]:
        return tuple(text for text in (self.name, self.email, self.phone) if text)


def assert_person_gone(identity: Identity, *more: str) -> None:
    """No table and no session holds the person's name, email or phone (nor ``more``)."""
    assert identity.needles(), "an identity without name, email or phone finds nothing"
    assert_nowhere(*identity.needles(), *more)


def sessions_text() -> str:
    """Everything the session store holds, decoded, as one text (to search in a test)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    return "\n".join(
        json.dumps(SessionStore().decode(session.session_data), ensure_ascii=False)
        for session in Session.objects.all()
    )
