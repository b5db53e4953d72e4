"""Charts of survey results as small accessible SVG (role="img", a title and a
description; every chart sits next to a table with the same numbers). No Django here.

    >>> svg = means_chart([("Alle", 3.5, 3.1, 3.9)], 1, 5, "Vertrauen")
    >>> svg.startswith("<svg") and 'role="img"' in svg and "Alle" in svg
    True
"""

from __future__ import annotations

import itertools
from html import escape

WIDTH = 560
ROW = 28
LEFT = 170
RIGHT = 20
COLOURS = ("#0b5cad", "#6a3d9a", "#1d6b35", "#a4141c", "#4a5360")
# Each chart's title and description need ids unique on the page.
_ids = itertools.count(1)


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _x(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return LEFT + (WIDTH - LEFT - RIGHT) * (min(max(value, low), high) - low) / span


def _frame(height: int, title: str, desc: str, body: list[str]) -> str:
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-t{n} chart-d{n}" class="chart">'
        f'<title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _axis(low: float, high: float, y: float) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#4a5360"/>']
    steps = 4
    for k in range(steps + 1):
        value = low + (high - low) * k / steps
        x = _x(value, low, high)
        out.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#4a5360"/>')
        out.append(
            f'<text x="{x:.1f}" y="{y + 16}" font-size="11" text-anchor="middle" '
            f'fill="#1b1f24">{_fmt(value)}</text>'
        )
    return out


def means_chart(rows, low: float, high: float, title: str) -> str:
    """Means with their 95 % intervals, one row per (label, mean, interval low, high)."""
    height = ROW * len(rows) + 30
    body, described = [], []
    for index, (label, mean, ci_low, ci_high) in enumerate(rows):
        y = 10 + index * ROW
        body.append(
            f'<text x="{LEFT - 8}" y="{y + 14}" font-size="12" text-anchor="end" '
            f'fill="#1b1f24">{escape(str(label))[:32]}</text>'
        )
        x0, xm = _x(low, low, high), _x(mean, low, high)
        body.append(
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(xm - x0, 1):.1f}" height="14" '
            f'fill="{COLOURS[0]}" opacity="0.75"/>'
        )
        if ci_low is not None and ci_high is not None:
            a, b = _x(ci_low, low, high), _x(ci_high, low, high)
            body.append(
                f'<line x1="{a:.1f}" y1="{y + 11}" x2="{b:.1f}" y2="{y + 11}" '
                f'stroke="#1b1f24" stroke-width="2"/>'
            )
        described.append(f"{label}: {_fmt(mean)}")
    body += _axis(low, high, 10 + len(rows) * ROW)
    return _frame(height, title, "; ".join(described), body)


def distribution_chart(counts: list[int], labels: list[str], title: str) -> str:
    """A stacked bar of how many answers fall into each band of the scale."""
    total = sum(counts) or 1
    body, x = [], 0.0
    width = WIDTH - RIGHT
    for index, count in enumerate(counts):
        share = count / total * width
        if share > 0:
            colour = COLOURS[index % len(COLOURS)]
            body.append(
                f'<rect x="{x:.1f}" y="4" width="{share:.1f}" height="18" fill="{colour}"/>'
            )
        x += share
    desc = "; ".join(f"{label}: {count}" for label, count in zip(labels, counts))
    return _frame(28, title, desc, body)


def change_chart(rows, span: float, title: str) -> str:
    """Changes from baseline with intervals around zero: (label, difference, low, high)."""
    body, described = [], []
    low, high = -span, span
    zero = _x(0, low, high)
    for index, (label, difference, ci_low, ci_high) in enumerate(rows):
        y = 10 + index * ROW
        body.append(
            f'<text x="{LEFT - 8}" y="{y + 14}" font-size="12" text-anchor="end" '
            f'fill="#1b1f24">{escape(str(label))[:32]}</text>'
        )
        x = _x(difference, low, high)
        body.append(f'<circle cx="{x:.1f}" cy="{y + 11}" r="5" fill="{COLOURS[1]}"/>')
        if ci_low is not None and ci_high is not None:
            a, b = _x(ci_low, low, high), _x(ci_high, low, high)
            body.append(
                f'<line x1="{a:.1f}" y1="{y + 11}" x2="{b:.1f}" y2="{y + 11}" '
                f'stroke="#1b1f24" stroke-width="2"/>'
            )
        described.append(f"{label}: {'+' if difference >= 0 else ''}{_fmt(difference)}")
    bottom = 10 + len(rows) * ROW
    body.append(
        f'<line x1="{zero:.1f}" y1="4" x2="{zero:.1f}" y2="{bottom}" stroke="#4a5360" '
        f'stroke-dasharray="3 3"/>'
    )
    body += _axis(low, high, bottom)
    return _frame(bottom + 20, title, "; ".join(described), body)
