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
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from .ai import AIModel, few_threads, full_proba
from .arrays import as_team_data
from .case_views import CaseViews
from .constants import (
    CROSSFIT_FOLDS,
    CROSSFIT_MAX_CASES,
    EXPLAIN_BACKGROUND_CASES,
    MAX_SELECTION_CASES,
    MIN_PERSON_CASES,
    SELECTION_FOLDS,
    STREAM_WINDOW,
)
from .data import TeamData, split_positions, summarise
from .features import FeaturePreprocessor
from .leaks import LeakWarning, describe_leak, find_leaks
from .metrics import expected_calibration_error, log_loss
from .novelty import NoveltyProfile
from .persons import PersonInputs, PersonModel, confusion_matrices
from .route_explanations import ExplainsRoutes
from .router import person_limits
from .routing import RoutesCases
from .selection import HonestFold, candidate_methods, select_method
from .stream_routing import RoutesStream

__all__ = ["HumanAITeam", "as_team_data"]

log = logging.getLogger("teaming")


class HumanAITeam(RoutesCases, RoutesStream, ExplainsRoutes, CaseViews, BaseEstimator):
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


def _accuracy(y: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Each person's share of right decisions (NaN for a person without decisions)."""
    decided = (H >= 0).sum(axis=0)
    right = ((y[:, None] == H) & (H >= 0)).sum(axis=0)
    return np.where(decided > 0, right / np.maximum(decided, 1), np.nan)
