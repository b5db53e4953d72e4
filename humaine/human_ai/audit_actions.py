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
)
