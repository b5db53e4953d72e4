"""What transfer adds to the rest of the hub, registered in its ``AppConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import (
    audit,
    demo,
    figures,
    fulltext,
    methods,
    navigation,
    personal_data,
    reach,
)

from . import access, audit_actions, search, toolbox
from . import demo as transfer_demo
from . import figures as transfer_figures
from . import personal_data as transfer_data
from .models import Entry

PUBLIC = [
    ("transfer.knowledge_base", _("Knowledge base"), "transfer:knowledge_base", 42),
    ("transfer.events", _("Events"), "transfer:events", 44),
    ("transfer.network", _("Network"), "transfer:directory", 46),
]


def _has_member_profile(user) -> bool:
    return (
        navigation.logged_in(user)
        and not policy.is_staff(user)
        and access.members_editable_by(user).exists()
    )


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    from humaine.matching import sources

    for rule in access.RULES:
        policy.RULES.register(rule)
    fulltext.INDEXES.register(search.ENTRY_INDEX)
    personal_data.SECTIONS.register(transfer_data.SECTION)
    sources.KINDS.register(
        sources.IndexedKind(
            search.KIND,
            search.entry_text,
            queryset=search.indexed_entries,
            text_fields=("published_version", "visibility"),
            keep_segments=False,
            model=Entry,
            # searched with the plain vector of a reader's query (search._vector_scores)
            glossed=False,
        )
    )
    sources.METHOD_SOURCES.register(
        sources.MethodSource("knowledge_base", lambda: list(toolbox.method_entries()))
    )
    methods.METHOD_PAGES.register(methods.MethodPages("knowledge_base", toolbox.method_pages))
    figures.FIGURES.register(figures.FigureSource("transfer", transfer_figures.counts, order=60))
    figures.FIGURES.register(figures.FigureSource("reach", transfer_figures.reach_counts, order=70))
    reach.REACH.register(
        reach.ReachSource(
            "transfer", transfer_figures.people_reached, transfer_figures.organisations_reached
        )
    )
    demo.DEMO_DATA.register(
        demo.DemoData(
            "transfer",
            transfer_demo.load,
            order=60,
            present=transfer_demo.present,
            holds="knowledge-base entries",
        )
    )
    from django.apps import apps

    if apps.is_installed("humaine.scenarios"):
        from . import case_studies, scenario_source

        case_studies.SCENARIO_SOURCES.register(
            case_studies.ScenarioSource(
                "scenarios", choices=scenario_source.choices, facts=scenario_source.facts
            )
        )
    for name, label, url, order in PUBLIC:
        navigation.NAV.register(navigation.NavEntry(name, label, url, order=order))
    account = [
        ("transfer.manage", _("Knowledge base: write"), "transfer:manage",
         access.can_author_entries, 45),
        ("transfer.figures", _("Figures"), "transfer:figures", access.can_view_figures, 25),
        ("transfer.my_profile", _("Our network profile"), "transfer:my_profile",
         _has_member_profile, 65),
    ]  # fmt: skip
    for name, label, url, visible, order in account:
        navigation.NAV.register(
            navigation.NavEntry(name, label, url, visible=visible, area="account", order=order)
        )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "transfer.figures",
            _("The hub's figures"),
            "transfer:figures",
            _("Inquiries, scenarios, checks, events and the knowledge base for any period."),
            visible=access.can_view_figures,
            order=30,
        )
    )
    navigation.DASHBOARD.register(
        navigation.DashboardCard(
            "transfer.my_profile",
            _("Our network profile"),
            "transfer:my_profile",
            _("What your organisation offers and seeks in the hub's network."),
            visible=_has_member_profile,
            order=60,
        )
    )
