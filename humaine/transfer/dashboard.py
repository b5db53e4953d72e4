"""The hub's figures for a period: collected from every app's figure source, charted, exported.

Every capability registers its counts in ``core.figures.FIGURES``; this module only shows
them. Counting a year of a large hub takes a moment, so the figures of one period are kept
in the cache for ``TRANSFER_FIGURES_CACHE_SECONDS`` (the page says when they were counted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .charts import chart_for

# the few counts the public page shows, when their sources are registered
HEADLINES = (
    "contact.inquiries",
    "reach.organisations",
    "transfer.events",
    "reach.people",
    "transfer.entries",
    "transfer.network",
)


@dataclass
class FigureView:
    key: str
    label: str
    value: int | float
    by: dict = field(default_factory=dict)
    chart: SafeString | None = None


@dataclass
class Period:
    start: datetime
    end: datetime  # exclusive
    counted_at: datetime
    figures: list[FigureView]

    @property
    def last_day(self):
        return timezone.localtime(self.end - timezone.timedelta(seconds=1)).date()

    def get(self, key: str) -> FigureView | None:
        return next((f for f in self.figures if f.key == key), None)


def _count(start: datetime, end: datetime) -> list[dict]:
    from humaine.core import figures as core_figures

    return [
        {
            "key": f.key,
            "label": str(f.label),
            "value": f.value,
            "by": {str(k): v for k, v in (f.by or {}).items()},
        }  # fmt: skip
        for f in core_figures.hub_figures(start, end)
    ]


def figures_for(start: datetime, end: datetime, *, fresh: bool = False) -> Period:
    """Every registered app's figures for ``start <= t < end`` (cached per period and language)."""
    key = f"transfer:figures:{start.isoformat()}:{end.isoformat()}:{get_language()}"
    cached = None if fresh else cache.get(key)
    if cached is None:
        cached = {"counted_at": timezone.now(), "figures": _count(start, end)}
        cache.set(key, cached, settings.TRANSFER_FIGURES_CACHE_SECONDS)
    views = [
        FigureView(
            f["key"],
            f["label"],
            f["value"],
            f["by"],
            chart_for(f["label"], f["by"]) if f["by"] else None,
        )
        for f in cached["figures"]
    ]
    return Period(start, end, cached["counted_at"], views)


def rows(period: Period) -> list[tuple[str, str, str, int | float]]:
    """``(key, figure, breakdown, value)``: the export's rows, a total then its breakdown."""
    out = []
    for figure in period.figures:
        out.append((figure.key, figure.label, "", figure.value))
        for label, value in figure.by.items():
            out.append((figure.key, figure.label, label, value))
    return out


def as_csv(period: Period, header: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows(period):
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()


def _cell(value):
    # a text starting with "=" would be stored as a formula
    return (
        "'" + value if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) else value
    )


def as_xlsx(period: Period, header: list[str], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{period.start.date():%Y-%m-%d} – {period.last_day:%Y-%m-%d}"])
    sheet.append([])
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rows(period):
        sheet.append([_cell(value) for value in row])
    for column, width in zip("ABCD", (26, 44, 30, 12)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
