"""HumanAITeam: fit a calibrated AI, models of the people and a routing policy; route cases.

How ``fit`` uses the training cases
    The AI's probabilities must be judged on cases it did not learn from. Up to
    ``crossfit_max_cases`` cases (and without a time column) the classifier is cross-fitted
    (5 folds) so every case gets an honest probability, then refitted on all cases; above
    that, or with a time column, it learns from the first ``1 - validation_size`` share (the
    earliest cases with a time column) and the rest is the validation set. An existing
    model's scores need no training, so every case is validation. On the validation cases
    (at most ``max_selection_cases``, a random sample) the calibration is chosen, the person
    models are fitted, and every method is scored by team accuracy at the given capacity,
    all with ``n_folds``-fold cross-fitting so no figure is judged on the data that shaped
    it; ``method="auto"`` takes the best and ``selection_report_`` says which and why. The
    learned surrogates (optional torch extra) take part in ``"auto"`` up to
    ``LEARNED_AUTO_MAX_CASES`` training cases; beyond, their training would dominate the fit,
    so name them with ``method=`` to use them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from .ai import AIModel, few_threads, full_proba
from .arrays import as_team_data
from .data import NOT_DECIDED, DataError, TeamData, split_positions, summarise
from .explain import AIExplainer, explain_routing, top_features
from .features import FeaturePreprocessor
from .methods import (
    METHODS,
    CaseView,
    Method,
    MethodNotAvailable,
    available_methods,
    make_method,
)
from .metrics import expected_calibration_error, log_loss
from .persons import PersonInputs, PersonModel, confusion_matrices
from .policy import OnlineRouter, assign_batch, deferral_budget, dual_prices, person_limits
from .routing import (
    Outcomes,
    learn_margin,
    method_outcomes,
    route_cases,
    routed_correct,
    score_routing,
)

__all__ = ["HumanAITeam", "as_team_data"]

log = logging.getLogger("teaming")

# methods "auto" compares, simplest first (ties go to the simpler one)
AUTO_ORDER = (
    "ai_only",
    "confidence_threshold",
    "compare_confidence",
    "combine",
    "learned_ce",
    "learned_ova",
)
_EXPLAIN_AUTO_MAX = 10_000
# "auto" compares the learned surrogates only up to this many training cases
LEARNED_AUTO_MAX_CASES = 50_000
_STREAM_SAMPLE = 20_000


class HumanAITeam(BaseEstimator):
    """A human-AI team: a calibrated AI, a model of each person, and a routing policy.

    Parameters
    ----------
    method : str
        Routing method (see :mod:`teaming.methods`), or ``"auto"`` to pick the best on
        validation data at the given capacity.
    capacity : float
        Share of cases (0..1) people may take together, audits included.
    person_capacity : None, float, int or dict
        Each person's limit per batch: a share (float), a count (int), or a dict per person
        (see :func:`teaming.policy.person_limits`).
    audit : float
        Share of AI-decided cases that still go to a person, drawn at random.
    estimator : scikit-learn classifier, optional
        The AI (default ``HistGradientBoostingClassifier``); ignored when the data carries an
        existing model's scores.
    calibration : {"auto", "none", "temperature", "vector", "sigmoid", "isotonic"}
        Probability calibration, chosen on validation data when ``"auto"``.
    cost : str, optional
        Column of ``X`` with the cost of a wrong decision (when fitting from plain frames;
        :class:`TeamData` carries its own). With costs the team minimises expected cost.
    random_state : int
        Seed for splits, subsamples and audit draws.
    n_jobs : int, optional
        Parallel jobs for evaluation loops (joblib).
    validation_size : float
        Share of cases held out for calibration, person models and method choice when the
        classifier is not cross-fitted.
    crossfit_max_cases : int
        Up to this many cases the classifier is cross-fitted instead.
    n_folds : int
        Folds for the honest (cross-fitted) calibration, person models and method choice.
    max_selection_cases : int
        Validation cases used at most (a random sample) for those steps.
    stream_window : int
        Cases per capacity window of :meth:`route_one`.

    Attributes
    ----------
    classes_ : numpy.ndarray
        Class labels.
    persons_ : list of str
        Person ids.
    method_ : str
        The method in use.
    methods_ : dict
        Every fitted method by name.
    selection_report_ : dict
        Validation figures of every method compared, the chosen one and why.
    training_metrics_ : dict
        Validation figures of the AI and the team.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    >>> y = (X.a + 0.5 * rng.normal(size=600) > 0).astype(int)
    >>> anna = np.where(rng.random(600) < 0.9, y, 1 - y)
    >>> team = HumanAITeam(capacity=0.3).fit(X, y, pd.DataFrame({"anna": anna}))
    >>> team.method_ in team.methods_
    True
    >>> out = team.route(X.head(5))
    >>> sorted(set(out.routed_to) - {"ai", "anna"})
    []
    """

    def __init__(
        self,
        method: str = "auto",
        capacity: float = 0.3,
        person_capacity: Any = None,
        audit: float = 0.05,
        estimator: Any = None,
        calibration: str = "auto",
        cost: str | None = None,
        random_state: int = 0,
        n_jobs: int | None = None,
        validation_size: float = 0.3,
        crossfit_max_cases: int = 20_000,
        n_folds: int = 3,
        max_selection_cases: int = 100_000,
        stream_window: int = 1000,
    ) -> None:
        self.method = method
        self.capacity = capacity
        self.person_capacity = person_capacity
        self.audit = audit
        self.estimator = estimator
        self.calibration = calibration
        self.cost = cost
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.validation_size = validation_size
        self.crossfit_max_cases = crossfit_max_cases
        self.n_folds = n_folds
        self.max_selection_cases = max_selection_cases
        self.stream_window = stream_window

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any = None, decisions: Any = None) -> HumanAITeam:
        """Build the team from historical cases.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            The cases (a :class:`TeamData` from :func:`load_data` carries everything).
        y : array-like, optional
            Ground truth (when ``X`` is not a TeamData).
        decisions : pandas.DataFrame, optional
            People's decisions, wide or long (see :func:`as_team_data`).

        Returns
        -------
        HumanAITeam
            ``self``.
        """
        self._check_params()
        data = as_team_data(X, y, decisions, cost=self.cost)
        self._remember_schema(data)
        log.info(
            "fit: %d cases, %d persons, %d classes",
            data.n_cases,
            data.n_persons,
            len(data.classes_),
        )
        rng = np.random.default_rng(self.random_state)
        Z = self._fit_preprocessor(data)
        val_idx, P_raw = self._fit_ai(data, Z, rng)
        folds = (rng.permutation(val_idx.size) % max(2, self.n_folds)).astype(np.int64)
        y_val, H_val = data.y[val_idx], data.H[val_idx]
        log.info("fit: calibration on %d validation cases", val_idx.size)
        P_oof = self.ai_.fit_calibration(P_raw, y_val, folds)
        P_val = self.ai_.calibrator_.transform(P_raw)
        log.info("fit: person models")
        self._fit_persons(Z[val_idx], P_val, y_val, H_val, data)
        self.background_ = Z[rng.choice(data.n_cases, min(200, data.n_cases), replace=False)]
        cost_val = data.cost[val_idx] if data.cost is not None else np.ones(val_idx.size)
        honest = self._honest_views(Z[val_idx], P_oof, y_val, H_val, cost_val, folds)
        log.info("fit: choosing the routing method")
        self._fit_methods(data, Z, honest, y_val, H_val, folds)
        final_view = self._view(Z[val_idx], P_val, H_val >= 0, cost_val)
        self._stream_gains_ = self._sample_gains(final_view, rng)
        self._fit_router()
        self.training_metrics_ = self._training_metrics(P_raw, P_oof, y_val)
        return self

    def _check_params(self) -> None:
        if not 0.0 <= float(self.capacity) <= 1.0:
            raise ValueError(f"capacity must lie in [0, 1], got {self.capacity}")
        if not 0.0 <= float(self.audit) < 1.0:
            raise ValueError(f"audit must lie in [0, 1), got {self.audit}")
        if self.method != "auto":
            make_method(self.method)

    def _remember_schema(self, data: TeamData) -> None:
        self.classes_ = np.asarray(data.classes_)
        self.persons_ = list(data.persons)
        self.feature_types_ = dict(data.feature_types)
        self.feature_names_in_ = np.array(list(data.feature_types), dtype=object)
        self.n_features_in_ = len(self.feature_types_)
        self.text_encoder_ = data.text_encoder
        self.uses_scores_ = data.scores is not None
        self.score_columns_ = list(data.score_columns)
        self.cost_column_ = self.cost or data.columns.get("cost")
        self.roles_ = {p: data.roles.get(p, "person") for p in self.persons_}
        self.data_summary_ = summarise(data)
        self.columns_ = dict(data.columns)
        self.read_options_ = dict(data.read_options)

    def _fit_preprocessor(self, data: TeamData) -> np.ndarray:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.utils import get_tags

        est = self.estimator
        native = est is None or isinstance(est, HistGradientBoostingClassifier)
        keep_nan = est is None or bool(get_tags(est).input_tags.allow_nan)
        self.preprocessor_ = FeaturePreprocessor(
            data.feature_types,
            text_encoder=data.text_encoder,
            native_categorical=native,
            keep_nan=keep_nan,
            random_state=self.random_state,
            read_options=data.read_options,
        ).fit(data.X)
        return self.preprocessor_.transform(data.X)

    def _fit_ai(
        self, data: TeamData, Z: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit the classifier; return validation positions and their honest probabilities."""
        n, K = data.n_cases, len(data.classes_)
        self.ai_ = AIModel(
            self.estimator,
            self.calibration,
            use_scores=self.uses_scores_,
            random_state=self.random_state,
        )
        mask = self.preprocessor_.categorical_mask_
        if data.scores is not None:
            self.ai_.fit_base(Z, data.y, K)
            idx = self._cap(np.arange(n), rng)
            return idx, self.ai_.raw_proba(scores=data.scores[idx])
        if n <= self.crossfit_max_cases and data.time is None:
            log.info("fit: cross-fitting the AI (5 folds, %d cases)", n)
            folds = rng.permutation(n) % 5
            P = np.zeros((n, K))
            for f in range(5):
                test = folds == f
                with few_threads(n):
                    est = self.ai_.make_estimator(mask).fit(Z[~test], data.y[~test])
                P[test] = full_proba(est, Z[test], K)
            self.ai_.fit_base(Z, data.y, K, mask)
            idx = self._cap(np.arange(n), rng)
            return idx, P[idx]
        train, val = split_positions(n, self.validation_size, data.time, self.random_state)
        log.info("fit: training the AI on %d cases", train.size)
        self.ai_.fit_base(Z[train], data.y[train], K, mask)
        val = self._cap(val, rng)
        return val, self.ai_.raw_proba(Z[val])

    def _cap(self, idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if idx.size <= self.max_selection_cases:
            return idx
        return np.sort(rng.choice(idx, self.max_selection_cases, replace=False))

    def _fit_persons(
        self, Z: np.ndarray, P: np.ndarray, y: np.ndarray, H: np.ndarray, data: TeamData
    ) -> None:
        K = len(self.classes_)
        self.person_inputs_ = PersonInputs(random_state=self.random_state).fit(Z)
        U = self.person_inputs_.transform(Z, P)
        self.person_model_ = PersonModel(random_state=self.random_state).fit(
            U, y, H, n_classes=K, n_ai=K
        )
        # confusion matrices need no AI output: learn them from every training case
        self.confusion_, self.pooled_confusion_ = confusion_matrices(data.y, data.H, K)
        self.person_accuracy_ = _accuracy(data.y, data.H)

    def _view(
        self,
        Z: np.ndarray,
        P: np.ndarray,
        available: np.ndarray,
        cost: np.ndarray,
        person_model: PersonModel | None = None,
        confusion: np.ndarray | None = None,
        accuracy: np.ndarray | None = None,
    ) -> CaseView:
        model = person_model or self.person_model_
        if len(self.persons_):
            correct = model.predict_correct(self.person_inputs_.transform(Z, P))
        else:
            correct = np.zeros((Z.shape[0], 0))
        accuracy = self.person_accuracy_ if accuracy is None else accuracy
        accuracy = np.nan_to_num(accuracy, nan=model.pooled_accuracy_)
        return CaseView(
            Z,
            P,
            correct,
            self.confusion_ if confusion is None else confusion,
            np.asarray(available, dtype=bool),
            np.asarray(cost, dtype=np.float64),
            accuracy,
        )

    def _honest_views(
        self,
        Z: np.ndarray,
        P_oof: np.ndarray,
        y: np.ndarray,
        H: np.ndarray,
        cost: np.ndarray,
        folds: np.ndarray,
    ) -> list[tuple[np.ndarray, CaseView, CaseView]]:
        """Per fold: (positions, training view, held-out view) with cross-fitted persons."""
        K = len(self.classes_)
        views = []
        for f in np.unique(folds):
            test, train = np.flatnonzero(folds == f), np.flatnonzero(folds != f)
            U_train = self.person_inputs_.transform(Z[train], P_oof[train])
            model = PersonModel(random_state=self.random_state).fit(
                U_train, y[train], H[train], n_classes=K, n_ai=K
            )
            confusion, _ = confusion_matrices(y[train], H[train], K)
            # tie-breaks by a person's overall accuracy must not peek at the held-out fold
            accuracy = _accuracy(y[train], H[train])
            train_view = self._view(
                Z[train], P_oof[train], H[train] >= 0, cost[train], model, confusion, accuracy
            )
            test_view = self._view(
                Z[test], P_oof[test], H[test] >= 0, cost[test], model, confusion, accuracy
            )
            views.append((test, train_view, test_view))
        return views

    def _candidates(self, n_cases: int) -> list[str]:
        if not self.persons_:
            # without people's decisions every method reduces to the AI deciding
            if self.method not in {"auto", "ai_only"}:
                log.warning("no person decisions: method %s falls back to ai_only", self.method)
            return ["ai_only"]
        if self.method != "auto":
            return [self.method]
        usable = set(available_methods())
        if n_cases > LEARNED_AUTO_MAX_CASES:
            # training the surrogates would dominate the fit: name them to use them
            usable -= {"learned_ce", "learned_ova"}
        ordered = [m for m in AUTO_ORDER if m in usable]
        extra = [m for m in usable - set(AUTO_ORDER) if METHODS[m].respects_capacity]
        return ordered + sorted(m for m in extra if m != "human_only")

    def _fit_methods(
        self,
        data: TeamData,
        Z: np.ndarray,
        honest: list[tuple[np.ndarray, CaseView, CaseView]],
        y: np.ndarray,
        H: np.ndarray,
        folds: np.ndarray,
    ) -> None:
        report: dict[str, Any] = {"capacity": self.capacity, "audit": self.audit, "methods": {}}
        caps = person_limits(self.person_capacity, self.persons_, y.size)
        self.methods_: dict[str, Method] = {}
        correct: dict[str, np.ndarray] = {}
        candidates = self._candidates(data.n_cases)
        # every validation case with its honest (out-of-fold) AI and person figures
        validation = _stack_views([(test, view) for test, _, view in honest], y.size)
        for k, name in enumerate(candidates, 1):
            log.info("fit: scoring method %d/%d: %s", k, len(candidates), name)
            try:
                outcomes, margin = self._honest_outcomes(name, honest, y, H)
            except MethodNotAvailable as exc:
                report["methods"][name] = {"skipped": str(exc)}
                continue
            figures, correct[name] = self._score_outcomes(outcomes, caps)
            figures["margin"] = margin
            report["methods"][name] = figures
            method = make_method(name)
            method.fit(validation, y, H)
            method.margin_ = margin
            self.methods_[name] = method
        if not correct:
            raise MethodNotAvailable(f"no routing method could run: {report['methods']}")
        best, reason = _choose_method(
            correct, report["methods"], self.method == "auto", self.capacity
        )
        self.method_ = best
        report["chosen"] = best
        report["criterion"] = "cost-weighted accuracy" if data.cost is not None else "accuracy"
        report["n_validation_cases"] = int(y.size)
        report["reason"] = reason
        self.selection_report_ = report
        # reference method for evaluation, cheap to keep
        if "human_only" not in self.methods_:
            self.methods_["human_only"] = make_method("human_only")

    def _score_outcomes(self, outcomes: Outcomes, caps: Any) -> tuple[dict, np.ndarray]:
        """Figures at the capacity, and per case the correctness averaged around it.

        The choice of method looks at capacities around the given one (half to one and a
        half times it): a method that is better only at exactly this capacity is more
        likely lucky than better.
        """
        capacity = float(self.capacity)
        route = route_from_outcomes(outcomes, capacity, caps, self.audit, 0)
        figures = score_routing(outcomes, route)
        figures["workload"] = dict(zip(self.persons_, figures["workload"].tolist()))
        per_case = [routed_correct(outcomes, route)]
        if outcomes.respects_capacity:
            for c in sorted({min(1.0, 0.5 * capacity), min(1.0, 1.5 * capacity)} - {capacity}):
                around = route_from_outcomes(outcomes, c, caps, self.audit, 0)
                per_case.append(routed_correct(outcomes, around))
        else:
            per_case *= 2
        local = np.nan_to_num(np.mean(per_case, axis=0))
        figures["accuracy_around"] = float(local.sum() / outcomes.weight.sum())
        return figures, local / outcomes.weight.mean()

    def _honest_outcomes(
        self,
        name: str,
        honest: list[tuple[np.ndarray, CaseView, CaseView]],
        y: np.ndarray,
        H: np.ndarray,
    ) -> tuple[Outcomes, float]:
        """Out-of-fold outcomes of a method (its margin learned on the other folds too), and
        the margin learned on all folds."""
        n, m = H.shape
        parts: list[tuple[np.ndarray, Outcomes]] = []
        for test, train_view, test_view in honest:
            method = make_method(name)
            train = _train_positions(test, n)
            method.fit(train_view, y[train], H[train])
            parts.append((test, method_outcomes(method, test_view, y[test], H[test])))
        outcomes = _stack_outcomes(parts, n, m)
        if not METHODS[name].learns_margin:
            return outcomes, 0.0
        margin = learn_margin(outcomes)
        assert outcomes.difference is not None
        for test, _ in parts:
            fold_margin = learn_margin(_take_outcomes(outcomes, _train_positions(test, n)))
            gains = outcomes.weight[test, None] * (outcomes.difference[test] - fold_margin)
            outcomes.gains[test] = np.where(np.isfinite(outcomes.difference[test]), gains, -np.inf)
        return outcomes, margin

    def _sample_gains(self, view: CaseView, rng: np.random.Generator) -> np.ndarray:
        method = self.methods_[self.method_]
        n = view.n_cases
        idx = np.arange(n) if n <= _STREAM_SAMPLE else rng.choice(n, _STREAM_SAMPLE, False)
        sub = view.take(np.sort(idx))
        # streaming cases have every person available
        sub.available = np.ones_like(sub.available)
        return method.gains(sub)

    def _fit_router(self) -> None:
        gains = self._stream_gains_
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
        self.router_ = OnlineRouter(
            prices,
            capacity=float(self.capacity) if respects else 1.0,
            person_shares=shares if respects else None,
            audit=float(self.audit) if respects else 0.0,
            window=self.stream_window,
            random_state=self.random_state,
        )
        self._router_params_ = self._policy_params()

    def _policy_params(self) -> tuple:
        return (
            self.method_,
            float(self.capacity),
            repr(self.person_capacity),
            float(self.audit),
            self.stream_window,
        )

    def _training_metrics(self, P_raw: np.ndarray, P_oof: np.ndarray, y: np.ndarray) -> dict:
        chosen = self.selection_report_["methods"][self.method_]
        return {
            "n_validation_cases": int(y.size),
            "ai_accuracy": float((P_oof.argmax(axis=1) == y).mean()),
            "ai_log_loss_uncalibrated": log_loss(P_raw, y),
            "ai_log_loss": log_loss(P_oof, y),
            "ai_ece_uncalibrated": expected_calibration_error(P_raw, y),
            "ai_ece": expected_calibration_error(P_oof, y),
            "calibration": self.ai_.calibration_,
            "team_accuracy": chosen["accuracy"],
            "team_human_share": chosen["human_share"],
            "person_cases": dict(zip(self.persons_, self.person_model_.n_decided_.tolist())),
        }

    # ------------------------------------------------------------ routing
    def _check_fitted(self) -> None:
        if not hasattr(self, "methods_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this HumanAITeam is not fitted yet; call fit first")

    def _inputs(
        self, X: Any, available: Any
    ) -> tuple[
        pd.DataFrame, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray
    ]:
        """Features, Z, scores, cost, availability, known answers for cases to route."""
        m = len(self.persons_)
        if isinstance(X, TeamData):
            data = X.with_persons(self.persons_)
            frame, scores, H, ids = data.X, data.scores, data.H, data.ids
            cost = data.cost if data.cost is not None else np.ones(data.n_cases)
            default_available = H >= 0 if (H >= 0).any() else np.ones_like(H, dtype=bool)
        else:
            frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
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
            default_available = np.ones((len(frame), m), dtype=bool)
        Z = self.preprocessor_.transform(frame)
        avail = default_available if available is None else self._availability(available, len(Z))
        return frame, Z, scores, cost, avail, H, ids

    def _availability(self, available: Any, n: int) -> np.ndarray:
        if isinstance(available, pd.DataFrame):
            cols = {str(c): c for c in available.columns}
            out = np.zeros((n, len(self.persons_)), dtype=bool)
            for j, p in enumerate(self.persons_):
                if p in cols:
                    out[:, j] = available[cols[p]].to_numpy(dtype=bool)
            return out
        out = np.asarray(available, dtype=bool)
        if out.shape != (n, len(self.persons_)):
            raise ValueError(
                f"available must have shape (n_cases, n_persons) = {(n, len(self.persons_))}"
            )
        return out

    def case_view(self, X: Any, available: Any = None) -> tuple[CaseView, np.ndarray]:
        """The method's view of cases (calibrated AI, person models) and known answers.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            Cases.
        available : array-like of bool or pandas.DataFrame, optional
            Who can take which case; default: in historical data (a TeamData with decisions)
            whoever decided the case, otherwise everybody.

        Returns
        -------
        (CaseView, numpy.ndarray)
            The view, and the known answers ``H`` (``-1`` where unknown).
        """
        self._check_fitted()
        _, Z, scores, cost, avail, H, _ = self._inputs(X, available)
        P = self.ai_.predict_proba(Z, scores)
        return self._view(Z, P, avail, cost), H

    def route(
        self,
        X: Any,
        batch: bool = True,
        available: Any = None,
        explain: bool | None = None,
        random_state: int | None = None,
    ) -> pd.DataFrame:
        """Route cases: to the AI or to a person, within capacity, with the audit share.

        Parameters
        ----------
        X : TeamData, pandas.DataFrame or array-like
            Cases with the training feature columns.
        batch : bool
            True: the exact batch optimum (capacity applies to these cases as one batch).
            False: the streaming rule of :meth:`route_one`, case by case.
        available : array-like of bool or pandas.DataFrame, optional
            Who can take which case (see :meth:`case_view`).
        explain : bool, optional
            Add explanations (sentences in English and German, and structured data).
            Default: when there are at most 10,000 cases.
        random_state : int, optional
            Seed of the audit draw (default: the team's ``random_state``).

        Returns
        -------
        pandas.DataFrame
            One row per case: ``case_id``, ``routed_to`` (``"ai"`` or a person id), ``audit``,
            ``ai_decision``, ``ai_confidence``, ``expected_correctness_ai``,
            ``expected_correctness_person``, ``person_decision`` and ``team_decision``
            (where the person's answer is known), ``flag_second_look``, and with
            explanations ``explanation``, ``explanation_de``, ``explanation_data``.
        """
        self._check_fitted()
        frame, Z, scores, cost, avail, H, ids = self._inputs(X, available)
        if not batch:
            return self._route_stream(frame, Z, scores, cost, avail, H, ids, explain)
        P = self.ai_.predict_proba(Z, scores)
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
            avail,
        )
        if explain if explain is not None else len(ids) <= _EXPLAIN_AUTO_MAX:
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
        available: np.ndarray,
    ) -> pd.DataFrame:
        n = len(ids)
        handler = np.where(assign >= 0, assign, audit_person)
        names = np.array(["ai", *self.persons_], dtype=object)
        ai_decision = ai_proba.argmax(axis=1)
        labels = np.asarray(self.classes_, dtype=object)
        person_value = np.full(n, np.nan)
        handled = handler >= 0
        person_value[handled] = v_person[handled, handler[handled]]
        return pd.DataFrame(
            {
                "case_id": ids,
                "routed_to": names[handler + 1],
                "audit": audit_person >= 0,
                "ai_decision": labels[ai_decision],
                "ai_confidence": ai_proba.max(axis=1),
                "expected_correctness_ai": v_ai,
                "expected_correctness_person": person_value,
                "person_decision": np.where(answer >= 0, labels[np.maximum(answer, 0)], None),
                "team_decision": np.where(team >= 0, labels[np.maximum(team, 0)], None),
                "flag_second_look": handled & (answer >= 0) & (answer != ai_decision),
            }
        )

    def _explainer(self) -> AIExplainer:
        if getattr(self, "_explainer_", None) is None:
            self._explainer_ = AIExplainer(
                self.ai_.estimator_,
                self.preprocessor_.output_groups_,
                self.background_,
                self.preprocessor_.categorical_mask_,
            )
        return self._explainer_

    def _add_explanations(
        self,
        result: pd.DataFrame,
        frame: pd.DataFrame,
        Z: np.ndarray,
        ai_proba: np.ndarray,
        v_ai: np.ndarray,
        v_person: np.ndarray,
        available: np.ndarray,
        left: list[np.ndarray],
        total_left: list[int],
    ) -> None:
        decided = ai_proba.argmax(axis=1)
        names, contrib = self._explainer().attributions(Z, decided)
        method_cls = METHODS[self.method_]
        data, en, de = [], [], []
        for i in range(len(result)):
            top = top_features(names, contrib[i], frame, i)
            persons = {
                p: float(v_person[i, j]) for j, p in enumerate(self.persons_) if available[i, j]
            }
            e = explain_routing(
                routed_to=str(result["routed_to"].iat[i]),
                audit=bool(result["audit"].iat[i]),
                ai_label=result["ai_decision"].iat[i],
                ai_confidence=float(result["ai_confidence"].iat[i]),
                ai_value=float(v_ai[i]),
                person_values=persons,
                capacity_left={p: int(left[i][j]) for j, p in enumerate(self.persons_)},
                total_left=int(total_left[i]),
                top_features=top,
                method=self.method_,
                respects_capacity=method_cls.respects_capacity,
                margin=self._margin(),
            )
            data.append(e)
            en.append(e["text_en"] + " " + e["ai_text_en"])
            de.append(e["text_de"] + " " + e["ai_text_de"])
        result["explanation"] = en
        result["explanation_de"] = de
        result["explanation_data"] = data

    def _route_stream(
        self,
        frame: pd.DataFrame,
        Z: np.ndarray,
        scores: np.ndarray | None,
        cost: np.ndarray,
        avail: np.ndarray,
        H: np.ndarray,
        ids: np.ndarray,
        explain: bool | None,
    ) -> pd.DataFrame:
        self._ensure_router()
        P = self.ai_.predict_proba(Z, scores)
        view = self._view(Z, P, avail, cost)
        method = self.methods_[self.method_]
        ai_proba = method.ai_proba(view)
        v_ai, v_person = method.values(view)
        gains = method.gains_from(view, v_ai, v_person)
        n = len(ids)
        assign = np.full(n, -1, dtype=np.int64)
        audit_person = np.full(n, -1, dtype=np.int64)
        lefts, totals = [], []
        for i in range(n):
            j, is_audit = self.router_.route(gains[i])
            (audit_person if is_audit else assign)[i] = j
            total_left, left = self.router_.capacity_left()
            lefts.append(left)
            totals.append(total_left)
        answer = np.full(n, -1, dtype=np.int64)
        handler = np.where(assign >= 0, assign, audit_person)
        answer[handler >= 0] = H[handler >= 0, handler[handler >= 0]]
        team = ai_proba.argmax(axis=1)
        deferred = assign >= 0
        team[deferred] = -1
        known = np.flatnonzero(deferred & (answer >= 0))
        if known.size:
            team[known] = method.decide(view.take(known), assign[known], answer[known])
        result = self._result_frame(
            ids, assign, audit_person, ai_proba, answer, team, v_ai, v_person, avail
        )
        if explain if explain is not None else n <= _EXPLAIN_AUTO_MAX:
            self._add_explanations(result, frame, Z, ai_proba, v_ai, v_person, avail, lefts, totals)
        return result

    def _margin(self) -> float:
        method = self.methods_[self.method_]
        return float(getattr(method, "margin_", 0.0)) if method.learns_margin else 0.0

    def _ensure_router(self) -> None:
        if getattr(self, "_router_params_", None) != self._policy_params():
            self._fit_router()

    def route_one(
        self, case: Mapping[str, Any] | pd.Series, available: Any = None, explain: bool = True
    ) -> dict[str, Any]:
        """Route a single streaming case with the online rule (prices and capacity counters).

        Parameters
        ----------
        case : mapping or pandas.Series
            The case's column values.
        available : array-like of bool or dict, optional
            Who can take it (``{person: bool}`` or one flag per person); default everybody.
        explain : bool
            Add the explanation (sentences and structured data).

        Returns
        -------
        dict
            ``routed_to``, ``audit``, ``ai_decision``, ``ai_confidence``,
            ``expected_correctness_ai``, ``expected_correctness_person`` and, with
            ``explain``, ``explanation``, ``explanation_de``, ``explanation_data``.
        """
        self._check_fitted()
        self._ensure_router()
        values = dict(case.items()) if isinstance(case, pd.Series) else dict(case)
        z = self.preprocessor_.transform_one(values)
        scores = None
        if self.uses_scores_:
            scores = np.array([[float(values[c]) for c in self.score_columns_]])
        P = self.ai_.predict_proba(z, scores)
        m = len(self.persons_)
        if available is None:
            avail = np.ones((1, m), dtype=bool)
        elif isinstance(available, Mapping):
            avail = np.array([[bool(available.get(p, False)) for p in self.persons_]])
        else:
            avail = np.asarray(available, dtype=bool).reshape(1, m)
        cost_value = float(values.get(self.cost_column_, 1.0)) if self.cost_column_ else 1.0
        view = self._view(z, P, avail, np.array([cost_value]))
        method = self.methods_[self.method_]
        ai_proba = method.ai_proba(view)
        v_ai, v_person = method.values(view)
        gains = method.gains_from(view, v_ai, v_person)[0]
        j, is_audit = self.router_.route(gains)
        decided = int(ai_proba[0].argmax())
        out: dict[str, Any] = {
            "routed_to": "ai" if j < 0 else self.persons_[j],
            "audit": bool(is_audit),
            "ai_decision": self.classes_[decided],
            "ai_confidence": float(ai_proba[0, decided]),
            "expected_correctness_ai": float(v_ai[0]),
            "expected_correctness_person": float(v_person[0, j]) if j >= 0 else None,
        }
        if explain:
            names, contrib = self._explainer().attributions(z, np.array([decided]))
            total_left, left = self.router_.capacity_left()
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
                top_features=top_features(names, contrib[0], values, None),
                method=self.method_,
                respects_capacity=METHODS[self.method_].respects_capacity,
                margin=self._margin(),
            )
            out["explanation"] = e["text_en"] + " " + e["ai_text_en"]
            out["explanation_de"] = e["text_de"] + " " + e["ai_text_de"]
            out["explanation_data"] = e
        return out

    def reset_stream(self) -> HumanAITeam:
        """Reset :meth:`route_one`'s capacity counters and audit draws.

        Returns
        -------
        HumanAITeam
            ``self``.
        """
        self._check_fitted()
        self._fit_router()
        return self

    def evaluate(self, data: Any, **kwargs: Any) -> Any:
        """Evaluate on held-out cases; see :func:`teaming.evaluate.evaluate`.

        Parameters
        ----------
        data : TeamData
            Held-out cases with ground truth and decisions.
        **kwargs
            Passed to :func:`teaming.evaluate.evaluate`.

        Returns
        -------
        Evaluation
        """
        from .evaluate import evaluate

        kwargs.setdefault("n_jobs", self.n_jobs)
        kwargs.setdefault("random_state", self.random_state)
        return evaluate(self, data, **kwargs)

    def save(self, path: Any, evaluation: Any = None) -> Any:
        """Save to a directory; see :func:`teaming.persist.save_team`.

        Parameters
        ----------
        path : str or path
            Target directory.
        evaluation : Evaluation, optional
            Figures for the model card.

        Returns
        -------
        pathlib.Path
        """
        from .persist import save_team

        return save_team(self, path, evaluation=evaluation)


