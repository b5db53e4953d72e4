"""What the check records in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("check.created", _("Check created")),
    Action("check.respondent_invited", _("Respondent invited")),
    Action("check.invitation_resent", _("Invitation sent again")),
    Action("check.invitation_revoked", _("Invitation withdrawn")),
    Action("check.result_sharing_changed", _("Sharing of the result changed")),
    Action("check.answers_submitted", _("Answers submitted")),
    Action("check.profile_changed", _("Case profile changed")),
    Action("check.document_saved", _("Document edited")),
    Action("check.document_reset", _("Document reset to the generated text")),
)
