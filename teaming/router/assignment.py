"""The exact assignment of a batch of cases to persons within capacity.

:func:`assign_batch` solves the transportation problem of :mod:`teaming.router` exactly:
without a binding per-person limit it is a top-``C`` selection of each case's best positive
gain; when limits bind, a feasible start (deferred acceptance, or on large batches the
price rule of an exactly solved random sample) is finished by cycle cancelling
(:mod:`teaming.router._flow`). :func:`dual_prices` turns an optimum into per-person prices
for streaming, and :func:`solve_lp` is the same problem as a linear programme (the
reference the tests compare with).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._flow import (
    GAIN_TOL,
    as_gains,
    build_graph,
    cancel_cycles_large,
    closure,
    options_by_rows,
    tolerance,
)
from .capacity import caps_array

__all__ = ["DIRECT_MAX_CASES", "assign_batch", "dual_prices", "solve_lp", "warm_start"]

# above this many cases, the feasible start comes from the prices of a solved random sample
# of this many cases (deferred acceptance on the whole batch would take too many rounds)
DIRECT_MAX_CASES = 50_000
# cases of the random sample whose exact prices give a large batch its start (a smaller
# sample is solved faster; cycle cancelling on the whole batch mends its prices' errors)
PRICE_SAMPLE_CASES = 10_000


def assign_batch(gains: Any, total: int, person_caps: Any = None) -> np.ndarray:
    """Exactly optimal assignment of a batch of cases to persons, within capacity.

    Parameters
    ----------
    gains : array-like of shape (n_cases, n_persons)
        Gain of giving case ``i`` to person ``j`` instead of the AI; ``-inf`` or NaN where
        person ``j`` is not available. Cases with no positive gain stay with the AI.
    total : int
        How many cases people may take together.
    person_caps : array-like of int of shape (n_persons,), optional
        How many cases each person may take. ``None``: no per-person limit.

    Returns
    -------
    numpy.ndarray of shape (n_cases,)
        The person index each case goes to, ``-1`` for the AI.

    Examples
    --------
    >>> import numpy as np
    >>> gains = np.array([[0.3, 0.1], [0.2, 0.4], [-0.1, 0.05], [0.25, -np.inf]])
    >>> assign_batch(gains, total=2).tolist()
    [0, 1, -1, -1]
    >>> assign_batch(gains, total=3, person_caps=[2, 0]).tolist()
    [0, -1, -1, 0]
    """
    G = as_gains(gains)
    n, m = G.shape
    total = int(max(0, min(int(total), n)))
    caps = caps_array(person_caps, n, m)
    if n == 0 or m == 0 or total == 0:
        return np.full(n, -1, dtype=np.int64)
    best = np.argmax(G, axis=1)
    best_gain = G[np.arange(n), best]
    candidates = np.flatnonzero(best_gain > GAIN_TOL)
    if candidates.size > total:
        top = np.argpartition(-best_gain[candidates], total - 1)[:total]
        candidates = candidates[top]
    assign = np.full(n, -1, dtype=np.int64)
    assign[candidates] = best[candidates]
    if caps is None:
        return assign
    counts = np.bincount(assign[assign >= 0], minlength=m)
    if (counts <= caps).all():
        # the optimum of the problem without per-person limits respects them: optimal
        return assign
    if n > DIRECT_MAX_CASES:
        assign = _assign_from_sample_prices(G, total, caps)
    else:
        assign = _proposals(G, total, caps)
    return cancel_cycles_large(assign, G, total, caps)


def warm_start(start: np.ndarray, G: np.ndarray, total: int, caps: np.ndarray) -> np.ndarray:
    """Re-solve after a small change of limits, starting from the previous optimum.

    Parameters
    ----------
    start : numpy.ndarray of int
        An assignment (person index per case, ``-1`` for the AI), e.g. the optimum under
        slightly different limits.
    G : numpy.ndarray of shape (n_cases, n_persons)
        Gains as in :func:`assign_batch` (``-inf`` where unavailable).
    total : int
        Cases people may take together.
    caps : numpy.ndarray of int
        The new per-person limits.

    Returns
    -------
    numpy.ndarray of int
        The optimum under the new limits.

    Examples
    --------
    >>> import numpy as np
    >>> G = np.array([[0.3, 0.1], [0.2, 0.4], [0.25, 0.2]])
    >>> start = assign_batch(G, 3, np.array([2, 1]))
    >>> warm_start(start, G, 3, np.array([1, 1])).tolist()
    [0, 1, -1]
    """
    assign = start.copy()
    _trim_to_caps(assign, G, caps)
    deferred = np.flatnonzero(assign >= 0)
    if deferred.size > total:
        excess = deferred.size - total
        gain = G[deferred, assign[deferred]]
        assign[deferred[np.argpartition(gain, excess - 1)[:excess]]] = -1
    return cancel_cycles_large(assign, G, total, caps)


def _proposals(G: np.ndarray, total: int, caps: np.ndarray) -> np.ndarray:
    """A good feasible start: cases propose to their best person, persons keep their best.

    Deferred acceptance with capacities: in each round every unplaced case proposes to its
    best remaining person; each person keeps the proposals (and earlier holds) with the
    highest gain up to their limit and rejects the rest, who cross that person off. Then the
    lowest gains beyond the total capacity go back to the AI.
    """
    n, m = G.shape
    options = np.where(G > GAIN_TOL, G, -np.inf)
    assign = np.full(n, -1, dtype=np.int64)
    free = np.flatnonzero(np.isfinite(options).any(axis=1))
    while free.size:
        choice = np.argmax(options[free], axis=1)
        alive = np.isfinite(options[free, choice])
        free, choice = free[alive], choice[alive]
        if not free.size:
            break
        assign[free] = choice
        rejected = []
        for j in np.unique(choice):
            holders = np.flatnonzero(assign == j)
            excess = holders.size - int(caps[j])
            if excess > 0:
                drop = holders[np.argpartition(G[holders, j], excess - 1)[:excess]]
                assign[drop] = -1
                options[drop, j] = -np.inf
                rejected.append(drop)
        free = np.concatenate(rejected) if rejected else np.zeros(0, dtype=np.int64)
    deferred = np.flatnonzero(assign >= 0)
    if deferred.size > total:
        excess = deferred.size - total
        gain = G[deferred, assign[deferred]]
        assign[deferred[np.argpartition(gain, excess - 1)[:excess]]] = -1
    return assign


def _assign_from_sample_prices(G: np.ndarray, total: int, caps: np.ndarray) -> np.ndarray:
    """A good feasible start for a large batch: the price rule of a solved random sample.

    The dual prices of an exactly solved random sample approximate those of the whole
    batch, so their rule (each case to its best ``gain - price`` if positive) misplaces
    mostly cases close to a tie; persons over their limit hand their lowest gains back to
    the AI. :func:`cancel_cycles_large` then finishes and certifies the optimum.
    """
    n, m = G.shape
    rng = np.random.default_rng(0)
    size = min(PRICE_SAMPLE_CASES, DIRECT_MAX_CASES)  # the sample is solved directly
    sample = np.sort(rng.choice(n, size=size, replace=False))
    scale = size / n
    s_total = int(np.floor(total * scale))
    s_caps = np.floor(caps * scale).astype(np.int64)
    s_assign = assign_batch(G[sample], s_total, s_caps)
    prices = dual_prices(G[sample], s_assign, s_total, s_caps)
    reduced = G - prices[None, :]
    best = np.argmax(reduced, axis=1)
    best_reduced = reduced[np.arange(n), best]
    assign = np.where(best_reduced > GAIN_TOL, best, -1)
    _trim_to_caps(assign, G, caps)
    deferred = np.flatnonzero(assign >= 0)
    if deferred.size > total:
        excess = deferred.size - total
        drop = np.argpartition(best_reduced[deferred], excess - 1)[:excess]
        assign[deferred[drop]] = -1
    return assign


def _trim_to_caps(assign: np.ndarray, G: np.ndarray, caps: np.ndarray) -> None:
    """Hand each over-full person's lowest-gain cases back to the AI (in place)."""
    for j in range(G.shape[1]):
        members = np.flatnonzero(assign == j)
        excess = members.size - int(caps[j])
        if excess > 0:
            drop = np.argpartition(G[members, j], excess - 1)[:excess]
            assign[members[drop]] = -1


