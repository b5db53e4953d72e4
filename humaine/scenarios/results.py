"""A survey's results as every page, API call, report and export shows them.

One function, :func:`survey_results`, computes them for the whole survey (all closed
waves, the "all" row, every group, every change from baseline) under one anonymity plan
per wave and scale; the views only choose what to display from it, so no filter can
combine cells the plan did not allow together. Only closed waves count: a wave takes no
answers once closed, so results never change under a reader's eyes (which would reveal
each new answer). Reading costs a fixed number of queries whatever the number of
responses; the numbers of closed waves are cached, as they cannot change.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from . import anonymity, stats
from .library import current_library
from .models import Response, Survey, Wave

ALL = ("all",)
CACHE_SECONDS = 24 * 3600


def group_key(group_id: int) -> tuple:
    return ("group", group_id)


@dataclass
class Cell:
    """One row of a table: a group (or all) in one wave, shown or withheld with a reason."""

    key: tuple
    n: int | None = None
    summary: stats.Summary | None = None
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.reason is None


@dataclass
class ChangeCell:
    key: tuple
    change: stats.Change | None = None
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.reason is None


@dataclass
class WaveBlock:
    wave_id: int
    cells: list[Cell]
    changes: list[ChangeCell] = field(default_factory=list)


@dataclass
class ScaleResult:
    scale: str
    bins: list[tuple[float, float]]
    waves: list[WaveBlock]


@dataclass
class TextBlock:
    wave_id: int
    question: str
    # (cell key, texts) for each shown group, and ("others",) for the rest under "all".
    parts: list[tuple[tuple, list[str]]]


@dataclass
class SurveyResults:
    min_n: int
    wave_ids: list[int]
    baseline_id: int | None
    participation: list[WaveBlock]
    scales: list[ScaleResult]
    texts: list[TextBlock]

    def scale(self, scale_id: str) -> ScaleResult | None:
        return next((s for s in self.scales if s.scale == scale_id), None)


def min_group() -> int:
    return anonymity.min_group_size(settings.SURVEY_MIN_GROUP)


def closed_waves(survey: Survey) -> list[Wave]:
    waves = [w for w in survey.waves.all() if w.is_closed]
    return sorted(waves, key=lambda w: (w.kind != Wave.Kind.BASELINE, w.opens_on, w.pk))


def survey_results(survey: Survey, min_n: int | None = None) -> SurveyResults:
    """The survey's results under the anonymity rules (cached per set of closed waves)."""
    min_n = anonymity.min_group_size(min_n or settings.SURVEY_MIN_GROUP)
    waves = closed_waves(survey)
    groups = list(survey.groups.order_by("pk").values_list("pk", flat=True))
    fingerprint = hashlib.sha256(repr((sorted(survey.items.items()), groups)).encode())
    wave_ids = "-".join(str(w.pk) for w in waves)
    key = f"scenarios:results:v1:{survey.pk}:{wave_ids}:{min_n}:{fingerprint.hexdigest()[:16]}"
    cached = cache.get(key)
    if cached is None:
        cached = compute(survey, waves, groups, min_n)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _group_cells(rows, groups) -> dict[tuple, set]:
    cells: dict[tuple, set] = {ALL: set()}
    for g in groups:
        cells[group_key(g)] = set()
    for rid, group_id in rows:
        cells[ALL].add(rid)
        cells.setdefault(group_key(group_id), set()).add(rid)
    return cells


def _priority(cells: dict[tuple, set]) -> list[tuple]:
    groups = sorted((k for k in cells if k != ALL), key=lambda k: (-len(cells[k]), k))
    return [ALL, *groups]


def compute(survey: Survey, waves: list[Wave], groups: list[int], min_n: int) -> SurveyResults:
    # Small integers instead of the responses' UUIDs: the planner hashes them a lot.
    rows = [
        (index, *row)
        for index, row in enumerate(
            Response.objects.filter(wave__in=waves)
            .order_by()
            .values_list("wave_id", "group_id", "answers", "texts", "code_hash")
        )
    ]
    by_wave: dict[int, list] = defaultdict(list)
    for row in rows:
        by_wave[row[1]].append(row)
    baseline = next((w for w in waves if w.kind == Wave.Kind.BASELINE), None)
    participation, plans = [], {}
    for wave in waves:
        cells = _group_cells([(r[0], r[2]) for r in by_wave[wave.pk]], groups)
        plan = anonymity.plan(cells, min_n, priority=_priority(cells))
        plans[wave.pk] = (cells, plan)
        participation.append(WaveBlock(wave.pk, _count_cells(cells, plan)))
    library = current_library()
    scales = [
        _scale(library, scale_id, item_ids, waves, baseline, by_wave, groups, min_n)
        for scale_id, item_ids in survey.items.items()
        if library.has_scale(scale_id)
    ]
    texts = _texts(survey, waves, by_wave, plans)
    return SurveyResults(
        min_n=min_n,
        wave_ids=[w.pk for w in waves],
        baseline_id=baseline.pk if baseline else None,
        participation=participation,
        scales=scales,
        texts=texts,
    )


def _count_cells(cells, plan) -> list[Cell]:
    out = []
    for key in _priority(cells):
        if plan.allows(key):
            out.append(Cell(key, n=len(cells[key])))
        else:
            out.append(Cell(key, reason=plan.withheld.get(key, anonymity.TOO_FEW)))
    return out


