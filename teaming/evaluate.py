"""Held-out evaluation of a fitted team against the AI alone, each person, and the oracle.

In historical data a person is available for a case only if they decided it, so no
figure ever credits a person with a decision they did not make. All methods are scored by
the same code (:func:`teaming.routing.method_outcomes`): their gains are routed under the
same capacity and audit share, and the team's answer on each case is looked up.

Figures
    ``team``: the fitted method at the team's capacity and audit share. ``ai``: the
    calibrated AI decides everything. ``persons``: each person on the cases they decided
    (``accuracy`` with a Wilson interval) and the share of all cases the team routes to them
    (``workload``). ``current_practice``: the majority of the recorded decisions of a case,
    on cases with at least one; a tie between k classes counts as a fair draw among them
    (right with probability 1/k if the truth is among them), so the figure does not depend on
    how the labels are spelled or sorted. ``base_rate``: always answering the most frequent
    class of the training cases. ``oracle``: right if the AI or anyone who decided the case
    is right. ``baseline``: the simple alternative to the team, the calibrated AI with its
    least confident cases (up to the capacity) deferred to the available person with the
    best overall accuracy on the training cases, and the team's paired difference against it
    with its bootstrap interval: what the person models and the routing add on these data.
    ``deployment``: the held-out cases routed as new ones with everybody available, per
    person (:func:`teaming.workload.summarise_routing`: a pile-up on one person is flagged
    with a suggested per-person limit). ``features``: the features the team uses (name and
    kind) and suspected leaks. ``selection``: the method chosen and why (with the figures
    compared). ``coverage``: team accuracy of each method as the people's capacity goes from
    0 to 100 % (no audit, so the curve shows the pure trade-off). Bootstrap intervals
    resample cases and, for the team, re-solve the routing on each resample.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .constants import N_BOOTSTRAP
from .data import DataError, TeamData
from .decisions import route_cases
from .metrics import expected_calibration_error, reliability_bins
from .outcomes import Outcomes, method_outcomes, route_outcomes, score_routing
from .parallel import parallel_map
from .router import person_limits
from .workload import summarise_routing

__all__ = ["Evaluation", "evaluate", "wilson_interval"]

log = logging.getLogger("teaming")

DEFAULT_CAPACITIES = tuple(np.round(np.linspace(0.0, 1.0, 11), 2))


@dataclass
class Evaluation:
    """Figures of one held-out evaluation.

    Attributes
    ----------
    n_cases : int
    method : str
        The team's method.
    capacity, audit : float
    figures : dict
        Everything of :meth:`to_dict` (team, ai, oracle, current practice, persons,
        methods, coverage, groups).
    coverage : pandas.DataFrame
        ``method``, ``capacity``, ``human_share``, ``accuracy`` per point of the curves.
    reliability : dict
        Reliability bins of the calibrated AI (see :func:`teaming.metrics.reliability_bins`).

    Parameters
    ----------
    n_cases, method, capacity, audit, figures, coverage, reliability
        As described under Attributes; built by :func:`evaluate`.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = Evaluation(10, "combine", 0.3, 0.0, {"persons": {}}, pd.DataFrame())
    >>> ev.to_dict()
    {'persons': {}}
    """

    n_cases: int
    method: str
    capacity: float
    audit: float
    figures: dict[str, Any]
    coverage: pd.DataFrame
    reliability: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """All figures as JSON-ready nested dicts (the ``teaming evaluate --json`` object).

        Returns
        -------
        dict
        """
        return _jsonable(self.figures)

    def summary(self) -> pd.DataFrame:
        """The headline table: accuracy with confidence interval per approach.

        Returns
        -------
        pandas.DataFrame
        """
        rows = []
        for key, label in [
            ("team", f"team ({self.method})"),
            ("baseline", "least confident to the best person"),
            ("ai", "AI alone"),
            ("current_practice", "current practice"),
            ("oracle", "oracle (anyone available right)"),
        ]:
            item = self.figures.get(key)
            if not item or item.get("accuracy") is None:
                continue
            lo, hi = item.get("accuracy_ci", [np.nan, np.nan])
            rows.append(
                {
                    "approach": label,
                    "accuracy": item["accuracy"],
                    "ci_low": lo,
                    "ci_high": hi,
                    "human_share": item.get("human_share", np.nan),
                    "n_cases": item.get("n_cases", self.n_cases),
                }
            )
        for person, item in self.figures["persons"].items():
            rows.append(
                {
                    "approach": f"person {person} alone",
                    "accuracy": item["accuracy"],
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "human_share": 1.0,
                    "n_cases": item["n_decided"],
                }
            )
        return pd.DataFrame(rows)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _route_task(task: tuple) -> list[dict[str, float]]:
    """Route precomputed outcomes for a list of (capacity, audit, resample seed); with
    baseline outcomes, route the baseline on the same resample too (a paired figure)."""
    outcomes, persons, person_capacity, jobs, baseline = task
    results = []
    n = outcomes.ai_correct.shape[0]
    for capacity, audit, seed in jobs:
        idx = np.arange(n) if seed is None else np.random.default_rng(seed).integers(0, n, n)
        caps = person_limits(person_capacity, persons, idx.size)
        sub = outcomes.take(idx)
        routing = route_outcomes(sub, capacity=capacity, person_caps=caps, audit=audit)
        figures = score_routing(sub, routing)
        result = {
            "accuracy": figures["accuracy"],
            "human_share": figures["human_share"],
            "error_cost": figures["error_cost"],
        }
        if baseline is not None:
            result["baseline_accuracy"] = _baseline_accuracy(baseline.take(idx), capacity)
        results.append(result)
    return results


def _baseline_outcomes(
    view: Any, y: np.ndarray, H: np.ndarray, person_accuracy: np.ndarray
) -> tuple[Outcomes, np.ndarray]:
    """The simple baseline's outcomes: every case's only option is the available person
    with the best overall (training) accuracy, worth more the less confident the AI is.

    Returns the outcomes and, per case, that person (``-1`` when nobody is available).
    """
    n, m = H.shape
    rank = np.nan_to_num(np.asarray(person_accuracy, dtype=np.float64), nan=-1.0)
    scored = np.where(view.available, rank[None, :], -np.inf)
    best = np.argmax(scored, axis=1) if m else np.zeros(n, dtype=np.int64)
    anyone = np.isfinite(scored).any(axis=1) if m else np.zeros(n, dtype=bool)
    gains = np.full((n, m), -np.inf)
    rows = np.flatnonzero(anyone)
    # least confident first; the small constant keeps a fully confident case deferrable
    gains[rows, best[rows]] = 1.0 + 1e-9 - view.ai_proba[rows].max(axis=1)
    ai_correct = view.cost * (view.ai_proba.argmax(axis=1) == y)
    person_correct = np.full((n, m), np.nan)
    known = rows[H[rows, best[rows]] >= 0]
    person_correct[known, best[known]] = view.cost[known] * (H[known, best[known]] == y[known])
    outcomes = Outcomes(gains, ai_correct, person_correct, view.cost, True)
    return outcomes, np.where(anyone, best, -1)


def _baseline_accuracy(baseline: Outcomes, capacity: float) -> float:
    routing = route_outcomes(baseline, capacity=capacity)
    return float(score_routing(baseline, routing)["accuracy"])


def _interval(samples: np.ndarray, confidence: float) -> list[float]:
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return [float("nan"), float("nan")]
    tail = (1.0 - confidence) / 2.0 * 100.0
    lo, hi = np.percentile(samples, [tail, 100.0 - tail])
    return [float(lo), float(hi)]


def evaluate(
    team: Any,
    data: TeamData,
    *,
    capacities: Any = DEFAULT_CAPACITIES,
    methods: Any = "all",
    n_bootstrap: int = N_BOOTSTRAP,
    confidence: float = 0.95,
    random_state: int = 0,
    n_jobs: int | None = None,
    cluster: Any = None,
) -> Evaluation:
    """Evaluate a fitted team on held-out cases with ground truth and recorded decisions.

    Parameters
    ----------
    team : HumanAITeam
        A fitted team.
    data : TeamData
        Held-out cases (from :func:`teaming.load_data`); persons are matched by id.
    capacities : sequence of float
        Points of the coverage curves.
    methods : "all" or list of str
        Methods compared (the fitted ones by default).
    n_bootstrap : int
        Bootstrap resamples for the confidence intervals (0: none).
    confidence : float
        Level of the intervals.
    random_state : int
        Seed of the resamples.
    n_jobs : int, optional
        Local parallel jobs.
    cluster : str or dask Client, optional
        Spread the routing loops over a Dask cluster (``"tcp://host:8786"``).

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from teaming import HumanAITeam, load_data, split_data
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=800)})
    >>> df["y"] = (df.a + rng.normal(size=800) > 0).astype(int)
    >>> df["anna"] = np.where(rng.random(800) < 0.85, df.y, 1 - df.y)
    >>> train, test = split_data(load_data(df, target="y", humans=["anna"]))
    >>> ev = evaluate(HumanAITeam().fit(train), test, n_bootstrap=20)
    >>> {"n_cases", "team", "ai", "oracle", "human_share", "persons"} <= set(ev.to_dict())
    True
    """
    if not isinstance(data, TeamData):
        raise DataError("evaluate needs a TeamData (teaming.load_data) with target and decisions")
    if (data.y < 0).any():
        raise DataError("evaluation needs the ground truth of every case")
    check_is_fitted(team)
    data = _align_classes(team, data)
    aligned = data.with_persons(team.persons_)
    view, H = team.case_view(aligned)
    y = aligned.y
    names = list(team.methods_) if methods == "all" else list(methods)
    unknown = [m for m in names if m not in team.methods_]
    if unknown:
        raise ValueError(f"methods {unknown} were not fitted; fitted: {list(team.methods_)}")
    outcomes = {name: method_outcomes(team.methods_[name], view, y, H) for name in names}
    chosen = team.method_
    if chosen not in outcomes:
        outcomes[chosen] = method_outcomes(team.methods_[chosen], view, y, H)
    caps = person_limits(team.person_capacity, team.persons_, aligned.n_cases)
    routed = route_cases(
        team.methods_[chosen],
        view,
        H,
        capacity=float(team.capacity),
        person_caps=caps,
        audit=float(team.audit),
        random_state=team.random_state,
    )
    figures = _base_figures(team, aligned, view, H, routed, outcomes[chosen])
    baseline, best = _baseline_outcomes(view, y, H, team.person_accuracy_)
    figures["baseline"] = _baseline_figures(team, baseline, best, figures["team"])
    figures["deployment"] = _deployment_figures(team, view, caps)
    report = team.selection_report_
    figures["selection"] = {
        key: report[key] for key in ("chosen", "reason", "reason_de", "choice") if key in report
    }
    seeds = np.random.SeedSequence(random_state).generate_state(max(n_bootstrap, 1))
    tasks, keys = _tasks(
        team, outcomes, capacities, chosen, seeds[:n_bootstrap], n_jobs, cluster, baseline
    )
    n_jobs_total = sum(len(k) for k in keys)
    log.info(
        "evaluate: %d routings (%d methods, %d capacities, %d bootstrap resamples)",
        n_jobs_total,
        len(outcomes),
        len(capacities),
        n_bootstrap,
    )
    results = parallel_map(_route_task, tasks, n_jobs=n_jobs, cluster=cluster)
    _collect(figures, keys, results, outcomes, confidence, chosen)
    ai_correct = (view.ai_proba.argmax(axis=1) == y).astype(float)
    _bootstrap_fixed(
        figures,
        ai_correct,
        aligned,
        seeds[:n_bootstrap],
        confidence,
        team.data_summary_["class_counts"],
    )
    coverage = pd.DataFrame(
        figures.pop("_coverage_rows"),
        columns=["method", "capacity", "accuracy", "human_share", "error_cost"],
    )
    figures["coverage"] = coverage[coverage.method == chosen][
        ["capacity", "human_share", "accuracy"]
    ].to_dict("records")
    if data.groups is not None:
        figures["groups"] = _group_figures(aligned, routed, y, view.ai_proba.argmax(axis=1))
    return Evaluation(
        n_cases=aligned.n_cases,
        method=chosen,
        capacity=float(team.capacity),
        audit=float(team.audit),
        figures=figures,
        coverage=coverage,
        reliability=reliability_bins(view.ai_proba, y),
    )


def _align_classes(team: Any, data: TeamData) -> TeamData:
    """Re-express the data's class indices in the team's classes."""
    team_keys = [str(c) for c in team.classes_]
    data_keys = [str(c) for c in data.classes_]
    if team_keys == data_keys:
        return data
    unknown = sorted(set(data_keys) - set(team_keys))
    if unknown:
        raise DataError(
            f"the held-out cases have classes {unknown} the team was not trained on "
            f"(team classes: {team_keys})"
        )
    mapping = np.array([team_keys.index(k) for k in data_keys] + [-1])
    from dataclasses import replace

    return replace(
        data,
        y=mapping[data.y],
        H=np.where(data.H >= 0, mapping[data.H], -1),
        classes_=np.asarray(team.classes_),
    )


def _base_figures(
    team: Any, data: TeamData, view: Any, H: np.ndarray, routed: Any, chosen: Outcomes
) -> dict[str, Any]:
    y = data.y
    n = data.n_cases
    decided = H >= 0
    right = decided & (y[:, None] == H)
    team_figures = score_routing(chosen, routed.routing)
    workload = routed.routing.workload(len(team.persons_))
    handler = routed.routing.handler
    persons: dict[str, Any] = {}
    for j, p in enumerate(team.persons_):
        mine = handler == j
        n_dec = int(decided[:, j].sum())
        persons[p] = {
            "accuracy": float(right[:, j].sum() / n_dec) if n_dec else None,
            "accuracy_ci": wilson_interval(int(right[:, j].sum()), n_dec),
            "n_decided": n_dec,
            "workload": float(workload[j] / n) if n else 0.0,
            "n_routed": int(workload[j]),
            "accuracy_routed": float((H[mine, j] == y[mine]).mean()) if mine.any() else None,
            "role": team.roles_.get(p, "person"),
        }
    any_decided = decided.any(axis=1)
    practice_right = _practice_right(H, y)
    # "the AI" is the team's calibrated model (a learned method may bring its own classifier)
    ai_decision = view.ai_proba.argmax(axis=1)
    oracle = (ai_decision == y) | right.any(axis=1)
    weight = view.cost
    raw = team.ai_.raw_proba(view.Z) if not team.ai_.use_scores else None
    base_class = int(np.argmax(team.data_summary_["class_counts"]))
    figures: dict[str, Any] = {
        "n_cases": n,
        "method": team.method_,
        "capacity": float(team.capacity),
        "audit": float(team.audit),
        "human_share": team_figures["human_share"],
        "team": {
            "accuracy": team_figures["accuracy"],
            "error_cost": team_figures["error_cost"],
            "human_share": team_figures["human_share"],
            "n_deferred": int((routed.routing.assign >= 0).sum()),
            "n_audited": int(routed.routing.audit.sum()),
            "audit_shortfall": int(routed.routing.audit_shortfall),
            "n_second_look": int(routed.flag_second_look.sum()),
        },
        "ai": {
            "accuracy": float((ai_decision == y).mean()),
            "error_cost": float((weight * (ai_decision != y)).mean()),
            "ece": expected_calibration_error(view.ai_proba, y),
            "ece_uncalibrated": None if raw is None else expected_calibration_error(raw, y),
            "calibration": team.ai_.calibration_,
        },
        "oracle": {"accuracy": float(oracle.mean())},
        "current_practice": {
            "accuracy": float(practice_right[any_decided].mean()) if any_decided.any() else None,
            "n_cases": int(any_decided.sum()),
            "n_ties": int(_ties(H).sum()),
        },
        "base_rate": {
            "accuracy": float((y == base_class).mean()) if n else None,
            "class": str(team.classes_[base_class]),
        },
        "features": {
            "used": dict(team.feature_types_),
            "leaks": [dict(leak) for leak in getattr(team, "leaks_", [])],
        },
        "persons": persons,
        "cost": data.cost is not None,
    }
    return figures


def _deployment_figures(team: Any, view: Any, caps: Any) -> dict[str, Any]:
    """The held-out cases routed as new ones (everybody available): who would get them."""
    from dataclasses import replace

    if not team.persons_:
        return {}
    everyone = replace(view, available=np.ones_like(view.available))
    routed = route_cases(
        team.methods_[team.method_],
        everyone,
        None,
        capacity=float(team.capacity),
        person_caps=caps,
        audit=float(team.audit),
        random_state=team.random_state,
    )
    names = np.array(["ai", *team.persons_], dtype=object)
    return summarise_routing(
        names[routed.routing.handler + 1],
        routed.routing.audit,
        team.persons_,
        capacity=float(team.capacity),
        person_capacity=team.person_capacity,
    )


def _baseline_figures(
    team: Any, baseline: Outcomes, best: np.ndarray, team_figures: dict[str, Any]
) -> dict[str, Any]:
    """The simple baseline at the team's capacity, and the team's paired difference."""
    routing = route_outcomes(baseline, capacity=float(team.capacity))
    figures = score_routing(baseline, routing)
    deferred = routing.assign >= 0
    chosen = np.bincount(routing.assign[deferred], minlength=len(team.persons_))
    return {
        "accuracy": figures["accuracy"],
        "error_cost": figures["error_cost"],
        "human_share": figures["human_share"],
        "n_deferred": int(deferred.sum()),
        "persons": {p: int(c) for p, c in zip(team.persons_, chosen) if c},
        "difference": team_figures["accuracy"] - figures["accuracy"],
        "description": (
            "the calibrated AI, its least confident cases up to the capacity deferred to the "
            "available person with the best overall training accuracy"
        ),
    }


def _votes(H: np.ndarray, n_classes: int = 1) -> np.ndarray:
    """Recorded decisions per case and class, (n_cases, at least n_classes)."""
    n = H.shape[0]
    K = max(int(H.max(initial=-1)) + 1, n_classes, 1)
    votes = np.zeros((n, K), dtype=np.int64)
    for j in range(H.shape[1]):
        d = H[:, j] >= 0
        np.add.at(votes, (np.flatnonzero(d), H[d, j]), 1)
    return votes


def _practice_right(H: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per case, the chance that the majority of its recorded decisions is right: 1 or 0,
    1/k when k classes tie for the majority and the truth is one of them (a fair draw, so
    no label's spelling decides); 0 for cases nobody decided.

    Examples
    --------
    >>> H = np.array([[0, 0, 1], [0, 1, -1], [1, 0, -1], [-1, -1, -1]])
    >>> _practice_right(H, np.array([0, 1, 1, 0])).tolist()
    [1.0, 0.5, 0.5, 0.0]
    """
    votes = _votes(H, int(y.max(initial=-1)) + 1)
    top = votes.max(axis=1)
    k = np.maximum((votes == top[:, None]).sum(axis=1), 1)
    y_votes = votes[np.arange(len(y)), np.maximum(y, 0)]
    return np.where((top > 0) & (y_votes == top), 1.0 / k, 0.0)


