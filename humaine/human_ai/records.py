"""Records of a deployed team's routed cases (EU AI Act Art. 12, Art. 26(5) and (6)).

Every routed case is kept as a :class:`~humaine.human_ai.models.ServiceCase`: its inputs,
the AI's output and confidence, who it went to, whether it was an audit case, the final
decision and the outcome, with their times. :func:`purge` deletes cases (and stored
answers of idempotency keys) older than ``HUMAN_AI_RECORD_DAYS`` (never less than six
months); :func:`export_rows` gives a scenario's cases of a period as CSV rows, with the
persons' pseudonyms only for those who may see per-person figures.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from humaine.core import audit

from . import monitoring_store
from .models import CaseRequest, Service, ServiceCase

__all__ = ["MINIMUM_DAYS", "export_rows", "purge", "retention_days"]

# six months in any calendar (the longest six months span 184 days)
MINIMUM_DAYS = 184
HEADER = [
    "service",
    "version",
    "case",
    "reference",
    "routed_at",
    "inputs",
    "ai_decision",
    "ai_confidence",
    "routed_to",
    "person",
    "audit",
    "final_decision",
    "decided_by",
    "decided_at",
    "outcome",
    "outcome_at",
]
WITHHELD = "withheld"


def retention_days() -> int:
    return max(int(settings.HUMAN_AI_RECORD_DAYS), MINIMUM_DAYS)


def _day_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, after


def cases_of(scenario, start: datetime.date, end: datetime.date):
    """The scenario's routed cases from ``start`` to ``end`` (the hub's local days)."""
    first, after = _day_bounds(start, end)
    return (
        ServiceCase.objects.filter(
            service__scenario=scenario, created_at__gte=first, created_at__lt=after
        )
        .select_related("service", "version")
        .order_by("created_at", "pk")
    )


def _iso(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export_rows(cases, *, may_see_person) -> Iterator[list[str]]:
    """The header and one row per case; a person's pseudonym only where ``may_see_person``."""
    yield HEADER
    for case in cases.iterator(chunk_size=2000):
        person = case.person
        decided_by = case.decided_by
        if person and not may_see_person(person):
            person = WITHHELD
            decided_by = WITHHELD if decided_by not in ("", "ai") else decided_by
        yield [
            case.service.title,
            str(case.version.number),
            str(case.pk),
            case.reference,
            _iso(case.created_at),
            json.dumps(case.inputs, ensure_ascii=False, sort_keys=True),
            case.ai_decision,
            f"{case.ai_confidence:.6f}",
            "person" if case.person and not case.audit else "ai",
            person,
            "yes" if case.audit else "no",
            case.decision,
            decided_by,
            _iso(case.decided_at),
            case.outcome,
            _iso(case.outcome_at),
        ]


def log_export(actor, scenario, start, end, count: int) -> None:
    audit.record(
        actor,
        "service_cases.exported",
        scenario,
        start=start.isoformat(),
        end=end.isoformat(),
        cases=count,
    )


def purge(now: datetime.datetime | None = None) -> int:
    """Delete routed cases and stored answers past the retention; the number of cases."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    total = 0
    for service in Service.objects.all():
        with transaction.atomic():
            old = ServiceCase.objects.filter(service=service, created_at__lt=cutoff)
            count = old.count()
            if count:
                old.delete()
            CaseRequest.objects.filter(service=service, created_at__lt=cutoff).delete()
            if count:
                audit.record(
                    None,
                    "service_cases.purged",
                    service,
                    actor_name="retention",
                    cases=count,
                    cutoff=cutoff.isoformat(),
                )
        if count:
            # the cases with an outcome the service's page shows: fewer now
            monitoring_store.count_outcomes(service)
        total += count
    return total
