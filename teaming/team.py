"""HumanAITeam: fit a calibrated AI, models of the people and a router; route cases.

How ``fit`` uses the training cases
    The AI's probabilities must be judged on cases it did not learn from. Up to
    ``crossfit_max_cases`` cases (and without a time column) the classifier is cross-fitted
    (``CROSSFIT_FOLDS`` folds) so every case gets an honest probability, then refitted on all
    cases; above
    that, or with a time column, it learns from the first ``1 - validation_size`` share (the
    earliest cases with a time column) and the rest is the validation set. An existing
    model's scores need no training, so every case is validation. On the validation cases
    (at most ``max_selection_cases``, a random sample) the calibration is chosen, the person
    models are fitted, and every method is scored by team accuracy at the given capacity,
    all with ``n_folds``-fold cross-fitting so no figure is judged on the data that shaped
    it; ``method="auto"`` takes the best and ``selection_report_`` says which and why
    (:mod:`teaming.selection`).
Streaming
    :meth:`HumanAITeam.route_one` routes one case with the streaming rule of
    :mod:`teaming.router.streaming`; its running counts are a :class:`~teaming.router.StreamState`
    the caller may keep (a web service: in its database) and pass in with each case.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .ai import AIModel, few_threads, full_proba
from .arrays import as_team_data
from .constants import (
    CROSSFIT_FOLDS,
    CROSSFIT_MAX_CASES,
    EXPLAIN_AUTO_MAX_CASES,
    EXPLAIN_BACKGROUND_CASES,
    MAX_SELECTION_CASES,
    MIN_PERSON_CASES,
    PERSON_CHUNK_CASES,
    SELECTION_FOLDS,
    STREAM_PRICE_CASES,
    STREAM_WINDOW,
)
from .data import NOT_DECIDED, DataError, DataWarning, TeamData, split_positions, summarise
from .decisions import prioritise, route_cases, team_decisions
from .explain import AIExplainer, explain_routing, top_features
from .features import FeaturePreprocessor
from .leaks import LeakWarning, describe_leak, find_leaks
from .methods import METHODS, CaseView, LazyCorrect
from .metrics import expected_calibration_error, log_loss
from .novelty import NoveltyProfile, describe_reason, flatten_confidence
from .persons import PersonInputs, PersonModel, confusion_matrices
from .router import (
    OnlineRouter,
    StreamState,
    assign_batch,
    deferral_budget,
    dual_prices,
    person_limits,
)
from .selection import HonestFold, candidate_methods, select_method
from .workload import summarise_routing

__all__ = ["HumanAITeam", "as_team_data"]

log = logging.getLogger("teaming")


class HumanAITeam(BaseEstimator):
    """A human-AI team: a calibrated AI, a model of each person, and a router.

    Parameters
    ----------
    method : str
        Routing method (see :mod:`teaming.methods`), or ``"auto"`` to pick the best on
        validation data at the given capacity.
    capacity : float
        Share of cases (0..1) people may take together, audits included.
    person_capacity : None, float, int or dict
        Each person's limit per batch: a share (float), a count (int), or a dict per person
        (see :func:`teaming.router.person_limits`).
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
    min_person_cases : int
        Persons with fewer decided training cases are left out of routing (never offered a
        case; their decisions still inform the pooled person model), and a warning names
        them; 0 keeps everyone, shrunk toward the pooled model.
    refit_ai : {"auto", True, False}
        Refit the classifier on all training cases once the calibration and the method are
        chosen on the validation cases (``"auto"``: with a time column, whose latest cases
        were held out for validation; cross-fitted classifiers are always refitted).
    unusual_cases : {"person", "flag"}
        Cases unlike the training data (an unseen category, many missing values, a number
        far outside the training values; see :mod:`teaming.novelty`): ``"person"`` sends
        them to an available person before any other case (within capacity), ``"flag"``
        only marks them. Either way the AI's confidence on them is flattened (temperature
        2, same decision) and the output says why they are unusual.
    recent : float
        With a time column, a person is routed new cases only if they decided a case in the
        latest ``recent`` share of the training period (someone who left is not sent work);
        name them in ``available`` to route to them anyway. Without a time column everyone
        is active.
    leaks : {"warn", "drop"}
        A feature that alone predicts the target almost perfectly (probably known only after
        the decision; see :mod:`teaming.leaks`) is named in a :class:`~teaming.leaks.LeakWarning`
        (``"warn"``) or left out of the features with that warning (``"drop"``). Either way
        ``leaks_`` and the model card list it.

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
    persons_left_out_ : list of str
        Persons left out of routing for having too few decided training cases.
    ai_ : teaming.ai.AIModel
        The calibrated AI.
    person_model_ : teaming.persons.PersonModel
        Where each person is likely right.
    preprocessor_ : teaming.features.FeaturePreprocessor
        Turns case columns into numbers.
    router_ : teaming.router.OnlineRouter
        The streaming rule at the capacity, person limits and audit share of ``fit``.
    novelty_ : teaming.novelty.NoveltyProfile
        What the training cases looked like (ranges, categories, missing values).
    leaks_ : list of dict
        Suspected leaks (``column``, ``accuracy`` of the feature alone, ``base_rate``,
        ``dropped``).
    person_activity_ : dict
        ``last_decision`` per person (time of their latest decided case, or None),
        ``active`` (the persons routed by default) and ``since`` (the cut-off).

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
        crossfit_max_cases: int = CROSSFIT_MAX_CASES,
        n_folds: int = SELECTION_FOLDS,
        max_selection_cases: int = MAX_SELECTION_CASES,
        stream_window: int = STREAM_WINDOW,
        min_person_cases: int = MIN_PERSON_CASES,
        refit_ai: str | bool = "auto",
        unusual_cases: str = "person",
        recent: float = 0.25,
        leaks: str = "warn",
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
        self.min_person_cases = min_person_cases
        self.refit_ai = refit_ai
        self.unusual_cases = unusual_cases
        self.recent = recent
        self.leaks = leaks

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
        data = self._check_leaks(as_team_data(X, y, decisions, cost=self.cost))
        self._remember_schema(data)
        log.info(
            "fit: %d cases, %d persons, %d classes",
            data.n_cases,
            data.n_persons,
            len(data.classes_),
        )
        rng = np.random.default_rng(self.random_state)
        Z = self._fit_preprocessor(data)
        self.novelty_ = NoveltyProfile(data.feature_types, read_options=data.read_options)
        self.novelty_.fit(data.X)
        val_idx, P_raw = self._fit_ai(data, Z, rng)
        folds = (rng.permutation(val_idx.size) % max(2, self.n_folds)).astype(np.int64)
        y_val, H_val = data.y[val_idx], data.H[val_idx]
        log.info("fit: calibration on %d validation cases", val_idx.size)
        P_oof = self.ai_.fit_calibration(P_raw, y_val, folds)
        P_val = self.ai_.calibrator_.transform(P_raw)
        log.info("fit: person models")
        t_val = None if data.time is None else _time_numbers(data.time)[val_idx]
        self._fit_persons(Z[val_idx], P_val, y_val, H_val, data, t_val)
        n_background = min(EXPLAIN_BACKGROUND_CASES, data.n_cases)
        self.background_ = Z[rng.choice(data.n_cases, n_background, replace=False)]
        cost_val = data.cost[val_idx] if data.cost is not None else np.ones(val_idx.size)
        honest = self._honest_folds(Z[val_idx], P_oof, y_val, H_val, cost_val, folds, t_val)
        log.info("fit: choosing the routing method")
        self.methods_, self.selection_report_ = select_method(
            candidate_methods(
                self.method,
                int(self.routable_.sum()),
                data.n_cases,
                _median_decided(data.H, self.routable_),
            ),
            honest,
            y_val,
            H_val,
            capacity=float(self.capacity),
            person_caps=person_limits(self.person_capacity, self.persons_, y_val.size),
            audit=float(self.audit),
            persons=self.persons_,
            auto=self.method == "auto",
            criterion="cost-weighted accuracy" if data.cost is not None else "accuracy",
        )
        self.method_ = self.selection_report_["chosen"]
        if self._refits_ai(data, val_idx):
            log.info("fit: refitting the AI on all %d cases", data.n_cases)
            self.ai_.refit(Z, data.y, self.preprocessor_.categorical_mask_)
        self.explainer_ = self._make_explainer()
        final_view = self._view(Z[val_idx], P_val, H_val >= 0, cost_val)
        self.stream_gains_ = self._sample_gains(final_view, rng)
        self.router_ = self._make_router()
        # a cache of derived settings (see stream_router), not a fitted attribute
        self.__dict__["_router_cache"] = (self._router_params(), self.router_)
        self.training_metrics_ = self._training_metrics(P_raw, P_oof, y_val)
        return self

    def _check_params(self) -> None:
        if not 0.0 <= float(self.capacity) <= 1.0:
            raise ValueError(f"capacity must lie in [0, 1], got {self.capacity}")
        if not 0.0 <= float(self.audit) < 1.0:
            raise ValueError(f"audit must lie in [0, 1), got {self.audit}")
        if self.leaks not in {"warn", "drop"}:
            raise ValueError(f"leaks must be 'warn' or 'drop', got {self.leaks!r}")
        if self.unusual_cases not in {"person", "flag"}:
            raise ValueError(
                f"unusual_cases must be 'person' or 'flag', got {self.unusual_cases!r}"
            )
        if self.method != "auto":
            from .methods import make_method

            make_method(self.method)

    def _check_leaks(self, data: TeamData) -> TeamData:
        """Find suspected leaks (``leaks_``), warn, and leave them out if asked."""
        self.leaks_ = find_leaks(data, random_state=self.random_state)
        drop = self.leaks == "drop"
        droppable = [leak["column"] for leak in self.leaks_ if leak["column"] in data.X]
        if drop and len(droppable) == len(data.feature_types) and data.scores is None:
            droppable = droppable[1:]  # the AI needs one feature
        for leak in self.leaks_:
            leak["dropped"] = drop and leak["column"] in droppable
            warnings.warn(describe_leak(leak), LeakWarning, stacklevel=3)
        if not drop or not droppable:
            return data
        from dataclasses import replace

        keep = [c for c in data.feature_types if c not in droppable]
        return replace(
            data,
            X=data.X[keep],
            feature_types={c: data.feature_types[c] for c in keep},
        )

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
        self.data_summary_["leaks"] = [dict(leak) for leak in self.leaks_]
        self.columns_ = dict(data.columns)
        self.read_options_ = dict(data.read_options)
        decided = (data.H >= 0).sum(axis=0)
        self.routable_ = decided >= int(self.min_person_cases)
        self.persons_left_out_ = [p for p, ok in zip(self.persons_, self.routable_) if not ok]
        if self.persons_left_out_:
            few = [
                f"{p} ({int(c)})"
                for p, c, ok in zip(self.persons_, decided, self.routable_)
                if not ok
            ]
            more = f" and {len(few) - 20} more" if len(few) > 20 else ""
            log.warning(
                "%d person(s) decided fewer than %d training cases and are left out of routing "
                "(their decisions still inform the pooled person model; min_person_cases=0 "
                "keeps them): %s%s",
                len(few),
                self.min_person_cases,
                ", ".join(few[:20]),
                more,
            )
        self.person_activity_ = _activity(data, float(self.recent))

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
            self.ai_.fit(Z, data.y, K, scores=data.scores)
            idx = self._cap(np.arange(n), rng)
            return idx, self.ai_.raw_proba(scores=data.scores[idx])
        if n <= self.crossfit_max_cases and data.time is None:
            log.info("fit: cross-fitting the AI (%d folds, %d cases)", CROSSFIT_FOLDS, n)
            folds = rng.permutation(n) % CROSSFIT_FOLDS
            P = np.zeros((n, K))
            for f in range(CROSSFIT_FOLDS):
                test = folds == f
                with few_threads(n):
                    est = self.ai_.make_estimator(mask).fit(Z[~test], data.y[~test])
                P[test] = full_proba(est, Z[test], K)
            self.ai_.fit(Z, data.y, K, mask)
            idx = self._cap(np.arange(n), rng)
            return idx, P[idx]
        train, val = split_positions(n, self.validation_size, data.time, self.random_state)
        log.info("fit: training the AI on %d cases", train.size)
        self.ai_.fit(Z[train], data.y[train], K, mask)
        val = self._cap(val, rng)
        return val, self.ai_.raw_proba(Z[val])

    def _refits_ai(self, data: TeamData, val_idx: np.ndarray) -> bool:
        """Refit on all cases when the classifier learned from a share only."""
        if data.scores is not None or self.refit_ai is False:
            return False
        learned_from_share = data.time is not None or data.n_cases > self.crossfit_max_cases
        if self.refit_ai == "auto":
            return data.time is not None
        return bool(self.refit_ai) and learned_from_share

    def _cap(self, idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if idx.size <= self.max_selection_cases:
            return idx
        return np.sort(rng.choice(idx, self.max_selection_cases, replace=False))

    def _fit_persons(
        self,
        Z: np.ndarray,
        P: np.ndarray,
        y: np.ndarray,
        H: np.ndarray,
        data: TeamData,
        time: np.ndarray | None,
    ) -> None:
        K = len(self.classes_)
        self.person_inputs_ = PersonInputs(random_state=self.random_state).fit(
            Z, self.preprocessor_.categorical_mask_, time
        )
        U = self.person_inputs_.transform(Z, P, time)
        self.person_model_ = PersonModel(random_state=self.random_state).fit(
            U, y, H, n_classes=K, n_ai=K
        )
        # confusion matrices need no AI output: learn them from every training case
        self.confusion_, _ = confusion_matrices(data.y, data.H, K)
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

    def _honest_folds(
        self,
        Z: np.ndarray,
        P_oof: np.ndarray,
        y: np.ndarray,
        H: np.ndarray,
        cost: np.ndarray,
        folds: np.ndarray,
        time: np.ndarray | None,
    ) -> list[HonestFold]:
        """Per fold: its cases and the other folds' seen through person models fitted there."""
        K = len(self.classes_)
        out = []
        for f in np.unique(folds):
            test, train = np.flatnonzero(folds == f), np.flatnonzero(folds != f)
            t_train = None if time is None else time[train]
            t_test = None if time is None else time[test]
            U_train = self.person_inputs_.transform(Z[train], P_oof[train], t_train)
            model = PersonModel(random_state=self.random_state).fit(
                U_train, y[train], H[train], n_classes=K, n_ai=K
            )
            confusion, _ = confusion_matrices(y[train], H[train], K)
            # tie-breaks by a person's overall accuracy must not peek at the held-out fold
            accuracy = _accuracy(y[train], H[train])
            train_view = self._view(
                Z[train],
                P_oof[train],
                H[train] >= 0,
                cost[train],
                model,
                confusion,
                accuracy,
                t_train,
            )
            test_view = self._view(
                Z[test], P_oof[test], H[test] >= 0, cost[test], model, confusion, accuracy, t_test
            )
            out.append(HonestFold(test, train_view, test_view))
        return out

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
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"a": rng.normal(size=300)}); y = (X.a > 0).astype(int)
        >>> team = HumanAITeam(method="ai_only").fit(X, y)
        >>> team.new_stream_state().to_dict()
        {'used': [], 'seen': 0, 'n_routed': 0, 'persons': []}
        """
        check_is_fitted(self)
        return StreamState.start(len(self.persons_), self.persons_)

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
            default_available = np.tile(self._active(), (len(frame), 1))
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
            return self._route_stream(
                frame, Z, scores, cost, avail, H, ids, explain, state, (unusual, reasons)
            )
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
    ) -> pd.DataFrame:
        n = len(ids)
        handler = np.where(assign >= 0, assign, audit_person)
        names = np.array(["ai", *self.persons_], dtype=object)
        ai_decision = ai_proba.argmax(axis=1)
        labels = np.asarray(self.classes_, dtype=object)
        person_value = np.full(n, np.nan)
        handled = handler >= 0
        person_value[handled] = v_person[handled, handler[handled]]
        # sentences only for the (few) unusual cases: no per-case Python work for the rest
        unusual = np.fromiter(map(bool, reasons), dtype=bool, count=n)
        rows = np.flatnonzero(unusual)
        sentence = np.zeros(n, dtype=np.int64)
        sentence[rows] = np.arange(1, rows.size + 1)
        reasons_en = ["", *("; ".join(describe_reason(x, "en") for x in reasons[i]) for i in rows)]
        reasons_de = ["", *("; ".join(describe_reason(x, "de") for x in reasons[i]) for i in rows)]
        return pd.DataFrame(
            {
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
        )

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

    def _make_explainer(self) -> AIExplainer:
        return AIExplainer(
            self.ai_.estimator_,
            self.preprocessor_.output_groups_,
            self.background_,
            self.preprocessor_.categorical_mask_,
        )

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
        reasons: list[list[dict[str, Any]]],
    ) -> None:
        decided = ai_proba.argmax(axis=1)
        attribution = self.explainer_.explain(Z, decided)
        method_cls = METHODS[self.method_]
        data, en, de = [], [], []
        for i in range(len(result)):
            top = top_features(attribution.names, attribution.values[i], frame, i)
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
                ai_output=_output_of(attribution, i),
                unusual=reasons[i],
                unusual_to_person=self.unusual_cases == "person",
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
        state: StreamState | None,
        novel: tuple[np.ndarray, list[list[dict[str, Any]]]],
    ) -> pd.DataFrame:
        router = self.stream_router()
        if state is None:
            # the cases are one window: capacity holds over them, not over a longer stream
            router = router.for_window(len(ids))
            state = router.start(self.persons_)
        else:
            state = self._stream_state(state)
        unusual, reasons = novel
        P = flatten_confidence(self.ai_.predict_proba(Z, scores), unusual)
        view = self._view(Z, P, avail, cost)
        method = self.methods_[self.method_]
        ai_proba = method.ai_proba(view)
        v_ai, v_person = method.values(view)
        gains = self._prioritised(method.gains_from(view, v_ai, v_person), v_person, unusual)
        n = len(ids)
        assign = np.full(n, -1, dtype=np.int64)
        audit_person = np.full(n, -1, dtype=np.int64)
        lefts, totals = [], []
        for i in range(n):
            j, is_audit = router.route(gains[i], state)
            (audit_person if is_audit else assign)[i] = j
            total_left, left = router.capacity_left(state)
            lefts.append(left)
            totals.append(total_left)
        answer, team, _ = team_decisions(method, view, ai_proba, assign, audit_person, H)
        result = self._result_frame(
            ids, assign, audit_person, ai_proba, answer, team, v_ai, v_person, reasons
        )
        if explain if explain is not None else n <= EXPLAIN_AUTO_MAX_CASES:
            self._add_explanations(
                result, frame, Z, ai_proba, v_ai, v_person, avail, lefts, totals, reasons
            )
        return result

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

    def _margin(self) -> float:
        method = self.methods_[self.method_]
        return float(getattr(method, "margin_", 0.0)) if method.learns_margin else 0.0

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

    def reset_stream(self) -> HumanAITeam:
        """Start this process's own :meth:`route_one` state afresh (an empty window).

        Returns
        -------
        HumanAITeam
            ``self``.
        """
        check_is_fitted(self)
        self.__dict__["_own_stream_state"] = self.new_stream_state()
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

    def save(self, path: Any, evaluation: Any = None, persons: str = "named") -> Any:
        """Save to a directory; see :func:`teaming.persist.save_team`.

        Parameters
        ----------
        path : str or path
            Target directory.
        evaluation : Evaluation, optional
            Figures for the model card.
        persons : {"named", "pseudonymous", "aggregate"}
            How the model cards show the people in the team.

        Returns
        -------
        pathlib.Path
        """
        from .persist import save_team

        return save_team(self, path, evaluation=evaluation, persons=persons)


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


def _median_decided(H: np.ndarray, routable: np.ndarray) -> float:
    """The median number of decided cases of the persons who may take cases."""
    decided = (H >= 0).sum(axis=0)[routable]
    return float(np.median(decided)) if decided.size else 0.0


def _time_numbers(time: np.ndarray) -> np.ndarray:
    """Times as numbers (days for dates), for the person models' time input."""
    values = np.asarray(time)
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[s]").astype(np.float64) / 86_400.0
    return values.astype(np.float64)