def _ties(H: np.ndarray) -> np.ndarray:
    """Cases where two or more classes tie for the majority of the recorded decisions."""
    votes = _votes(H)
    top = votes.max(axis=1)
    return (top > 0) & ((votes == top[:, None]).sum(axis=1) > 1)


def wilson_interval(right: int, n: int, confidence: float = 0.95) -> list[float | None]:
    """Wilson score interval of an accuracy of ``right`` out of ``n``.

    Parameters
    ----------
    right, n : int
    confidence : float

    Returns
    -------
    list
        ``[low, high]``, or ``[None, None]`` when ``n`` is 0.

    Examples
    --------
    >>> [round(v, 3) for v in wilson_interval(10, 11)]
    [0.623, 0.984]
    """
    if n <= 0:
        return [None, None]
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [float(max(0.0, centre - half)), float(min(1.0, centre + half))]


def _tasks(
    team: Any,
    outcomes: dict[str, Outcomes],
    capacities: Any,
    chosen: str,
    seeds: np.ndarray,
    n_jobs: int | None,
    cluster: Any,
    baseline: Outcomes | None = None,
) -> tuple[list, list]:
    """Tasks of (method x capacity) curves and the team's bootstrap (paired with the
    baseline's), grouped by method."""
    tasks: list[tuple] = []
    keys: list[list] = []
    for name, out in outcomes.items():
        jobs: list[tuple[float, float, int | None]] = [(float(c), 0.0, None) for c in capacities]
        jobs.append((float(team.capacity), float(team.audit), None))
        job_keys = [("curve", name, float(c)) for c in capacities] + [("point", name, None)]
        tasks.append((out, team.persons_, team.person_capacity, jobs, None))
        keys.append(job_keys)
    if len(seeds):
        n_chunks = max(1, min(len(seeds), 4 * (n_jobs or 1) if cluster is None else 32))
        for chunk in np.array_split(np.asarray(seeds), n_chunks):
            jobs = [(float(team.capacity), float(team.audit), int(s)) for s in chunk]
            tasks.append((outcomes[chosen], team.persons_, team.person_capacity, jobs, baseline))
            keys.append([("boot", chosen, None)] * len(jobs))
    return tasks, keys


