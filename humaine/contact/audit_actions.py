"""What the contact point records in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("inquiry.submitted", _("Inquiry submitted")),
    Action("inquiry.status_changed", _("Status changed")),
    Action("inquiry.assignee_changed", _("Responsible transfer specialist changed")),
    Action("inquiry.note_added", _("Internal note added")),
    Action("inquiry.message_sent", _("Message sent to the inquirer")),
    Action("inquiry.reply_received", _("Reply received from the inquirer")),
    Action("person.updated", _("Contact details changed")),
    Action("person.exported", _("Personal data exported")),
    Action("person.erased", _("Personal data erased")),
)
