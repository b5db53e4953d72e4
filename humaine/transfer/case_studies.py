"""From scenario to case study: the hook the scenarios app plugs into.

Staff draft a case study from an application scenario: its goal, approach, methods and
outcome figures (from its surveys, shown only as the scenario's anonymity rules allow, and
its human-AI teams). Transfer does not read the scenarios app's models; the scenarios app
registers a :class:`ScenarioSource` in its ``AppConfig.ready()``::

    from humaine.transfer import case_studies

    case_studies.SCENARIO_SOURCES.register(case_studies.ScenarioSource(
        "scenarios", choices=scenarios_for_case_studies, facts=case_study_facts,
    ))

``choices(user)`` lists ``(id, label)`` of the scenarios ``user`` may draft from;
``facts(user, id)`` returns :class:`ScenarioFacts` (or ``None`` when ``user`` may not see
the scenario). The draft starts with no field released: the organisation's name and the
outcome figures stay out unless staff record the company's consent for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from humaine.core.registry import Registry

from .models import Kind, Visibility


class NoScenario(ValueError):
    """The scenario cannot be drafted from (unknown, not visible, or no source registered)."""


@dataclass(frozen=True)
class Outcome:
    label: str  # e.g. "Trust in the AI (1-5), 6 months after go-live"
    value: str  # e.g. "3.9 (baseline 3.2)"


@dataclass(frozen=True)
class ScenarioFacts:
    reference: str  # e.g. "42"
    title: str
    language: str = "de"
    organisation: Any = None  # contact.Organisation
    sectors: tuple = ()  # contact.Sector objects
    goal: str = ""
    approach: str = ""
    methods: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    disciplines: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ScenarioSource:
    name: str
    choices: Callable[[Any], list[tuple[str, str]]]
    facts: Callable[[Any, str], ScenarioFacts | None]


SCENARIO_SOURCES: Registry[ScenarioSource] = Registry("case-study scenario sources")


def available(user) -> list[tuple[str, str]]:
    """``(source:id, label)`` of every scenario ``user`` may draft a case study from."""
    return [
        (f"{source.name}:{key}", label)
        for source in SCENARIO_SOURCES
        for key, label in source.choices(user)
    ]


def _facts(user, key: str) -> ScenarioFacts:
    name, _sep, reference = (key or "").partition(":")
    source = SCENARIO_SOURCES.get(name)
    facts = source.facts(user, reference) if source and reference else None
    if facts is None:
        raise NoScenario(_("Choose a scenario you may see."))
    return facts


def draft_texts(facts: ScenarioFacts) -> dict:
    """The draft's texts in the scenario's language; the other language stays empty."""
    lang = "en" if facts.language == "en" else "de"
    methods = "\n".join(f"- {method}" for method in facts.methods)
    outcomes = "\n".join(f"- {o.label}: {o.value}" for o in facts.outcomes)
    values = {
        "organisation": facts.organisation.name if facts.organisation is not None else "",
        "goal": facts.goal,
        "approach": facts.approach,
        "methods": methods,
        "outcomes": outcomes,
        "lessons": "",
    }
    return {
        f"title_{lang}": facts.title[:200],
        f"summary_{lang}": facts.goal.split("\n")[0][:1000],
        "case_fields": {name: {lang: text} for name, text in values.items()},
    }


def draft_from_scenario(user, key: str):
    """Start a case study draft from a scenario; nothing released, visible to staff only."""
    from . import services

    facts = _facts(user, key)
    data = services.EntryData(
        texts=draft_texts(facts),
        sectors=list(facts.sectors),
        disciplines=list(facts.disciplines),
        visibility=Visibility.STAFF,
    )
    entry = services.create_entry(user, Kind.CASE_STUDY, data, organisation=facts.organisation)
    entry.scenario_ref = key
    entry.save(update_fields=["scenario_ref"])
    return entry