def _collect(
    figures: dict[str, Any],
    keys: list,
    results: list,
    outcomes: dict[str, Outcomes],
    confidence: float,
    chosen: str,
) -> None:
    rows, boot, boot_baseline, methods = [], [], [], {}
    for job_keys, job_results in zip(keys, results):
        for (kind, name, capacity), result in zip(job_keys, job_results):
            if kind == "curve":
                rows.append({"method": name, "capacity": capacity, **result})
            elif kind == "point":
                methods[name] = result
            else:
                boot.append(result["accuracy"])
                boot_baseline.append(result.get("baseline_accuracy", np.nan))
    figures["_coverage_rows"] = rows
    figures["methods"] = {
        name: {
            **methods[name],
            "curve": [
                {
                    "capacity": r["capacity"],
                    "human_share": r["human_share"],
                    "accuracy": r["accuracy"],
                }
                for r in rows
                if r["method"] == name
            ],
        }
        for name in outcomes
    }
    if boot:
        figures["team"]["accuracy_ci"] = _interval(np.asarray(boot), confidence)
        if "baseline" in figures:
            base = np.asarray(boot_baseline)
            figures["baseline"]["accuracy_ci"] = _interval(base, confidence)
            figures["baseline"]["difference_ci"] = _interval(np.asarray(boot) - base, confidence)


