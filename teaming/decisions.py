"""The team's decisions: route cases with a method, then who answered what.

One code path for :meth:`teaming.HumanAITeam.route` (batch and streaming) and
:func:`teaming.evaluate`: the method's gains go to the router, and the team's decision on
each case is the AI's, or on a deferred case the method's answer from the person's (pending
while the person has not answered). Audited cases keep the AI's decision; a handling person
who disagrees with the AI flags the case for a second look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .methods import CaseView, Method
from .router import Routing, route_batch

__all__ = ["RoutedCases", "prioritise", "route_cases", "team_decisions"]


@dataclass
class RoutedCases:
    """Per case: who handles it, the AI's and the team's decisions.

    Attributes
    ----------
    routing : Routing
        The batch routing (deferrals and audits).
    ai_proba : numpy.ndarray of shape (n_cases, n_classes)
    ai_decision : numpy.ndarray of int
    answer : numpy.ndarray of int
        The handling person's recorded answer, ``-1`` if none is known.
    team_decision : numpy.ndarray of int
        The team's decision, ``-1`` while a deferred case's person has not answered.
    flag_second_look : numpy.ndarray of bool
        A person handled the case and disagrees with the AI.
    v_ai, v_person : numpy.ndarray
        The method's expected correctness of the AI and of each person.

    Parameters
    ----------
    routing, ai_proba, ai_decision, answer, team_decision, flag_second_look, v_ai, v_person
        As described under Attributes; built by :func:`route_cases`.

    Examples
    --------
    See :func:`route_cases`.
    """

    routing: Routing
    ai_proba: np.ndarray
    ai_decision: np.ndarray
    answer: np.ndarray
    team_decision: np.ndarray
    flag_second_look: np.ndarray
    v_ai: np.ndarray
    v_person: np.ndarray


def route_cases(
    method: Method,
    view: CaseView,
    H: np.ndarray | None,
    *,
    capacity: float,
    person_caps: Any,
    audit: float,
    random_state: Any = 0,
    priority: np.ndarray | None = None,
) -> RoutedCases:
    """Route ``view``'s cases with ``method`` as one batch and form the team's decisions.

    Parameters
    ----------
    method : Method
        A fitted method.
    view : CaseView
        The cases.
    H : numpy.ndarray of int of shape (n_cases, n_persons) or None
        Known person answers (``-1`` where unknown).
    capacity, person_caps, audit, random_state
        As in :func:`teaming.router.route_batch`.
    priority : numpy.ndarray of bool, optional
        Cases that go to an available person before any other (within capacity), each to
        the one the method rates best: cases unlike the training data
        (:func:`prioritise`).

    Returns
    -------
    RoutedCases

    Examples
    --------
    >>> import numpy as np
    >>> from teaming.methods import make_method
    >>> view = CaseView(np.zeros((3, 1)), np.array([[0.9, 0.1], [0.55, 0.45], [0.6, 0.4]]),
    ...                 np.full((3, 1), 0.95), np.array([[[0.95, 0.05], [0.05, 0.95]]]),
    ...                 np.ones((3, 1), bool), np.ones(3), np.array([0.95]))
    >>> out = route_cases(make_method("compare_confidence"), view, np.array([[0], [1], [0]]),
    ...                   capacity=0.34, person_caps=None, audit=0.0)
    >>> out.routing.assign.tolist(), out.team_decision.tolist()
    ([-1, 0, -1], [0, 1, 0])
    """
    v_ai, v_person = method.values(view)
    gains = method.gains_from(view, v_ai, v_person)
    if priority is not None:
        gains = prioritise(gains, v_person, priority)
    if not method.respects_capacity:
        capacity, person_caps, audit = 1.0, None, 0.0
    routing = route_batch(
        gains,
        capacity=capacity,
        person_caps=person_caps,
        audit=audit,
        random_state=random_state,
    )
    ai_proba = method.ai_proba(view)
    answer, team, flag = team_decisions(
        method, view, ai_proba, routing.assign, routing.audit_person, H
    )
    return RoutedCases(
        routing, ai_proba, ai_proba.argmax(axis=1), answer, team, flag, v_ai, v_person
    )


def prioritise(
    gains: np.ndarray, v_person: np.ndarray, priority: np.ndarray, bonus: float | None = None
) -> np.ndarray:
    """Gains with the ``priority`` cases ahead of all others, for their best-rated person.

    Parameters
    ----------
    gains : numpy.ndarray of shape (n_cases, n_persons)
        The method's gains (``-inf`` where a person is not available).
    v_person : numpy.ndarray of shape (n_cases, n_persons)
        The method's expected correctness of each person.
    priority : numpy.ndarray of bool
        The cases to put first.
    bonus : float, optional
        What is added to their gains (default: more than any gain of the batch can differ).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> g = prioritise(np.array([[-0.2, 0.1], [0.3, -np.inf]]), np.array([[0.7, 0.6], [0.9, 0.1]]),
    ...                np.array([True, False]))
    >>> bool(g[0, 0] > g[1, 0] and g[0, 0] > g[0, 1]), g[1].tolist()
    (True, [0.3, -inf])
    """
    priority = np.asarray(priority, dtype=bool)
    if not priority.any():
        return gains
    finite = np.isfinite(gains)
    if bonus is None:
        bonus = 1.0 + 4.0 * float(np.abs(gains[finite]).max(initial=0.0))
    out = np.array(gains, dtype=np.float64, copy=True)
    # the person the method rates best comes first; the gains keep their order otherwise
    out[priority] = np.where(finite[priority], bonus + v_person[priority], -np.inf)
    return out


def team_decisions(
    method: Method,
    view: CaseView,
    ai_proba: np.ndarray,
    assign: np.ndarray,
    audit_person: np.ndarray,
    H: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Known answers, the team's decisions and second-look flags of routed cases.

    Parameters
    ----------
    method : Method
        The fitted method (its :meth:`~teaming.methods.Method.decide`).
    view : CaseView
        The cases.
    ai_proba : numpy.ndarray of shape (n_cases, n_classes)
        The method's AI probabilities.
    assign, audit_person : numpy.ndarray of int
        Person per deferred and per audited case (``-1`` otherwise).
    H : numpy.ndarray of int of shape (n_cases, n_persons) or None
        Known person answers (``-1`` where unknown).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        The handling person's answer (``-1`` if unknown), the team's decision (``-1`` while
        a deferred case's person has not answered) and the second-look flags.

    Examples
    --------
    >>> import numpy as np
    >>> from teaming.methods import make_method
    >>> view = CaseView(np.zeros((2, 1)), np.array([[0.9, 0.1], [0.4, 0.6]]),
    ...                 np.full((2, 1), 0.9), np.ones((1, 2, 2)) / 2, np.ones((2, 1), bool),
    ...                 np.ones(2), np.array([0.9]))
    >>> answer, team, flag = team_decisions(make_method("compare_confidence"), view,
    ...     view.ai_proba, np.array([-1, 0]), np.array([0, -1]), np.array([[1], [-1]]))
    >>> answer.tolist(), team.tolist(), flag.tolist()
    ([1, -1], [0, -1], [True, False])
    """
    ai_decision = np.argmax(ai_proba, axis=1)
    n = ai_decision.shape[0]
    handler = np.where(assign >= 0, assign, audit_person)
    handled = handler >= 0
    answer = np.full(n, -1, dtype=np.int64)
    if H is not None and H.shape[1]:
        answer[handled] = H[handled, handler[handled]]
    team = ai_decision.copy()
    deferred = assign >= 0
    team[deferred] = -1
    known = np.flatnonzero(deferred & (answer >= 0))
    if known.size:
        team[known] = method.decide(view.take(known), assign[known], answer[known])
    flag = handled & (answer >= 0) & (answer != ai_decision)
    return answer, team, flag
