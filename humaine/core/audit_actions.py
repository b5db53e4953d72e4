"""What the hub's foundation records in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (
    Action("hub.updated", _("Hub settings changed")),
    Action("api_token.created", _("API token created")),
    Action("api_token.revoked", _("API token revoked")),
)
