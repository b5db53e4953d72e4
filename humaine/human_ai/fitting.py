"""Building a human-AI team from a prepared data set, in a child process of the job worker.

This module never imports Django: :func:`build` runs in a process of its own (started by
:func:`humaine.human_ai.engine.run_build`), so that a run can be cancelled at once (the
worker ends the process), its memory is returned when it ends, and a killed worker takes
its build with it. It uses only the engine's public API (``teaming``) and reports
progress through a pipe as it goes: the engine's own steps, which it logs while fitting.

The output folder holds what the hub keeps of a run:

- ``team/``: the saved team (``teaming.save_team``: skops files, metadata, model cards),
- ``evaluation.json``: the held-out figures (``Evaluation.to_dict()``),
- ``report.html`` and ``report_aggregate.html``: the engine's report, with and without
  per-person figures,
- ``profile.json``: each feature's distribution in the training cases (for drift),
- ``comparison.json`` (when a ``baseline`` team is given: a run built from a service's
  recorded cases): the new team and the baseline evaluated on the same held-out cases.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["STEPS", "BuildSpec", "build", "compare", "feature_profile", "headline_figures", "main"]

# The steps of a build as the user sees them; the engine's log lines move it along.
STEPS = (
    "read",
    "split",
    "features",
    "ai",
    "calibration",
    "persons",
    "methods",
    "evaluate",
    "save",
    "report",
)
_ENGINE_STEPS = [
    ("fit: cross-fitting the ai", "ai"),
    ("fit: training the ai", "ai"),
    ("fit: calibration", "calibration"),
    ("fit: person models", "persons"),
    ("fit: scoring method", "methods"),
    ("fit: choosing", "methods"),
    ("fit:", "features"),
]
PROFILE_BINS = 10
PROFILE_CATEGORIES = 30


@dataclass
class BuildSpec:
    """Everything a build needs, as plain values (it crosses a process boundary)."""

    cases: str
    out: str
    load: dict[str, Any]
    team: dict[str, Any]
    decisions: str | None = None
    holdout: float = 0.3
    n_bootstrap: int = 100
    random_state: int = 0
    title: str = "Human-AI team"
    # the folder of a saved team to compare with on the same held-out cases
    baseline: str | None = None


@dataclass
class BuildResult:
    method: str
    reason: str
    persons: list[str]
    classes: list[str]
    features: dict[str, str]
    n_train: int
    n_test: int
    training_metrics: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class _Progress:
    """Sends (step, message) to the parent; tolerant of a parent that stopped listening."""

    def __init__(self, send):
        self.send = send
        self.step = "read"

    def __call__(self, step: str | None, message: str = "") -> None:
        if step:
            self.step = step
        try:
            self.send(("progress", self.step, STEPS.index(self.step) + 1, len(STEPS), message))
        except (BrokenPipeError, OSError):
            os._exit(3)


class _EngineLog(logging.Handler):
    """The engine's log lines as progress steps."""

    def __init__(self, progress: _Progress):
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        lowered = text.lower()
        step = next((s for prefix, s in _ENGINE_STEPS if lowered.startswith(prefix)), None)
        self.progress(step, text)


def feature_profile(frame: pd.DataFrame, feature_types: dict[str, str]) -> dict[str, Any]:
    """Each feature's distribution: deciles of a number, shares of a category's values.

    >>> frame = pd.DataFrame({"x": np.arange(100.0), "k": ["a"] * 70 + ["b"] * 30})
    >>> p = feature_profile(frame, {"x": "numeric", "k": "categorical"})
    >>> len(p["x"]["edges"]), p["k"]["shares"]["a"]
    (9, 0.7)
    """
    out: dict[str, Any] = {}
    for column, kind in feature_types.items():
        if column not in frame:
            continue
        values = frame[column]
        missing = float(values.isna().mean()) if len(values) else 0.0
        if kind == "numeric":
            numbers = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
            if numbers.size == 0:
                continue
            edges = np.unique(np.quantile(numbers, np.linspace(0, 1, PROFILE_BINS + 1)[1:-1]))
            counts = np.bincount(
                np.searchsorted(edges, numbers, side="right"), minlength=edges.size + 1
            )
            out[column] = {
                "kind": "numeric",
                "edges": [float(e) for e in edges],
                "shares": [float(c) for c in counts / counts.sum()],
                "missing": missing,
                "mean": float(numbers.mean()),
            }
        elif kind == "categorical":
            shares = values.dropna().astype(str).value_counts(normalize=True)
            top = shares.head(PROFILE_CATEGORIES)
            out[column] = {
                "kind": "categorical",
                "shares": {str(k): round(float(v), 6) for k, v in top.items()},
                "other": float(max(0.0, 1.0 - top.sum())),
                "missing": missing,
            }
    return out


def _reliability(bins: dict[str, Any]) -> dict[str, list]:
    """The calibration bins as JSON (empty bins as None)."""
    out = {}
    for key, values in (bins or {}).items():
        array = np.asarray(values, dtype=float)
        out[key] = [None if not np.isfinite(v) else round(float(v), 6) for v in array]
    return out


def _without_persons(evaluation):
    figures = {**evaluation.figures, "persons": {}}
    return dataclasses.replace(evaluation, figures=figures)


