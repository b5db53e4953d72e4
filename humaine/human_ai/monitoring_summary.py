"""The weekly summary of each service in use, for the scenario's editors.

``manage.py send_service_summaries`` (weekly, e.g. Monday morning) summarises the last
complete week (Monday to Sunday) of every service with an active version: the week's
aggregate figures of the cases of all its versions (a redeploy during the week included;
which versions, with their cases), the inputs that drifted, the gaps between groups and the limits
crossed. Each of the scenario's editors (:func:`monitoring_alerts.recipients`) gets it as a
notice in the hub and, as they chose, by email. It holds aggregates only, never a person's
figures (those stay on the service page for those who may see them). A week is summarised
once per service (:class:`ServiceSummary`), however often the command runs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

__all__ = ["last_week", "send_summaries", "summary_of"]


def last_week(today: datetime.date | None = None) -> datetime.date:
    """The Monday of the last complete week before ``today``."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def _bounds(week: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(week, datetime.time.min))
    return start, start + datetime.timedelta(days=7)


def summary_of(service, version, week: datetime.date) -> dict[str, Any]:
    """The week's aggregate figures of all the service's versions that had cases that week
    (a redeploy during the week included), and which versions they were; capacity and
    limits per person of the active ``version``. Drift and fairness per version (each
    compared with its own training data). JSON; no per-person figures."""
    from django.db.models import Count

    from . import monitoring, monitoring_drift, monitoring_fairness
    from .models import ServiceCase, ThresholdCrossing

    since, until = _bounds(week)
    counts = dict(
        ServiceCase.objects.filter(service=service, created_at__gte=since, created_at__lt=until)
        .values("version")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("version", "n")
    )
    used = [v for v in service.versions.select_related("run").order_by("number") if v.pk in counts]
    run = version.run
    figures = monitoring.figures_of(
        used or [version], since, until, capacity=run.capacity, person_limit=run.person_capacity
    )
    out = monitoring.to_dict(figures, persons=False)
    out["persons_over_limit"] = sum(1 for p in figures.persons if p.over_limit)
    out["week"] = week.isoformat()
    out["version"] = version.number
    out["versions"] = [
        {"number": v.number, "n_cases": counts[v.pk], "active": v.pk == version.pk} for v in used
    ]
    out["drift"] = []
    out["fairness"] = []
    for v in used:
        drift = monitoring_drift.drift_of(v, since, until)
        out["drift"] += [
            {
                "version": v.number,
                "column": d["column"],
                "psi": d["psi"],
                "level": d["level"],
                "unseen": d["unseen"],
            }
            for d in drift["features"]
            if d["level"] != "stable" or d["unseen"]
        ]
        fairness = monitoring_fairness.fairness_of(v, since, until)
        out["fairness"] += [
            {
                "version": v.number,
                "column": c["column"],
                "gap": c["gap"],
                "groups": len(c["groups"]),
            }
            for c in fairness["columns"]
        ]
    out["crossed"] = ThresholdCrossing.objects.filter(
        service=service, started_at__gte=since, started_at__lt=until
    ).count()
    out["crossed_open"] = ThresholdCrossing.objects.filter(
        service=service, ended_at__isnull=True
    ).count()
    return out


def send_summaries(week: datetime.date | None = None) -> list:
    """Summarise ``week`` (default: the last complete one) for every service in use that
    has no summary of it yet; returns the summaries made."""
    from humaine.notifications import services as notifications

    from .models import Service, ServiceSummary
    from .monitoring_alerts import WEEKLY_SUMMARY, recipients

    week = week or last_week()
    made = []
    services = Service.objects.filter(versions__retired_at__isnull=True).select_related("scenario")
    for service in services.distinct():
        if ServiceSummary.objects.filter(service=service, week=week).exists():
            continue
        version = service.active_version
        figures = summary_of(service, version, week)
        people = recipients(service)
        try:
            with transaction.atomic():
                summary = ServiceSummary.objects.create(
                    service=service, week=week, figures=figures, recipients=len(people)
                )
                notifications.notify(WEEKLY_SUMMARY, people, service, **figures)
        except IntegrityError:  # a parallel run made it
            continue
        made.append(summary)
    return made
