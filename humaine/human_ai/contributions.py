"""What the human-AI teams add to the rest of the hub, registered in ``ready()``."""

from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import audit, demo, navigation, personal_data
from humaine.core import progress as core_progress

from . import access as rules
from . import audit_actions
from . import demo as team_demo
from .personal_data import SECTION

# what the check and the build report as their steps (humaine.human_ai.fitting.STEPS)
CHECK_STEPS = (
    ("read", _("Reading the files")),
    ("check", _("Checking the data")),
    ("done", _("Check finished")),
)
BUILD_STEPS = (
    ("read", _("Reading the data")),
    ("split", _("Setting cases aside for the evaluation")),
    ("features", _("Preparing the features")),
    ("ai", _("Training the AI")),
    ("calibration", _("Calibrating the AI's confidence")),
    ("persons", _("Learning where each person is strong")),
    ("methods", _("Comparing the ways to route cases")),
    ("evaluate", _("Evaluating the team")),
    ("save", _("Saving the team")),
    ("report", _("Writing the report")),
)


# the scenario's activity feed: what was done with data sets, runs and services
FEED_VERBS = {
    "mapped": _("mapped the columns of"),
    "run_started": _("started building the team"),
    "cancelled": _("cancelled building the team"),
    "retried": _("started building the team again"),
    "rebuild_started": _("started a new run from the recorded cases of"),
    "codetermination_review": _("asked for a review:"),
    "person_linked": _("in the human-AI teams:"),
    "works_agreement": _("recorded the works agreement on per-person figures:"),
    "service_created": _("created the service"),
    "service_deployed": _("deployed"),
    "service_settings": _("changed the settings of the service"),
    "service_limits": _("changed the limits of the service"),
    "service_token_created": _("made a token for"),
    "service_token_revoked": _("revoked the token"),
    "absence_recorded": _("recorded an absence:"),
    "absence_removed": _("removed an absence:"),
}


def _may_watch(user, record) -> bool:
    """A job of a data set or run: whoever sees the scenario it belongs to."""
    from .models import DataSet, Run

    details = record.details or {}
    if details.get("run"):
        run = Run.objects.filter(pk=details["run"]).first()
        return run is not None and rules.can_view_run(user, run)
    dataset = DataSet.objects.filter(pk=details.get("dataset")).first()
    return dataset is not None and rules.can_view_dataset(user, dataset)


def _has_figures(user) -> bool:
    return rules.my_links(user).exists()


def register() -> None:
    for action in audit_actions.ACTIONS:
        audit.ACTIONS.register(action)
    from .models import DataSet

    policy.RULES.register(
        policy.Rule(
            "human_ai.datasets",
            model="human_ai.dataset",
            visible_to=rules.datasets_visible_to,
            can=rules.can_view_dataset,
        )
    )
    policy.RULES.register(
        policy.Rule(
            "human_ai.runs",
            model="human_ai.run",
            visible_to=rules.runs_visible_to,
            can=rules.can_view_run,
        )
    )
    personal_data.SECTIONS.register(SECTION)
    from humaine.notifications import kinds as notification_kinds

    from . import monitoring_alerts

    for kind in monitoring_alerts.KINDS:
        notification_kinds.KINDS.register(kind)
    from humaine.scenarios import feed

    for verb, text in FEED_VERBS.items():
        feed.VERBS.setdefault(verb, text)
    demo.DEMO_DATA.register(
        demo.DemoData(
            "human_ai",
            team_demo.load,
            order=60,
            present=team_demo.present,
            holds="data sets of human-AI teams",
            accounts=team_demo.ACCOUNTS,
        )
    )
    core_progress.JOB_KINDS.register(
        core_progress.JobKind(
            "human_ai.check", _("Checking a data set"), can_view=_may_watch, steps=CHECK_STEPS
        )
    )
    core_progress.JOB_KINDS.register(
        core_progress.JobKind(
            "human_ai.build", _("Building a human-AI team"), can_view=_may_watch, steps=BUILD_STEPS
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "human_ai.my_figures",
            _("My figures in teams"),
            "human_ai:my_figures",
            visible=_has_figures,
            area="account",
            order=47,
        )
    )
    navigation.NAV.register(
        navigation.NavEntry(
            "human_ai.worklist",
            _("My worklist"),
            "human_ai:worklist",
            visible=_has_figures,
            area="account",
            order=46,
        )
    )
    policy.RULES.register(
        policy.Rule(
            "human_ai.services",
            model="human_ai.service",
            visible_to=rules.services_visible_to,
            can=rules.can_view_service,
        )
    )
    from humaine.scenarios.kinds import ItemKind, register

    register(
        ItemKind(
            key="dataset",
            model=DataSet,
            label=_("data set"),
            label_plural=_("data sets and human-AI teams"),
            detail_url="human_ai:dataset",
            section_template="human_ai/_scenario_section.html",
            order=60,
            commentable=True,
            queryset=lambda scenario: DataSet.objects.filter(scenario=scenario).prefetch_related(
                "runs"
            ),
        )
    )
