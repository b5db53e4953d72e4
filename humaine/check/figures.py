"""The check's figures for a period: checks started, answers submitted."""

from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .models import Check, Respondent


def counts(start, end) -> list[Figure]:
    started = Check.objects.filter(created_at__gte=start, created_at__lt=end)
    on_inquiry = started.filter(inquiry__isnull=False).count()
    total = started.count()
    submitted = Respondent.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    return [
        Figure(
            "check.checks",
            _("AI checks started"),
            total,
            {"inquiry": on_inquiry, "standalone": total - on_inquiry},
        ),
        Figure("check.answers", _("answers submitted to AI checks"), submitted.count()),
    ]
