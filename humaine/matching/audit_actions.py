"""What matching records in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("inquiry.team_accepted", _("Team accepted"), {"team": _("Team of experts")}),
    Action(
        "inquiry.slot_hours_changed",
        _("Hours per place on the team changed"),
        {"slot_hours": _("Hours per month per kind of place")},
    ),
    Action("conflict.overridden", _("Conflict of interest overridden")),
    Action("conflict.override_revoked", _("Override of a conflict of interest withdrawn")),
    Action("expert.assigned", _("Put on a team"), {"load_hours": _("Hours per month booked")}),
    Action(
        "expert.released", _("Released from a team"), {"load_hours": _("Hours per month booked")}
    ),
    Action("expert.profile_updated", _("Expert profile changed")),
    Action("expert.imported", _("Expert imported")),
    Action("organisation.updated", _("Organisation changed")),
    Action("organisation.imported", _("Organisation imported")),
    Action("index.rebuild_requested", _("Rebuild of the matching index requested")),
)