def dual_prices(gains: Any, assign: Any, total: int, person_caps: Any = None) -> np.ndarray:
    """Per-person prices that make an optimal batch assignment a simple rule.

    For an optimal ``assign``, every case goes to ``argmax_j (gain_ij - price_j)`` when that
    is positive and to the AI otherwise (up to ties). :class:`OnlineRouter` uses these prices
    for streaming cases.

    Parameters
    ----------
    gains : array-like of shape (n_cases, n_persons)
        As in :func:`assign_batch`.
    assign : array-like of shape (n_cases,)
        An optimal assignment from :func:`assign_batch`.
    total : int
        The total capacity used for ``assign``.
    person_caps : array-like of int, optional
        The per-person limits used for ``assign``.

    Returns
    -------
    numpy.ndarray of shape (n_persons,)
        Non-negative price per person.

    Examples
    --------
    >>> import numpy as np
    >>> gains = np.array([[0.3], [0.2], [0.1]])
    >>> a = assign_batch(gains, total=2)
    >>> p = dual_prices(gains, a, total=2)
    >>> bool(0.1 <= p[0] <= 0.2)
    True
    """
    G = as_gains(gains)
    n, m = G.shape
    caps = caps_array(person_caps, n, m)
    caps = np.full(m, n, dtype=np.int64) if caps is None else caps
    opt = np.asarray(assign, dtype=np.int64) + 1
    W = build_graph(opt, options_by_rows(G), int(total), caps).weights
    tol = tolerance(G)
    D, _, cyc = closure(W, tol)
    if cyc is not None:
        raise ValueError("the assignment is not optimal for these gains and capacities")
    # longest-path potentials: pi_k >= pi_j + W[j, k] for every residual edge
    potential = np.maximum(0.0, np.max(np.where(np.isfinite(D), D, -np.inf), axis=0))
    prices = potential[1 : m + 1] - potential[0]
    return np.maximum(prices, 0.0)


