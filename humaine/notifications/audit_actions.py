"""What notifications record in the audit trail (registered in ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (Action("notification_preferences.changed", _("Choice of emails changed")),)
