"""The AI: a classifier (or an existing model's scores) with calibrated probabilities.

Calibration is chosen on validation cases whose scores the classifier did not see in
training: ``none``, ``temperature`` (one temperature on the log-probabilities), ``vector`` (a scale
and a bias per class on the log-probabilities, Guo et al. 2017), ``sigmoid`` (Platt scaling,
one-vs-rest for several classes) or ``isotonic``; ``"auto"`` picks the one
with the lowest cross-validated log-loss on those cases.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .constants import SINGLE_THREAD_MAX_ROWS
from .metrics import expected_calibration_error, log_loss

__all__ = ["AIModel", "Calibrator", "CALIBRATIONS", "scores_to_proba"]

CALIBRATIONS = ("none", "temperature", "vector", "sigmoid", "isotonic")
_EPS = 1e-7


def _normalise(P: np.ndarray) -> np.ndarray:
    P = np.clip(P, _EPS, None)
    return P / P.sum(axis=1, keepdims=True)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def scores_to_proba(scores: Any, n_classes: int, kind: str | None = None) -> tuple[np.ndarray, str]:
    """Turn an existing model's class scores into probabilities.

    Parameters
    ----------
    scores : array-like of shape (n_cases, n_classes) or (n_cases, 1)
        Probabilities (all values in [0, 1]; rows are normalised) or logits (anything else);
        one column is the positive class's score of a binary target.
    n_classes : int
        Number of classes.
    kind : {"proba", "positive", "logit", "positive_logit"}, optional
        How to read the scores; detected from their range when None.

    Returns
    -------
    (numpy.ndarray of shape (n_cases, n_classes), str)
        Probabilities and the kind used.

    Examples
    --------
    >>> P, kind = scores_to_proba([[2.0, 0.0], [0.0, 0.0]], 2)
    >>> kind, P.round(3).tolist()
    ('logit', [[0.881, 0.119], [0.5, 0.5]])
    >>> scores_to_proba([[0.8], [0.1]], 2)[0].round(2).tolist()
    [[0.2, 0.8], [0.9, 0.1]]
    """
    S = np.asarray(scores, dtype=np.float64)
    if S.ndim == 1:
        S = S[:, None]
    in_unit = bool(np.all((S >= 0) & (S <= 1)))
    if S.shape[1] == 1:
        kind = kind or ("positive" if in_unit else "positive_logit")
        p1 = S[:, 0] if kind == "positive" else 1.0 / (1.0 + np.exp(-S[:, 0]))
        return np.column_stack([1.0 - p1, p1]), kind
    if S.shape[1] != n_classes:
        raise ValueError(f"{S.shape[1]} score columns for {n_classes} classes")
    kind = kind or ("proba" if in_unit else "logit")
    if kind == "proba":
        return _normalise(S), kind
    return _softmax(S), kind


class Calibrator(BaseEstimator):
    """Maps class probabilities to calibrated class probabilities.

    Parameters
    ----------
    method : {"none", "temperature", "vector", "sigmoid", "isotonic"}
        The calibration map.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> q = rng.uniform(0.2, 0.8, 2000)
    >>> y = (rng.random(2000) < q).astype(int)
    >>> P = np.column_stack([1 - q, q]) ** 4  # far too confident
    >>> P = P / P.sum(axis=1, keepdims=True)
    >>> cal = Calibrator("temperature").fit(P, y)
    >>> bool(cal.temperature_ > 1)
    True
    """

    def __init__(self, method: str = "none") -> None:
        self.method = method

    def fit(self, P: Any, y: Any) -> Calibrator:
        """Fit the map on probabilities ``P`` of held-out cases with true classes ``y``.

        Parameters
        ----------
        P : array-like of shape (n_cases, n_classes)
            Uncalibrated probabilities.
        y : array-like of int
            True class indices.

        Returns
        -------
        Calibrator
            ``self``.
        """
        if self.method not in CALIBRATIONS:
            raise ValueError(f"calibration must be one of {CALIBRATIONS}, got {self.method!r}")
        P = _normalise(np.asarray(P, dtype=np.float64))
        y = np.asarray(y, dtype=np.int64)
        self.n_classes_ = P.shape[1]
        if self.method == "temperature":
            self.temperature_ = _fit_temperature(np.log(P), y)
        elif self.method == "vector":
            self.scale_, self.bias_ = _fit_vector(np.log(P), y)
        elif self.method == "sigmoid":
            self.maps_ = [_fit_platt(P[:, k], y == k) for k in self._columns()]
        elif self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            self.maps_ = [
                IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
                    P[:, k], (y == k).astype(np.float64)
                )
                for k in self._columns()
            ]
        return self

    def _columns(self) -> list[int]:
        # binary: calibrate the positive class only; several classes: one-vs-rest
        return [1] if self.n_classes_ == 2 else list(range(self.n_classes_))

    def transform(self, P: Any) -> np.ndarray:
        """Calibrated probabilities.

        Parameters
        ----------
        P : array-like of shape (n_cases, n_classes)
            Uncalibrated probabilities.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_classes)
        """
        check_is_fitted(self)
        P = _normalise(np.asarray(P, dtype=np.float64))
        if self.method == "none":
            return P
        if self.method == "temperature":
            return _softmax(np.log(P) / self.temperature_)
        if self.method == "vector":
            return _softmax(np.log(P) * self.scale_ + self.bias_)
        columns = [_apply_map(m, P[:, k], self.method) for m, k in zip(self.maps_, self._columns())]
        if self.n_classes_ == 2:
            p1 = np.clip(columns[0], _EPS, 1 - _EPS)
            return np.column_stack([1.0 - p1, p1])
        Q = np.column_stack(columns)
        empty = Q.sum(axis=1) <= _EPS
        Q[empty] = P[empty]
        return _normalise(Q)


def _apply_map(model: Any, p: np.ndarray, method: str) -> np.ndarray:
    if method == "sigmoid":
        a, b = model
        return 1.0 / (1.0 + np.exp(-(a * _logit(p) + b)))
    return np.asarray(model.predict(p), dtype=np.float64)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def _fit_platt(p: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    from scipy.optimize import minimize

    x = _logit(p)
    t = target.astype(np.float64)
    # Platt's smoothed targets keep the fit finite on separable data
    n_pos, n_neg = t.sum(), (1 - t).sum()
    t = np.where(t > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = w[0] * x + w[1]
        q = 1.0 / (1.0 + np.exp(-z))
        value = np.sum(np.logaddexp(0, z) - t * z)
        grad_z = q - t
        return float(value), np.array([np.dot(grad_z, x), grad_z.sum()])

    result = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def _fit_temperature(logp: np.ndarray, y: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        z = logp / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))

    result = minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded")
    return float(np.exp(result.x))


def _fit_vector(logp: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> tuple[np.ndarray, ...]:
    """Vector scaling: ``softmax(a * log p + b)`` by penalised log-likelihood.

    Starts from the temperature fit; a small ridge pulls the scales toward it and the
    biases toward zero (which also pins the biases' common shift).
    """
    from scipy.optimize import minimize

    K = logp.shape[1]
    start = np.full(K, 1.0 / _fit_temperature(logp, y))
    onehot = np.eye(K)[y]
    n = len(y)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = w[:K], w[K:]
        z = logp * a + b
        z = z - z.max(axis=1, keepdims=True)
        q = np.exp(z)
        total = q.sum(axis=1, keepdims=True)
        value = float(np.sum(np.log(total[:, 0]) - z[np.arange(n), y])) / n
        resid = (q / total - onehot) / n
        grad_a = np.sum(resid * logp, axis=0) + 2 * ridge * (a - start)
        grad_b = resid.sum(axis=0) + 2 * ridge * b
        value += ridge * float(np.sum((a - start) ** 2) + np.sum(b**2))
        return value, np.concatenate([grad_a, grad_b])

    result = minimize(loss, np.concatenate([start, np.zeros(K)]), jac=True, method="L-BFGS-B")
    return result.x[:K].copy(), result.x[K:].copy()


def choose_calibration(
    P: np.ndarray, y: np.ndarray, folds: np.ndarray, candidates: tuple[str, ...] = CALIBRATIONS
) -> tuple[str, np.ndarray, dict[str, dict[str, float]]]:
    """Pick the calibration with the lowest cross-validated log-loss.

    Parameters
    ----------
    P : numpy.ndarray of shape (n_cases, n_classes)
        Held-out (honest) probabilities.
    y : numpy.ndarray of int
        True classes.
    folds : numpy.ndarray of int
        Fold number per case.
    candidates : tuple of str
        Methods to compare, simplest first (ties go to the simpler one).

    Returns
    -------
    (str, numpy.ndarray, dict)
        The chosen method, its out-of-fold calibrated probabilities, and log-loss and ECE
        per method.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 1000)
    >>> P = np.where(y[:, None] == [0, 1], 0.95, 0.05)
    >>> flip = rng.random(1000) < 0.3
    >>> P[flip] = P[flip][:, ::-1]
    >>> name, _, report = choose_calibration(P, y, np.arange(1000) % 3)
    >>> name != "none"
    True
    """
    report: dict[str, dict[str, float]] = {}
    best, best_loss, best_P = "none", np.inf, P
    for method in candidates:
        oof = np.empty_like(P)
        for f in np.unique(folds):
            test = folds == f
            train = ~test
            if train.sum() == 0 or len(np.unique(y[train])) < 2:
                oof[test] = P[test]
                continue
            oof[test] = Calibrator(method).fit(P[train], y[train]).transform(P[test])
        loss = log_loss(oof, y)
        report[method] = {"log_loss": loss, "ece": expected_calibration_error(oof, y)}
        # a more flexible map must earn its place by a clear margin
        if loss < best_loss - 1e-4:
            best, best_loss, best_P = method, loss, oof
    return best, best_P, report


class AIModel(BaseEstimator):
    """The AI of a team: a classifier, or an existing model's scores, plus calibration.

    Fitted in two steps: :meth:`fit` learns the classifier (uncalibrated, ``"none"``, until
    the second step), :meth:`fit_calibration` chooses and fits the calibration on honest
    probabilities of cases the classifier did not learn from.

    Parameters
    ----------
    estimator : scikit-learn classifier, optional
        Any estimator with ``predict_proba``; default ``HistGradientBoostingClassifier``.
        Ignored when ``use_scores`` is True.
    calibration : {"auto", "none", "temperature", "vector", "sigmoid", "isotonic"}
        Calibration map, or ``"auto"`` to choose by validation log-loss.
    use_scores : bool
        The AI is an existing model whose class scores come with the data.
    random_state : int
        Seed of the default estimator.

    Attributes
    ----------
    estimator_ : fitted estimator or None
    calibrator_ : Calibrator
    calibration_ : str
        The calibration in use.
    calibration_report_ : dict
        Validation log-loss and ECE of every calibration tried.
    score_kind_ : str or None
        How an existing model's scores are read (see :func:`scores_to_proba`).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(400, 3)).astype("float32"); y = (Z[:, 0] > 0).astype(int)
    >>> ai = AIModel(calibration="none").fit(Z, y, n_classes=2)
    >>> _ = ai.fit_calibration(ai.raw_proba(Z), y, np.arange(400) % 3)
    >>> ai.predict_proba(Z[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        estimator: Any = None,
        calibration: str = "auto",
        use_scores: bool = False,
        random_state: int = 0,
    ) -> None:
        self.estimator = estimator
        self.calibration = calibration
        self.use_scores = use_scores
        self.random_state = random_state

    def make_estimator(self, categorical_mask: np.ndarray | None = None) -> Any:
        """A fresh (unfitted) copy of the estimator."""
        from sklearn.base import clone
        from sklearn.ensemble import HistGradientBoostingClassifier

        if self.estimator is None:
            estimator = HistGradientBoostingClassifier(random_state=self.random_state)
        else:
            estimator = clone(self.estimator)
        if (
            isinstance(estimator, HistGradientBoostingClassifier)
            and categorical_mask is not None
            and categorical_mask.any()
        ):
            estimator.set_params(categorical_features=categorical_mask)
        return estimator

    def fit(
        self,
        Z: np.ndarray,
        y: np.ndarray,
        n_classes: int | None = None,
        categorical_mask: np.ndarray | None = None,
        scores: np.ndarray | None = None,
    ) -> AIModel:
        """Fit the classifier on training cases (with ``use_scores``: read the scores' kind).

        The probabilities stay uncalibrated until :meth:`fit_calibration`.

        Parameters
        ----------
        Z : numpy.ndarray
            Preprocessed features.
        y : numpy.ndarray of int
            Classes.
        n_classes : int, optional
            Number of classes of the team (default: one more than the largest in ``y``).
        categorical_mask : numpy.ndarray of bool, optional
            Columns of ``Z`` holding category codes.
        scores : numpy.ndarray, optional
            The existing model's scores of these cases (with ``use_scores``).

        Returns
        -------
        AIModel
            ``self``.
        """
        if self.calibration not in ("auto", *CALIBRATIONS):
            raise ValueError(f"calibration must be 'auto' or one of {CALIBRATIONS}")
        y = np.asarray(y, dtype=np.int64)
        self.n_classes_ = int(n_classes) if n_classes is not None else int(y.max()) + 1
        self.estimator_ = None
        self.score_kind_ = None
        if self.use_scores:
            if scores is None:
                raise ValueError("this AI is an existing model: pass its scores")
            _, self.score_kind_ = scores_to_proba(scores, self.n_classes_)
        else:
            with few_threads(Z.shape[0]):
                self.estimator_ = self.make_estimator(categorical_mask).fit(Z, y)
        self.calibration_ = "none"
        self.calibration_report_: dict[str, dict[str, float]] = {}
        self.calibrator_ = Calibrator("none").fit(
            np.eye(self.n_classes_), np.arange(self.n_classes_)
        )
        return self

    def refit(
        self, Z: np.ndarray, y: np.ndarray, categorical_mask: np.ndarray | None = None
    ) -> AIModel:
        """Refit the classifier on more cases, keeping the calibration chosen so far.

        For the final AI once the choices that needed held-out cases are made (a time
        column's latest cases, say): the calibration map stays the one fitted on them.

        Parameters
        ----------
        Z : numpy.ndarray
            Preprocessed features of all cases.
        y : numpy.ndarray of int
            Their classes.
        categorical_mask : numpy.ndarray of bool, optional
            Columns of ``Z`` holding category codes.

        Returns
        -------
        AIModel
            ``self``.

        Examples
        --------
        >>> import numpy as np
        >>> Z = np.random.default_rng(0).normal(size=(300, 2)); y = (Z[:, 0] > 0).astype(int)
        >>> ai = AIModel(calibration="none").fit(Z[:200], y[:200], n_classes=2)
        >>> ai.refit(Z, y).predict_proba(Z[:1]).shape
        (1, 2)
        """
        check_is_fitted(self)
        if not self.use_scores:
            with few_threads(Z.shape[0]):
                self.estimator_ = self.make_estimator(categorical_mask).fit(Z, y)
        return self

    def raw_proba(self, Z: np.ndarray | None = None, scores: np.ndarray | None = None) -> Any:
        """Uncalibrated probabilities, one column per team class.

        Parameters
        ----------
        Z : numpy.ndarray, optional
            Preprocessed features (for a trained classifier).
        scores : numpy.ndarray, optional
            The existing model's scores (with ``use_scores``).

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_classes)
        """
        check_is_fitted(self)
        if self.use_scores:
            if scores is None:
                raise ValueError("this team's AI is an existing model: pass its scores")
            return scores_to_proba(scores, self.n_classes_, self.score_kind_)[0]
        if self.estimator_ is None or Z is None:
            raise ValueError("pass the preprocessed features Z")
        return full_proba(self.estimator_, Z, self.n_classes_)

    def fit_calibration(self, P: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
        """Choose (when ``"auto"``) and fit the calibration on honest probabilities.

        Parameters
        ----------
        P : numpy.ndarray of shape (n_cases, n_classes)
            Probabilities on cases the classifier was not trained on.
        y : numpy.ndarray of int
            True classes.
        folds : numpy.ndarray of int
            Fold per case for the cross-validated choice.

        Returns
        -------
        numpy.ndarray
            Out-of-fold calibrated probabilities (honest, for choosing a method).
        """
        check_is_fitted(self)
        candidates = CALIBRATIONS if self.calibration == "auto" else (self.calibration,)
        chosen, oof, report = choose_calibration(P, y, folds, candidates)
        self.calibration_ = chosen
        self.calibration_report_ = report
        self.calibrator_ = Calibrator(chosen).fit(P, y)
        return oof

    def predict_proba(self, Z: np.ndarray | None = None, scores: np.ndarray | None = None) -> Any:
        """Calibrated class probabilities.

        Parameters
        ----------
        Z : numpy.ndarray, optional
            Preprocessed features.
        scores : numpy.ndarray, optional
            The existing model's scores (with ``use_scores``).

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_classes)
        """
        check_is_fitted(self)
        return self.calibrator_.transform(self.raw_proba(Z, scores))


_CONTROLLER: Any = None


def few_threads(n_rows: int) -> Any:
    """Limit native thread pools to one thread for small inputs (a no-op context otherwise).

    Examples
    --------
    >>> with few_threads(10):
    ...     pass
    """
    import contextlib

    global _CONTROLLER
    if n_rows >= SINGLE_THREAD_MAX_ROWS:
        return contextlib.nullcontext()
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        # finding the native libraries is slow (it reads the process's maps): do it once
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1)


def full_proba(estimator: Any, Z: np.ndarray, n_classes: int) -> np.ndarray:
    """``predict_proba`` with one column per team class (zeros for unseen classes).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> est = DummyClassifier().fit(np.zeros((3, 1)), [0, 2, 2])
    >>> full_proba(est, np.zeros((1, 1)), 3).round(2).tolist()
    [[0.33, 0.0, 0.67]]
    """
    from .batch_proba import blocked_tree_proba
    from .single_case import tree_proba

    proba = tree_proba(estimator, Z)
    if proba is None:
        proba = blocked_tree_proba(estimator, Z)
    if proba is None:
        with few_threads(Z.shape[0]):
            proba = np.asarray(estimator.predict_proba(Z), dtype=np.float64)
    classes = np.asarray(estimator.classes_, dtype=np.int64)
    if proba.shape[1] == n_classes and np.array_equal(classes, np.arange(n_classes)):
        return proba
    out = np.zeros((proba.shape[0], n_classes))
    out[:, classes] = proba
    return out
