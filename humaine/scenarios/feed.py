"""The words of the activity feed: stored as codes, shown in the reader's language."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "started": _("started the scenario"),
    "updated": _("changed the scenario"),
    "invited": _("invited"),
    "renewed": _("renewed the invitation of"),
    "joined": _("joined as"),
    "removed": _("removed"),
    "position_agree": _("agreed to the gate of"),
    "position_conditions": _("agreed with conditions to the gate of"),
    "position_object": _("objected at the gate of"),
    "moved": _("moved the scenario to"),
    "deliverable_done": _("marked as done"),
    "deliverable_open": _("marked as open"),
    "added": _("added"),
    "changed": _("changed"),
    "decided": _("recorded the decision"),
    "uploaded": _("uploaded"),
    "retired": _("retired the file"),
    "version_retired": _("retired a version of"),
    "commented": _("commented on"),
    "check_started": _("started a run of the AI check in"),
    "survey_created": _("created the survey"),
    "wave_scheduled": _("scheduled the wave"),
    "links_issued": _("issued survey links for"),
    "wave_closed": _("closed the wave"),
    "target_set": _("set the target"),
    "literacy_planned": _("planned the training"),
    "evidence_recorded": _("recorded training evidence for"),
}


def verb_text(code: str) -> str:
    return str(VERBS.get(code, code))
