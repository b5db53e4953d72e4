"""Small accessible SVG charts for the hub's figures (bars for categories, columns for months).

Each chart is an ``<svg role="img">`` with a title and a description naming every value,
drawn with presentation attributes only (the pages' CSP allows no inline styles). The
pages show the same numbers in a table next to it.
"""

from __future__ import annotations

import re
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MONTH = re.compile(r"^\d{4}-\d{2}$")
COLOURS = ("#1f5f8b", "#2e7d32", "#8e44ad", "#b35900", "#5d6d7e", "#a93226")
_ids = count(1)


def is_series(keys) -> bool:
    """Whether a breakdown is a time series (its keys are months, ``YYYY-MM``)."""
    keys = list(keys)
    return bool(keys) and all(MONTH.match(str(k)) for k in keys)


def _head(title: str, width: int, height: int, values) -> str:
    number = next(_ids)
    desc = "; ".join(f"{label}: {value}" for label, value in values)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="chart-{number}-t chart-{number}-d" class="chart">'
        f'<title id="chart-{number}-t">{escape(title)}</title>'
        f'<desc id="chart-{number}-d">{escape(desc)}</desc>'
    )


def bar_chart(title: str, items: list[tuple[str, int | float]]) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, labels left and values right."""
    width, label_w, row = 640, 220, 26
    height = max(row, row * len(items)) + 8
    top = max([value for _label, value in items] or [0]) or 1
    parts = [_head(title, width, height, items)]
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        bar = (width - label_w - 70) * value / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="#1b1b1b">{escape(str(label)[:32])}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" '
            f'fill="{COLOURS[i % len(COLOURS)]}"></rect>'
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 17}" font-size="13" '
            f'fill="#1b1b1b">{escape(_number(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def column_chart(title: str, items: list[tuple[str, int | float]]) -> SafeString:
    """Columns over time (months), values above, labels below."""
    width, height, base, top_pad = 640, 220, 180, 20
    n = max(1, len(items))
    slot = (width - 20) / n
    top = max([value for _label, value in items] or [0]) or 1
    parts = [_head(title, width, height, items)]
    parts.append(
        f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#5d6d7e"></line>'
    )
    for i, (label, value) in enumerate(items):
        h = (base - top_pad - 10) * value / top
        x = 10 + i * slot + slot * 0.15
        w = slot * 0.7
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{COLOURS[0]}"></rect>'
            f'<text x="{x + w / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#1b1b1b">{escape(_number(value))}</text>'
        )
        if n <= 12 or i % max(1, n // 12) == 0:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" '
                f'fill="#1b1b1b">{escape(str(label))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def chart_for(title: str, by: dict) -> SafeString:
    items = list(by.items())
    return column_chart(title, items) if is_series(by) else bar_chart(title, items)


def _number(value) -> str:
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else f"{value:.1f}"
