"""The one list of what the audit trail records: every action's name and its words.

Each capability lists the actions its services record in its ``audit_actions.py`` and
registers them in its ``AppConfig.ready()`` (see ``humaine/contact/audit_actions.py``)::

    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)

A name is ``<object>.<past verb>``: the object the event is recorded on, a dot, and what
happened to it, in lower case with underscores (``inquiry.note_added``,
``api_token.revoked``). :func:`humaine.core.audit.record` refuses a name not registered
here, and pages show the action's ``label`` (in the reader's language), not its name.
Renaming an action needs a data migration for the stored events (as
``core/migrations/0007_audit_action_names.py`` did).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .registry import Registry

__all__ = ["ACTIONS", "Action", "UnknownAction", "check", "is_action_name", "label_of"]

_NAME = re.compile(r"^[a-z][a-z_]*[a-z]\.(?:[a-z]+_)*(?P<verb>[a-z]+)$")
# Past participles that do not end in -ed; every other verb must.
IRREGULAR_PARTICIPLES = frozenset(
    {
        "begun", "built", "chosen", "cut", "done", "drawn", "given", "held", "kept", "left",
        "made", "overridden", "paid", "put", "read", "redone", "resent", "reset", "rewritten",
        "run", "sent", "set", "shown", "split", "taken", "undone", "withdrawn", "written",
    }
)  # fmt: skip


def is_action_name(name: str) -> bool:
    """Whether ``name`` follows ``<object>.<past verb>``.

    >>> is_action_name("inquiry.note_added"), is_action_name("matching.team")
    (True, False)
    """
    match = _NAME.match(name)
    if match is None:
        return False
    verb = match.group("verb")
    return verb.endswith("ed") or verb in IRREGULAR_PARTICIPLES


@dataclass(frozen=True)
class Action:
    """One kind of change the audit trail records, with the words people read for it."""

    name: str
    label: Any  # a lazy translated text: "Inquiry submitted" / "Anfrage eingereicht"
    # Words for recorded values that are no field of the object's model (e.g. an inquiry's
    # "team"): name -> lazy translated text, shown in the audit trail instead of the name.
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not is_action_name(self.name):
            raise ValueError(
                f"audit action {self.name!r} does not follow '<object>.<past verb>' "
                "(lower case, e.g. 'inquiry.note_added')"
            )


class UnknownAction(ValueError):
    """An audit event named an action nobody registered."""


ACTIONS: Registry[Action] = Registry("audit actions")


def check(name: str) -> None:
    """Raise :class:`UnknownAction` unless ``name`` is a registered action."""
    if name not in ACTIONS:
        raise UnknownAction(
            f"audit action {name!r} is not registered: list an audit.Action for it in the "
            "app's audit_actions.py, registered in the app's ready()"
        )


def label_of(name: str) -> str:
    """What people read for the action ``name`` (its name, if it is no longer known)."""
    action = ACTIONS.get(name)
    return str(action.label) if action is not None else name
