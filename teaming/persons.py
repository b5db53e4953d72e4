"""Models of the people: where each person is likely right, and how they err.

Correctness model
    One logistic regression over all decided (case, person) pairs predicts whether the
    person got the case right. Its inputs are the case's features (standardised, reduced to
    at most ``max_components`` directions) and the calibrated AI's output (class
    probabilities and confidence). Every person has their own intercept and their own slopes
    on the AI's output, with a Gaussian prior centred on zero: a person with few decided
    cases stays close to the pooled model, a person with many moves as far as their history
    supports. The prior's standard deviation is ``person_prior`` on the log-odds scale
    (implemented by scaling the person-specific columns of one L2-penalised regression, so
    the penalty on them is ``1 / person_prior**2`` times that on a unit column).
Confusion matrices
    ``C_j[y, h]``, the probability that person ``j`` answers ``h`` when the truth is ``y``,
    with Dirichlet smoothing toward the pooled matrix of all persons (``confusion_prior``
    pseudo-cases per true class); the pooled matrix itself is smoothed toward uniform.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

__all__ = ["PersonInputs", "PersonModel", "confusion_matrices"]

_NEWTON_MAX_COLUMNS = 2000


class PersonInputs(BaseEstimator):
    """The inputs of the correctness model: reduced features plus the AI's output.

    Parameters
    ----------
    max_components : int
        Features beyond this many are reduced by a truncated SVD.
    random_state : int
        Seed of the SVD.

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.random.default_rng(0).normal(size=(50, 4)); P = np.full((50, 2), 0.5)
    >>> PersonInputs().fit(Z).transform(Z, P).shape
    (50, 6)
    """

    def __init__(self, max_components: int = 16, random_state: int = 0) -> None:
        self.max_components = max_components
        self.random_state = random_state

    def fit(self, Z: np.ndarray) -> PersonInputs:
        """Learn the standardisation (and reduction) from training features.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed features.

        Returns
        -------
        PersonInputs
            ``self``.
        """
        Z = np.asarray(Z, dtype=np.float64)
        self.mean_ = np.nan_to_num(np.nanmean(Z, axis=0)) if Z.shape[0] else np.zeros(Z.shape[1])
        std = np.nanstd(Z, axis=0) if Z.shape[0] else np.ones(Z.shape[1])
        self.scale_ = np.where(np.nan_to_num(std) > 1e-12, np.nan_to_num(std), 1.0)
        self.components_: np.ndarray | None = None
        if Z.shape[1] > self.max_components:
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(self.max_components, random_state=self.random_state)
            svd.fit(self._standardise(Z))
            self.components_ = np.asarray(svd.components_.T)
        return self

    def _standardise(self, Z: np.ndarray) -> np.ndarray:
        S = np.asarray(Z, dtype=np.float32) - self.mean_.astype(np.float32)
        S /= self.scale_.astype(np.float32)
        return np.nan_to_num(S, copy=False)

    def transform(self, Z: np.ndarray, ai_proba: np.ndarray) -> np.ndarray:
        """Inputs for the correctness model.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed features.
        ai_proba : numpy.ndarray of shape (n_cases, n_classes)
            Calibrated AI probabilities.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_inputs)
            Features first, then the AI block of :func:`ai_block`.
        """
        check_is_fitted(self)
        S = self._standardise(Z)
        if self.components_ is not None:
            S = S @ self.components_.astype(np.float32)
        np.clip(S, -8.0, 8.0, out=S)
        return np.concatenate([S, ai_block(ai_proba).astype(np.float32)], axis=1)


def ai_block(ai_proba: np.ndarray) -> np.ndarray:
    """The AI's output as inputs: class probabilities (all but the last, which the others
    determine) and the confidence (max probability), centred on a uniform AI.

    Dropping the redundant column and centring keep the correctness model's design well
    conditioned (probabilities that sum to one duplicate the intercept).

    Examples
    --------
    >>> import numpy as np
    >>> ai_block(np.array([[0.2, 0.8]])).round(2).tolist()
    [[-0.3, 0.05]]
    """
    P = np.asarray(ai_proba, dtype=np.float64)
    K = P.shape[1]
    return np.concatenate(
        [P[:, : K - 1] - 1.0 / K, P.max(axis=1, keepdims=True) - (1.0 + 1.0 / K) / 2.0], axis=1
    )


class PersonModel(BaseEstimator):
    """Per person, the probability of being right on a case; and their confusion matrix.

    Parameters
    ----------
    person_prior : float
        Prior standard deviation (log-odds) of a person's deviation from the pooled model;
        smaller means stronger shrinkage toward the pooled estimate.
    confusion_prior : float
        Pseudo-cases per true class pulling a person's confusion matrix toward the pooled one.
    max_pairs : int
        At most this many (case, person) pairs are used to fit (a random subsample).
    random_state : int
        Seed of the subsample.

    Attributes
    ----------
    n_decided_ : numpy.ndarray of int
        Decided cases per person in the training data.
    confusion_ : numpy.ndarray of shape (n_persons, n_classes, n_classes)
        Smoothed ``C_j[true, answer]``.
    pooled_confusion_ : numpy.ndarray of shape (n_classes, n_classes)
    pooled_accuracy_ : float

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> U = rng.normal(size=(300, 3)); y = rng.integers(0, 2, 300)
    >>> H = np.where(rng.random((300, 2)) < 0.8, y[:, None], 1 - y[:, None])
    >>> model = PersonModel().fit(U, y, H, n_classes=2, n_ai=3)
    >>> model.predict_correct(U[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        person_prior: float = 0.5,
        confusion_prior: float = 5.0,
        max_pairs: int = 100_000,
        random_state: int = 0,
    ) -> None:
        self.person_prior = person_prior
        self.confusion_prior = confusion_prior
        self.max_pairs = max_pairs
        self.random_state = random_state

    def fit(
        self, U: np.ndarray, y: np.ndarray, H: np.ndarray, n_classes: int, n_ai: int
    ) -> PersonModel:
        """Fit on training cases.

        Parameters
        ----------
        U : numpy.ndarray of shape (n_cases, n_inputs)
            Inputs from :class:`PersonInputs`; the last ``n_ai`` columns are the AI block.
        y : numpy.ndarray of int
            True classes.
        H : numpy.ndarray of int of shape (n_cases, n_persons)
            Decisions, ``-1`` where not decided.
        n_classes : int
            Number of classes.
        n_ai : int
            Width of the AI block (person-specific slopes act on it).

        Returns
        -------
        PersonModel
            ``self``.
        """
        U = np.asarray(U, dtype=np.float64)
        H = np.asarray(H, dtype=np.int64)
        n, m = H.shape
        self.n_persons_ = m
        self.n_ai_ = int(n_ai)
        self.n_decided_ = (H >= 0).sum(axis=0)
        self.confusion_, self.pooled_confusion_ = confusion_matrices(
            y, H, n_classes, self.confusion_prior
        )
        rows, persons = np.nonzero(H >= 0)
        correct = (H[rows, persons] == y[rows]).astype(np.int64)
        self.pooled_accuracy_ = float(correct.mean()) if correct.size else 0.5
        if rows.size > self.max_pairs:
            keep = np.random.default_rng(self.random_state).choice(
                rows.size, self.max_pairs, replace=False
            )
            rows, persons, correct = rows[keep], persons[keep], correct[keep]
        self._fit_regression(U, rows, persons, correct)
        return self

    def _design(self, U: np.ndarray, rows: np.ndarray, persons: np.ndarray) -> Any:
        from scipy.sparse import csr_matrix, hstack

        n_pairs = rows.size
        m, n_ai = self.n_persons_, self.n_ai_
        pooled = csr_matrix(U[rows])
        values = (
            np.concatenate([np.ones((n_pairs, 1)), U[rows][:, U.shape[1] - n_ai :]], axis=1)
            * self.person_prior
        )
        width = n_ai + 1
        cols = persons[:, None] * width + np.arange(width)[None, :]
        person_part = csr_matrix(
            (values.ravel(), (np.repeat(np.arange(n_pairs), width), cols.ravel())),
            shape=(n_pairs, m * width),
        )
        return hstack([pooled, person_part], format="csr")

    def _fit_regression(
        self, U: np.ndarray, rows: np.ndarray, persons: np.ndarray, correct: np.ndarray
    ) -> None:
        from sklearn.linear_model import LogisticRegression

        d = U.shape[1]
        width = self.n_ai_ + 1
        self.coef_pooled_ = np.zeros(d)
        self.coef_person_ = np.zeros((self.n_persons_, width))
        rate = float(np.clip(correct.mean(), 1e-3, 1 - 1e-3)) if correct.size else 0.5
        self.intercept_ = float(np.log(rate / (1 - rate)))
        if correct.size == 0 or correct.min() == correct.max():
            return
        design = self._design(U, rows, persons)
        # Newton steps converge in a handful of iterations where L-BFGS needs hundreds; its
        # Hessian has one row per column, so very wide designs (many persons) use L-BFGS
        solver = "newton-cholesky" if design.shape[1] <= _NEWTON_MAX_COLUMNS else "lbfgs"
        model = LogisticRegression(C=1.0, max_iter=1000, tol=1e-6, solver=solver)
        model.fit(design, correct)
        coef = model.coef_[0]
        self.coef_pooled_ = coef[:d]
        self.coef_person_ = coef[d:].reshape(self.n_persons_, width) * self.person_prior
        self.intercept_ = float(model.intercept_[0])

    def predict_correct(self, U: np.ndarray) -> np.ndarray:
        """Probability that each person is right on each case.

        Parameters
        ----------
        U : numpy.ndarray of shape (n_cases, n_inputs)
            Inputs from :class:`PersonInputs`.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons)
        """
        check_is_fitted(self)
        U = np.asarray(U)
        dtype = U.dtype if U.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        base = U @ self.coef_pooled_.astype(dtype) + dtype.type(self.intercept_)
        ai = U[:, U.shape[1] - self.n_ai_ :]
        logit = ai @ self.coef_person_[:, 1:].T.astype(dtype)
        logit += base[:, None] + self.coef_person_[:, 0].astype(dtype)[None, :]
        np.negative(logit, out=logit)
        np.exp(logit, out=logit)
        logit += 1.0
        return np.reciprocal(logit, out=logit).astype(np.float64, copy=False)


def confusion_matrices(
    y: np.ndarray, H: np.ndarray, n_classes: int, prior: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed confusion matrices per person and pooled.

    Parameters
    ----------
    y : numpy.ndarray of int
        True classes.
    H : numpy.ndarray of int of shape (n_cases, n_persons)
        Decisions, ``-1`` where not decided.
    n_classes : int
        Number of classes.
    prior : float
        Pseudo-cases per true class drawn from the pooled matrix.

    Returns
    -------
    (numpy.ndarray of shape (n_persons, K, K), numpy.ndarray of shape (K, K))
        ``C[j, true, answer]`` per person, and the pooled matrix; rows sum to one.

    Examples
    --------
    >>> import numpy as np
    >>> C, pooled = confusion_matrices(np.array([0, 1, 1]), np.array([[0], [1], [0]]), 2)
    >>> C.shape, np.allclose(C.sum(axis=2), 1)
    ((1, 2, 2), True)
    """
    K = int(n_classes)
    H = np.asarray(H, dtype=np.int64)
    m = H.shape[1]
    counts = np.zeros((m, K, K))
    for j in range(m):
        decided = H[:, j] >= 0
        flat = y[decided] * K + H[decided, j]
        counts[j] = np.bincount(flat, minlength=K * K).reshape(K, K)
    total = counts.sum(axis=0)
    pooled = (total + 1.0 / K) / (total.sum(axis=1, keepdims=True) + 1.0)
    per_person = (counts + prior * pooled[None]) / (counts.sum(axis=2, keepdims=True) + prior)
    return per_person, pooled
