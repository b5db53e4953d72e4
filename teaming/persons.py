"""Models of the people: where each person is likely right, and how they err.

Correctness model
    One logistic regression over all decided (case, person) pairs predicts whether the
    person got the case right, given the case and its true class. Its inputs
    (:class:`PersonInputs`) are the case's features (numbers standardised, with steps at
    their quantiles so a range of a number can matter; categories as indicators of their most
    frequent values; reduced to at most ``max_components`` directions), the case's time when
    the team has a time column, and the calibrated AI's output (class probabilities and
    confidence); the true class enters as indicators. The pooled part of the model is shared
    by everybody; every person has their own intercept, their own slopes on the features,
    the time and the AI's output, and their own effect of each true class (a person who
    leans to one answer is right more often when that answer is the truth). The person terms
    have a Gaussian prior centred on zero, so a person with few decided cases stays close to
    the pooled model and a person with many moves as far as their history supports:
    standard deviation ``person_prior`` (log-odds) on intercept, time, AI and class terms,
    and ``feature_prior`` on the features' directions together. The model is fitted by
    Newton's method on its block structure (pooled terms, then one small block per person),
    which takes a handful of steps whether there are 5 persons or 5,000.
Predicted correctness
    On new cases the true class is unknown: a person's probability of being right is the
    average over the classes weighted by the calibrated AI's probabilities,
    ``sum_k p(k | x) P(right | x, k)``. With a time column, new cases are scored as of the
    latest training case (each person's current skill).
Confusion matrices
    ``C_j[y, h]``, the probability that person ``j`` answers ``h`` when the truth is ``y``,
    with Dirichlet smoothing toward the pooled matrix of all persons (``confusion_prior``
    pseudo-cases per true class); the pooled matrix itself is smoothed toward uniform.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

__all__ = ["PersonInputs", "PersonModel", "ai_block", "confusion_matrices"]

# the features' share of the inputs is clipped to this many standard deviations
_CLIP = 8.0


class PersonInputs(BaseEstimator):
    """The inputs of the correctness model: the case's features, its time, the AI's output.

    Parameters
    ----------
    max_components : int
        Feature columns (after steps and indicators) beyond this many are reduced by a
        truncated SVD to this many directions.
    n_bins : int
        Numbers get a step at each of the ``n_bins - 1`` inner quantiles (so a person may
        be better or worse on a range of a number).
    max_levels : int
        Categories become indicators of their most frequent ``max_levels`` values.
    random_state : int
        Seed of the SVD.

    Attributes
    ----------
    n_feature_inputs_ : int
        Inputs from the features (and the time).
    uses_time_ : bool
        Whether a time input was fitted.

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.random.default_rng(0).normal(size=(50, 4)); P = np.full((50, 2), 0.5)
    >>> PersonInputs().fit(Z).transform(Z, P).shape  # 4 numbers, 3 steps each, 2 AI columns
    (50, 18)
    """

    def __init__(
        self,
        max_components: int = 16,
        n_bins: int = 4,
        max_levels: int = 8,
        random_state: int = 0,
    ) -> None:
        self.max_components = max_components
        self.n_bins = n_bins
        self.max_levels = max_levels
        self.random_state = random_state

    def fit(
        self,
        Z: np.ndarray,
        categorical_mask: np.ndarray | None = None,
        time: np.ndarray | None = None,
    ) -> PersonInputs:
        """Learn scales, quantile steps, frequent categories (and a reduction) from cases.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed features.
        categorical_mask : numpy.ndarray of bool, optional
            Columns of ``Z`` holding category codes.
        time : numpy.ndarray of float, optional
            The cases' times (a team with a time column).

        Returns
        -------
        PersonInputs
            ``self``.
        """
        Z = np.asarray(Z, dtype=np.float64)
        mask = np.zeros(Z.shape[1], bool) if categorical_mask is None else categorical_mask
        mask = np.asarray(mask, dtype=bool)
        self.numeric_ = np.flatnonzero(~mask)
        self.categorical_ = np.flatnonzero(mask)
        numbers = Z[:, self.numeric_]
        has = Z.shape[0] > 0
        self.mean_ = np.nan_to_num(np.nanmean(numbers, axis=0)) if has else np.zeros(0)
        std = np.nan_to_num(np.nanstd(numbers, axis=0)) if has else np.ones(0)
        self.scale_ = np.where(std > 1e-12, std, 1.0)
        self.steps_ = [_quantile_steps(numbers[:, k], self.n_bins) for k in range(numbers.shape[1])]
        self.levels_ = [_frequent(Z[:, c], self.max_levels) for c in self.categorical_]
        R = self._raw(Z)
        self.raw_mean_ = R.mean(axis=0) if has else np.zeros(R.shape[1])
        raw_std = R.std(axis=0) if has else np.ones(R.shape[1])
        self.raw_scale_ = np.where(raw_std > 1e-9, raw_std, 1.0)
        S = (R - self.raw_mean_) / self.raw_scale_
        self.components_: np.ndarray | None = None
        if S.shape[1] > self.max_components and S.shape[0] > self.max_components:
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(self.max_components, random_state=self.random_state).fit(S)
            self.components_ = np.asarray(svd.components_.T)
            S = S @ self.components_
        # every direction on the same scale, so one prior fits them all
        out_std = S.std(axis=0) if has else np.ones(S.shape[1])
        self.out_scale_ = np.where(out_std > 1e-9, out_std, 1.0)
        self.uses_time_ = time is not None
        if time is not None:
            t = np.asarray(time, dtype=np.float64)
            self.time_mean_ = float(np.mean(t)) if t.size else 0.0
            self.time_scale_ = float(np.std(t)) if t.size and np.std(t) > 0 else 1.0
            self.time_max_ = float(np.max(t)) if t.size else 0.0
        self.n_feature_inputs_ = S.shape[1] + int(self.uses_time_)
        self._fit_affine(R.shape[1])
        return self

    def _fit_affine(self, width: int) -> None:
        """The whole map from raw columns to directions as one affine map: a matrix for the
        standardised numbers, and for each step or category column a table indexed by how
        many steps a number passed (or which frequent category it is), summed."""
        C = np.eye(width) if self.components_ is None else self.components_
        M = (C / self.raw_scale_[:, None]) / self.out_scale_[None, :]
        self.affine_bias_ = (-(self.raw_mean_ / self.raw_scale_) @ C / self.out_scale_).astype(
            np.float32
        )
        d_num = self.numeric_.size
        self.affine_numbers_ = M[:d_num].astype(np.float32)
        row = d_num
        tables, offsets = [], []
        start = 0
        for steps in self.steps_:
            block = M[row : row + steps.size]
            tables.append(np.vstack([np.zeros((1, M.shape[1])), np.cumsum(block, axis=0)]))
            offsets.append(start)
            start += steps.size + 1
            row += steps.size
        for levels in self.levels_:
            block = M[row : row + levels.size]
            tables.append(np.vstack([block, np.zeros((1, M.shape[1]))]))
            offsets.append(start)
            start += levels.size + 1
            row += levels.size
        self.affine_table_ = (
            np.vstack(tables).astype(np.float32)
            if tables
            else np.zeros((0, M.shape[1]), np.float32)
        )
        self.affine_offsets_ = np.asarray(offsets, dtype=np.int64)

    def _raw(self, Z: np.ndarray) -> np.ndarray:
        """Standardised numbers, their quantile steps and category indicators."""
        numbers = (np.asarray(Z[:, self.numeric_], dtype=np.float32) - self.mean_) / self.scale_
        blocks = [np.nan_to_num(np.clip(numbers, -_CLIP, _CLIP)).astype(np.float32)]
        for k, steps in enumerate(self.steps_):
            if steps.size:
                column = Z[:, self.numeric_[k]]
                blocks.append((column[:, None] >= steps[None, :]).astype(np.float32))
        for c, levels in zip(self.categorical_, self.levels_):
            if levels.size:
                blocks.append((Z[:, c][:, None] == levels[None, :]).astype(np.float32))
        return np.concatenate(blocks, axis=1) if blocks else np.zeros((Z.shape[0], 0))

    def transform(
        self, Z: np.ndarray, ai_proba: np.ndarray, time: np.ndarray | None = None
    ) -> np.ndarray:
        """Inputs for the correctness model.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed features.
        ai_proba : numpy.ndarray of shape (n_cases, n_classes)
            Calibrated AI probabilities.
        time : numpy.ndarray of float, optional
            The cases' times; default (and beyond the training span) the latest training
            time, so new cases meet each person's current skill.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_inputs), float32
            Feature directions, the time (if fitted), then the AI block of :func:`ai_block`.
        """
        check_is_fitted(self)
        S = self._directions(np.asarray(Z))
        np.clip(S, -_CLIP, _CLIP, out=S)
        blocks = [S.astype(np.float32, copy=False)]
        if self.uses_time_:
            t = np.full(S.shape[0], self.time_max_) if time is None else np.asarray(time, float)
            t = np.minimum(np.nan_to_num(t, nan=self.time_max_), self.time_max_)
            blocks.append(((t - self.time_mean_) / self.time_scale_)[:, None].astype(np.float32))
        blocks.append(ai_block(ai_proba).astype(np.float32))
        return np.concatenate(blocks, axis=1)

    def _directions(self, Z: np.ndarray) -> np.ndarray:
        """The feature directions of cases (what ``_raw``, standardising and the SVD give)."""
        from scipy.sparse import csr_matrix

        n = Z.shape[0]
        # one float64 copy, standardised in place (the values of the plain expression)
        numbers = np.asarray(Z[:, self.numeric_], dtype=np.float32).astype(np.float64)
        np.subtract(numbers, self.mean_, out=numbers)
        np.divide(numbers, self.scale_, out=numbers)
        np.clip(numbers, -_CLIP, _CLIP, out=numbers)
        np.nan_to_num(numbers, copy=False)
        S = numbers.astype(np.float32) @ self.affine_numbers_
        S += self.affine_bias_
        columns = []
        for k, steps in enumerate(self.steps_):
            column = Z[:, self.numeric_[k]]
            passed = np.zeros(n, dtype=np.int64)
            for step in steps:
                passed += column >= step
            columns.append(passed)
        for c, levels in zip(self.categorical_, self.levels_):
            position = np.full(n, levels.size, dtype=np.int64)
            for i, level in enumerate(levels):
                position[Z[:, c] == level] = i
            columns.append(position)
        if columns:
            index = np.stack(columns, axis=1) + self.affine_offsets_[None, :]
            width = index.shape[1]
            onehot = csr_matrix(
                (
                    np.ones(n * width, dtype=np.float32),
                    index.ravel(),
                    np.arange(0, n * width + 1, width),
                ),
                shape=(n, self.affine_table_.shape[0]),
            )
            S += onehot @ self.affine_table_
        return S


def _quantile_steps(column: np.ndarray, n_bins: int) -> np.ndarray:
    """Inner quantiles of a number (distinct, within its range), where steps go."""
    values = column[np.isfinite(column)]
    if values.size == 0 or n_bins < 2:
        return np.zeros(0)
    edges = np.unique(np.quantile(values, np.linspace(0, 1, n_bins + 1)[1:-1]))
    return edges[(edges > values.min()) & (edges <= values.max())]


def _frequent(codes: np.ndarray, max_levels: int) -> np.ndarray:
    """The most frequent category codes (never all of them: one is the reference)."""
    values = codes[np.isfinite(codes)]
    if values.size == 0:
        return np.zeros(0)
    levels, counts = np.unique(values, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    keep = min(max_levels, max(levels.size - 1, 0)) if levels.size > 1 else 0
    return levels[order[:keep]]


def ai_block(ai_proba: np.ndarray) -> np.ndarray:
    """The AI's output as inputs: class probabilities (all but the last, which the others
    determine) and the confidence (max probability), centred on a uniform AI.

    Dropping the redundant column and centring keep the correctness model's design well
    conditioned (probabilities that sum to one duplicate the intercept).

    Parameters
    ----------
    ai_proba : numpy.ndarray of shape (n_cases, n_classes)
        Calibrated AI probabilities.

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_classes)

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


