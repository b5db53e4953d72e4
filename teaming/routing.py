"""Batch routing of :class:`~teaming.HumanAITeam`: route cases, the result table, the workload.

:class:`RoutesCases` routes a batch with the exact optimum of :mod:`teaming.router` through
:func:`teaming.decisions.route_cases` (the same path :func:`teaming.evaluate` takes), builds
the result table (one row per case, text columns in Arrow where pandas keeps text there) and
summarises the workload per person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .constants import EXPLAIN_AUTO_MAX_CASES
from .decisions import route_cases
from .novelty import describe_reason, flatten_confidence
from .router import (
    StreamState,
    person_limits,
)
from .team_attributes import TeamAttributes
from .workload import summarise_routing


class RoutesCases(TeamAttributes):
    """Batch routing of :class:`~teaming.HumanAITeam` (a mixin: the team's fitted attributes
    are its state)."""

    def route(
        self,
        X: Any,
        batch: bool = True,
        available: Any = None,
        explain: bool | None = None,
        random_state: int | None = None,
        state: StreamState | None = None,
    ) -> pd.DataFrame:
        """Route cases: to the AI or to a person, within capacity, with the audit share.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            Cases with the training feature columns.
        batch : bool
            True: the exact batch optimum (capacity applies to these cases as one batch).
            False: the streaming rule of :meth:`route_one`, case by case, in the order given;
            without ``state``, these cases are one capacity window, so people never get more
            than the capacity of them.
        available : array-like of bool or pandas.DataFrame, optional
            Who can take which case (see :meth:`case_view`).
        explain : bool, optional
            Add explanations (sentences in English and German, and structured data).
            Default: when there are at most 10,000 cases.
        random_state : int, optional
            Seed of the audit draw (default: the team's ``random_state``).
        state : teaming.router.StreamState, optional
            With ``batch=False``: continue this stream (its window of ``stream_window`` cases)
            instead of making the cases one window; updated in place.

        Returns
        -------
        pandas.DataFrame
            One row per case: ``case_id``, ``routed_to`` (``"ai"`` or a person id), ``audit``,
            ``ai_decision``, ``ai_confidence``, ``expected_correctness_ai``,
            ``expected_correctness_person``, ``person_decision`` and ``team_decision``
            (where the person's answer is known), ``flag_second_look``, and with
            explanations ``explanation``, ``explanation_de``, ``explanation_data``.
        """
        check_is_fitted(self)
        frame, Z, scores, cost, avail, H, ids = self._inputs(X, available)
        unusual, reasons = self.novelty_.check(frame)
        if not batch:
            prepared = self._prepare_stream(
                frame, Z, scores, cost, avail, H, ids, explain, (unusual, reasons)
            )
            return self.route_prepared(prepared, state)
        P = flatten_confidence(self.ai_.predict_proba(Z, scores), unusual)
        view = self._view(Z, P, avail, cost)
        method = self.methods_[self.method_]
        caps = person_limits(self.person_capacity, self.persons_, view.n_cases)
        seed = self.random_state if random_state is None else random_state
        routed = route_cases(
            method,
            view,
            H,
            capacity=float(self.capacity),
            person_caps=caps,
            audit=float(self.audit),
            random_state=seed,
            priority=unusual if self.unusual_cases == "person" else None,
        )
        result = self._result_frame(
            ids,
            routed.routing.assign,
            routed.routing.audit_person,
            routed.ai_proba,
            routed.answer,
            routed.team_decision,
            routed.v_ai,
            routed.v_person,
            reasons,
            unusual,
        )
        if explain if explain is not None else len(ids) <= EXPLAIN_AUTO_MAX_CASES:
            workload = routed.routing.workload(len(self.persons_))
            caps_arr = routed.routing.person_caps
            left = (
                np.full(len(self.persons_), routed.routing.total) if caps_arr is None else caps_arr
            ) - workload
            total_left = routed.routing.total - int(workload.sum())
            self._add_explanations(
                result,
                frame,
                view.Z,
                routed.ai_proba,
                routed.v_ai,
                routed.v_person,
                avail,
                [left] * len(ids),
                [total_left] * len(ids),
                reasons,
            )
        return result

    def _result_frame(
        self,
        ids: np.ndarray,
        assign: np.ndarray,
        audit_person: np.ndarray,
        ai_proba: np.ndarray,
        answer: np.ndarray,
        team: np.ndarray,
        v_ai: np.ndarray,
        v_person: np.ndarray,
        reasons: list[list[dict[str, Any]]],
        unusual: np.ndarray | None = None,
        more: Callable[[dict[str, list[Any]]], dict[str, list[Any]]] | None = None,
    ) -> pd.DataFrame:
        """The result table of routed cases; ``more`` adds columns (the explanations) from
        the table's first ones as lists, before the table is made (one frame, not two)."""
        n = len(ids)
        handler = np.where(assign >= 0, assign, audit_person)
        names = np.array(["ai", *self.persons_], dtype=object)
        ai_decision = ai_proba.argmax(axis=1)
        labels = np.asarray(self.classes_, dtype=object)
        person_value = np.full(n, np.nan)
        handled = handler >= 0
        person_value[handled] = v_person[handled, handler[handled]]
        # sentences only for the (few) unusual cases: no per-case Python work for the rest
        if unusual is None:  # the novelty check's flags say the same, without a loop
            unusual = np.fromiter(map(bool, reasons), dtype=bool, count=n)
        rows = np.flatnonzero(unusual)
        sentence = np.zeros(n, dtype=np.int64)
        sentence[rows] = np.arange(1, rows.size + 1)
        reasons_en = ["", *("; ".join(describe_reason(x, "en") for x in reasons[i]) for i in rows)]
        reasons_de = ["", *("; ".join(describe_reason(x, "de") for x in reasons[i]) for i in rows)]
        columns = {
            "case_id": ids,
            "routed_to": label_column(handler + 1, names),
            "audit": audit_person >= 0,
            "ai_decision": label_column(ai_decision, labels),
            "ai_confidence": ai_proba.max(axis=1),
            "expected_correctness_ai": v_ai,
            "expected_correctness_person": person_value,
            "person_decision": label_column(answer, labels),
            "team_decision": label_column(team, labels),
            "flag_second_look": handled & (answer >= 0) & (answer != ai_decision),
            "unusual": unusual,
            "unusual_reasons": label_column(sentence, np.array(reasons_en, dtype=object)),
            "unusual_reasons_de": label_column(sentence, np.array(reasons_de, dtype=object)),
        }
        if more is not None:
            # each column as a list as pandas gives it back (Series.tolist)
            read = ("routed_to", "audit", "ai_decision", "ai_confidence")
            columns.update(more({c: columns[c].tolist() for c in read}))
        return pd.DataFrame(columns)

    def route_summary(self, routed: pd.DataFrame, available: Any = None) -> dict[str, Any]:
        """Workload of a routing per person, and a per-person limit when cases pile up.

        Parameters
        ----------
        routed : pandas.DataFrame
            The output of :meth:`route` (its ``routed_to`` and ``audit`` columns).
        available : array-like of bool of shape (n_cases, n_persons), optional
            Who could take which case (as passed to :meth:`route`).

        Returns
        -------
        dict
            See :func:`teaming.workload.summarise_routing`: per person the deferred and
            audited cases, the busiest person and their share of the deferred cases, whether
            that is a pile-up, a suggested ``person_capacity`` and a message in English and
            German.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from teaming import HumanAITeam
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=400)}); y = (X.a > 0).astype(int)
        >>> people = pd.DataFrame({"anna": np.where(rng.random(400) < 0.95, y, 1 - y),
        ...                        "ben": np.where(rng.random(400) < 0.6, y, 1 - y)})
        >>> team = HumanAITeam(method="compare_confidence", capacity=0.3).fit(X, y, people)
        >>> summary = team.route_summary(team.route(X, explain=False))
        >>> sorted(summary["persons"]) == ["anna", "ben"]
        True
        """
        check_is_fitted(self)
        return summarise_routing(
            routed["routed_to"],
            routed["audit"],
            self.persons_,
            capacity=float(self.capacity),
            person_capacity=self.person_capacity,
            available=available,
        )


def label_column(codes: np.ndarray, labels: np.ndarray) -> Any:
    """``labels[codes]`` (``None`` where a code is negative) as a result column.

    Where pandas keeps text in Arrow (its default from pandas 3), text labels are looked up
    in Arrow itself: no Python object per case, the same column as from the object array.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> column = label_column(np.array([1, -1, 0]), np.array(["no", "yes"], dtype=object))
    >>> pd.Series(column).tolist()[::2]
    ['yes', 'no']
    """
    codes = np.asarray(codes, dtype=np.int64)
    text_dtype = _text_dtype()
    if (
        (codes >= 0).any()  # pandas keeps a column of None only as objects
        and getattr(text_dtype, "storage", None) == "pyarrow"
        and all(isinstance(label, str) for label in labels)
    ):
        import pyarrow as pa

        # the labels taken by code: no dictionary array to cast back to text
        text = pa.array(labels.tolist(), type=pa.string()).take(
            pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0)
        )
        return pd.array(text, dtype=text_dtype)
    return np.where(codes >= 0, labels[np.maximum(codes, 0)], None)


_TEXT_DTYPE: list[Any] = []


def _text_dtype() -> Any:
    """How pandas stores text read from Python; fixed from pandas 3 (then kept), pandas 2
    reads it from its options every time."""
    if _TEXT_DTYPE:
        return _TEXT_DTYPE[0]
    dtype = pd.Series(["text"]).dtype
    if int(pd.__version__.split(".")[0]) >= 3:
        _TEXT_DTYPE.append(dtype)
    return dtype
