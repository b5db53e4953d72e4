"""Survey results as pages, the report, the API and exports show them: labels, charts,
reasons for withheld cells, and filters that only choose among what the plan allows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import charts, outcomes
from .anonymity import PROTECTS_OTHERS
from .library import current_library
from .models import Survey, Target, Wave
from .results import ALL, SurveyResults, group_key, survey_results

OUTCOME_SCALES = ("agency", "workload", "skills", "health", "trust", "acceptance")


def reason_text(reason: str | None, min_n: int) -> str:
    if reason is None:
        return ""
    if reason == PROTECTS_OTHERS:
        return _(
            "Withheld so that no group of fewer than %(n)s people can be worked out "
            "from the other figures."
        ) % {"n": min_n}
    return _("Fewer than %(n)s answers: withheld so that nobody can be recognised.") % {"n": min_n}


class Labels:
    def __init__(self, survey: Survey):
        self.groups = {g.pk: g for g in survey.groups.all()}
        self.waves = {w.pk: w for w in survey.waves.all()}

    def cell(self, key: tuple) -> str:
        if key == ALL:
            return _("All groups")
        if key == ("others",):
            return _("Other groups together")
        group = self.groups.get(key[1])
        return group.name if group else "?"

    def headcount(self, key: tuple) -> int | None:
        if key == ALL:
            return sum(g.headcount for g in self.groups.values())
        group = self.groups.get(key[1]) if len(key) > 1 else None
        return group.headcount if group else None


def _keep(key, group_filter) -> bool:
    return group_filter is None or key in (ALL, group_key(group_filter))


def _fmt_interval(interval) -> tuple:
    return (interval.low, interval.high) if interval else (None, None)


def results_view(
    survey: Survey,
    lang: str,
    *,
    wave=None,
    group=None,
    scale=None,
    results: SurveyResults | None = None,
) -> dict:
    """Everything the results page shows, filtered by wave, group and scale ids."""
    results = results or survey_results(survey)
    labels, library = Labels(survey), current_library()
    min_n = results.min_n
    participation = []
    for block in results.participation:
        if wave is not None and block.wave_id != wave:
            continue
        rows = []
        for cell in block.cells:
            if not _keep(cell.key, group):
                continue
            headcount = labels.headcount(cell.key)
            rate = cell.n / headcount if cell.shown and headcount else None
            rows.append(
                {
                    "label": labels.cell(cell.key),
                    "n": cell.n,
                    "headcount": headcount,
                    "rate": rate,
                    "reason": reason_text(cell.reason, min_n),
                }
            )
        participation.append({"wave": labels.waves[block.wave_id], "rows": rows})
    scales = []
    for result in results.scales:
        if scale is not None and result.scale != scale:
            continue
        scales.append(_scale_view(result, labels, library, lang, min_n, wave, group))
    texts = []
    for block in results.texts:
        if wave is not None and block.wave_id != wave:
            continue
        parts = [
            {"label": labels.cell(key), "texts": items}
            for key, items in block.parts
            if items and (group is None or key == group_key(group))
        ]
        if parts and library.has_open_question(block.question):
            texts.append(
                {
                    "wave": labels.waves[block.wave_id],
                    "question": library.open_question(block.question).text.get(lang),
                    "parts": parts,
                }
            )
    return {
        "min_n": min_n,
        "participation": participation,
        "scales": scales,
        "texts": texts,
        "closed": bool(results.wave_ids),
    }


def _scale_view(result, labels, library, lang, min_n, wave_filter, group_filter) -> dict:
    scale = library.scale(result.scale)
    response = library.response_of(result.scale)
    bin_labels = _bin_labels(response, lang)
    waves = []
    for block in result.waves:
        if wave_filter is not None and block.wave_id != wave_filter:
            continue
        rows = []
        for cell in block.cells:
            if not _keep(cell.key, group_filter):
                continue
            row = {
                "key": cell.key,
                "label": labels.cell(cell.key),
                "n": cell.n,
                "reason": reason_text(cell.reason, min_n),
            }
            if cell.shown:
                s = cell.summary
                low, high = _fmt_interval(s.interval)
                alpha = s.alpha.alpha if s.alpha else None
                row |= {
                    "mean": s.mean,
                    "sd": s.sd,
                    "low": low,
                    "high": high,
                    "alpha": alpha,
                    "distribution": list(zip(bin_labels, s.distribution)),
                    "distribution_svg": charts.distribution_chart(
                        s.distribution, bin_labels, f"{scale.title.get(lang)}: {row['label']}"
                    ),
                }
            rows.append(row)
        shown = [r for r in rows if r.get("mean") is not None]
        chart = (
            charts.means_chart(
                [(r["label"], r["mean"], r["low"], r["high"]) for r in shown],
                response.min,
                response.max,
                scale.title.get(lang),
            )
            if shown
            else ""
        )
        changes = []
        for change in block.changes:
            if not _keep(change.key, group_filter):
                continue
            entry = {"label": labels.cell(change.key), "reason": reason_text(change.reason, min_n)}
            if change.shown:
                c = change.change
                low, high = _fmt_interval(c.interval)
                entry |= {
                    "difference": c.difference,
                    "low": low,
                    "high": high,
                    "paired": c.paired,
                    "n_pairs": c.n_pairs,
                    "direction": outcomes.direction(c, higher_is_better=scale.higher_is_better),
                }
            changes.append(entry)
        shown_changes = [c for c in changes if c.get("difference") is not None]
        span = (response.max - response.min) / 2
        change_svg = (
            charts.change_chart(
                [(c["label"], c["difference"], c["low"], c["high"]) for c in shown_changes],
                span,
                scale.title.get(lang),
            )
            if shown_changes
            else ""
        )
        waves.append(
            {
                "wave": labels.waves[block.wave_id],
                "rows": rows,
                "chart": chart,
                "changes": changes,
                "change_chart": change_svg,
            }
        )
    return {
        "id": result.scale,
        "title": scale.title.get(lang),
        "description": scale.description.get(lang),
        "higher_is_better": scale.higher_is_better,
        "min": response.min,
        "max": response.max,
        "waves": waves,
    }


def _bin_labels(response, lang) -> list[str]:
    if response.labels:
        return [response.label(label.value, lang) for label in response.labels]
    return [f"{low:g}–{high:g}" for low, high in response.bins()]


def export_rows(survey: Survey, lang: str) -> list[dict]:
    """The figures of every shown cell as flat rows (CSV and API); never a single answer."""
    view = results_view(survey, lang)
    rows = []
    for scale in view["scales"]:
        for block in scale["waves"]:
            for row in block["rows"]:
                rows.append(
                    {
                        "scale": scale["id"],
                        "wave": block["wave"].label,
                        "wave_kind": block["wave"].kind,
                        "group": row["label"],
                        "n": row["n"] if row["n"] is not None else "",
                        "mean": _round(row.get("mean")),
                        "ci_low": _round(row.get("low")),
                        "ci_high": _round(row.get("high")),
                        "sd": _round(row.get("sd")),
                        "alpha": _round(row.get("alpha")),
                        "distribution": " ".join(str(c) for _l, c in row.get("distribution", [])),
                        "withheld": row["reason"],
                    }
                )
    return rows


def _round(value):
    return "" if value is None else round(value, 3)


# ------------------------------------------------------------------------------ outcomes


def _latest_follow_up(survey, results) -> Wave | None:
    waves = {w.pk: w for w in survey.waves.all()}
    follow = [waves[i] for i in results.wave_ids if waves[i].kind == Wave.Kind.FOLLOW_UP]
    return follow[-1] if follow else None


def outcome_view(scenario, lang: str) -> dict:
    """Per survey and group: did each outcome get better since the baseline; targets."""
    library = current_library()
    tables, by_scale = [], {}
    for survey in scenario.surveys.prefetch_related("groups", "waves"):
        results = survey_results(survey)
        labels = Labels(survey)
        latest = _latest_follow_up(survey, results)
        scales = [s for s in OUTCOME_SCALES if s in survey.items and library.has_scale(s)]
        for scale_id in survey.items:
            by_scale.setdefault(scale_id, (survey, results, latest))
        if not scales:
            continue
        keys = [ALL, *(group_key(g.pk) for g in survey.groups.all())]
        rows = []
        for key in keys:
            cells = []
            for scale_id in scales:
                change = _change_for(results, scale_id, latest, key)
                cells.append(
                    outcomes.direction(
                        change, higher_is_better=library.scale(scale_id).higher_is_better
                    )
                    if change
                    else None
                )
            rows.append({"label": labels.cell(key), "cells": cells})
        tables.append(
            {
                "survey": survey,
                "latest": latest,
                "rows": rows,
                "scales": [library.scale(s).title.get(lang) for s in scales],
            }
        )
    targets = [_judge(t, by_scale, library) for t in scenario.targets.select_related("group")]
    return {"tables": tables, "targets": targets}


def _cell(results, scale_id, wave_id, key):
    scale = results.scale(scale_id)
    for block in scale.waves if scale else []:
        if block.wave_id == wave_id:
            return next((c for c in block.cells if c.key == key and c.shown), None)
    return None


def _change_for(results, scale_id, wave, key):
    scale = results.scale(scale_id)
    if wave is None or scale is None:
        return None
    for block in scale.waves:
        if block.wave_id == wave.pk:
            entry = next((c for c in block.changes if c.key == key and c.shown), None)
            return entry.change if entry else None
    return None


def _judge(target: Target, by_scale, library) -> dict:
    key = group_key(target.group_id) if target.group_id else ALL
    entry = {"target": target, "status": outcomes.NO_DATA, "mean": None}
    if target.scale not in by_scale or not library.has_scale(target.scale):
        return entry
    survey, results, latest = by_scale[target.scale]
    wave_id = latest.pk if latest else (results.wave_ids[-1] if results.wave_ids else None)
    cell = _cell(results, target.scale, wave_id, key) if wave_id else None
    change = _change_for(results, target.scale, latest, key)
    entry["mean"] = cell.summary.mean if cell else None
    entry["status"] = outcomes.judge(
        target.kind,
        target.value,
        higher_is_better=library.scale(target.scale).higher_is_better,
        mean=cell.summary.mean if cell else None,
        interval=cell.summary.interval if cell else None,
        change=change,
    )
    return entry
