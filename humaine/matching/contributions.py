"""What matching adds to the rest of the hub, registered in its ``AppConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import audit, demo, figures, fulltext, navigation, panels, personal_data, progress
from humaine.notifications import kinds as notification_kinds

from . import access, audit_actions, sources
from . import demo as matching_demo
from . import figures as matching_figures
from . import notifications as matching_notifications
from . import personal_data as matching_personal_data
from .search import EXPERT_INDEX


def _panel_context(request, inquiry) -> dict:
    return {"manage": access.can_see_expert_matches(request.user)}


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    fulltext.INDEXES.register(EXPERT_INDEX)
    for kind in matching_notifications.KINDS:
        notification_kinds.KINDS.register(kind)
    sources.register()
    figures.FIGURES.register(figures.FigureSource("matching", matching_figures.counts, order=20))
    demo.DEMO_DATA.register(demo.DemoData("matching", matching_demo.load, order=20))
    personal_data.SECTIONS.register(matching_personal_data.SECTION)
    panels.PANELS.register(
        panels.Panel(
            "matching",
            host="contact.inquiry",
            template="matching/_panel_loader.html",
            visible=access.can_view_matches,
            context=_panel_context,
            order=10,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "matching.import_experts",
            _("Import experts"),
            "matching:import_experts",
            visible=access.can_import_experts,
            area="account",
            order=40,
        )
    )
    progress.JOB_KINDS.register(
        progress.JobKind(
            "matching.rebuild",
            _("Rebuilding the matching index"),
            counts=(("embedded", _("texts embedded")), ("removed", _("vectors removed"))),
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "matching.index",
            _("Matching index"),
            "matching:index",
            visible=access.can_rebuild_matching,
            area="account",
            order=45,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "matching.my_profile",
            _("My expert profile"),
            "matching:my_profile",
            visible=policy.is_expert,
            area="account",
            order=60,
        )
    )
