"""Capacity arithmetic: per-person limits, the deferral budget that leaves room for audits.

Capacity is an upper bound on what people take together, audits included; a person's own
limit is a share of the batch or a count of cases (:func:`person_limits`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["audit_count", "caps_array", "deferral_budget", "person_limits", "split_reserve"]


def caps_array(person_caps: Any, n: int, m: int) -> np.ndarray | None:
    """Per-person limits as an int array (at most ``n`` each), checked; None stays None.

    Parameters
    ----------
    person_caps : array-like of int or None
        One limit per person.
    n, m : int
        Cases in the batch, persons.

    Returns
    -------
    numpy.ndarray of int or None

    Examples
    --------
    >>> caps_array([3, 20], n=10, m=2).tolist()
    [3, 10]
    """
    if person_caps is None:
        return None
    caps = np.asarray(person_caps, dtype=np.int64).reshape(-1)
    if caps.shape != (m,):
        raise ValueError(f"person_caps needs one limit per person ({m}), got {caps.shape[0]}")
    if (caps < 0).any():
        raise ValueError("person_caps must not be negative")
    return np.minimum(caps, n)


def person_limits(person_capacity: Any, persons: list[str], n_cases: int) -> np.ndarray | None:
    """Per-person case limits for a batch of ``n_cases``.

    Parameters
    ----------
    person_capacity : None, float, int, or dict
        ``None``: no per-person limit. A float in ``[0, 1]``: the same share of the batch for
        every person. An int: the same count for every person. A dict ``{person: limit}``
        with a share (float) or count (int) per person; persons not named have no limit.
    persons : list of str
        The persons, in the order of the gains' columns.
    n_cases : int
        The batch size.

    Returns
    -------
    numpy.ndarray of int or None
        One limit per person, or ``None`` when nobody is limited.

    Examples
    --------
    >>> person_limits({"anna": 0.1, "ben": 3}, ["anna", "ben", "cem"], 100).tolist()
    [10, 3, 100]
    >>> person_limits(0.25, ["anna", "ben"], 10).tolist()
    [2, 2]
    """
    if person_capacity is None:
        return None
    if isinstance(person_capacity, dict):
        unknown = set(person_capacity) - set(persons)
        if unknown:
            raise ValueError(f"person_capacity names unknown persons: {sorted(unknown)}")
        limits = [_one_limit(person_capacity.get(p), n_cases) for p in persons]
    else:
        limits = [_one_limit(person_capacity, n_cases)] * len(persons)
    return np.asarray(limits, dtype=np.int64)


def _one_limit(limit: Any, n_cases: int) -> int:
    if limit is None:
        return n_cases
    if isinstance(limit, bool):
        raise ValueError("a person's capacity must be a share (float) or a count (int)")
    if isinstance(limit, int | np.integer):
        if limit < 0:
            raise ValueError(f"a person's capacity must not be negative, got {limit}")
        return min(int(limit), n_cases)
    share = float(limit)
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"a person's capacity share must lie in [0, 1], got {share}")
    return int(np.floor(share * n_cases + 1e-9))


def deferral_budget(n: int, total: int, audit: float) -> int:
    """Most deferrals ``d`` that leave room for the audit: ``d + round(audit * (n - d)) <= total``.

    Parameters
    ----------
    n : int
        Cases in the batch.
    total : int
        Cases people may take together.
    audit : float
        Share of AI-decided cases audited.

    Returns
    -------
    int

    Examples
    --------
    >>> deferral_budget(100, 30, 0.05)
    26
    """
    if audit <= 0:
        return total
    d = int(np.floor((total - audit * n) / (1.0 - audit))) if audit < 1 else 0
    d = max(0, min(d, total))
    while d > 0 and d + audit_count(n - d, audit) > total:
        d -= 1
    while d < total and d + 1 + audit_count(n - d - 1, audit) <= total:
        d += 1
    return d


def audit_count(n_ai: int, audit: float) -> int:
    """Audits drawn among ``n_ai`` AI-decided cases: ``audit * n_ai`` rounded half up.

    Examples
    --------
    >>> audit_count(90, 0.05)
    5
    """
    return int(np.floor(audit * n_ai + 0.5))


def split_reserve(reserve: int, caps: np.ndarray) -> np.ndarray:
    """Reserve ``reserve`` audit slots across persons, proportional to their limits.

    Examples
    --------
    >>> import numpy as np
    >>> split_reserve(3, np.array([10, 20])).tolist()
    [1, 2]
    """
    if reserve <= 0 or caps.sum() == 0:
        return np.zeros_like(caps)
    share = caps / caps.sum() * reserve
    out = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - out), kind="stable")
    out[order[: reserve - int(out.sum())]] += 1
    return np.minimum(out, caps)
