"""What the foundation adds to the navigation and the overview, registered in ``ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy

from . import access, audit, audit_actions, demo, demo_hub, navigation


def _not_staff(user) -> bool:
    return navigation.logged_in(user) and not policy.is_staff(user)


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    demo.DEMO_DATA.register(demo.DemoData("hub", demo_hub.load, order=0))
    account = [
        ("core.overview", _("Overview"), "core:dashboard", _not_staff, 5),
        ("core.jobs", _("Background jobs"), "core:jobs", access.can_view_jobs, 30),
        ("core.hub_settings", _("Hub settings"), "core:hub_settings", access.can_edit_hub, 70),
        ("core.api_tokens", _("API tokens"), "core:api_tokens", access.can_use_api_tokens, 80),
    ]
    for name, label, url, visible, order in account:
        navigation.NAV.register(
            navigation.NavEntry(name, label, url, visible=visible, area="account", order=order)
        )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "core.api_tokens",
            _("API tokens"),
            "core:api_tokens",
            _("Tokens for programs that use the hub's API on your behalf."),
            order=90,
        )
    )
