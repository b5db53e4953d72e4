"""Fairness figures of a service in use, by the groups the data set maps for fairness.

For each group column (an input of the team, or a field a case may carry for these figures
only, never given to the team; a column no case carries is named): per value, the cases, the
share decided by people, the AI's accuracy and the final decisions' accuracy on the cases
whose outcome is known, all counted in the database. A group with fewer cases than the hub's
anonymity threshold (``SURVEY_MIN_GROUP``, never below 3) is not shown on its own: such
groups are pooled in "other groups", and when that pool would itself be too small, the next
smallest group joins it, so no group's figures follow from the total minus the groups shown.

>>> rows = [{"group": g, "n": n} for g, n in [("a", 40), ("b", 30), ("c", 2), ("d", 6)]]
>>> shown, pooled = split_small(rows, 5)
>>> [r["group"] for r in shown], [r["group"] for r in pooled]
(['a', 'b'], ['c', 'd'])
>>> shown, pooled = split_small([{"group": "a", "n": 40}, {"group": "c", "n": 2}], 5)
>>> [r["group"] for r in shown], [r["group"] for r in pooled]
([], ['c', 'a'])
"""

from __future__ import annotations

from typing import Any

__all__ = ["fairness_of", "gap_of", "group_columns", "split_small"]

COUNTS = ("n", "to_people", "outcomes", "ai_right", "final_known", "final_right")


def min_group() -> int:
    from django.conf import settings

    from humaine.scenarios import anonymity

    return anonymity.min_group_size(getattr(settings, "SURVEY_MIN_GROUP", None))


def split_small(rows: list[dict], min_n: int) -> tuple[list[dict], list[dict]]:
    """The groups shown and those pooled (fewer than ``min_n`` cases, and as many of the
    smallest others as it takes for the pool to be empty or at least ``min_n`` big)."""
    ordered = sorted(rows, key=lambda r: (r["n"], str(r["group"])))
    pooled = [r for r in ordered if r["n"] < min_n]
    shown = [r for r in ordered if r["n"] >= min_n]
    while pooled and shown and sum(r["n"] for r in pooled) < min_n:
        pooled.append(shown.pop(0))
    return sorted(shown, key=lambda r: (-r["n"], str(r["group"]))), pooled


def _figures(row: dict) -> dict:
    n = row["n"]
    return {
        **row,
        "human_share": round(row["to_people"] / n, 6) if n else None,
        "ai_accuracy": round(row["ai_right"] / row["outcomes"], 6) if row["outcomes"] else None,
        "final_accuracy": (
            round(row["final_right"] / row["final_known"], 6) if row["final_known"] else None
        ),
    }


def gap_of(groups: list[dict], min_n: int, key: str = "final_accuracy") -> float | None:
    """The largest difference of ``key`` between shown groups with enough known outcomes."""
    counted = "final_known" if key == "final_accuracy" else "outcomes"
    values = [g[key] for g in groups if g.get(key) is not None and g[counted] >= min_n]
    return round(max(values) - min(values), 6) if len(values) >= 2 else None


def group_columns(version) -> list[str]:
    """The data set's group columns: inputs of the team, or fields a case may carry for the
    fairness figures only (``routing_api.Schema.groups``)."""
    return [str(c) for c in ((version.run.dataset.mapping or {}).get("groups") or [])]


def fairness_of(version, since, until=None) -> dict[str, Any]:
    """Per group column: the groups shown with their figures, the pooled rest, the gap."""
    from django.db.models import Count, F, Q
    from django.db.models.fields.json import KeyTextTransform

    from .monitoring import cases_in

    min_n = min_group()
    known = ~Q(outcome="")
    out: dict[str, Any] = {"min_group": min_n, "not_carried": [], "columns": []}
    for column in group_columns(version):
        rows = (
            cases_in(version, since, until)
            .annotate(group=KeyTextTransform(column, "inputs"))
            .values("group")
            .annotate(
                n=Count("pk"),
                to_people=Count("pk", filter=~Q(person="") & Q(audit=False)),
                outcomes=Count("pk", filter=known),
                ai_right=Count("pk", filter=known & Q(ai_decision=F("outcome"))),
                final_known=Count("pk", filter=known & ~Q(decision="")),
                final_right=Count("pk", filter=known & Q(decision=F("outcome"))),
            )
            .order_by()
        )
        found = [{**r, "group": "" if r["group"] is None else str(r["group"])} for r in rows]
        if not any(r["group"] for r in found):
            out["not_carried"].append(column)  # no case in the window carries it
            continue
        shown, pooled = split_small(found, min_n)
        groups = [_figures(r) for r in shown]
        rest = None
        if pooled and sum(r["n"] for r in pooled) >= min_n:
            rest = _figures(
                {"group": None, "groups": len(pooled)}
                | {k: sum(r[k] for r in pooled) for k in COUNTS}
            )
        out["columns"].append(
            {
                "column": column,
                "groups": groups,
                "rest": rest,
                "withheld": len(pooled),
                "gap": gap_of(groups, min_n),
                "ai_gap": gap_of(groups, min_n, "ai_accuracy"),
            }
        )
    return out
