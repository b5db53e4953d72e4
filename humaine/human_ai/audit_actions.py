"""What human-AI teams record in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("works_agreement.recorded", _("Works agreement on per-person figures recorded")),
    Action("person_link.created", _("Account linked to its pseudonym")),
    Action("dataset.uploaded", _("Data set uploaded")),
    Action("codetermination_review.requested", _("Co-determination review of the check requested")),
    Action("mapping.saved", _("Column mapping saved")),
    Action("team_run.started", _("Team run started")),
    Action("team_run.cancelled", _("Team run cancelled")),
    Action("team_run.retried", _("Team run started again")),
    Action("service.created", _("Team service created")),
    Action("service.deployed", _("Team run deployed in a service")),
    Action("service.rebuild_started", _("New team run from a service's recorded cases started")),
    Action("service.settings_changed", _("Settings of a team service changed")),
    Action("service.limits_changed", _("Limits of a team service's figures changed")),
    Action("service_token.created", _("Service token created")),
    Action("service_token.revoked", _("Service token revoked")),
    Action("service_cases.routed", _("Cases routed by a team service")),
    Action("service_case.decided", _("Final decision on a routed case recorded")),
    Action("service_case.outcome_recorded", _("Outcome of a routed case recorded")),
    Action("service_cases.exported", _("Records of routed cases exported")),
    Action("service_cases.purged", _("Routed cases past their retention deleted")),
    Action("absence.recorded", _("Absence of a person in a team recorded")),
    Action("absence.removed", _("Absence of a person in a team removed")),
)
