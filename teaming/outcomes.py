"""A method's outcomes on held-out cases, precomputed once; routings scored cheaply.

Selection (:mod:`teaming.selection`) and evaluation (:mod:`teaming.evaluate`) route the same
cases many times (capacities, bootstrap resamples, folds): :func:`method_outcomes` computes
once what each possible routing of a case would score, :func:`route_outcomes` re-solves the
routing and :func:`score_routing` looks the figures up. :func:`learn_margin` learns, from
honest outcomes, how large a predicted gain must be before a case goes to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .methods import CaseView, Method
from .router import Routing, route_batch

__all__ = [
    "Outcomes",
    "learn_margin",
    "method_outcomes",
    "route_outcomes",
    "routed_correct",
    "score_routing",
    "stack_outcomes",
]


@dataclass
class Outcomes:
    """A method's per-case outcomes, precomputed once so routings can be re-solved cheaply.

    Attributes
    ----------
    gains : numpy.ndarray of shape (n_cases, n_persons)
    ai_correct : numpy.ndarray of float
        Cost-weighted correctness of the AI's decision (cost if right, 0 if wrong).
    person_correct : numpy.ndarray of shape (n_cases, n_persons)
        Cost-weighted correctness of the team's decision if the case goes to person ``j``
        (NaN where ``j`` did not answer).
    weight : numpy.ndarray
        The cases' costs (ones without costs).
    respects_capacity : bool
    difference : numpy.ndarray of shape (n_cases, n_persons), optional
        The method's predicted gain ``v_person - v_ai`` before margin and costs (``-inf``
        where unavailable), for learning the margin.

    Parameters
    ----------
    gains, ai_correct, person_correct, weight, respects_capacity, difference
        As described under Attributes; built by :func:`method_outcomes`.

    Examples
    --------
    See :func:`method_outcomes`.
    """

    gains: np.ndarray
    ai_correct: np.ndarray
    person_correct: np.ndarray
    weight: np.ndarray
    respects_capacity: bool
    difference: np.ndarray | None = None

    def take(self, index: np.ndarray) -> Outcomes:
        """The outcomes of the cases at ``index``."""
        diff = None if self.difference is None else self.difference[index]
        return replace(
            self,
            gains=self.gains[index],
            ai_correct=self.ai_correct[index],
            person_correct=self.person_correct[index],
            weight=self.weight[index],
            difference=diff,
        )


def method_outcomes(method: Method, view: CaseView, y: np.ndarray, H: np.ndarray) -> Outcomes:
    """Precompute a method's gains and the correctness of every possible routing of a case.

    Parameters
    ----------
    method : Method
        A fitted method.
    view : CaseView
        Held-out cases.
    y : numpy.ndarray of int
        True classes.
    H : numpy.ndarray of int
        Recorded answers.

    Returns
    -------
    Outcomes

    Examples
    --------
    >>> import numpy as np
    >>> from teaming.methods import make_method
    >>> view = CaseView(np.zeros((2, 1)), np.array([[0.9, 0.1], [0.4, 0.6]]),
    ...                 np.full((2, 1), 0.9), np.ones((1, 2, 2)) / 2, np.ones((2, 1), bool),
    ...                 np.ones(2), np.array([0.9]))
    >>> out = method_outcomes(make_method("compare_confidence"), view, np.array([0, 0]),
    ...                       np.array([[0], [0]]))
    >>> out.ai_correct.tolist(), out.person_correct.ravel().tolist()
    ([1.0, 0.0], [1.0, 1.0])
    """
    v_ai, v_person = method.values(view)
    gains = method.gains_from(view, v_ai, v_person)
    difference = np.where(view.available, v_person - v_ai[:, None], -np.inf)
    ai_decision = np.argmax(method.ai_proba(view), axis=1)
    ai_correct = view.cost * (ai_decision == y)
    person_correct = np.full(H.shape, np.nan)
    for j in range(H.shape[1]):
        known = np.flatnonzero(H[:, j] >= 0)
        if known.size:
            team = method.decide(view.take(known), np.full(known.size, j), H[known, j])
            person_correct[known, j] = view.cost[known] * (team == y[known])
    return Outcomes(
        gains, ai_correct, person_correct, view.cost, method.respects_capacity, difference
    )


def routed_correct(
    outcomes: Outcomes, routing: Routing, index: np.ndarray | None = None
) -> np.ndarray:
    """Per case, the cost-weighted correctness of the team's decision under ``routing``.

    Parameters
    ----------
    outcomes : Outcomes
        From :func:`method_outcomes`.
    routing : Routing
        A routing of the cases at ``index`` (all cases when None).
    index : numpy.ndarray of int, optional
        Positions of the routed cases within ``outcomes``.

    Returns
    -------
    numpy.ndarray of float
        NaN where a case went to a person whose answer is unknown.
    """
    idx = np.arange(outcomes.ai_correct.shape[0]) if index is None else index
    correct = outcomes.ai_correct[idx].copy()
    deferred = np.flatnonzero(routing.assign >= 0)
    correct[deferred] = outcomes.person_correct[idx[deferred], routing.assign[deferred]]
    return correct


def score_routing(outcomes: Outcomes, routing: Routing, index: np.ndarray | None = None) -> dict:
    """Team figures of one routing: accuracy (cost-weighted), human share, workload.

    Parameters
    ----------
    outcomes : Outcomes
        From :func:`method_outcomes`.
    routing : Routing
        A routing of the cases at ``index`` (all cases when None).
    index : numpy.ndarray of int, optional
        Positions of the routed cases within ``outcomes``.

    Returns
    -------
    dict
        ``accuracy`` (share of cost-weighted correct decisions), ``error_cost`` (mean cost
        of wrong decisions), ``human_share`` and ``workload`` (cases per person).
    """
    idx = np.arange(outcomes.ai_correct.shape[0]) if index is None else index
    correct = routed_correct(outcomes, routing, idx)
    weight = outcomes.weight[idx]
    m = outcomes.gains.shape[1]
    return {
        "accuracy": float(np.nansum(correct) / weight.sum()),
        "error_cost": float((weight.sum() - np.nansum(correct)) / len(idx)),
        "human_share": float((routing.handler >= 0).mean()),
        "workload": routing.workload(m),
    }


def learn_margin(outcomes: Outcomes, z: float = 2.5) -> float:
    """The margin a predicted gain must exceed before a case goes to a person.

    Each case with someone available is a candidate for its best person (the largest
    predicted gain ``d``); its realised gain is what the team's decision with that person
    scored minus what the AI's scored (cost-weighted, from honest outcomes). Deferring the
    candidates in the order of ``d`` down to a threshold collects the cumulative realised
    gain; the margin 0 (defer wherever the predicted gain is positive) moves only where
    another threshold collects more than ``z`` standard errors of the change, so a margin
    reflects what validation cases clearly say, not their noise (the best of many thresholds
    is compared, hence a strict ``z``: pure noise moves it in about one case in seven).
    Capacity is not involved:
    the router still takes at most its capacity among the cases above the margin.

    Parameters
    ----------
    outcomes : Outcomes
        Honest outcomes of a method, with ``difference``.
    z : float
        Standard errors a different margin must gain by.

    Returns
    -------
    float
        The margin (may be negative where persons do better than predicted).

    Examples
    --------
    >>> import numpy as np
    >>> d = np.array([[0.3], [0.2], [0.1], [0.05]])
    >>> # the two smallest predicted gains are losses in fact
    >>> out = Outcomes(d, np.ones(4), np.array([[2.0], [2.0], [0.0], [0.0]]), np.ones(4),
    ...                True, d)
    >>> 0.1 <= learn_margin(out, z=0.0) < 0.2
    True
    """
    d = outcomes.difference
    if d is None or d.size == 0:
        return 0.0
    best = np.argmax(d, axis=1)
    rows = np.arange(d.shape[0])
    gain = d[rows, best]
    realised = outcomes.person_correct[rows, best] - outcomes.ai_correct
    keep = np.isfinite(gain) & np.isfinite(realised)
    gain, realised = gain[keep], realised[keep]
    if gain.size == 0:
        return 0.0
    order = np.argsort(-gain, kind="stable")
    gain, realised = gain[order], realised[order]
    total = np.concatenate([[0.0], np.cumsum(realised)])
    squares = np.concatenate([[0.0], np.cumsum(realised**2)])
    k0 = int(np.count_nonzero(gain > 0))
    score = (total - total[k0]) - z * np.sqrt(np.abs(squares - squares[k0]))
    k = int(np.argmax(score)) if score.max() > 0 else k0
    if k == k0:
        return 0.0
    # deferring the first k candidates: a threshold between the k-th and the next gain
    above = gain[k - 1] if k > 0 else gain[0] + 1e-9
    below = gain[k] if k < gain.size else gain[-1] - 1e-9
    if k == 0:
        return float(above + max(1e-9, 1e-6 * abs(above)))
    return float((above + below) / 2.0)


def route_outcomes(
    outcomes: Outcomes,
    *,
    capacity: float,
    person_caps: Any = None,
    audit: float = 0.0,
    random_state: Any = 0,
) -> Routing:
    """Route precomputed outcomes as one batch (reference methods ignore capacity).

    Parameters
    ----------
    outcomes : Outcomes
        From :func:`method_outcomes`.
    capacity, person_caps, audit, random_state
        As in :func:`teaming.router.route_batch`.

    Returns
    -------
    Routing

    Examples
    --------
    >>> import numpy as np
    >>> out = Outcomes(np.array([[0.2], [-0.1]]), np.ones(2), np.ones((2, 1)), np.ones(2), True)
    >>> route_outcomes(out, capacity=0.5).assign.tolist()
    [0, -1]
    """
    if not outcomes.respects_capacity:
        return route_batch(outcomes.gains, capacity=1.0, random_state=random_state)
    return route_batch(
        outcomes.gains,
        capacity=capacity,
        person_caps=person_caps,
        audit=audit,
        random_state=random_state,
    )


def stack_outcomes(parts: list[tuple[np.ndarray, Outcomes]], n: int) -> Outcomes:
    """One :class:`Outcomes` of ``n`` cases from outcomes of disjoint parts.

    Parameters
    ----------
    parts : list of (numpy.ndarray, Outcomes)
        Positions of each part's cases, and its outcomes (all with ``difference``).
    n : int
        Cases in all.

    Returns
    -------
    Outcomes

    Examples
    --------
    >>> import numpy as np
    >>> part = Outcomes(np.zeros((1, 1)), np.ones(1), np.ones((1, 1)), np.ones(1), True,
    ...                 np.zeros((1, 1)))
    >>> stack_outcomes([(np.array([1]), part), (np.array([0]), part)], 2).gains.shape
    (2, 1)
    """
    first = parts[0][1]
    m = first.gains.shape[1]
    out = Outcomes(
        np.empty((n, m)),
        np.empty(n),
        np.empty((n, m)),
        np.empty(n),
        first.respects_capacity,
        np.empty((n, m)),
    )
    assert out.difference is not None
    for idx, part in parts:
        assert part.difference is not None
        out.gains[idx], out.ai_correct[idx] = part.gains, part.ai_correct
        out.person_correct[idx], out.weight[idx] = part.person_correct, part.weight
        out.difference[idx] = part.difference
    return out
