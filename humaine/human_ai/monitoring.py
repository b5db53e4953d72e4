"""Figures of a deployed team in use, from its recorded cases.

:func:`figures_of` counts them in the database (one aggregate query and one per person,
whatever the number of cases); :func:`summarise` gives the same figures of rows in memory.

- agreement: how often the people's final decisions agree with the AI's suggestion,
- overrides: decisions against the AI, and how often they were right once outcomes exist,
- human share and each person's workload against the run's capacity,
- the AI's accuracy *estimated* from its calibrated confidence (the mean confidence of its
  decisions is the accuracy a calibrated model expects) before outcomes exist, and
  *measured* on the cases whose outcome is recorded.

>>> rows = [
...     {"ai_decision": "ja", "ai_confidence": 0.9, "person": "", "audit": False,
...      "decision": "ja", "decided_by": "ai", "outcome": "ja"},
...     {"ai_decision": "ja", "ai_confidence": 0.6, "person": "P-1", "audit": False,
...      "decision": "nein", "decided_by": "P-1", "outcome": "nein"},
... ]
>>> f = summarise(rows, capacity=0.3)
>>> f.n_cases, f.human_share, f.overrides, f.overrides_right, f.ai_accuracy_estimated
(2, 0.5, 1, 1, 0.75)
>>> f.ai_accuracy_measured, f.team_accuracy_measured
(0.5, 1.0)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "FIELDS",
    "WINDOWS",
    "Figures",
    "PersonLoad",
    "changed",
    "figures_of",
    "stamp_of",
    "summarise",
    "window_start",
]

# the windows the service page offers (days back from the current full hour)
WINDOWS = (7, 30, 90)
FIELDS = ("ai_decision", "ai_confidence", "person", "audit", "decision", "decided_by", "outcome")


@dataclass
class PersonLoad:
    pseudonym: str
    cases: int = 0
    audits: int = 0
    open: int = 0
    share: float = 0.0  # of all cases
    limit: float | None = None  # the run's limit per person (share of all cases)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.share > self.limit + 1e-9


@dataclass
class Figures:
    n_cases: int = 0
    n_to_people: int = 0
    n_audits: int = 0
    human_share: float | None = None
    capacity: float | None = None
    n_decided_by_people: int = 0
    agreement: float | None = None
    overrides: int = 0
    overrides_with_outcome: int = 0
    overrides_right: int = 0
    n_outcomes: int = 0
    ai_accuracy_estimated: float | None = None
    ai_accuracy_measured: float | None = None
    team_accuracy_measured: float | None = None
    persons: list[PersonLoad] = field(default_factory=list)

    @property
    def over_capacity(self) -> bool:
        return (
            self.capacity is not None
            and self.human_share is not None
            and self.human_share > self.capacity + 1e-9
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def summarise(
    rows: Iterable[dict[str, Any]], *, capacity: float | None = None, person_limit=None
) -> Figures:
    """The figures of the cases ``rows`` (dicts with :data:`FIELDS`)."""
    f = Figures(capacity=capacity)
    loads: dict[str, PersonLoad] = {}
    confidence = 0.0
    ai_right = team_right = agreed = 0
    for row in rows:
        f.n_cases += 1
        confidence += float(row["ai_confidence"])
        person = row["person"]
        if person:
            load = loads.setdefault(person, PersonLoad(person, limit=person_limit))
            load.cases += 1
            if row["audit"]:
                f.n_audits += 1
                load.audits += 1
            else:
                f.n_to_people += 1
            if row["decided_by"] == person:
                f.n_decided_by_people += 1
                if row["decision"] == row["ai_decision"]:
                    agreed += 1
                else:
                    f.overrides += 1
                    if row["outcome"]:
                        f.overrides_with_outcome += 1
                        f.overrides_right += row["decision"] == row["outcome"]
            else:
                load.open += 1
        if row["outcome"]:
            f.n_outcomes += 1
            ai_right += row["ai_decision"] == row["outcome"]
            team_right += bool(row["decision"]) and row["decision"] == row["outcome"]
    f.human_share = _share(f.n_to_people, f.n_cases)
    f.agreement = _share(agreed, f.n_decided_by_people)
    f.ai_accuracy_estimated = round(confidence / f.n_cases, 6) if f.n_cases else None
    f.ai_accuracy_measured = _share(ai_right, f.n_outcomes)
    f.team_accuracy_measured = _share(team_right, f.n_outcomes)
    for load in loads.values():
        load.share = round(load.cases / f.n_cases, 6)
    f.persons = sorted(loads.values(), key=lambda p: (-p.cases, p.pseudonym))
    return f


# ------------------------------------------------------------------- in the database


def window_start(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of a window of ``days`` days, from the current full hour (so figures of
    one window can be kept for the hour)."""
    from django.utils import timezone

    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=days)


