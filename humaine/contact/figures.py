"""The contact point's figures for a period: inquiries by sector, organisations reached."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .models import Inquiry


def counts(start, end) -> list[Figure]:
    received = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    by_sector = dict(
        received.values_list("sector__slug").annotate(n=Count("pk")).order_by("sector__slug")
    )
    return [
        Figure("contact.inquiries", _("inquiries received"), sum(by_sector.values()), by_sector),
        Figure(
            "contact.organisations",
            _("organisations that sent an inquiry"),
            received.values("organisation_id").distinct().count(),
        ),
    ]