def _bootstrap_fixed(
    figures: dict[str, Any],
    ai_correct: np.ndarray,
    data: TeamData,
    seeds: np.ndarray,
    confidence: float,
    base_counts: Any,
) -> None:
    """Intervals for figures that need no re-routing (AI, oracle, current practice, base
    rate)."""
    if not len(seeds):
        return
    y, H = data.y, data.H
    n = len(y)
    right = (H >= 0) & (y[:, None] == H)
    oracle = ((ai_correct > 0) | right.any(axis=1)).astype(float)
    covered = np.asarray((H >= 0).any(axis=1))
    practice_right = np.where(covered, _practice_right(H, y), np.nan)
    base_right = (y == int(np.argmax(base_counts))).astype(float)
    samples: dict[str, list[float]] = {
        "ai": [],
        "oracle": [],
        "current_practice": [],
        "base_rate": [],
    }
    for s in seeds:
        idx = np.random.default_rng(int(s)).integers(0, n, n)
        samples["ai"].append(float(ai_correct[idx].mean()))
        samples["oracle"].append(float(oracle[idx].mean()))
        samples["base_rate"].append(float(base_right[idx].mean()))
        samples["current_practice"].append(
            float(np.nanmean(practice_right[idx])) if covered[idx].any() else np.nan
        )
    for key, values in samples.items():
        if figures.get(key) and figures[key].get("accuracy") is not None:
            figures[key]["accuracy_ci"] = _interval(np.asarray(values), confidence)


