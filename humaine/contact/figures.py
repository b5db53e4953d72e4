"""The contact point's figures for a period: inquiries by sector, month and status, the time
to the first answer, the share that became scenarios, organisations and people reached."""

from statistics import quantiles

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .models import Inquiry, InquiryMessage, Sector


def _first_answer_hours(received) -> list[float]:
    """Hours from each inquiry's arrival to the hub's first message to the inquirer."""
    first = received.annotate(
        first=Min(
            "messages__created_at",
            filter=Q(messages__direction=InquiryMessage.Direction.TO_INQUIRER),
        )
    ).filter(first__isnull=False)
    return [
        (answered - created).total_seconds() / 3600
        for created, answered in first.values_list("created_at", "first")
    ]


def _percentiles(hours: list[float]) -> tuple[int, int]:
    """Median and 90th percentile, rounded to whole hours (0 without answers)."""
    if not hours:
        return 0, 0
    if len(hours) == 1:
        return round(hours[0]), round(hours[0])
    cuts = quantiles(hours, n=10, method="inclusive")
    return round(cuts[4]), round(cuts[8])


def counts(start, end) -> list[Figure]:
    received = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    slugs = dict(
        received.values_list("sector__slug").annotate(n=Count("pk")).order_by("sector__slug")
    )
    names = {sector.slug: sector.name for sector in Sector.objects.filter(slug__in=slugs)}
    by_sector = {names.get(slug, slug): n for slug, n in slugs.items()}
    total = sum(by_sector.values())
    tz = timezone.get_current_timezone()
    by_month = {
        f"{month:%Y-%m}": n
        for month, n in received.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    statuses = dict(received.values_list("status").annotate(n=Count("pk")).order_by("status"))
    by_status = {
        str(label): statuses[value]
        for value, label in Inquiry.Status.choices
        if statuses.get(value)
    }
    median, p90 = _percentiles(_first_answer_hours(received))
    scenarios = statuses.get(Inquiry.Status.SCENARIO, 0)
    return [
        Figure("contact.inquiries", _("inquiries received"), total, by_sector),
        Figure("contact.inquiries_by_month", _("inquiries received per month"), total, by_month),
        Figure("contact.inquiries_by_status", _("inquiries by status today"), total, by_status),
        Figure("contact.first_answer_median", _("hours to the first answer (median)"), median),
        Figure("contact.first_answer_p90", _("hours to the first answer (90th percentile)"), p90),
        Figure(
            "contact.became_scenarios",
            _("share of inquiries that became scenarios (%)"),
            round(100 * scenarios / total) if total else 0,
        ),
        Figure(
            "contact.organisations",
            _("organisations that sent an inquiry"),
            received.values("organisation_id").distinct().count(),
        ),
        Figure(
            "contact.people",
            _("people who sent an inquiry"),
            received.values("contact_id").distinct().count(),
        ),
    ]


def people_reached(start, end) -> list[str]:
    """Identity keys (core.reach) of the people who sent an inquiry in the period."""
    from humaine.core.reach import person_key

    received = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    rows = received.values_list(
        "contact_id", "contact__email", "contact__user_id", "contact__user__email"
    ).distinct()
    return [
        person_key(person_id=p, person_email=e, user_id=u, user_email=ue)
        for p, e, u, ue in rows
        if p is not None
    ]


def organisations_reached(start, end) -> list[int]:
    received = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    return list(received.values_list("organisation_id", flat=True).distinct())