def cases_in(version, since, until=None):
    """The cases of ``version`` (or of a list of versions) routed from ``since`` (until
    before ``until``)."""
    from .models import ServiceCase

    if isinstance(version, list | tuple):
        cases = ServiceCase.objects.filter(version__in=version, created_at__gte=since)
    else:
        cases = ServiceCase.objects.filter(version=version, created_at__gte=since)
    return cases.filter(created_at__lt=until) if until is not None else cases


def stamp_of(version) -> str:
    """What changes whenever the figures of ``version`` may change: the latest routing,
    decision and outcome (each read from an index, not from the cases), and a count of
    changes that leave no such mark (an erasure renaming a person, see :func:`changed`).
    Purges do not matter: they delete cases older than any window."""
    from django.core.cache import cache
    from django.db.models import Max

    from .models import ServiceCase

    marks = ServiceCase.objects.filter(version=version).aggregate(
        routed=Max("created_at"), decided=Max("decided_at"), outcome=Max("outcome_at")
    )
    generation = cache.get(f"human_ai:monitoring:generation:{version.service_id}", 0)
    return "|".join([str(generation), *(v.isoformat() if v else "-" for v in marks.values())])


def changed(service_ids) -> None:
    """The cases of these services changed without a newer mark: figures are computed again."""
    from django.core.cache import cache

    for pk in service_ids:
        key = f"human_ai:monitoring:generation:{pk}"
        cache.add(key, 0, None)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)


def figures_of(version, since, until=None, *, person_limit=None, capacity=None) -> Figures:
    """The figures of ``version``'s cases (or a list of versions' cases) routed since
    ``since``, counted in the database."""
    from django.db.models import Count, F, Q, Sum

    cases = cases_in(version, since, until)
    to_person = ~Q(person="")
    by_person = to_person & Q(decided_by=F("person"))
    override = by_person & ~Q(decision=F("ai_decision"))
    known = ~Q(outcome="")
    totals = cases.aggregate(
        n=Count("pk"),
        to_people=Count("pk", filter=to_person & Q(audit=False)),
        audits=Count("pk", filter=to_person & Q(audit=True)),
        confidence=Sum("ai_confidence"),
        decided=Count("pk", filter=by_person),
        agreed=Count("pk", filter=by_person & Q(decision=F("ai_decision"))),
        overrides=Count("pk", filter=override),
        overrides_known=Count("pk", filter=override & known),
        overrides_right=Count("pk", filter=override & known & Q(decision=F("outcome"))),
        outcomes=Count("pk", filter=known),
        ai_right=Count("pk", filter=known & Q(ai_decision=F("outcome"))),
        team_right=Count("pk", filter=known & ~Q(decision="") & Q(decision=F("outcome"))),
    )
    n = totals["n"]
    f = Figures(
        n_cases=n,
        n_to_people=totals["to_people"],
        n_audits=totals["audits"],
        capacity=capacity,
        n_decided_by_people=totals["decided"],
        overrides=totals["overrides"],
        overrides_with_outcome=totals["overrides_known"],
        overrides_right=totals["overrides_right"],
        n_outcomes=totals["outcomes"],
    )
    f.human_share = _share(f.n_to_people, n)
    f.agreement = _share(totals["agreed"], f.n_decided_by_people)
    f.ai_accuracy_estimated = round(totals["confidence"] / n, 6) if n else None
    f.ai_accuracy_measured = _share(totals["ai_right"], f.n_outcomes)
    f.team_accuracy_measured = _share(totals["team_right"], f.n_outcomes)
    per_person = (
        cases.exclude(person="")
        .values("person")
        .annotate(
            cases=Count("pk"),
            audits=Count("pk", filter=Q(audit=True)),
            open=Count("pk", filter=~Q(decided_by=F("person"))),
        )
        .order_by()
    )
    loads = [
        PersonLoad(
            row["person"],
            cases=row["cases"],
            audits=row["audits"],
            open=row["open"],
            share=round(row["cases"] / n, 6),
            limit=person_limit,
        )
        for row in per_person
    ]
    f.persons = sorted(loads, key=lambda p: (-p.cases, p.pseudonym))
    return f


def to_dict(figures: Figures, *, persons: bool = True) -> dict[str, Any]:
    out = asdict(figures)
    if not persons:
        out.pop("persons")
    return out


def from_dict(data: dict[str, Any]) -> Figures:
    persons = [PersonLoad(**p) for p in data.get("persons") or []]
    return Figures(**{**data, "persons": persons})
