"""What the check adds to the rest of the hub, registered in its ``AppConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.contact import access as contact_access
from humaine.core import audit, demo, figures, navigation, panels, personal_data, reach

from . import access, audit_actions
from . import demo as check_demo
from . import figures as check_figures
from .forms import role_choices
from .personal_data import SECTION


def _inquiry_panel(request, inquiry) -> dict:
    """The inquiry's checks the user may open, and whether they may start one."""
    user = request.user
    return {
        "checks": access.checks_visible_to(user).for_inquiry(inquiry),
        "can_start": access.can_start_check(user, inquiry),
        "roles": role_choices(),
    }


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    for rule in access.RULES:
        policy.RULES.register(rule)
    personal_data.SECTIONS.register(SECTION)
    figures.FIGURES.register(figures.FigureSource("check", check_figures.counts, order=30))
    reach.REACH.register(
        reach.ReachSource(
            "check", check_figures.people_reached, check_figures.organisations_reached
        )
    )
    demo.DEMO_DATA.register(demo.DemoData("check", check_demo.load, order=30))
    panels.PANELS.register(
        panels.Panel(
            "check",
            host="contact.inquiry",
            template="check/_inquiry_panel.html",
            visible=contact_access.can_view_inquiry,
            context=_inquiry_panel,
            order=20,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry("check.start", _("AI check"), "check:start", order=40)
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "check.mine",
            _("AI checks"),
            "check:my_checks",
            visible=navigation.logged_in,
            area="account",
            order=50,
        )
    )
