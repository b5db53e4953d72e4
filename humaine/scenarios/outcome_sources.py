"""The AI's own figures beside the survey outcomes: a registry other apps contribute to.

A scenario's outcome page and report answer "did work get better?" from the surveys of
the affected employees. Where an app runs something inside the scenario (the human-AI
teams), it adds its own figures (e.g. the team's accuracy against the AI alone, the
share of cases the people decided) by registering an :class:`OutcomeSource` in its
``AppConfig.ready()``::

    from humaine.scenarios.outcome_sources import OUTCOME_SOURCES, OutcomeFigure, OutcomeSource

    OUTCOME_SOURCES.register(OutcomeSource(
        "human_ai", title=_("Human-AI teams"), figures=team_figures, order=10))

``figures(scenario, user)`` returns the :class:`OutcomeFigure` values ``user`` may see for
``scenario`` (the caller has already checked that the user sees the scenario; a source
asks its own access rules for anything finer) and never a figure about one person. The
scenarios app shows each source's figures under its title on the outcome page and in the
report, and the transfer app offers them to a case study drafted from the scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from humaine.core.registry import Registry

from .outcomes import BETTER, NO_CLEAR_CHANGE, WORSE

__all__ = ["OUTCOME_SOURCES", "OutcomeFigure", "OutcomeSource", "SourceFigures", "ai_figures"]

DIRECTIONS = (BETTER, WORSE, NO_CLEAR_CHANGE)


@dataclass(frozen=True)
class OutcomeFigure:
    """One figure: a label, its value as shown (formatted, with its unit), and optionally
    what it rests on (``note``: n, interval, period), whether it is better or worse than
    before (``direction``: one of :data:`DIRECTIONS`) and where its details are (``url``)."""

    label: Any
    value: str
    note: Any = ""
    direction: str | None = None
    url: str = ""

    def __post_init__(self):
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")


@dataclass(frozen=True)
class OutcomeSource:
    name: str
    title: Any  # a (lazy) translated text
    figures: Callable[[Any, Any], list[OutcomeFigure]]
    order: int = 100


@dataclass(frozen=True)
class SourceFigures:
    source: OutcomeSource
    figures: list[OutcomeFigure]


OUTCOME_SOURCES: Registry[OutcomeSource] = Registry("scenario outcome sources")


def ai_figures(scenario, user) -> list[SourceFigures]:
    """Each registered source's figures for ``scenario`` as ``user`` sees them (sources
    without figures left out), in the sources' order."""
    out = []
    for source in OUTCOME_SOURCES:
        figures = list(source.figures(scenario, user) or [])
        if figures:
            out.append(SourceFigures(source, figures))
    return out
