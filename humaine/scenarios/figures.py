"""The scenarios' share of the hub's figures: scenarios started, surveys answered."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure


def counts(start, end) -> list[Figure]:
    from .models import Response, Scenario

    started = Scenario.objects.filter(created_at__gte=start, created_at__lt=end)
    by_sector = dict(started.values_list("sector__slug").annotate(n=Count("pk")))
    # Answers are counted by day only: responses keep no time.
    answers = Response.objects.filter(answered_on__gte=start.date(), answered_on__lt=end.date())
    return [
        Figure(
            "scenarios.started", _("application scenarios started"), started.count(), by=by_sector
        ),
        Figure("scenarios.survey_answers", _("survey answers of employees"), answers.count()),
    ]
