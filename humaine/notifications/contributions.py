"""What notifications add to the hub, registered in ``AppConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import audit, navigation, personal_data

from . import access, audit_actions, services
from .personal_data import NOTIFICATIONS


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    for rule in access.RULES:
        policy.RULES.register(rule)
    personal_data.SECTIONS.register(NOTIFICATIONS)
    navigation.NAV.register(
        navigation.NavEntry(
            "notifications.list",
            _("Notifications"),
            "notifications:list",
            visible=navigation.logged_in,
            area="account",
            order=85,
            badge=services.unread_count,
            badge_label=_("unread"),
        )
    )
