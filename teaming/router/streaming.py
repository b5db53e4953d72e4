"""Streaming routing: one case at a time, with prices and an explicit capacity state.

Prices per person, read from the dual of a batch optimum on validation cases
(:func:`teaming.router.dual_prices`), turn the batch optimum into a rule: a case goes to the
available person with the highest ``gain - price`` if that is positive and the person (and
people together) have capacity left in the current window of cases; otherwise to the AI,
which is audited with probability ``audit`` when an available person has capacity left. It
needs no solve and takes microseconds, but it is optimal only in so far as new cases resemble
the validation cases: it may leave capacity unused or reach a limit early in a window, which
the batch solution never does.

The router itself holds no running counts: they live in a :class:`StreamState` that the
caller keeps and passes in, so several processes serving the same team (web servers behind a
load balancer) can share one window by keeping the state in a database
(:meth:`StreamState.to_dict`, :meth:`StreamState.from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._flow import GAIN_TOL

__all__ = ["OnlineRouter", "StreamState"]

# cases per capacity window of the streaming rule, unless the team says otherwise
DEFAULT_WINDOW = 1000


@dataclass
class StreamState:
    """Where a stream of cases stands: the current window's counts, and the cases so far.

    Plain numbers only, so a caller can keep it anywhere (a database row, a cache) and pass
    it to :meth:`OnlineRouter.route` (or :meth:`teaming.HumanAITeam.route_one`) with each
    case; the router updates it in place.

    Attributes
    ----------
    used : list of int
        Cases each person took in the current window (deferrals and audits).
    seen : int
        Cases routed in the current window.
    n_routed : int
        Cases routed since the state was started; seeds each case's audit draw, so the same
        stream of cases gives the same audits whichever process routes it.
    persons : list of str
        Optional names of the persons, in the order of ``used`` (checked by the team).

    Parameters
    ----------
    used, seen, n_routed, persons
        As described under Attributes.

    Examples
    --------
    >>> state = StreamState.start(2)
    >>> router = OnlineRouter([0.1, 0.2], capacity=0.5, window=10)
    >>> router.route([0.3, 0.35], state)
    (0, False)
    >>> state.to_dict()
    {'used': [1, 0], 'seen': 1, 'n_routed': 1, 'persons': []}
    >>> StreamState.from_dict(state.to_dict()) == state
    True
    """

    used: list[int]
    seen: int = 0
    n_routed: int = 0
    persons: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, n_persons: int, persons: Any = ()) -> StreamState:
        """A fresh state: an empty window, no cases routed yet.

        Parameters
        ----------
        n_persons : int
            Number of persons.
        persons : sequence of str, optional
            Their names.

        Returns
        -------
        StreamState

        Examples
        --------
        >>> StreamState.start(3).used
        [0, 0, 0]
        """
        return cls(used=[0] * int(n_persons), persons=[str(p) for p in persons])

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready plain values.

        Returns
        -------
        dict

        Examples
        --------
        >>> StreamState([2, 1], seen=5, n_routed=9).to_dict()["n_routed"]
        9
        """
        return {
            "used": [int(u) for u in self.used],
            "seen": int(self.seen),
            "n_routed": int(self.n_routed),
            "persons": list(self.persons),
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> StreamState:
        """A state from :meth:`to_dict`'s output.

        Parameters
        ----------
        values : dict
            ``used``, ``seen``, ``n_routed`` and optionally ``persons``.

        Returns
        -------
        StreamState

        Examples
        --------
        >>> StreamState.from_dict({"used": [1], "seen": 3, "n_routed": 3}).seen
        3
        """
        return cls(
            used=[int(u) for u in values["used"]],
            seen=int(values.get("seen", 0)),
            n_routed=int(values.get("n_routed", 0)),
            persons=[str(p) for p in values.get("persons", [])],
        )


class OnlineRouter:
    """Streaming router: one case at a time, with prices and a capacity window.

    Prices come from the dual of an optimal batch solution on validation cases
    (:func:`teaming.router.dual_prices`). A case goes to the available person with the
    highest ``gain - price`` when that is positive and the person (and people together) have
    capacity left in the current window of ``window`` cases; otherwise to the AI, which is
    audited with probability ``audit`` when an available person has capacity left. The
    counts live in the :class:`StreamState` passed with each case and restart after each
    window. See :mod:`teaming.router.streaming` for how this differs from the batch optimum.

    Parameters
    ----------
    prices : array-like of shape (n_persons,)
        Price per person.
    capacity : float
        Share of cases people may take together (audits included).
    person_shares : array-like of shape (n_persons,), optional
        Each person's share limit per window (``None``: no per-person limit).
    audit : float
        Probability that an AI-decided case is audited.
    window : int
        Cases per capacity window.
    random_state : int or None
        Seed for the audit draws (with the state's ``n_routed``).

    Examples
    --------
    >>> router = OnlineRouter([0.1, 0.2], capacity=0.5, window=10)
    >>> state = router.start()
    >>> router.route([0.3, 0.35], state)
    (0, False)
    >>> router.route([0.05, 0.1], state)
    (-1, False)
    """

    def __init__(
        self,
        prices: Any,
        *,
        capacity: float,
        person_shares: Any = None,
        audit: float = 0.0,
        window: int = DEFAULT_WINDOW,
        random_state: int | None = 0,
    ) -> None:
        self.prices = np.asarray(prices, dtype=np.float64)
        self.capacity = float(capacity)
        self.person_shares = None if person_shares is None else np.asarray(person_shares, float)
        self.audit = float(audit)
        self.window = int(window)
        self.random_state = random_state
        m = self.prices.shape[0]
        self.total_limit = int(np.floor(self.capacity * self.window + 1e-9))
        if self.person_shares is None:
            self.person_limit = np.full(m, self.window, dtype=np.int64)
        else:
            self.person_limit = np.floor(self.person_shares * self.window + 1e-9).astype(int)

    def for_window(self, window: int) -> OnlineRouter:
        """The same rule (prices, capacity, limits, audit) with another window length.

        Parameters
        ----------
        window : int
            Cases per capacity window (e.g. a whole batch routed case by case).

        Returns
        -------
        OnlineRouter

        Examples
        --------
        >>> OnlineRouter([0.1], capacity=0.3, window=1000).for_window(150).total_limit
        45
        """
        return OnlineRouter(
            self.prices,
            capacity=self.capacity,
            person_shares=self.person_shares,
            audit=self.audit,
            window=max(int(window), 1),
            random_state=self.random_state,
        )

    def start(self, persons: Any = ()) -> StreamState:
        """A fresh :class:`StreamState` for this router's persons.

        Parameters
        ----------
        persons : sequence of str, optional
            Names of the persons, kept in the state.

        Returns
        -------
        StreamState

        Examples
        --------
        >>> OnlineRouter([0.1, 0.2], capacity=0.3).start(["anna", "ben"]).to_dict()
        {'used': [0, 0], 'seen': 0, 'n_routed': 0, 'persons': ['anna', 'ben']}
        """
        return StreamState.start(self.prices.shape[0], persons)

    def capacity_left(self, state: StreamState) -> tuple[int, np.ndarray]:
        """Cases people together, and each person, may still take in the state's window.

        Parameters
        ----------
        state : StreamState
            The stream's state.

        Returns
        -------
        (int, numpy.ndarray of int)

        Examples
        --------
        >>> router = OnlineRouter([0.0, 0.0], capacity=0.3, person_shares=[0.2, 0.2], window=10)
        >>> total, each = router.capacity_left(StreamState([1, 0], seen=4))
        >>> total, each.tolist()
        (2, [1, 2])
        """
        used = np.asarray(state.used, dtype=np.int64)
        total_left = self.total_limit - int(used.sum())
        return total_left, np.minimum(self.person_limit - used, total_left)

    def route(self, gains: Any, state: StreamState, available: Any = None) -> tuple[int, bool]:
        """Route one case and update ``state`` in place.

        Parameters
        ----------
        gains : array-like of shape (n_persons,)
            Gain per person for this case (``-inf``/NaN: not available).
        state : StreamState
            The stream's state (from :meth:`start` or kept by the caller).
        available : array-like of bool, optional
            Extra availability mask.

        Returns
        -------
        (int, bool)
            Person index (``-1`` for the AI) and whether the case is an audit.
        """
        m = self.prices.shape[0]
        if len(state.used) != m:
            raise ValueError(f"the stream state counts {len(state.used)} persons, not {m}")
        if state.seen >= self.window:
            state.seen = 0
            state.used = [0] * m
        draw_seed = state.n_routed
        state.seen += 1
        state.n_routed += 1
        g = np.asarray(gains, dtype=np.float64)
        ok = np.isfinite(g)
        if available is not None:
            ok &= np.asarray(available, dtype=bool)
        total_left, left = self.capacity_left(state)
        ok_cap = ok & (left > 0)
        if not ok_cap.any():
            return -1, False
        reduced = np.where(ok_cap, g - self.prices, -np.inf)
        j = int(np.argmax(reduced))
        if reduced[j] > GAIN_TOL:
            state.used[j] += 1
            return j, False
        if self.audit > 0 and self._draw(draw_seed) < self.audit:
            options = np.flatnonzero(ok_cap)
            j = int(options[np.argmax(left[options])])
            state.used[j] += 1
            return j, True
        return -1, False

    def _draw(self, n_routed: int) -> float:
        seed = None if self.random_state is None else [int(self.random_state), int(n_routed)]
        return float(np.random.default_rng(seed).random())
