"""Streaming routing of :class:`~teaming.HumanAITeam`: one case at a time within a window.

:class:`RoutesStream` holds the streaming rule (:class:`~teaming.router.OnlineRouter`, its
prices from the batch optimum of the validation cases, remade when capacity, person limits
or the audit share change), the stream's running counts (:class:`~teaming.router.StreamState`,
the caller's or this process's own) and :meth:`~RoutesStream.route_one`. ``_make_router`` is
also what :func:`teaming.load_team` calls to rebuild the rule of a saved team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .constants import (
    EXPLAIN_AUTO_MAX_CASES,
    STREAM_PRICE_CASES,
)
from .decisions import prioritise, team_decisions
from .explain import explain_routing, top_features
from .methods import METHODS, CaseView
from .novelty import describe_reason, flatten_confidence
from .route_explanations import _output_of
from .router import (
    OnlineRouter,
    StreamState,
    assign_batch,
    deferral_budget,
    dual_prices,
    person_limits,
)
from .single_case import FAST_MAX_ROWS, few_columns
from .team_attributes import TeamAttributes


@dataclass(frozen=True, eq=False)
class PreparedStream:
    """Cases made ready for streaming routing by :meth:`RoutesStream.prepare_stream`:
    everything that does not depend on the stream state. Route them with the same team's
    :meth:`RoutesStream.route_prepared` (once or several times: it changes nothing here)."""

    team: Any = field(repr=False)
    method: str
    unusual_cases: str
    ids: np.ndarray
    view: CaseView = field(repr=False)
    H: np.ndarray = field(repr=False)
    available: np.ndarray = field(repr=False)
    ai_proba: np.ndarray = field(repr=False)
    v_ai: np.ndarray = field(repr=False)
    v_person: np.ndarray = field(repr=False)
    gains: np.ndarray = field(repr=False)
    unusual: np.ndarray = field(repr=False)
    reasons: list[list[dict[str, Any]]] = field(repr=False)
    explanation_parts: tuple[Any, list[list[dict[str, Any]]]] | None = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class StreamTurns:
    """The turns of prepared cases in a stream (:meth:`RoutesStream.stream_turns`): the
    person each case goes to (-1: the AI), the audit case's person (-1: none), and the
    capacity left after each case (per person, and in all)."""

    assign: np.ndarray
    audit_person: np.ndarray
    lefts: list[Any]
    totals: list[Any]


class RoutesStream(TeamAttributes):
    """Streaming routing of :class:`~teaming.HumanAITeam` (a mixin: the team's fitted
    attributes are its state)."""

    def _sample_gains(self, view: CaseView, rng: np.random.Generator) -> np.ndarray:
        method = self.methods_[self.method_]
        n = view.n_cases
        few = n <= STREAM_PRICE_CASES
        idx = np.arange(n) if few else rng.choice(n, STREAM_PRICE_CASES, False)
        sub = view.take(np.sort(idx))
        # streaming cases have every person available
        sub.available = np.ones_like(sub.available)
        return method.gains(sub)

    def _make_router(self) -> OnlineRouter:
        """The streaming rule for the current method, capacity, limits and audit share."""
        gains = self.stream_gains_
        n, m = gains.shape
        respects = METHODS[self.method_].respects_capacity
        total = int(np.floor(float(self.capacity) * n + 1e-9))
        caps = person_limits(self.person_capacity, self.persons_, n)
        prices = np.zeros(m)
        if m and n and respects:
            budget = deferral_budget(n, total, float(self.audit))
            assign = assign_batch(gains, budget, caps)
            prices = dual_prices(gains, assign, budget, caps)
        shares = None if caps is None else caps / max(n, 1)
        return OnlineRouter(
            prices,
            capacity=float(self.capacity) if respects else 1.0,
            person_shares=shares if respects else None,
            audit=float(self.audit) if respects else 0.0,
            window=self.stream_window,
            random_state=self.random_state,
        )

    def _router_params(self) -> tuple:
        return (
            self.method_,
            float(self.capacity),
            repr(self.person_capacity),
            float(self.audit),
            self.stream_window,
            self.random_state,
        )

    def stream_router(self) -> OnlineRouter:
        """The streaming rule at the team's current capacity, person limits and audit share.

        ``router_`` was made at the settings of ``fit``; after :meth:`set_params` changes
        them, the rule is remade once (prices from the validation cases' batch optimum) and
        kept for the new settings.

        Returns
        -------
        teaming.router.OnlineRouter

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)})
        >>> y = (X.a > 0).astype(int); anna = np.where(rng.random(300) < 0.9, y, 1 - y)
        >>> team = HumanAITeam(method="combine").fit(X, y, pd.DataFrame({"anna": anna}))
        >>> team.set_params(capacity=0.1).stream_router().capacity
        0.1
        """
        check_is_fitted(self)
        params = self._router_params()
        cached = self.__dict__.get("_router_cache")
        if cached is not None and cached[0] == params:
            return cached[1]
        router = self._make_router()
        self.__dict__["_router_cache"] = (params, router)
        return router

    def new_stream_state(self) -> StreamState:
        """A fresh state for :meth:`route_one`: an empty capacity window.

        Keep it wherever the stream's cases are routed from (a web service: in its database,
        through :meth:`~teaming.router.StreamState.to_dict`) and pass it to every
        :meth:`route_one` call, so all processes count one window.

        Returns
        -------
        teaming.router.StreamState

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)}); y = (X.a > 0).astype(int)
        >>> team = HumanAITeam(method="ai_only").fit(X, y)
        >>> team.new_stream_state().to_dict()
        {'used': [], 'seen': 0, 'n_routed': 0, 'persons': []}
        """
        check_is_fitted(self)
        return StreamState.start(len(self.persons_), self.persons_)

    def prepare_stream(
        self, X: Any, available: Any = None, explain: bool | None = None
    ) -> PreparedStream:
        """Everything of streaming routing that no stream state changes, done ahead.

        The cases' inputs, the novelty check, the AI's probabilities, every handler's
        expected correctness, the routing gains and (with ``explain``) the AI's feature
        contributions: the expensive part. :meth:`route_prepared` then routes them with the
        state (the cheap loop), so a service that keeps the state under a lock holds the
        lock only for that. ``route_prepared(prepare_stream(X, a, e), state)`` is
        ``route(X, batch=False, available=a, explain=e, state=state)``.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            Cases with the training feature columns, in the order they are routed.
        available : array-like of bool or pandas.DataFrame, optional
            Who can take which case (as for :meth:`route`).
        explain : bool, optional
            Prepare explanations (default: when there are at most 10,000 cases).

        Returns
        -------
        PreparedStream
            For :meth:`route_prepared` of this team (and no other).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)})
        >>> y = (X.a > 0).astype(int); anna = np.where(rng.random(300) < 0.9, y, 1 - y)
        >>> team = HumanAITeam(method="combine").fit(X, y, pd.DataFrame({"anna": anna}))
        >>> prepared = team.prepare_stream(X.head(3), explain=False)
        >>> state = team.new_stream_state()
        >>> len(team.route_prepared(prepared, state)), state.n_routed
        (3, 3)
        """
        check_is_fitted(self)
        columns = None
        kinds = self.novelty_.feature_types
        if (
            isinstance(X, pd.DataFrame)
            and len(X) <= FAST_MAX_ROWS
            and all(kinds.get(c) == k for c, k in self.preprocessor_.feature_types.items())
        ):
            # a few rows: their columns read once, as the frame path reads them, for the
            # preprocessor and the novelty check (None: some need pandas)
            if not all(isinstance(c, str) for c in X.columns):
                X.columns = [str(c) for c in X.columns]
            columns = few_columns(X, kinds)
        frame, Z, scores, cost, avail, H, ids = self._inputs(X, available, columns)
        novel = self.novelty_.check(frame, columns)
        return self._prepare_stream(frame, Z, scores, cost, avail, H, ids, explain, novel)

    def _prepare_stream(
        self,
        frame: pd.DataFrame,
        Z: np.ndarray,
        scores: np.ndarray | None,
        cost: np.ndarray,
        avail: np.ndarray,
        H: np.ndarray,
        ids: np.ndarray,
        explain: bool | None,
        novel: tuple[np.ndarray, list[list[dict[str, Any]]]],
    ) -> PreparedStream:
        unusual, reasons = novel
        P = flatten_confidence(self.ai_.predict_proba(Z, scores), unusual)
        view = self._view(Z, P, avail, cost)
        method = self.methods_[self.method_]
        ai_proba = method.ai_proba(view)
        v_ai, v_person = method.values(view)
        gains = self._prioritised(method.gains_from(view, v_ai, v_person), v_person, unusual)
        n = len(ids)
        explained = explain if explain is not None else n <= EXPLAIN_AUTO_MAX_CASES
        parts = self._explanation_parts(frame, Z, ai_proba) if explained else None
        return PreparedStream(
            team=self,
            method=self.method_,
            unusual_cases=self.unusual_cases,
            ids=ids,
            view=view,
            H=H,
            available=avail,
            ai_proba=ai_proba,
            v_ai=v_ai,
            v_person=v_person,
            gains=gains,
            unusual=unusual,
            reasons=reasons,
            explanation_parts=parts,
        )

    def route_prepared(
        self, prepared: PreparedStream, state: StreamState | None = None
    ) -> pd.DataFrame:
        """Route cases of :meth:`prepare_stream` with the streaming rule and ``state``.

        Only the state-dependent work: each case's turn of the online rule (updating
        ``state`` in place), the decisions, the result table and the explanations' parts
        that depend on the routing (who got the case, the capacity left). It is
        ``routed_frame(prepared, stream_turns(prepared, state))``: a service that keeps
        the state under a lock needs only :meth:`stream_turns` under it.

        Parameters
        ----------
        prepared : PreparedStream
            From this team's :meth:`prepare_stream`, with the same method since.
        state : teaming.router.StreamState, optional
            Continue this stream; without it, the cases are one capacity window (as
            :meth:`route` with ``batch=False``).

        Returns
        -------
        pandas.DataFrame
            As :meth:`route`.
        """
        return self.routed_frame(prepared, self.stream_turns(prepared, state))

    def stream_turns(
        self, prepared: PreparedStream, state: StreamState | None = None
    ) -> StreamTurns:
        """Each case's turn of the online rule with ``state`` (updated in place): who
        gets it, whether it is an audit case, and the capacity left after it; no table.

        Parameters
        ----------
        prepared : PreparedStream
            From this team's :meth:`prepare_stream`, with the same method since.
        state : teaming.router.StreamState, optional
            As for :meth:`route_prepared`.

        Returns
        -------
        StreamTurns
            For :meth:`routed_frame` with the same ``prepared``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)})
        >>> y = (X.a > 0).astype(int); anna = np.where(rng.random(300) < 0.9, y, 1 - y)
        >>> team = HumanAITeam(method="combine").fit(X, y, pd.DataFrame({"anna": anna}))
        >>> prepared = team.prepare_stream(X.head(3), explain=False)
        >>> state = team.new_stream_state()
        >>> turns = team.stream_turns(prepared, state)
        >>> state.n_routed, len(team.routed_frame(prepared, turns))
        (3, 3)
        """
        check_is_fitted(self)
        self._check_prepared(prepared)
        router = self.stream_router()
        n = len(prepared.ids)
        if state is None:
            # the cases are one window: capacity holds over them, not over a longer stream
            router = router.for_window(n)
            state = router.start(self.persons_)
        else:
            state = self._stream_state(state)
        gains = prepared.gains
        assign = np.full(n, -1, dtype=np.int64)
        audit_person = np.full(n, -1, dtype=np.int64)
        lefts, totals = [], []
        for i in range(n):
            j, is_audit = router.route(gains[i], state)
            (audit_person if is_audit else assign)[i] = j
            total_left, left = router.capacity_left(state)
            lefts.append(left)
            totals.append(total_left)
        return StreamTurns(assign, audit_person, lefts, totals)

    def routed_frame(self, prepared: PreparedStream, turns: StreamTurns) -> pd.DataFrame:
        """The result table of :meth:`route_prepared` from the cases' turns (no state)."""
        check_is_fitted(self)
        self._check_prepared(prepared)
        if len(turns.assign) != len(prepared.ids):
            raise ValueError("these turns are not of these prepared cases")
        assign, audit_person = turns.assign, turns.audit_person
        method = self.methods_[self.method_]
        answer, team, _ = team_decisions(
            method, prepared.view, prepared.ai_proba, assign, audit_person, prepared.H
        )
        parts = prepared.explanation_parts

        def explanations(routed: dict[str, list[Any]]) -> dict[str, list[Any]]:
            assert parts is not None
            return self._explanation_columns(
                routed,
                parts,
                prepared.v_ai,
                prepared.v_person,
                prepared.available,
                turns.lefts,
                turns.totals,
                prepared.reasons,
            )

        return self._result_frame(
            prepared.ids,
            assign,
            audit_person,
            prepared.ai_proba,
            answer,
            team,
            prepared.v_ai,
            prepared.v_person,
            prepared.reasons,
            prepared.unusual,
            more=None if parts is None else explanations,
        )

    def _check_prepared(self, prepared: PreparedStream) -> None:
        if (
            prepared.team is not self
            or prepared.method != self.method_
            or prepared.unusual_cases != self.unusual_cases
        ):
            raise ValueError(
                "these cases were prepared by another team or before its method changed: "
                "prepare them again with this team's prepare_stream()"
            )

    def _prioritised(
        self, gains: np.ndarray, v_person: np.ndarray, unusual: np.ndarray
    ) -> np.ndarray:
        """Streaming gains with unusual cases first (a bonus above every price)."""
        if self.unusual_cases != "person" or not np.any(unusual):
            return gains
        sample = self.stream_gains_[np.isfinite(self.stream_gains_)]
        bonus = 1.0 + 4.0 * float(np.abs(sample).max(initial=0.0))
        bonus += 4.0 * float(np.abs(gains[np.isfinite(gains)]).max(initial=0.0))
        return prioritise(gains, v_person, unusual, bonus)

    def _stream_state(self, state: StreamState | None) -> StreamState:
        """The caller's state (checked), or this process's own when none is given."""
        if state is None:
            if self.__dict__.get("_own_stream_state") is None:
                # one process's running counts, not a fitted attribute (see reset_stream)
                self.__dict__["_own_stream_state"] = self.new_stream_state()
            return self.__dict__["_own_stream_state"]
        if len(state.used) != len(self.persons_) or (
            state.persons and list(state.persons) != list(self.persons_)
        ):
            raise ValueError(
                f"the stream state counts persons {state.persons or len(state.used)}, but "
                f"the team routes to {self.persons_}: start one with new_stream_state()"
            )
        return state

    def route_one(
        self,
        case: Mapping[str, Any] | pd.Series,
        available: Any = None,
        explain: bool = True,
        state: StreamState | None = None,
    ) -> dict[str, Any]:
        """Route a single streaming case with the online rule (prices and a capacity window).

        Parameters
        ----------
        case : mapping or pandas.Series
            The case's column values.
        available : list of str, dict or array-like of bool, optional
            Who can take it (names, ``{person: bool}`` or one flag per person); default
            the persons with recent decisions (see ``recent``).
        explain : bool
            Add the explanation (sentences and structured data).
        state : teaming.router.StreamState, optional
            The stream's running counts (from :meth:`new_stream_state`), updated in place.
            Several processes serving one team keep it in shared storage
            (:meth:`~teaming.router.StreamState.to_dict`) and pass it in, so they count one
            window. Without it, the team keeps one state for this process
            (:meth:`reset_stream` starts it afresh).

        Returns
        -------
        dict
            ``routed_to``, ``audit``, ``ai_decision``, ``ai_confidence``,
            ``expected_correctness_ai``, ``expected_correctness_person`` and, with
            ``explain``, ``explanation``, ``explanation_de``, ``explanation_data``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)})
        >>> y = (X.a > 0).astype(int); anna = np.where(rng.random(300) < 0.9, y, 1 - y)
        >>> team = HumanAITeam(method="combine").fit(X, y, pd.DataFrame({"anna": anna}))
        >>> state = team.new_stream_state()
        >>> out = team.route_one({"a": 0.01}, explain=False, state=state)
        >>> out["routed_to"] in {"ai", "anna"}, state.n_routed
        (True, 1)
        """
        check_is_fitted(self)
        router = self.stream_router()
        state = self._stream_state(state)
        values = dict(case.items()) if isinstance(case, pd.Series) else dict(case)
        z = self.preprocessor_.transform_one(values)
        scores = None
        if self.uses_scores_:
            scores = np.array([[float(values[c]) for c in self.score_columns_]])
        reasons = self.novelty_.check_one(values)
        unusual = np.array([bool(reasons)])
        P = flatten_confidence(self.ai_.predict_proba(z, scores), unusual)
        avail = self._active()[None, :] if available is None else self._availability(available, 1)
        cost_value = float(values.get(self.cost_column_, 1.0)) if self.cost_column_ else 1.0
        view = self._view(z, P, avail, np.array([cost_value]))
        method = self.methods_[self.method_]
        ai_proba = method.ai_proba(view)
        v_ai, v_person = method.values(view)
        gains = self._prioritised(method.gains_from(view, v_ai, v_person), v_person, unusual)[0]
        j, is_audit = router.route(gains, state)
        decided = int(ai_proba[0].argmax())
        out: dict[str, Any] = {
            "routed_to": "ai" if j < 0 else self.persons_[j],
            "audit": bool(is_audit),
            "ai_decision": self.classes_[decided],
            "ai_confidence": float(ai_proba[0, decided]),
            "expected_correctness_ai": float(v_ai[0]),
            "expected_correctness_person": float(v_person[0, j]) if j >= 0 else None,
            "unusual": bool(reasons),
            "unusual_reasons": "; ".join(describe_reason(r, "en") for r in reasons),
            "unusual_reasons_de": "; ".join(describe_reason(r, "de") for r in reasons),
        }
        if explain:
            attribution = self.explainer_.explain(z, np.array([decided]))
            total_left, left = router.capacity_left(state)
            e = explain_routing(
                routed_to=out["routed_to"],
                audit=out["audit"],
                ai_label=out["ai_decision"],
                ai_confidence=out["ai_confidence"],
                ai_value=out["expected_correctness_ai"],
                person_values={
                    p: float(v_person[0, k]) for k, p in enumerate(self.persons_) if avail[0, k]
                },
                capacity_left={p: int(left[k]) for k, p in enumerate(self.persons_)},
                total_left=int(total_left),
                top_features=top_features(attribution.names, attribution.values[0], values, None),
                method=self.method_,
                respects_capacity=METHODS[self.method_].respects_capacity,
                margin=self._margin(),
                ai_output=_output_of(attribution, 0),
                unusual=reasons,
                unusual_to_person=self.unusual_cases == "person",
            )
            out["explanation"] = e["text_en"] + " " + e["ai_text_en"]
            out["explanation_de"] = e["text_de"] + " " + e["ai_text_de"]
            out["explanation_data"] = e
        return out

    def reset_stream(self) -> Self:
        """Start this process's own :meth:`route_one` state afresh (an empty window).

        Returns
        -------
        HumanAITeam
            ``self``.
        """
        check_is_fitted(self)
        self.__dict__["_own_stream_state"] = self.new_stream_state()
        return self
