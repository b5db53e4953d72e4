"""The human-centred process model of application scenarios, loaded from YAML.

``data/process_model.yaml`` holds the roles and the phases (orientation to evaluation),
each with goals, questions, suggested methods (the check's recommendations), deliverables
and a gate. Loading validates every entry and every reference (roles, recommendation ids,
co-determination flag ids of the check's catalogue) and raises :class:`ProcessModelError`
listing each problem. No Django here.

    >>> model = default_process_model()
    >>> [p.id for p in model.phases][:3]
    ['orientation', 'analysis', 'design']
    >>> model.gate_roles("design", flags=[])
    ['lead', 'expert', 'staff']
    >>> model.gate_roles("design", flags=["betrvg_87_1_6"])
    ['lead', 'expert', 'staff', 'works_council']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .datafiles import (
    DataError,
    Entry,
    LocalText,
    Problem,
    build_entries,
    parse_yaml,
    pydantic_problems,
    rule,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "process_model.yaml"


class ProcessModelError(DataError):
    what = "process model"


class Meta(Entry):
    version: str
    representatives_role: str


class Role(Entry):
    id: str
    title: LocalText
    description: LocalText


class Deliverable(Entry):
    id: str
    title: LocalText


class Gate(Entry):
    roles: list[str] = Field(min_length=1)
    codetermination: list[str] = []


class Phase(Entry):
    id: str
    title: LocalText
    description: LocalText
    goals: list[LocalText] = Field(min_length=1)
    questions: list[LocalText] = Field(min_length=1)
    methods: list[str] = []
    deliverables: list[Deliverable] = []
    gate: Gate


class ProcessModel:
    """The validated process model: roles and phases in order, with lookups."""

    def __init__(self, meta: Meta, roles: dict[str, Role], phases: dict[str, Phase]):
        self.meta = meta
        self._roles = roles
        self._phases = phases

    @property
    def roles(self) -> list[Role]:
        return list(self._roles.values())

    @property
    def phases(self) -> list[Phase]:
        return list(self._phases.values())

    def phase_ids(self) -> list[str]:
        return list(self._phases)

    def phase(self, phase_id: str) -> Phase:
        return self._phases[phase_id]

    def role(self, role_id: str) -> Role:
        return self._roles[role_id]

    def has_phase(self, phase_id: str) -> bool:
        return phase_id in self._phases

    def has_role(self, role_id: str) -> bool:
        return role_id in self._roles

    def first_phase(self) -> Phase:
        return self.phases[0]

    def next_phase(self, phase_id: str) -> Phase | None:
        """The phase after ``phase_id``, or None after the last one."""
        ids = self.phase_ids()
        position = ids.index(phase_id)
        return self._phases[ids[position + 1]] if position + 1 < len(ids) else None

    def position(self, phase_id: str) -> int:
        return self.phase_ids().index(phase_id)

    def gate_roles(self, phase_id: str, flags: Iterable[str] = ()) -> list[str]:
        """The roles whose agreement the phase's gate needs.

        ``flags`` are the co-determination flags the scenario's latest check raised
        (ids such as ``betrvg_87_1_6``); when one of them concerns this phase, the
        employee representatives join the gate.
        """
        gate = self._phases[phase_id].gate
        roles = list(gate.roles)
        representatives = self.meta.representatives_role
        if set(gate.codetermination) & set(flags) and representatives not in roles:
            roles.append(representatives)
        return roles

    def codetermination_reasons(self, phase_id: str, flags: Iterable[str]) -> list[str]:
        """The flags that put the representatives on this phase's gate."""
        wanted = set(flags)
        return [flag for flag in self._phases[phase_id].gate.codetermination if flag in wanted]


def _known_recommendations() -> set[str]:
    from humaine.check.catalogue import default_catalogue

    return set(default_catalogue().ids("recommendations"))


def _known_flags() -> set[str]:
    from humaine.check.catalogue import default_catalogue

    return set(default_catalogue().ids("codetermination"))


def _check(file: str, meta: Meta | None, roles: dict, phases: dict) -> list[Problem]:
    problems = []
    recommendations, flags = _known_recommendations(), _known_flags()
    if meta is not None and meta.representatives_role not in roles:
        problems.append(
            rule(
                file,
                "meta",
                "",
                f"representatives_role '{meta.representatives_role}' ist keine Rolle",
                f"representatives_role '{meta.representatives_role}' is not a role",
            )
        )
    if not phases:
        problems.append(rule(file, "phases", "", "keine Phasen", "no phases"))
    for phase in phases.values():
        for role in phase.gate.roles:
            if role not in roles:
                problems.append(
                    Problem(
                        file,
                        "phases",
                        phase.id,
                        "unknown_reference",
                        {"what": "gate role", "ref": role},
                    )
                )
        for flag in phase.gate.codetermination:
            if flag not in flags:
                problems.append(
                    Problem(
                        file,
                        "phases",
                        phase.id,
                        "unknown_reference",
                        {"what": "co-determination flag", "ref": flag},
                    )
                )
        for method in phase.methods:
            if method not in recommendations:
                problems.append(
                    Problem(
                        file,
                        "phases",
                        phase.id,
                        "unknown_reference",
                        {"what": "recommendation", "ref": method},
                    )
                )
        ids = [d.id for d in phase.deliverables]
        if len(ids) != len(set(ids)):
            problems.append(
                rule(file, "phases", phase.id, "doppelte Ergebnis-ids", "duplicate deliverable ids")
            )
    return problems


def parse_process_model(text: str, name: str = "process_model.yaml") -> ProcessModel:
    """Validate a process model given as YAML text."""
    data, problems = parse_yaml(name, text)
    if data is None:
        raise ProcessModelError(problems)
    for section in data:
        if section not in ("meta", "roles", "phases"):
            problems.append(Problem(name, str(section), "", "unknown_section"))
    meta = None
    try:
        meta = Meta.model_validate(data.get("meta") or {})
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, name, "meta", ""))
    sections: dict[str, dict[str, Any]] = {}
    for section, model in (("roles", Role), ("phases", Phase)):
        items = data.get(section) or []
        if not isinstance(items, list):
            problems.append(Problem(name, section, "", "not_a_list"))
            items = []
        entries, _origins, found = build_entries([(name, i) for i in items], section, model)
        sections[section] = entries
        problems.extend(found)
    if not problems:
        problems.extend(_check(name, meta, sections["roles"], sections["phases"]))
    if problems or meta is None:
        raise ProcessModelError(problems)
    return ProcessModel(meta, sections["roles"], sections["phases"])


def load_process_model(path: str | Path | None = None) -> ProcessModel:
    """Load and validate the process model from a YAML file (the shipped one by default)."""
    path = Path(path) if path else DEFAULT_PATH
    return parse_process_model(path.read_text(encoding="utf-8"), path.name)


@cache
def default_process_model() -> ProcessModel:
    """The process model shipped with the package (loaded once)."""
    return load_process_model()