def solve_lp(gains: Any, total: int, person_caps: Any = None) -> tuple[np.ndarray, float]:
    """Reference solver: the same problem as a linear programme (scipy HiGHS).

    Slow on large batches (seconds at 10,000 cases); used to check :func:`assign_batch`
    and as a fallback.

    Parameters
    ----------
    gains, total, person_caps
        As in :func:`assign_batch`.

    Returns
    -------
    assign : numpy.ndarray of shape (n_cases,)
        Person index per case, ``-1`` for the AI.
    value : float
        The optimal objective ``sum_ij gain_ij x_ij``.

    Examples
    --------
    >>> import numpy as np
    >>> assign, value = solve_lp(np.array([[0.3, 0.1], [0.2, 0.4]]), total=1)
    >>> assign.tolist(), round(value, 6)
    ([-1, 1], 0.4)
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    G = as_gains(gains)
    n, m = G.shape
    caps = caps_array(person_caps, n, m)
    rows, cols = np.nonzero(np.isfinite(G) & (G > 0))
    n_var = rows.size
    assign = np.full(n, -1, dtype=np.int64)
    if n_var == 0 or total <= 0:
        return assign, 0.0
    var = np.arange(n_var)
    ones = np.ones(n_var)
    blocks = [coo_matrix((ones, (rows, var)), shape=(n, n_var))]
    bounds = [np.ones(n)]
    if caps is not None:
        blocks.append(coo_matrix((ones, (cols, var)), shape=(m, n_var)))
        bounds.append(caps.astype(float))
    blocks.append(coo_matrix((ones, (np.zeros(n_var, dtype=int), var)), shape=(1, n_var)))
    bounds.append(np.array([float(total)]))
    result = linprog(
        -G[rows, cols],
        A_ub=vstack(blocks).tocsr(),
        b_ub=np.concatenate(bounds),
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"linear programme failed: {result.message}")
    chosen = result.x > 0.5
    assign[rows[chosen]] = cols[chosen]
    return assign, float(-result.fun)
