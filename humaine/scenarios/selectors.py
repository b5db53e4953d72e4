"""Reading a scenario: its gate, the co-determination flags of its check, its feed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

from humaine.check.selectors import check_result

from .models import GatePosition, Scenario
from .process_model import Phase, default_process_model

FLAG_STATUSES = ("applies", "check")


def lang() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


def latest_check(scenario: Scenario):
    link = scenario.checks.select_related("ai_check").first()
    return link.ai_check if link else None


def codetermination_flags(scenario: Scenario) -> list:
    """The co-determination flags of the scenario's latest check that are in force.

    A flag to be clarified ("check") counts like one that applies: until it is settled,
    the cautious reading keeps the works council on the gate.
    """
    check = latest_check(scenario)
    if check is None:
        return []
    flags = check_result(check).classification.codetermination
    return [f for f in flags if f.active and f.status in FLAG_STATUSES]


@dataclass
class GateStatus:
    phase: Phase
    next_phase: Phase | None
    roles: list[str]
    flags: list[str]
    positions: dict[str, GatePosition]
    history: list[GatePosition] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [r for r in self.roles if r not in self.positions or not self.positions[r].agrees]

    @property
    def missing_titles(self) -> list[str]:
        model = default_process_model()
        return [model.role(r).title.get(lang()) for r in self.missing]

    @property
    def passed(self) -> bool:
        return not self.missing

    def snapshot(self) -> dict:
        return {
            "roles": self.roles,
            "codetermination": self.flags,
            "positions": {
                role: {"position": p.position, "by": p.author_label, "statement": p.statement}
                for role, p in self.positions.items()
            },
        }


def gate_status(scenario: Scenario, flags: list | None = None) -> GateStatus:
    """Who must agree before the current phase ends, and what they said so far."""
    model = default_process_model()
    flag_ids = [f.id for f in (flags if flags is not None else codetermination_flags(scenario))]
    phase = model.phase(scenario.phase)
    roles = model.gate_roles(phase.id, flag_ids)
    history = list(
        GatePosition.objects.filter(scenario=scenario, phase=phase.id).order_by("-created_at")
    )
    positions: dict[str, GatePosition] = {}
    for entry in history:
        positions.setdefault(entry.role, entry)
    return GateStatus(
        phase=phase,
        next_phase=model.next_phase(phase.id),
        roles=roles,
        flags=model.codetermination_reasons(phase.id, flag_ids),
        positions=positions,
        history=history,
    )
