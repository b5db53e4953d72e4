"""What application scenarios add to the rest of the hub, registered in ``ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.contact import access as contact_access
from humaine.core import audit, demo, figures, navigation, panels, personal_data, reach

from . import access as rules
from . import audit_actions
from . import demo as scenario_demo
from . import figures as scenario_figures
from .personal_data import SECTION


def _inquiry_panel(request, inquiry) -> dict:
    from .models import Scenario

    scenario = Scenario.objects.filter(inquiry=inquiry).first()
    visible = scenario is not None and rules.can_view_scenario(request.user, scenario)
    return {
        "scenario": scenario if visible else None,
        "can_start": scenario is None and rules.can_start_scenario(request.user),
    }


def _sees_scenarios(user) -> bool:
    return rules.scenarios_visible_to(user).exists() or rules.can_start_scenario(user)


def _has_surveys(user) -> bool:
    return rules.my_survey_memberships(user).exists()


def _scenario_count(user) -> str:
    count = rules.scenarios_visible_to(user).count()
    return _("%(n)s scenario(s) you can open.") % {"n": count}


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    policy.RULES.register(
        policy.Rule(
            "scenarios",
            model="scenarios.scenario",
            visible_to=rules.scenarios_visible_to,
            can=rules.can_view_scenario,
        )
    )
    personal_data.SECTIONS.register(SECTION)
    figures.FIGURES.register(figures.FigureSource("scenarios", scenario_figures.counts, order=40))
    reach.REACH.register(
        reach.ReachSource(
            "scenarios", scenario_figures.people_reached, scenario_figures.organisations_reached
        )
    )
    demo.DEMO_DATA.register(
        demo.DemoData(
            "scenarios",
            scenario_demo.load,
            order=50,
            present=scenario_demo.present,
            holds="scenarios",
            accounts=(("works council", "betriebsrat"), ("affected employee", "mitarbeiterin")),
        )
    )
    panels.PANELS.register(
        panels.Panel(
            "scenario",
            host="contact.inquiry",
            template="scenarios/_inquiry_panel.html",
            visible=contact_access.can_view_inquiry,
            context=_inquiry_panel,
            order=30,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "scenarios.list",
            _("Scenarios"),
            "scenarios:list",
            visible=_sees_scenarios,
            area="account",
            order=45,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "scenarios.my_surveys",
            _("My surveys"),
            "scenarios:my_surveys",
            visible=_has_surveys,
            area="account",
            order=46,
        )
    )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "scenarios",
            _("Application scenarios"),
            "scenarios:list",
            text=_scenario_count,
            visible=_sees_scenarios,
            order=30,
        )
    )