def _pairs(base_rows, follow_rows, scores) -> dict[tuple, list[tuple]]:
    """(baseline id, follow-up id) pairs with the same code in the same group, per cell."""

    def unique_codes(rows):
        seen: dict[tuple, list] = defaultdict(list)
        for rid, _w, group_id, _a, _t, code in rows:
            if code and rid in scores:
                seen[(group_id, code)].append(rid)
        return {k: v[0] for k, v in seen.items() if len(v) == 1}

    before, after = unique_codes(base_rows), unique_codes(follow_rows)
    pairs: dict[tuple, list[tuple]] = defaultdict(list)
    for key, rid in before.items():
        if key in after:
            pairs[ALL].append((rid, after[key]))
            pairs[group_key(key[0])].append((rid, after[key]))
    return pairs


def _scores(library, response, item_ids, by_wave) -> tuple[dict, dict]:
    """Scale scores (complete answers only) and keyed item values, per response.

    The same rule as :func:`~humaine.scenarios.instruments.scale_score`, with each item's
    keying looked up once instead of once per answer (20,000 answers in a wave).
    """
    turn = response.min + response.max
    keys = [(i, library.item(i).reverse) for i in item_ids]
    scores, matrix = {}, {}
    for rows in by_wave.values():
        for rid, _w, _g, answers, _t, _c in rows:
            values = []
            for item_id, reverse in keys:
                value = answers.get(item_id)
                if value is None:
                    break
                values.append(turn - int(value) if reverse else int(value))
            else:
                if values:
                    scores[rid] = sum(values) / len(values)
                    matrix[rid] = values
    return scores, matrix


def _scale(library, scale_id, item_ids, waves, baseline, by_wave, groups, min_n) -> ScaleResult:
    response = library.response_of(scale_id)
    scores, matrix = _scores(library, response, item_ids, by_wave)
    cells, optional = {}, defaultdict(dict)
    for wave in waves:
        scored = [(r[0], r[2]) for r in by_wave[wave.pk] if r[0] in scores]
        cells[wave.pk] = _group_cells(scored, groups)
    pairs_of = {}
    if baseline is not None:
        for wave in waves:
            if wave.pk == baseline.pk:
                continue
            pairs = _pairs(by_wave[baseline.pk], by_wave[wave.pk], scores)
            pairs_of[wave.pk] = pairs
            for key in [ALL, *(group_key(g) for g in groups)]:
                if pairs.get(key):
                    optional[baseline.pk][("paired", wave.pk, *key)] = {a for a, _ in pairs[key]}
                    optional[wave.pk][("paired", wave.pk, *key)] = {b for _, b in pairs[key]}
    plans = {
        w.pk: anonymity.plan(cells[w.pk], min_n, _priority(cells[w.pk]), optional[w.pk])
        for w in waves
    }
    blocks = []
    for wave in waves:
        wave_cells, plan = cells[wave.pk], plans[wave.pk]
        block = WaveBlock(wave.pk, [])
        for key in _priority(wave_cells):
            if not plan.allows(key):
                block.cells.append(Cell(key, reason=plan.withheld.get(key, anonymity.TOO_FEW)))
                continue
            ids = sorted(wave_cells[key])
            summary = stats.describe(
                [scores[i] for i in ids], response.bins(), [matrix[i] for i in ids]
            )
            block.cells.append(Cell(key, n=len(ids), summary=summary))
        if baseline is not None and wave.pk != baseline.pk:
            block.changes = _changes(
                wave, baseline, cells, plans, pairs_of.get(wave.pk, {}), scores
            )
        blocks.append(block)
    return ScaleResult(scale_id, response.bins(), blocks)


def _changes(wave, baseline, cells, plans, pairs, scores) -> list[ChangeCell]:
    out = []
    base_plan, plan = plans[baseline.pk], plans[wave.pk]
    for key in _priority(cells[wave.pk]):
        if not (plan.allows(key) and base_plan.allows(key)):
            out.append(ChangeCell(key, reason=anonymity.PROTECTS_OTHERS))
            continue
        paired_key = ("paired", wave.pk, *key)
        use_pairs = plan.allows(paired_key) and base_plan.allows(paired_key)
        change = stats.change_from_baseline(
            [scores[i] for i in cells[baseline.pk][key]],
            [scores[i] for i in cells[wave.pk][key]],
            [(scores[a], scores[b]) for a, b in pairs.get(key, [])] if use_pairs else (),
        )
        out.append(ChangeCell(key, change=change))
    return out


def _shuffled(texts: list[str], salt: str) -> list[str]:
    # A stable order unrelated to when or by whom a text was written.
    return sorted(texts, key=lambda t: hashlib.sha256(f"{salt}:{t}".encode()).hexdigest())


def _texts(survey, waves, by_wave, plans) -> list[TextBlock]:
    blocks = []
    for wave in waves:
        cells, plan = plans[wave.pk]
        for question in survey.open_questions:
            texts_by_group: dict[int, list[str]] = defaultdict(list)
            for _rid, _w, group_id, _a, texts, _c in by_wave[wave.pk]:
                if texts.get(question):
                    texts_by_group[group_id].append(texts[question])
            parts, others = [], []
            for key in _priority(cells):
                if key == ALL:
                    continue
                if plan.allows(key):
                    parts.append((key, _shuffled(texts_by_group.get(key[1], []), question)))
                else:
                    others += texts_by_group.get(key[1], [])
            if plan.allows(ALL) and others:
                parts.append((("others",), _shuffled(others, question)))
            blocks.append(TextBlock(wave.pk, question, parts))
    return blocks
