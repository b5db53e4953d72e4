"""Routing a batch: the exact deferral within capacity, then the audit sample.

:func:`route_batch` defers the cases of the exact optimum (:func:`teaming.router.assign_batch`)
within the deferral budget that leaves room for the audit, reserving the persons' capacity
the audit needs when per-person limits bind, and then draws the audited cases uniformly
among the AI-decided ones. :class:`Routing` holds the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._flow import as_gains
from .assignment import assign_batch, warm_start
from .capacity import audit_count, caps_array, deferral_budget, split_reserve

__all__ = ["Routing", "route_batch"]

# rounds of re-solving with a larger audit reserve before the audit takes what is left
_RESERVE_ROUNDS = 4


@dataclass
class Routing:
    """Result of routing a batch.

    Attributes
    ----------
    assign : numpy.ndarray of int
        Person index per case for deferred cases, ``-1`` for the AI (audited cases included:
        they stay with the AI here, see ``audit_person``).
    audit_person : numpy.ndarray of int
        Person index for audited cases, ``-1`` otherwise.
    total : int
        Cases people could take together.
    person_caps : numpy.ndarray of int or None
        The per-person limits.
    audit_shortfall : int
        Audit cases that could not be placed (no available person with capacity left).

    Parameters
    ----------
    assign, audit_person, total, person_caps, audit_shortfall
        As described under Attributes; built by :func:`route_batch`.

    Examples
    --------
    >>> import numpy as np
    >>> r = Routing(np.array([0, -1, -1]), np.array([-1, 1, -1]), 2, None)
    >>> r.handler.tolist(), r.audit.tolist(), r.workload(2).tolist()
    ([0, 1, -1], [False, True, False], [1, 1])
    """

    assign: np.ndarray
    audit_person: np.ndarray
    total: int
    person_caps: np.ndarray | None
    audit_shortfall: int = 0

    @property
    def handler(self) -> np.ndarray:
        """Person index per case who handles it (deferred or audited), ``-1`` for none."""
        return np.where(self.assign >= 0, self.assign, self.audit_person)

    @property
    def audit(self) -> np.ndarray:
        """Boolean mask of audited cases."""
        return self.audit_person >= 0

    def workload(self, n_persons: int) -> np.ndarray:
        """Cases per person (deferred plus audited)."""
        h = self.handler
        return np.bincount(h[h >= 0], minlength=n_persons)


def route_batch(
    gains: Any,
    *,
    capacity: float,
    person_caps: Any = None,
    audit: float = 0.0,
    random_state: int | np.random.Generator | None = 0,
) -> Routing:
    """Route a batch: exact optimal deferral within capacity, then the audit sample.

    Parameters
    ----------
    gains : array-like of shape (n_cases, n_persons)
        As in :func:`assign_batch`; ``-inf``/NaN where a person is not available.
    capacity : float
        Share of the batch (0..1) people may take together, audits included.
    person_caps : array-like of int, optional
        Per-person limits (counts for this batch, audits included); see
        :func:`person_limits`.
    audit : float
        Share of the AI-decided cases that still goes to a person, drawn at random.
    random_state : int, Generator or None
        Seed for the audit draw.

    Returns
    -------
    Routing

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> gains = rng.normal(size=(100, 3))
    >>> r = route_batch(gains, capacity=0.3, person_caps=[10, 10, 10], audit=0.1)
    >>> int((r.handler >= 0).sum()) <= 30, bool(r.workload(3).max() <= 10)
    (True, True)
    """
    G = as_gains(gains)
    n, m = G.shape
    if not 0.0 <= capacity <= 1.0:
        raise ValueError(f"capacity must lie in [0, 1], got {capacity}")
    if not 0.0 <= audit < 1.0:
        raise ValueError(f"audit must lie in [0, 1), got {audit}")
    rng = np.random.default_rng(random_state)
    total = int(np.floor(capacity * n + 1e-9))
    caps = caps_array(person_caps, n, m)
    budget = deferral_budget(n, total, audit)
    reserve = np.zeros(m, dtype=np.int64)
    if caps is not None and audit > 0:
        # the audits of the usual case (the whole budget deferred) get their capacity first
        reserve = split_reserve(min(audit_count(n - budget, audit), total - budget), caps)
    assign = assign_batch(G, budget, None if caps is None else caps - reserve)
    if caps is not None and audit > 0:
        # audits need person capacity too: reserve it, re-solve until the reserve suffices
        for _ in range(_RESERVE_ROUNDS):
            n_def = int((assign >= 0).sum())
            need = min(audit_count(n - n_def, audit), total - n_def)
            if int(reserve.sum()) >= need:
                break
            reserve = split_reserve(need, caps)
            assign = warm_start(assign, G, budget, caps - reserve)
    n_def = int((assign >= 0).sum())
    n_audit = min(audit_count(n - n_def, audit), total - n_def)
    audit_person, shortfall = _draw_audit(G, assign, n_audit, caps, rng)
    return Routing(assign, audit_person, total, caps, shortfall)


def _draw_audit(
    G: np.ndarray,
    assign: np.ndarray,
    n_audit: int,
    caps: np.ndarray | None,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Draw audit cases uniformly among AI-decided cases someone can take, and place them.

    Each drawn case goes to an available person with capacity left, preferring the one with
    most left (ties at random); a case nobody can take any more is replaced by the next draw.
    """
    n, m = G.shape
    audit_person = np.full(n, -1, dtype=np.int64)
    if n_audit <= 0 or m == 0:
        return audit_person, max(0, n_audit)
    left = (
        np.full(m, n, dtype=np.int64)
        if caps is None
        else caps - np.bincount(assign[assign >= 0], minlength=m)
    )
    available = np.isfinite(G)
    order = rng.permutation(np.flatnonzero((assign < 0) & available.any(axis=1)))
    placed, position = 0, 0
    while placed < n_audit and position < order.size and (left > 0).any():
        take = order[position : position + n_audit - placed]
        position += take.size
        options = available[take] & (left > 0)[None, :]
        while take.size:
            score = np.where(options, left[None, :] + rng.random(options.shape), -np.inf)
            choice = np.argmax(score, axis=1)
            ok = np.isfinite(score[np.arange(take.size), choice])
            take, choice, options = take[ok], choice[ok], options[ok]
            accepted = np.zeros(take.size, dtype=bool)
            for j in np.unique(choice):
                wanting = np.flatnonzero(choice == j)[: max(0, int(left[j]))]
                accepted[wanting] = True
                left[j] -= wanting.size
            audit_person[take[accepted]] = choice[accepted]
            placed += int(accepted.sum())
            take, options = take[~accepted], options[~accepted] & (left > 0)[None, :]
    return audit_person, n_audit - placed