def _activity(data: TeamData, recent: float) -> dict[str, Any]:
    """Each person's latest decision and who decided within the latest ``recent`` share."""
    if not 0.0 < recent <= 1.0:
        raise ValueError(f"recent must lie in (0, 1], got {recent}")
    last: dict[str, Any] = dict.fromkeys(data.persons)
    if data.time is None or not data.n_persons or not data.n_cases:
        return {"last_decision": last, "active": list(data.persons), "since": None}
    time = np.asarray(data.time)
    start, end = time.min(), time.max()
    since = end - (end - start) * recent
    active = []
    for j, p in enumerate(data.persons):
        decided = data.H[:, j] >= 0
        if decided.any():
            latest = time[decided].max()
            last[p] = str(latest)
            if latest >= since:
                active.append(p)
    return {"last_decision": last, "active": active, "since": str(since)}


def _output_of(attribution: Any, i: int) -> dict[str, Any]:
    """What one case's contributions add up to (for the explanation's numbers)."""
    return {
        "base": float(attribution.base[i]),
        "output": float(attribution.output[i]),
        "unit": attribution.unit,
        "method": attribution.method,
    }


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
    text_dtype = pd.Series(["text"]).dtype  # how pandas stores text read from Python
    if (
        (codes >= 0).any()  # pandas keeps a column of None only as objects
        and getattr(text_dtype, "storage", None) == "pyarrow"
        and all(isinstance(label, str) for label in labels)
    ):
        import pyarrow as pa

        text = pa.DictionaryArray.from_arrays(
            pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0),
            pa.array(labels.tolist(), type=pa.string()),
        ).cast(pa.string())
        return pd.array(text, dtype=text_dtype)
    return np.where(codes >= 0, labels[np.maximum(codes, 0)], None)


def _accuracy(y: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Each person's share of right decisions (NaN for a person without decisions)."""
    decided = (H >= 0).sum(axis=0)
    right = ((y[:, None] == H) & (H >= 0)).sum(axis=0)
    return np.where(decided > 0, right / np.maximum(decided, 1), np.nan)
