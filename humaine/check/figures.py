"""The check's figures for a period: checks started, answers submitted, risk classes."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from humaine.core.figures import Figure

from .models import Check, Respondent


def _risk_classes(started) -> dict[str, int]:
    """How the checks started in the period classify today (those with answers or a profile)."""
    from django.utils.translation import get_language

    from .classify import classify
    from .selectors import current_profile

    english = (get_language() or "de").startswith("en")
    counted: dict[str, int] = {}
    with_facts = started.filter(
        Q(profile__isnull=False) | Q(respondents__submitted_at__isnull=False)
    ).distinct()
    for check in with_facts.prefetch_related("respondents"):
        try:
            label = classify(current_profile(check), law=check.date_set).risk_label
        except Exception:  # noqa: BLE001, S112 - a check whose answers no longer classify is skipped
            continue
        label = label.en if english else label.de
        counted[label] = counted.get(label, 0) + 1
    return counted


def counts(start, end) -> list[Figure]:
    started = Check.objects.filter(created_at__gte=start, created_at__lt=end)
    on_inquiry = started.filter(inquiry__isnull=False).count()
    total = started.count()
    submitted = Respondent.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    risk = _risk_classes(started)
    return [
        Figure(
            "check.checks",
            _("AI checks started"),
            total,
            {str(_("on an inquiry")): on_inquiry, str(_("on their own")): total - on_inquiry},
        ),
        Figure("check.answers", _("answers submitted to AI checks"), submitted.count()),
        Figure("check.risk_classes", _("AI checks by risk class"), sum(risk.values()), risk),
    ]


def people_reached(start, end) -> list[str]:
    """Respondents who submitted in the period. A respondent is known by a label only (the
    invitation's address is not kept), so each counts once on their own (core.reach)."""
    from humaine.core.reach import person_key

    submitted = Respondent.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    return [
        person_key(row=f"check.respondent:{pk}") for pk in submitted.values_list("pk", flat=True)
    ]


def organisations_reached(start, end) -> list[int]:
    started = Check.objects.filter(created_at__gte=start, created_at__lt=end)
    return list(
        started.filter(inquiry__isnull=False)
        .values_list("inquiry__organisation_id", flat=True)
        .distinct()
    )