def route_from_outcomes(
    outcomes: Outcomes, capacity: float, caps: Any, audit: float, random_state: Any
) -> Any:
    """Route precomputed outcomes as one batch (reference methods ignore capacity)."""
    from .policy import route_batch

    if not outcomes.respects_capacity:
        return route_batch(outcomes.gains, capacity=1.0, random_state=random_state)
    return route_batch(
        outcomes.gains,
        capacity=capacity,
        person_caps=caps,
        audit=audit,
        random_state=random_state,
    )


def _accuracy(y: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Each person's share of right decisions (NaN for a person without decisions)."""
    decided = (H >= 0).sum(axis=0)
    right = ((y[:, None] == H) & (H >= 0)).sum(axis=0)
    return np.where(decided > 0, right / np.maximum(decided, 1), np.nan)


def _stack_views(parts: list[tuple[np.ndarray, CaseView]], n: int) -> CaseView:
    """One view of all cases from views of disjoint parts (positions, view)."""
    first = parts[0][1]

    def stacked(attr: str) -> np.ndarray:
        sample = getattr(first, attr)
        out = np.empty((n, *sample.shape[1:]), dtype=sample.dtype)
        for idx, view in parts:
            out[idx] = getattr(view, attr)
        return out

    return CaseView(
        stacked("Z"),
        stacked("ai_proba"),
        stacked("person_correct"),
        first.confusion,
        stacked("available"),
        stacked("cost"),
        first.person_accuracy,
    )


def _stack_outcomes(parts: list[tuple[np.ndarray, Outcomes]], n: int, m: int) -> Outcomes:
    out = Outcomes(
        np.empty((n, m)), np.empty(n), np.empty((n, m)), np.empty(n), True, np.empty((n, m))
    )
    for idx, part in parts:
        out.gains[idx], out.ai_correct[idx] = part.gains, part.ai_correct
        out.person_correct[idx], out.weight[idx] = part.person_correct, part.weight
        assert out.difference is not None and part.difference is not None
        out.difference[idx] = part.difference
        out.respects_capacity = part.respects_capacity
    return out


def _take_outcomes(outcomes: Outcomes, idx: np.ndarray) -> Outcomes:
    return Outcomes(
        outcomes.gains[idx],
        outcomes.ai_correct[idx],
        outcomes.person_correct[idx],
        outcomes.weight[idx],
        outcomes.respects_capacity,
        None if outcomes.difference is None else outcomes.difference[idx],
    )


# a simpler method is kept while the best one leads it by less than this many standard
# errors of the paired per-case difference (the leader's edge may be noise)
SELECTION_TOLERANCE = 0.25


def _choose_method(
    correct: dict[str, np.ndarray], figures: dict[str, dict], auto: bool, capacity: float
) -> tuple[str, str]:
    """The method to use, and why: the best by the figure around the capacity, unless a
    simpler one (earlier in ``correct``) trails it by less than the tolerance."""
    names = list(correct)
    scores = {k: float(correct[k].mean()) for k in names}
    best = max(names, key=lambda k: scores[k])
    if not auto:
        at = figures[best]["accuracy"]
        return best, f"method {best!r} was set by the user; validation figure {at:.4f}"
    chosen, note = best, ""
    for name in names[: names.index(best)]:
        diff = correct[best] - correct[name]
        se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0
        lead = scores[best] - scores[name]
        if lead <= SELECTION_TOLERANCE * se:
            chosen = name
            note = (
                f"; {best} led by only {lead:+.4f} ({lead / se if se else 0:.2f} standard "
                f"errors of the paired difference), so the simpler {name} is kept"
            )
            break
    ranked = sorted(names, key=lambda k: -figures[k]["accuracy"])
    listing = ", ".join(f"{k} {figures[k]['accuracy']:.4f}" for k in ranked)
    return chosen, (
        f"{best} had the best cross-fitted validation figure around capacity {capacity:g} "
        f"(accuracy at {capacity:g}: {listing}){note}"
    )


def _train_positions(test: np.ndarray, n: int) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    mask[test] = False
    return np.flatnonzero(mask)
