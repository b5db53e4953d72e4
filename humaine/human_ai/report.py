"""What a run's pages show: headline figures, persons as the reader may see them, plots."""

from __future__ import annotations

from typing import Any

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts


def _pct(value) -> str:
    """A share as a percentage in the reader's language (``72,8 %`` in German)."""
    # rounded first: number_format cuts a float's digits off instead of rounding them
    return "–" if value is None else f"{number_format(round(100 * float(value), 1), 1)} %"


def _interval(ci, decimals: int = 3) -> str:
    """A 95 % interval of a share, ``0,754 – 0,824`` (as the table shows the share itself)."""
    if not ci or len(ci) != 2 or None in ci:
        return "–"
    low, high = (number_format(round(float(v), decimals), decimals) for v in ci)
    return f"{low} – {high}"


def _decimal() -> str:
    """The reader's decimal mark, for the numbers in the plots."""
    return str(get_format("DECIMAL_SEPARATOR"))


def method_reason(run) -> str:
    """Why the engine chose the run's method, in the reader's language where the engine
    wrote it in German too (``selection.reason_de``); English otherwise."""
    selection = (run.evaluation or {}).get("selection") or {}
    english = selection.get("reason") or (run.result or {}).get("reason") or ""
    if (get_language() or "").startswith("de"):
        return selection.get("reason_de") or english
    return english


def persons(run, access) -> tuple[list[dict[str, Any]], bool]:
    """Each person's figures the reader may see, and whether some were withheld."""
    figures = (run.evaluation or {}).get("persons") or {}
    shown = []
    withheld = False
    for index, (pseudonym, values) in enumerate(sorted(figures.items()), start=1):
        if not access.may_see_person(pseudonym):
            withheld = True
            continue
        own = pseudonym in access.own_pseudonyms
        interval = _interval(values.get("accuracy_ci"))
        shown.append(
            {"label": pseudonym, "own": own, "index": index, **values, "interval": interval}
        )
    return shown, withheld


def aggregate(run) -> dict[str, Any]:
    """Figures over all persons, safe to show to everyone who sees the run."""
    figures = (run.evaluation or {}).get("persons") or {}
    values = list(figures.values())
    decided = sum(int(v.get("n_decided") or 0) for v in values)
    routed = sum(int(v.get("n_routed") or 0) for v in values)
    workloads = sorted(float(v.get("workload") or 0) for v in values)
    return {
        "n_persons": len(values),
        "n_decided": decided,
        "n_routed": routed,
        "max_workload": workloads[-1] if workloads else None,
        "median_workload": workloads[len(workloads) // 2] if workloads else None,
    }


def headline(run) -> list[tuple[str, str, str]]:
    """(what, accuracy, interval) for the team and what it is compared with."""
    ev = run.evaluation or {}
    rows = []
    for key, label in (
        ("team", _("the team")),
        ("ai", _("AI alone")),
        ("current_practice", _("current practice (the persons' own decisions)")),
        ("baseline", _("simple alternative (least confident cases to the best person)")),
        ("oracle", _("the best possible combination (oracle)")),
    ):
        block = ev.get(key) or {}
        if "accuracy" not in block:
            continue
        ci = block.get("accuracy_ci") or []
        interval = f"{_pct(ci[0])} – {_pct(ci[1])}" if len(ci) == 2 else "–"
        rows.append((label, _pct(block["accuracy"]), interval))
    return rows


def coverage_chart(run) -> str:
    methods = (run.evaluation or {}).get("methods") or {}
    series = []
    for name, block in methods.items():
        curve = block.get("curve") or []
        series.append((name, [(p["human_share"], p["accuracy"]) for p in curve]))
    return charts.lines_chart(
        series,
        _("Accuracy by share of cases decided by people"),
        _("share of cases decided by people"),
        _("accuracy"),
        decimal=_decimal(),
    )


def calibration_chart(run) -> str:
    bins = (run.evaluation or {}).get("reliability") or {}
    points = [
        (c, a)
        for c, a, n in zip(
            bins.get("confidence", []), bins.get("accuracy", []), bins.get("count", [])
        )
        if c is not None and a is not None and n
    ]
    return charts.lines_chart(
        [(_("AI (calibrated)"), points)],
        _("Calibration: the AI's confidence against how often it was right"),
        _("confidence"),
        _("share right"),
        diagonal=True,
        decimal=_decimal(),
    )


def workload_chart(rows, capacity) -> str:
    return charts.bars_chart(
        [(r["label"], r.get("workload") or 0) for r in rows],
        _("Workload per person (share of all cases)"),
        limit=capacity,
        decimal=_decimal(),
    )


def groups(run) -> list[dict[str, Any]]:
    out = []
    for column, by_group in ((run.evaluation or {}).get("groups") or {}).items():
        rows = [
            {"group": g, **v} for g, v in sorted(by_group.items()) if not str(g).startswith("_")
        ]
        chart = charts.bars_chart(
            [(r["group"], r.get("accuracy") or 0) for r in rows],
            _("Team accuracy by %(column)s") % {"column": column},
            decimal=_decimal(),
        )
        out.append(
            {
                "column": column,
                "rows": rows,
                "difference": by_group.get("_difference"),
                "chart": chart,
            }
        )
    return out


def comparison(runs) -> list[dict[str, Any]]:
    """One column per run for the side-by-side table."""
    out = []
    for run in runs:
        ev = run.evaluation or {}
        out.append(
            {
                "run": run,
                "method": (run.result or {}).get("method") or run.method,
                "team": (ev.get("team") or {}).get("accuracy"),
                "ai": (ev.get("ai") or {}).get("accuracy"),
                "current": (ev.get("current_practice") or {}).get("accuracy"),
                "oracle": (ev.get("oracle") or {}).get("accuracy"),
                "human_share": (ev.get("team") or {}).get("human_share"),
                "persons": ev.get("persons") or {},
            }
        )
    return out
