"""What the check records in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("check.created", _("Check created")),
    Action("check.respondent_invited", _("Respondent invited")),
    Action("check.answers_submitted", _("Answers submitted")),
    Action("check.profile_changed", _("Case profile changed")),
    Action("check.document_saved", _("Document edited")),
    Action("check.document_reset", _("Document reset to the generated text")),
)
