"""The hub's figures: each capability contributes its counts for a period.

For the hub's own steering and the funder's report (inquiries by sector, checks,
teams, and later scenarios, events, people reached), every app registers a
:class:`FigureSource` in its ``AppConfig.ready()``::

    figures.FIGURES.register(FigureSource("check", counts=check_figures, order=30))

``counts(start, end)`` returns :class:`Figure` values for the period ``start <= t < end``
(timezone-aware datetimes): counts of things that happened in the period, never of
another organisation's confidential text. ``by`` breaks a figure down (e.g. by sector).
The transfer app shows them; :func:`hub_figures` collects them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .registry import Registry

__all__ = ["Figure", "FigureSource", "FIGURES", "hub_figures"]


@dataclass(frozen=True)
class Figure:
    key: str  # unique across the hub, "<app>.<what>"
    label: Any  # a (lazy) translated text
    value: int
    by: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FigureSource:
    name: str
    counts: Callable[[datetime, datetime], list[Figure]]
    order: int = 100


FIGURES: Registry[FigureSource] = Registry("figures")


def hub_figures(start: datetime, end: datetime) -> list[Figure]:
    """Every registered source's figures for the period, in order."""
    return [figure for source in FIGURES for figure in source.counts(start, end)]