def build(spec: BuildSpec, progress=None) -> BuildResult:
    """Load, split, fit, evaluate, save and report; write everything to ``spec.out``."""
    from teaming import HumanAITeam, load_data, save_team, split_data, write_report

    progress = progress or (lambda *a: None)
    started = time.monotonic()
    out = Path(spec.out)
    out.mkdir(parents=True, exist_ok=True)
    progress("read")
    decisions = pd.read_parquet(spec.decisions) if spec.decisions else None
    data = load_data(pd.read_parquet(spec.cases), decisions=decisions, **spec.load)
    progress("split")
    train, test = split_data(data, test_size=spec.holdout, random_state=spec.random_state)
    progress("features")
    team = HumanAITeam(random_state=spec.random_state, **spec.team).fit(train)
    progress("evaluate")
    evaluation = team.evaluate(test, n_bootstrap=spec.n_bootstrap)
    progress("save")
    save_team(team, out / "team", evaluation=evaluation)
    figures = {**evaluation.to_dict(), "reliability": _reliability(evaluation.reliability)}
    (out / "evaluation.json").write_text(json.dumps(figures), encoding="utf-8")
    profile = feature_profile(train.X, dict(train.feature_types))
    (out / "profile.json").write_text(json.dumps(profile), encoding="utf-8")
    if spec.baseline:
        comparison = compare(evaluation, spec.baseline, test, spec.n_bootstrap)
        (out / "comparison.json").write_text(json.dumps(comparison), encoding="utf-8")
    progress("report")
    write_report(evaluation, out / "report.html", title=spec.title)
    write_report(_without_persons(evaluation), out / "report_aggregate.html", title=spec.title)
    return BuildResult(
        method=str(team.method_),
        reason=str(team.selection_report_.get("reason", "")),
        persons=[str(p) for p in team.persons_],
        classes=[str(c) for c in team.classes_],
        features={str(k): str(v) for k, v in train.feature_types.items()},
        n_train=int(train.n_cases),
        n_test=int(test.n_cases),
        training_metrics=json.loads(json.dumps(team.training_metrics_, default=float)),
        seconds=round(time.monotonic() - started, 2),
    )


def headline_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """What a comparison shows of one team's held-out figures (no per-person figures).

    >>> headline_figures({"team": {"accuracy": 0.8, "human_share": 0.3, "persons": {"a": 1}},
    ...                   "methods": {"combine": {"accuracy": 0.7, "curve": []}}})["methods"]
    {'combine': {'accuracy': 0.7, 'human_share': None}}
    """

    def pick(block: Any, *keys: str) -> dict[str, Any]:
        block = block if isinstance(block, dict) else {}
        return {key: block.get(key) for key in keys}

    return {
        "method": figures.get("method"),
        "capacity": figures.get("capacity"),
        "team": pick(figures.get("team"), "accuracy", "accuracy_ci", "human_share", "error_cost"),
        "ai": pick(figures.get("ai"), "accuracy", "accuracy_ci", "ece"),
        "current_practice": pick(figures.get("current_practice"), "accuracy", "n_cases"),
        "oracle": pick(figures.get("oracle"), "accuracy"),
        "methods": {
            str(name): pick(block, "accuracy", "human_share")
            for name, block in (figures.get("methods") or {}).items()
        },
    }


def compare(evaluation, baseline: str, test, n_bootstrap: int) -> dict[str, Any]:
    """The new team's and the baseline team's figures on the same held-out cases ``test``.

    The baseline may not fit the cases (other classes, say): then its figures are missing
    and ``error`` says why; the new run itself is not affected.
    """
    from teaming import load_team

    out: dict[str, Any] = {
        "n_cases": int(test.n_cases),
        "new": headline_figures(json.loads(json.dumps(evaluation.to_dict(), default=float))),
        "active": None,
        "error": "",
    }
    try:
        active = load_team(baseline).evaluate(test, n_bootstrap=n_bootstrap)
    except Exception as exc:  # noqa: BLE001 - recorded for the page, the build goes on
        out["error"] = f"{type(exc).__name__}: {exc}"[:500]
        return out
    out["active"] = headline_figures(json.loads(json.dumps(active.to_dict(), default=float)))
    return out


def _watch_parent(parent: int) -> None:
    """End this process when the worker that started it is gone (killed, say)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(4)


def main(spec: dict[str, Any], conn, parent: int) -> None:
    """The child process: build, and send ``("done", result)`` or ``("error", kind, detail)``."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from teaming import DataError

    progress = _Progress(conn.send)
    handler = _EngineLog(progress)
    engine_log = logging.getLogger("teaming")
    engine_log.addHandler(handler)
    engine_log.setLevel(logging.INFO)
    try:
        result = build(BuildSpec(**spec), progress)
        conn.send(("done", dataclasses.asdict(result)))
    except DataError as exc:
        conn.send(
            (
                "error",
                "data",
                {"message": str(exc), "column": exc.column, "rows": [str(r) for r in exc.rows]},
            )
        )
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which records it
        conn.send(
            (
                "error",
                "crash",
                {"message": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()},
            )
        )
    finally:
        engine_log.removeHandler(handler)
        conn.close()