def _group_figures(
    data: TeamData, routed: Any, y: np.ndarray, ai_decision: np.ndarray
) -> dict[str, Any]:
    from fairlearn.metrics import MetricFrame

    team_right = (routed.team_decision == y).astype(float)
    ai_right = (ai_decision == y).astype(float)
    handled = (routed.routing.handler >= 0).astype(float)
    out: dict[str, Any] = {}
    assert data.groups is not None
    for col in data.groups.columns:
        groups = data.groups[col].astype(str).to_numpy()
        frame = MetricFrame(
            metrics={
                "accuracy": lambda t, p: float(np.mean(t)),
                "deferral_rate": lambda t, p: float(np.mean(p)),
                "n": lambda t, p: len(t),
            },
            y_true=team_right,
            y_pred=handled,
            sensitive_features=pd.Series(groups, name=str(col)),
        )
        ai_frame = MetricFrame(
            metrics=lambda t, p: float(np.mean(t)),
            y_true=ai_right,
            y_pred=ai_right,
            sensitive_features=pd.Series(groups, name=str(col)),
        )
        by_group = frame.by_group
        out[str(col)] = {
            str(g): {
                "accuracy": float(by_group.loc[g, "accuracy"]),
                "deferral_rate": float(by_group.loc[g, "deferral_rate"]),
                "ai_accuracy": float(ai_frame.by_group.loc[g]),
                "n": int(by_group.loc[g, "n"]),
            }
            for g in by_group.index
        }
        out[str(col)]["_difference"] = {
            "accuracy": float(frame.difference()["accuracy"]),
            "deferral_rate": float(frame.difference()["deferral_rate"]),
        }
    return out
