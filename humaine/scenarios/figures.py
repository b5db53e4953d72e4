"""The scenarios' share of the hub's figures: scenarios started and by phase, survey answers."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .process_model import default_process_model
from .selectors import lang


def phases_at(end) -> dict[str, int]:
    """How many scenarios were in each phase at ``end`` (from their gate history), keyed by
    the phase's title in the active language, in the process model's order."""
    from .models import PhaseChange, Scenario

    model = default_process_model()
    latest = (
        PhaseChange.objects.filter(scenario=OuterRef("pk"), created_at__lt=end)
        .order_by("-created_at", "-pk")
        .values("to_phase")[:1]
    )
    counts = dict(
        Scenario.objects.filter(created_at__lt=end)
        .annotate(at_end=Coalesce(Subquery(latest), Value(model.first_phase().id)))
        .values_list("at_end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    language = lang()
    return {
        phase.title.get(language): counts[phase.id]
        for phase in model.phases
        if counts.get(phase.id)
    }


def counts(start, end) -> list[Figure]:
    from .models import Response, Scenario

    started = Scenario.objects.filter(created_at__gte=start, created_at__lt=end)
    by_sector = dict(
        started.values_list("sector__name_" + lang()).annotate(n=Count("pk")).order_by()
    )
    by_phase = phases_at(end)
    # Answers are counted by day only: responses keep no time.
    answers = Response.objects.filter(answered_on__gte=start.date(), answered_on__lt=end.date())
    return [
        Figure(
            "scenarios.started", _("application scenarios started"), started.count(), by=by_sector
        ),
        Figure(
            "scenarios.by_phase",
            _("application scenarios by phase at the end of the period"),
            sum(by_phase.values()),
            by=by_phase,
        ),
        Figure("scenarios.survey_answers", _("survey answers of employees"), answers.count()),
    ]


def people_reached(start, end) -> list[str]:
    """Identity keys (core.reach) of the scenarios' members added in the period (the hub's
    own staff are not "reached")."""
    from humaine.core.reach import person_key

    from .models import Member

    added = Member.objects.filter(created_at__gte=start, created_at__lt=end).exclude(role="staff")
    rows = added.values_list(
        "pk", "invite_email", "person_id", "person__email", "user_id", "user__email"
    )
    return [
        person_key(
            email=email,
            person_id=person,
            person_email=person_email,
            user_id=user,
            user_email=user_email,
            row=f"scenarios.member:{pk}",
        )
        for pk, email, person, person_email, user, user_email in rows
    ]


def organisations_reached(start, end) -> list[int]:
    from .models import Scenario

    started = Scenario.objects.filter(created_at__gte=start, created_at__lt=end)
    return list(started.values_list("organisation_id", flat=True).distinct())
