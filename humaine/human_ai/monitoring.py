"""Figures of a deployed team in use, from its recorded cases (plain functions).

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIELDS", "MAX_CASES", "Figures", "PersonLoad", "summarise"]

# the service page reads at most this many of the latest cases
MAX_CASES = 50_000
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
