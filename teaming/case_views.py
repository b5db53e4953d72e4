"""What the routing methods see of cases: features, the calibrated AI, the person models,
who is available.

:class:`CaseViews` is the part of :class:`~teaming.HumanAITeam` that turns cases (a
:class:`~teaming.TeamData`, a DataFrame or an array) into a :class:`~teaming.methods.CaseView`:
the preprocessed features, the calibrated AI's probabilities, each person's modelled
correctness (computed only when a method reads it) and the availability of each person for
each case (names, flags, a frame; by default the persons with recent decisions).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from .constants import PERSON_CHUNK_CASES
from .data import NOT_DECIDED, DataError, DataWarning, TeamData
from .methods import CaseView, LazyCorrect
from .persons import PersonInputs, PersonModel
from .team_attributes import TeamAttributes


class CaseViews(TeamAttributes):
    """Case views and availability of :class:`~teaming.HumanAITeam` (a mixin: the team's
    fitted attributes are its state)."""

    def _view(
        self,
        Z: np.ndarray,
        P: np.ndarray,
        available: np.ndarray,
        cost: np.ndarray,
        person_model: PersonModel | None = None,
        confusion: np.ndarray | None = None,
        accuracy: np.ndarray | None = None,
        time: np.ndarray | None = None,
    ) -> CaseView:
        model = person_model or self.person_model_
        accuracy = self.person_accuracy_ if accuracy is None else accuracy
        accuracy = np.nan_to_num(accuracy, nan=model.pooled_accuracy_)
        # persons with too few training cases are never offered a case
        available = np.asarray(available, dtype=bool) & self.routable_[None, :]
        return CaseView(
            Z,
            P,
            # the person models run when a method reads them (combine may not need them)
            LazyCorrect(
                _PersonCorrect(self.person_inputs_, model, Z, P, time, len(self.persons_)),
                Z.shape[0],
            ),
            self.confusion_ if confusion is None else confusion,
            available,
            np.asarray(cost, dtype=np.float64),
            accuracy,
        )

    def _inputs(
        self, X: Any, available: Any, columns: dict[str, list[Any]] | None = None
    ) -> tuple[
        pd.DataFrame, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray
    ]:
        """Features, Z, scores, cost, availability, known answers for cases to route.
        ``columns``: a few rows' columns (:func:`~teaming.single_case.few_columns` of ``X``
        for the preprocessor's feature types), read without pandas where they allow."""
        m = len(self.persons_)
        if isinstance(X, TeamData):
            data = X.with_persons(self.persons_)
            frame, scores, H, ids = data.X, data.scores, data.H, data.ids
            cost = data.cost if data.cost is not None else np.ones(data.n_cases)
            default_available = H >= 0 if (H >= 0).any() else np.ones_like(H, dtype=bool)
        else:
            frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
            if not all(isinstance(c, str) for c in frame.columns):
                frame.columns = [str(c) for c in frame.columns]
            scores = None
            if self.uses_scores_:
                missing = [c for c in self.score_columns_ if c not in frame.columns]
                if missing:
                    raise DataError(
                        f"score column {missing[0]!r} missing from the cases", column=missing[0]
                    )
                scores = frame[self.score_columns_].to_numpy(dtype=np.float64)
            cost = np.ones(len(frame))
            if self.cost_column_ and self.cost_column_ in frame.columns:
                cost = frame[self.cost_column_].to_numpy(dtype=np.float64)
            H = np.full((len(frame), m), NOT_DECIDED, dtype=np.int64)
            ids = frame.index.to_numpy()
            default_available = np.tile(self._active(), (len(frame), 1))
        Z = None
        if columns is not None and frame is X:
            Z = self.preprocessor_.transform_few(columns, len(frame))
        if Z is None:
            Z = self.preprocessor_.transform(frame)
        avail = default_available if available is None else self._availability(available, len(Z))
        return frame, Z, scores, cost, avail, H, ids

    def _active(self) -> np.ndarray:
        """Who is routed new cases by default: persons with recent decisions."""
        activity = getattr(self, "person_activity_", None) or {}
        active = set(activity.get("active", self.persons_))
        return np.array([p in active for p in self.persons_], dtype=bool)

    def _availability(self, available: Any, n: int) -> np.ndarray:
        m = len(self.persons_)
        if isinstance(available, pd.DataFrame):
            cols = {str(c): c for c in available.columns}
            out = np.zeros((n, m), dtype=bool)
            for j, p in enumerate(self.persons_):
                if p in cols:
                    out[:, j] = available[cols[p]].to_numpy(dtype=bool)
            return out
        if isinstance(available, Mapping):
            available = [str(p) for p, flag in available.items() if flag]
        if isinstance(available, str):
            available = [available]
        if isinstance(available, list | tuple | set | frozenset):
            return np.tile(self._named(available), (n, 1))
        out = np.asarray(available, dtype=bool)
        if out.shape == (m,):
            return np.tile(out, (n, 1))
        if out.shape != (n, m):
            raise ValueError(
                f"available must be names, one flag per person or shape (n_cases, n_persons) = "
                f"{(n, m)}"
            )
        return out

    def _named(self, names: Any) -> np.ndarray:
        """Availability from person names; names the team does not know are left out, loudly."""
        names = [str(p).strip() for p in names if str(p).strip()]
        unknown = [p for p in names if p not in self.persons_]
        if unknown:
            warnings.warn(
                f"{len(unknown)} available person(s) have no decisions in the training data "
                f"and are not routed: {', '.join(unknown[:10])}; refit the team with their "
                f"decisions to include them",
                DataWarning,
                stacklevel=4,
            )
        unroutable = [p for p, ok in zip(self.persons_, self.routable_) if p in names and not ok]
        if unroutable:
            warnings.warn(
                f"{len(unroutable)} available person(s) decided too few training cases to be "
                f"routed (min_person_cases={self.min_person_cases}): {', '.join(unroutable)}",
                DataWarning,
                stacklevel=4,
            )
        return np.array([p in names for p in self.persons_], dtype=bool)

    def case_view(self, X: Any, available: Any = None) -> tuple[CaseView, np.ndarray]:
        """The method's view of cases (calibrated AI, person models) and known answers.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            Cases.
        available : list of str, dict, array-like of bool or pandas.DataFrame, optional
            Who can take which case: person names (the same for every case; names the team
            does not know are left out with a :class:`~teaming.DataWarning`), ``{person:
            bool}``, one flag per person, one row of flags per case, or a frame with a
            boolean column per person. Default: in historical data (a TeamData with
            decisions) whoever decided the case, otherwise the persons with recent decisions
            (see ``recent``; name others to route to them).

        Returns
        -------
        (CaseView, numpy.ndarray)
            The view, and the known answers ``H`` (``-1`` where unknown).
        """
        check_is_fitted(self)
        _, Z, scores, cost, avail, H, _ = self._inputs(X, available)
        P = self.ai_.predict_proba(Z, scores)
        return self._view(Z, P, avail, cost), H


class _PersonCorrect:
    """Each person's modelled probability of being right on cases (the person inputs, then
    the person model), for :class:`~teaming.methods.LazyCorrect`; an object rather than a
    closure so a view can be pickled for worker processes."""

    def __init__(
        self,
        inputs: PersonInputs,
        model: PersonModel,
        Z: np.ndarray,
        P: np.ndarray,
        time: np.ndarray | None,
        n_persons: int,
    ) -> None:
        self.inputs, self.model, self.Z, self.P, self.time = inputs, model, Z, P, time
        self.n_persons = n_persons

    def __call__(self, rows: np.ndarray | None) -> np.ndarray:
        Z, P, time = self.Z, self.P, self.time
        if rows is not None:
            Z, P, time = Z[rows], P[rows], None if time is None else time[rows]
        m = self.n_persons
        correct = np.zeros((Z.shape[0], m))
        if m:
            # in blocks: the inputs of a million cases need not exist at once
            for start in range(0, Z.shape[0], PERSON_CHUNK_CASES):
                part = slice(start, start + PERSON_CHUNK_CASES)
                t = None if time is None else time[part]
                U = self.inputs.transform(Z[part], P[part], t)
                correct[part] = self.model.predict_correct(U, P[part])
        return correct
