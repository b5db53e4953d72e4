"""The plots of a run's report as small accessible SVG (role="img", a title and a
description; each plot sits next to a table with the same numbers). No Django here.

    >>> svg = lines_chart([("team", [(0, 0.6), (1, 0.9)])], "Abdeckung", "Anteil", "Genauigkeit")
    >>> svg.startswith("<svg") and 'role="img"' in svg and "team" in svg
    True
    >>> "Anna" in bars_chart([("Anna", 0.4)], "Arbeitslast")
    True

Numbers are written with the reader's decimal mark (``decimal=","`` on German pages):

    >>> "0,25" in bars_chart([("Anna", 0.4)], "Arbeitslast", decimal=",")
    True
"""

from __future__ import annotations

import itertools
from html import escape

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 16, 44
COLOURS = ("#0b5cad", "#a4141c", "#1d6b35", "#6a3d9a", "#8a4b00", "#4a5360", "#006d77")
_ids = itertools.count(1)


def _fmt(value: float, decimal: str = ".") -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", decimal)


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="hai-t{n} hai-d{n}" class="chart">'
        f'<title id="hai-t{n}">{escape(title)}</title>'
        f'<desc id="hai-d{n}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _px(x: float, y: float) -> tuple[float, float]:
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    return LEFT + inner_w * min(max(x, 0), 1), TOP + inner_h * (1 - min(max(y, 0), 1))


def _axes(x_label: str, y_label: str, decimal: str = ".") -> list[str]:
    out = []
    for k in range(5):
        value = k / 4
        x, _ = _px(value, 0)
        _, y = _px(0, value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d4d9"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#1b1f24">{_fmt(value, decimal)}</text>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle" fill="#1b1f24">{_fmt(value, decimal)}</text>'
        )
    out.append(
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="{HEIGHT - 8}" font-size="12" '
        f'text-anchor="middle" fill="#1b1f24">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="14" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2}" font-size="12" '
        f'text-anchor="middle" fill="#1b1f24" transform="rotate(-90 14 '
        f'{TOP + (HEIGHT - TOP - BOTTOM) / 2})">{escape(y_label)}</text>'
    )
    return out


def lines_chart(
    series, title: str, x_label: str, y_label: str, diagonal: bool = False, decimal: str = "."
) -> str:
    """Lines of (label, [(x, y), ...]) on [0, 1] × [0, 1]; points with y None are skipped."""
    body = _axes(x_label, y_label, decimal)
    if diagonal:
        (x0, y0), (x1, y1) = _px(0, 0), _px(1, 1)
        body.append(
            f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#4a5360" '
            'stroke-dasharray="4 4"/>'
        )
    described = []
    for index, (label, points) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        shown = [(x, y) for x, y in points if y is not None]
        if not shown:
            continue
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in (_px(x, y) for x, y in shown))
        dash = ' stroke-dasharray="6 3"' if index % 2 else ""
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for x, y in shown:
            cx, cy = _px(x, y)
            body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.5" fill="{colour}"/>')
        legend_y = TOP + 14 + 16 * index
        body.append(
            f'<line x1="{WIDTH - RIGHT + 10}" y1="{legend_y - 4}" '
            f'x2="{WIDTH - RIGHT + 28}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        body.append(
            f'<text x="{WIDTH - RIGHT + 32}" y="{legend_y}" font-size="11" '
            f'fill="#1b1f24">{escape(str(label))[:22]}</text>'
        )
        points = "; ".join(f"{_fmt(x, decimal)} → {_fmt(y, decimal)}" for x, y in shown)
        described.append(f"{label}: {points}")
    return _frame(WIDTH, HEIGHT, title, ". ".join(described), body)


def bars_chart(rows, title: str, limit: float | None = None, decimal: str = ".") -> str:
    """Horizontal bars of (label, value in [0, 1]); ``limit`` draws a line (a capacity)."""
    row, left, width = 26, 160, WIDTH
    height = row * len(rows) + 34
    inner = width - left - 60
    body, described = [], []
    for index, (label, value) in enumerate(rows):
        y = 8 + row * index
        length = inner * min(max(float(value or 0), 0), 1)
        body.append(
            f'<text x="{left - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="#1b1f24">{escape(str(label))[:24]}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="16" fill="{COLOURS[0]}"/>'
        )
        body.append(
            f'<text x="{left + length + 6:.1f}" y="{y + 15}" font-size="11" '
            f'fill="#1b1f24">{_fmt(float(value or 0), decimal)}</text>'
        )
        described.append(f"{label}: {_fmt(float(value or 0), decimal)}")
    axis_y = 8 + row * len(rows)
    body.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + inner}" y2="{axis_y}" stroke="#4a5360"/>'
    )
    for k in range(5):
        x = left + inner * k / 4
        body.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
            f'fill="#1b1f24">{_fmt(k / 4, decimal)}</text>'
        )
    if limit is not None:
        x = left + inner * min(max(limit, 0), 1)
        body.append(
            f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{axis_y}" stroke="#a4141c" '
            'stroke-dasharray="4 3"/>'
        )
    return _frame(width, height, title, "; ".join(described), body)