def proba_from_ai_block(block: np.ndarray) -> np.ndarray:
    """The class probabilities back from :func:`ai_block`.

    Parameters
    ----------
    block : numpy.ndarray of shape (n_cases, n_classes)
        Output of :func:`ai_block`.

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> proba_from_ai_block(ai_block(np.array([[0.2, 0.8]]))).round(2).tolist()
    [[0.2, 0.8]]
    """
    K = block.shape[1]
    first = np.asarray(block[:, : K - 1], dtype=np.float64) + 1.0 / K
    last = 1.0 - first.sum(axis=1, keepdims=True)
    return np.clip(np.concatenate([first, last], axis=1), 0.0, 1.0)


class PersonModel(BaseEstimator):
    """Per person, the probability of being right on a case; and their confusion matrix.

    Parameters
    ----------
    person_prior : float
        Prior standard deviation (log-odds) of a person's own intercept, time, AI and class
        terms; smaller means stronger shrinkage toward the pooled model. For the intercepts
        it is the most allowed: the spread of the persons' accuracies beyond what their
        numbers of cases explain (a random-effects moment estimate) sets it when smaller, so
        a crowd of equally good people is pooled and a team of different people is not.
    feature_prior : float
        Prior standard deviation (log-odds) of a person's own effect of the features, all
        directions together (each direction gets ``feature_prior / sqrt(n_directions)``).
    confusion_prior : float
        Pseudo-cases per true class pulling a person's confusion matrix toward the pooled one.
    max_pairs : int
        At most this many (case, person) pairs are used to fit (a random subsample).
    max_iter : int
        Newton steps at most.
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
    intercept_ : float
    intercept_prior_ : float
        The prior standard deviation used for the persons' intercepts.
    coef_pooled_ : numpy.ndarray of shape (n_inputs + n_classes,)
        Pooled slopes on the inputs, then the pooled effect of each true class.
    coef_person_ : numpy.ndarray of shape (n_persons, 1 + n_inputs + n_classes)
        Per person: intercept, slopes on the inputs, effect of each true class.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> U = rng.normal(size=(300, 3)); y = rng.integers(0, 2, 300)
    >>> H = np.where(rng.random((300, 2)) < 0.8, y[:, None], 1 - y[:, None])
    >>> model = PersonModel().fit(U, y, H, n_classes=2, n_ai=2)
    >>> model.predict_correct(U[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        person_prior: float = 0.5,
        feature_prior: float = 1.0,
        confusion_prior: float = 5.0,
        max_pairs: int = 100_000,
        max_iter: int = 50,
        random_state: int = 0,
    ) -> None:
        self.person_prior = person_prior
        self.feature_prior = feature_prior
        self.confusion_prior = confusion_prior
        self.max_pairs = max_pairs
        self.max_iter = max_iter
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
            Width of the AI block.

        Returns
        -------
        PersonModel
            ``self``.
        """
        U = np.asarray(U, dtype=np.float64)
        H = np.asarray(H, dtype=np.int64)
        y = np.asarray(y, dtype=np.int64)
        n, m = H.shape
        self.n_persons_ = m
        self.n_classes_ = int(n_classes)
        self.n_ai_ = int(n_ai)
        self.n_inputs_ = U.shape[1]
        self.n_decided_ = (H >= 0).sum(axis=0)
        self.confusion_, self.pooled_confusion_ = confusion_matrices(
            y, H, n_classes, self.confusion_prior
        )
        rows, persons = np.nonzero(H >= 0)
        correct = (H[rows, persons] == y[rows]).astype(np.float64)
        self.pooled_accuracy_ = float(correct.mean()) if correct.size else 0.5
        if rows.size > self.max_pairs:
            keep = np.random.default_rng(self.random_state).choice(
                rows.size, self.max_pairs, replace=False
            )
            rows, persons, correct = rows[keep], persons[keep], correct[keep]
        d, K = self.n_inputs_, self.n_classes_
        rate = float(np.clip(correct.mean(), 1e-3, 1 - 1e-3)) if correct.size else 0.5
        self.intercept_ = float(np.log(rate / (1 - rate)))
        self.coef_pooled_ = np.zeros(d + K)
        self.coef_person_ = np.zeros((m, 1 + d + K))
        self.intercept_prior_ = _intercept_spread(persons, correct, m, self.person_prior)
        if correct.size and correct.min() != correct.max():
            onehot = np.eye(K)[y[rows]]
            X = np.concatenate([np.ones((rows.size, 1)), U[rows], onehot], axis=1)
            fit = _fit_blocks(
                X,
                persons,
                correct,
                m,
                self._pooled_precision(),
                self._person_precision(),
                self.max_iter,
            )
            self.intercept_ = float(fit[0][0])
            self.coef_pooled_ = fit[0][1:]
            self.coef_person_ = fit[1]
        return self

    def _pooled_precision(self) -> np.ndarray:
        """Prior precision of the pooled terms: none on the intercept, 1 elsewhere."""
        d, K = self.n_inputs_, self.n_classes_
        return np.concatenate([[0.0], np.ones(d + K)])

    def _person_precision(self) -> np.ndarray:
        """Prior precision of each person's terms: intercept, inputs, classes."""
        d, K = self.n_inputs_, self.n_classes_
        n_features = d - self.n_ai_
        feature_sd = self.feature_prior / np.sqrt(max(n_features, 1))
        sd = np.concatenate(
            [
                [self.person_prior],
                np.full(n_features, feature_sd),
                np.full(self.n_ai_, self.person_prior),
                np.full(K, self.person_prior),
            ]
        )
        sd[0] = self.intercept_prior_
        return 1.0 / sd**2

    def predict_correct_by_class(self, U: np.ndarray) -> np.ndarray:
        """Probability that each person is right on each case, for each possible true class.

        Parameters
        ----------
        U : numpy.ndarray of shape (n_cases, n_inputs)
            Inputs from :class:`PersonInputs`.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons, n_classes)
        """
        check_is_fitted(self)
        person, shifts = self._logits(U)
        out = np.empty((person.shape[0], self.n_persons_, self.n_classes_), dtype=person.dtype)
        for k in range(self.n_classes_):
            out[:, :, k] = _sigmoid(person + shifts[k][None, :])
        return out

    def _logits(self, U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Log-odds without the class terms (n_cases, n_persons), and the class terms
        (n_classes, n_persons)."""
        U = np.asarray(U)
        dtype = U.dtype if U.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        U = U.astype(dtype, copy=False)
        d = self.n_inputs_
        base = U @ self.coef_pooled_[:d].astype(dtype) + dtype.type(self.intercept_)
        person = U @ self.coef_person_[:, 1 : 1 + d].T.astype(dtype)
        person += base[:, None] + self.coef_person_[:, 0].astype(dtype)[None, :]
        shifts = self.coef_pooled_[d:, None] + self.coef_person_[:, 1 + d :].T
        return person, shifts.astype(dtype)

    def predict_correct(self, U: np.ndarray, ai_proba: np.ndarray | None = None) -> np.ndarray:
        """Probability that each person is right on each case, the true class unknown.

        ``sum_k p(k | x) P(right | x, k)`` with the calibrated AI's class probabilities.

        Parameters
        ----------
        U : numpy.ndarray of shape (n_cases, n_inputs)
            Inputs from :class:`PersonInputs`.
        ai_proba : numpy.ndarray of shape (n_cases, n_classes), optional
            The AI's probabilities (default: read back from the AI block of ``U``, or equal
            weights when the block is not the AI's class probabilities).

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons)
        """
        check_is_fitted(self)
        U = np.asarray(U)
        if ai_proba is None and self.n_ai_ == self.n_classes_:
            ai_proba = proba_from_ai_block(U[:, U.shape[1] - self.n_ai_ :])
        elif ai_proba is None:
            ai_proba = np.full((U.shape[0], self.n_classes_), 1.0 / self.n_classes_)
        person, shifts = self._logits(U)
        weights = np.asarray(ai_proba, dtype=person.dtype)
        out = np.zeros(person.shape, dtype=person.dtype)
        for k in range(self.n_classes_):
            out += weights[:, k, None] * _sigmoid(person + shifts[k][None, :])
        return out.astype(np.float64, copy=False)


def _intercept_spread(persons: np.ndarray, correct: np.ndarray, m: int, most: float) -> float:
    """The spread (log-odds sd) of the persons' accuracies beyond chance, at most ``most``.

    One-way random-effects moment estimate: the between-person variance of the accuracies is
    what their weighted spread exceeds the binomial noise of ``n_j`` cases by; on the
    log-odds scale it is divided by ``p (1 - p)``. It never goes below a tenth of ``most``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> persons = np.repeat(np.arange(200), 20)
    >>> same = (rng.random(4000) < 0.7).astype(float)
    >>> _intercept_spread(persons, same, 200, 0.5) < 0.2
    True
    >>> skill = np.where(np.arange(200) % 2 == 0, 0.9, 0.5)[persons]
    >>> _intercept_spread(persons, (rng.random(4000) < skill).astype(float), 200, 0.5)
    0.5
    """
    floor = 0.1 * most
    n = np.bincount(persons, minlength=m).astype(np.float64)
    k = np.bincount(persons, weights=correct, minlength=m)
    seen = n > 0
    if seen.sum() < 2:
        return float(most)
    n, k = n[seen], k[seen]
    total = n.sum()
    p = float(np.clip(k.sum() / total, 1e-3, 1 - 1e-3))
    spread = float(np.sum(n * (k / n - p) ** 2))
    noise = (seen.sum() - 1) * p * (1 - p)
    tau2 = max(0.0, (spread - noise) / max(total - np.sum(n**2) / total, 1e-9))
    return float(np.clip(np.sqrt(tau2) / (p * (1 - p)), floor, most))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out = np.negative(z)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def _fit_blocks(
    X: np.ndarray,
    persons: np.ndarray,
    target: np.ndarray,
    m: int,
    pooled_precision: np.ndarray,
    person_precision: np.ndarray,
    max_iter: int,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised logistic regression with pooled terms and one block of terms per person.

    ``eta_i = X_i . beta + X_i . gamma_{person(i)}``: the pooled terms ``beta`` and each
    person's ``gamma_j`` act on the same columns ``X`` (intercept, inputs, class
    indicators; a pooled class column is merely redundant with the intercept, the penalty
    settles it). Gaussian priors give the precisions. Newton's method uses the block-arrow
    structure of the Hessian: the persons' blocks are eliminated (a Schur complement), so a
    step costs one small solve per person and one for the pooled terms, with step halving
    until the penalised log-likelihood improves.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``beta`` of shape (p,) and ``gamma`` of shape (m, p).
    """
    n, p = X.shape
    order = np.argsort(persons, kind="stable")
    X, persons, target = X[order], persons[order], target[order]
    starts = np.searchsorted(persons, np.arange(m))
    ends = np.searchsorted(persons, np.arange(m), side="right")
    present = np.flatnonzero(ends > starts)
    beta = np.zeros(p)
    rate = float(np.clip(target.mean(), 1e-3, 1 - 1e-3))
    beta[0] = np.log(rate / (1 - rate))
    gamma = np.zeros((m, p))

    def eta_of(b: np.ndarray, g: np.ndarray) -> np.ndarray:
        return X @ b + np.einsum("ij,ij->i", X, g[persons])

    def objective(eta: np.ndarray, b: np.ndarray, g: np.ndarray) -> float:
        nll = float(np.sum(np.logaddexp(0.0, eta) - target * eta))
        return (
            nll
            + 0.5 * float(b @ (pooled_precision * b))
            + 0.5 * float(np.sum(g * g * person_precision[None, :]))
        )

    eta = eta_of(beta, gamma)
    current = objective(eta, beta, gamma)
    for _ in range(max_iter):
        mu = 1.0 / (1.0 + np.exp(-eta))
        w = np.maximum(mu * (1.0 - mu), 1e-10)
        r = mu - target
        Xw = X * w[:, None]
        A = Xw.T @ X + np.diag(pooled_precision)
        g_beta = X.T @ r + pooled_precision * beta
        schur = A.copy()
        rhs = g_beta.copy()
        solved_B, solved_g = {}, {}
        for j in present:
            s = slice(starts[j], ends[j])
            # the person's coupling to the pooled terms is their block without the prior
            B = Xw[s].T @ X[s]
            D = B + np.diag(person_precision)
            g_j = X[s].T @ r[s] + person_precision * gamma[j]
            inv_B = np.linalg.solve(D, B)
            inv_g = np.linalg.solve(D, g_j)
            schur -= B.T @ inv_B
            rhs -= B.T @ inv_g
            solved_B[j], solved_g[j] = inv_B, inv_g
        step_beta = np.linalg.solve(schur, rhs)
        step_gamma = np.zeros_like(gamma)
        for j in present:
            step_gamma[j] = solved_g[j] - solved_B[j] @ step_beta
        # persons without pairs: their gradient is their prior only (already zero)
        size = 1.0
        for _ in range(30):
            new_beta, new_gamma = beta - size * step_beta, gamma - size * step_gamma
            new_eta = eta_of(new_beta, new_gamma)
            value = objective(new_eta, new_beta, new_gamma)
            if value <= current + 1e-12:
                break
            size /= 2.0
        improvement = current - value
        beta, gamma, eta, current = new_beta, new_gamma, new_eta, value
        if improvement < tol * max(1.0, abs(current)) and size == 1.0:
            break
        if size < 1e-8:
            break
    return beta, gamma


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
