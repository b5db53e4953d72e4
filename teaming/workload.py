"""Who gets the cases: a routing's workload per person, and a warning when it piles up.

A router that trusts one person more than the others sends them the deferred cases of a
whole batch when nobody's own limit binds. That can be right for accuracy and still wrong
for the team: one person drowns, the others learn nothing, and the whole team depends on
one absence. :func:`summarise_routing` counts the cases per person and, when one person gets
more than :data:`CONCENTRATION_SHARE` of the deferred cases, says so and suggests a
per-person limit (``person_capacity``) that spreads them.

Examples
--------
>>> routed = ["anna"] * 24 + ["ben"] * 6 + ["ai"] * 70
>>> summary = summarise_routing(routed, [False] * 100, ["anna", "ben", "cem"], capacity=0.3)
>>> summary["busiest"], summary["busiest_share"], summary["suggested_person_limit"]
('anna', 0.8, 0.2)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["CONCENTRATION_SHARE", "MIN_DEFERRED_TO_JUDGE", "summarise_routing"]

# one person getting more than this share of the deferred cases is called a pile-up
CONCENTRATION_SHARE = 0.5
# below this many deferred cases a pile-up may be chance: no warning
MIN_DEFERRED_TO_JUDGE = 10


def summarise_routing(
    routed_to: Any,
    audit: Any,
    persons: list[str],
    *,
    capacity: float,
    person_capacity: Any = None,
    available: Any = None,
) -> dict[str, Any]:
    """Workload of a routing per person, the busiest person, and a per-person limit.

    Parameters
    ----------
    routed_to : sequence of str
        Per case ``"ai"`` or the person it went to (the ``routed_to`` column of
        :meth:`teaming.HumanAITeam.route`).
    audit : sequence of bool
        Per case whether it is an audit (counted apart from deferrals).
    persons : list of str
        The team's persons.
    capacity : float
        The team's capacity (a suggested limit never exceeds it).
    person_capacity : None, float, int or dict
        The per-person limits in force (see :func:`teaming.router.person_limits`).
    available : array-like of bool of shape (n_cases, n_persons), optional
        Who could take which case; persons available for no case are not counted when
        spreading the cases (default: everybody).

    Returns
    -------
    dict
        ``n_cases``, ``n_deferred``, ``n_audited``, ``human_share``, ``persons`` (per person
        ``deferred``, ``audited``, ``share_of_deferred``, ``share_of_cases``), ``busiest``,
        ``busiest_share`` (of the deferred cases), ``concentrated`` (bool),
        ``suggested_person_limit`` (a share of the batch, or None) and ``message_en``,
        ``message_de`` (empty when nothing piles up).

    Examples
    --------
    >>> summary = summarise_routing(["ai", "anna", "ben", "anna"], [False, False, True, False],
    ...                             ["anna", "ben"], capacity=0.5)
    >>> summary["n_deferred"], summary["n_audited"], summary["persons"]["anna"]["deferred"]
    (2, 1, 2)
    """
    routed = np.asarray(list(routed_to), dtype=object)
    audited = np.asarray(list(audit), dtype=bool)
    n = routed.size
    deferred = (routed != "ai") & ~audited
    per_person = {}
    for p in persons:
        mine = routed == p
        k = int((mine & deferred).sum())
        per_person[p] = {
            "deferred": k,
            "audited": int((mine & audited).sum()),
            "share_of_deferred": k / max(int(deferred.sum()), 1),
            "share_of_cases": int(mine.sum()) / max(n, 1),
        }
    n_deferred = int(deferred.sum())
    busiest = max(persons, key=lambda p: per_person[p]["deferred"]) if persons else None
    busiest_share = per_person[busiest]["share_of_deferred"] if busiest else 0.0
    if available is None:
        n_open = len(persons)
    else:
        n_open = int(np.asarray(available, dtype=bool).any(axis=0).sum())
    concentrated = bool(
        busiest is not None
        and n_open >= 2
        and n_deferred >= MIN_DEFERRED_TO_JUDGE
        and busiest_share > CONCENTRATION_SHARE
    )
    suggestion = None
    if concentrated:
        suggestion = _suggested_limit(n_deferred / max(n, 1), n_open, capacity)
    summary: dict[str, Any] = {
        "n_cases": n,
        "n_deferred": n_deferred,
        "n_audited": int(audited.sum()),
        "human_share": float((routed != "ai").mean()) if n else 0.0,
        "persons": per_person,
        "busiest": busiest,
        "busiest_share": float(busiest_share),
        "concentrated": concentrated,
        "suggested_person_limit": suggestion,
        "message_en": "",
        "message_de": "",
    }
    if concentrated:
        pct = f"{100 * busiest_share:.0f}"
        limit = f"{100 * suggestion:.0f}" if suggestion is not None else "?"
        summary["message_en"] = (
            f"{busiest} gets {pct} % of the {n_deferred} deferred cases. To spread them, "
            f"limit each person to about {limit} % of the cases (person_capacity="
            f"{suggestion:g}, or --person-capacity {limit}%)."
        )
        summary["message_de"] = (
            f"{busiest} erhält {pct} % der {n_deferred} an Personen gegebenen Fälle. Um sie zu "
            f"verteilen, jede Person auf etwa {limit} % der Fälle begrenzen (person_capacity="
            f"{suggestion:g} oder --person-capacity {limit}%)."
        )
    return summary


def _suggested_limit(deferred_share: float, n_open: int, capacity: float) -> float:
    """Twice an even share of the deferred cases, in whole percent, at most the capacity.

    Examples
    --------
    >>> _suggested_limit(0.3, 5, 0.3)
    0.12
    """
    even = deferred_share / max(n_open, 1)
    limit = math.ceil(100 * 2 * even - 1e-9) / 100
    return float(min(max(limit, 0.01), max(capacity, 0.01)))
