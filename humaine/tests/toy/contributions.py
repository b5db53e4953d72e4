"""What the toy adds to the rest of the hub, registered in its ``AppConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import audit, navigation, panels, personal_data, progress

from . import access, audit_actions
from .models import Remark
from .personal_data import SECTION
from .services import WORD_COUNT


def _panel(request, inquiry) -> dict:
    return {"remarks": Remark.objects.filter(inquiry=inquiry)}


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    for rule in access.RULES:
        policy.RULES.register(rule)
    panels.PANELS.register(
        panels.Panel(
            "toy",
            host="contact.inquiry",
            template="toy/_panel.html",
            visible=lambda user, inquiry: access.can_remark_on(user, inquiry),
            context=_panel,
            order=90,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "toy.remarks", _("Remarks"), "toy:remarks", visible=navigation.logged_in, area="account"
        )
    )
    personal_data.SECTIONS.register(SECTION)
    progress.JOB_KINDS.register(
        progress.JobKind(
            WORD_COUNT, _("Counting the words of remarks"), counts=(("words", _("words")),)
        )
    )
