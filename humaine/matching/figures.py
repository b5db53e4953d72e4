"""Matching's figures for a period: experts put on teams, inquiries that got a team."""

from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Assignment
from humaine.core.figures import Figure


def counts(start, end) -> list[Figure]:
    assigned = Assignment.objects.filter(created_at__gte=start, created_at__lt=end)
    return [
        Figure("matching.assignments", _("experts put on a team"), assigned.count()),
        Figure(
            "matching.teams",
            _("inquiries that got a team"),
            assigned.values("inquiry_id").distinct().count(),
        ),
    ]
