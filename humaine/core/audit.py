"""The audit trail: who did what to which object, when, before and after.

Services call :func:`record` inside their transaction, so a change and its audit
event are stored together or not at all::

    before = audit.snapshot(inquiry, ["status", "assignee"])
    inquiry.status = "triage"
    inquiry.save(update_fields=["status"])
    audit.record(actor, "inquiry.status_changed", inquiry, before=before,
                 after=audit.snapshot(inquiry, ["status", "assignee"]))

Every action is registered once, with the words people read for it, in the app's
``audit_actions.py`` (:mod:`humaine.core.action_registry`); ``record`` refuses any other.
"""

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast

from .action_registry import ACTIONS, Action, UnknownAction, check, label_of
from .models import AuditEvent

__all__ = [
    "readable_changes",
    "ACTIONS",
    "Action",
    "UnknownAction",
    "actor_label",
    "diff",
    "events_of",
    "label_of",
    "record",
    "redact",
    "snapshot",
    "trail_for",
]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return the given fields of ``obj`` as JSON-ready values (foreign keys as text)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return ``{field: {"before": old, "after": new}}`` for the fields that changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key)
    }


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{full_name} <{actor.get_username()}>" if full_name else actor.get_username()


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one audit event; with ``before`` and ``after`` only changed fields are kept.

    ``actor_name`` labels an actor without an account (e.g. "inquirer via status page").
    ``action`` must be registered in :data:`ACTIONS` (else :class:`UnknownAction`).
    """
    check(action)
    changes: dict[str, Any] = {}
    if before is not None or after is not None:
        changes["fields"] = diff(before or {}, after or {})
    if details:
        changes["details"] = _plain(details)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=actor_name or actor_label(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        changes=changes,
    )


def trail_for(obj: models.Model):
    """Return the audit events of one object, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def _redacted(value: Any, texts: list[str], placeholder: str) -> Any:
    if isinstance(value, str):
        lowered = value.lower()
        return placeholder if any(text in lowered for text in texts) else value
    if isinstance(value, list):
        return [_redacted(item, texts, placeholder) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, texts, placeholder) for key, item in value.items()}
    return value


def redact(events, texts: Iterable[str], placeholder: str) -> int:
    """Replace every label and recorded value of ``events`` that contains one of ``texts``
    (case-insensitive) by ``placeholder``; the events themselves stay (who did what, when).

    Personal-data sections call it for the events of the objects they erase. Returns the
    number of events changed.
    """
    needles = sorted({text.strip().lower() for text in texts if text and text.strip()})
    if not needles:
        return 0
    changed = 0
    for event in events.only("pk", "object_label", "actor_label", "changes"):
        label = _redacted(event.object_label, needles, placeholder)
        actor = _redacted(event.actor_label, needles, placeholder)
        changes = _redacted(event.changes, needles, placeholder)
        if (label, actor, changes) != (event.object_label, event.actor_label, event.changes):
            AuditEvent.objects.filter(pk=event.pk).update(
                object_label=label, actor_label=actor, changes=changes
            )
            changed += 1
    return changed


def events_of(model: type[models.Model], ids: Iterable) -> models.QuerySet:
    """The audit events of the objects ``ids`` of ``model``."""
    return AuditEvent.objects.filter(
        object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    )


def events_mentioning(texts: Iterable[str]) -> models.QuerySet:
    """The audit events whose labels or recorded values contain one of ``texts``
    (ignoring case): where a person's name or address was recorded, whatever the object."""
    needles = sorted({text.strip() for text in texts if text and text.strip()})
    condition = models.Q(pk__in=[])
    for needle in needles:
        # JSON stores non-ASCII text escaped on some databases ("ü" as "\u00fc").
        for form in {needle, json.dumps(needle)[1:-1]}:
            condition |= (
                models.Q(object_label__icontains=form)
                | models.Q(actor_label__icontains=form)
                | models.Q(changes_text__icontains=form)
            )
    return AuditEvent.objects.annotate(changes_text=Cast("changes", models.TextField())).filter(
        condition
    )


def _shown(value: Any) -> str:
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def readable_changes(event: AuditEvent) -> list[dict[str, Any]]:
    """An event's changed fields as a reader sees them: the field's own name in the active
    language, a choice's label instead of its key (``coded``: the values are the hub's
    words; otherwise they are recorded data, shown as they are)."""
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    action = ACTIONS.get(event.action)
    fields_of_action = action.fields if action is not None else {}
    out = []
    for name, change in ((event.changes or {}).get("fields") or {}).items():
        before, after = change.get("before"), change.get("after")
        label, coded = name, False
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        if field is None and name in fields_of_action:
            label = str(fields_of_action[name])
        if field is not None:
            label = str(getattr(field, "verbose_name", name))
            label = label[:1].upper() + label[1:]
            if getattr(field, "flatchoices", None):
                words = {str(key): str(text) for key, text in field.flatchoices}
                before, after = words.get(str(before), before), words.get(str(after), after)
                coded = True
        out.append(
            {"label": label, "before": _shown(before), "after": _shown(after), "coded": coded}
        )
    return out
