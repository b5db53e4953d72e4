"""Stored audit events take the actions' new names: ``<object>.<past verb>`` from one list.

The object is what the event is recorded on (an inquiry, an expert, a conflict override),
not the app that recorded it; an inquiry's assignee is "made responsible", never
"assigned" (docs/glossary.md).
"""

from django.db import migrations

RENAMED = {
    "inquiry.assigned": "inquiry.assignee_changed",
    "matching.team_accepted": "inquiry.team_accepted",
    "matching.slot_hours_changed": "inquiry.slot_hours_changed",
    "matching.conflict_overridden": "conflict.overridden",
    "matching.conflict_override_revoked": "conflict.override_revoked",
    "matching.assigned": "expert.assigned",
    "matching.released": "expert.released",
}


def rename(apps, mapping) -> None:
    events = apps.get_model("core", "AuditEvent").objects
    for old, new in mapping.items():
        events.filter(action=old).update(action=new)


def forwards(apps, schema_editor) -> None:
    rename(apps, RENAMED)


def backwards(apps, schema_editor) -> None:
    rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("core", "0006_progress")]

    operations = [migrations.RunPython(forwards, backwards)]
