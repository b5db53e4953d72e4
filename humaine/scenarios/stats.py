"""Statistics of survey scales: mean with confidence interval, distribution, Cronbach's
alpha with its interval, and the change from a baseline (paired or unpaired).

The intervals come from scipy (Student's t for a mean, ``ttest_rel`` / Welch's
``ttest_ind`` for changes, the F distribution for alpha after Feldt, 1965). Alpha itself
is three lines of numpy; a library for it (pingouin) would bring statsmodels, seaborn
and more into the hub for one formula we can check against published values.
Nothing here knows who answered: it takes numbers. No Django here.

    >>> summary = describe([3, 4, 4, 5, 2], bins=[(0.5, 1.5), (1.5, 2.5), (2.5, 3.5),
    ...                                          (3.5, 4.5), (4.5, 5.5)])
    >>> summary.n, summary.mean, summary.distribution
    (5, 3.6, [0, 1, 1, 2, 1])
    >>> round(cronbach_alpha([[1, 2], [2, 3], [3, 3], [4, 5]]).alpha, 3)
    0.96
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha over complete answers, with Feldt's interval (None if undefined)."""

    alpha: float | None
    interval: Interval | None
    n: int
    k: int


@dataclass(frozen=True)
class Summary:
    """One scale in one group and wave."""

    n: int
    mean: float
    sd: float | None
    interval: Interval | None
    distribution: list[int]
    alpha: Alpha | None = None


@dataclass(frozen=True)
class Change:
    """Follow-up minus baseline: ``paired`` over people with the same code in both waves."""

    paired: bool
    n_baseline: int
    n_follow_up: int
    n_pairs: int
    difference: float
    interval: Interval | None


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def mean_interval(values: Sequence[float], level: float = LEVEL) -> Interval | None:
    """Student's t interval of the mean; None with fewer than two values or no spread."""
    data = np.asarray(values, dtype=float)
    if data.size < 2:
        return None
    sem = sps.sem(data)
    if not math.isfinite(sem) or sem == 0:
        mean = float(data.mean())
        return Interval(mean, mean)
    low, high = sps.t.interval(level, data.size - 1, loc=data.mean(), scale=sem)
    return Interval(float(low), float(high))


def distribution(values: Sequence[float], bins: Sequence[tuple[float, float]]) -> list[int]:
    """How many values fall into each bin (lower edge inclusive, the last bin closed)."""
    counts = [0] * len(bins)
    for value in values:
        for index, (low, high) in enumerate(bins):
            last = index == len(bins) - 1
            if low <= value < high or (last and value == high):
                counts[index] += 1
                break
    return counts


def cronbach_alpha(matrix: Sequence[Sequence[float]], level: float = LEVEL) -> Alpha:
    """Cronbach's alpha of an answers × items matrix of complete answers.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the sum score); the
    interval follows Feldt (1965): 1 - (1 - alpha) * F quantiles with (n-1, (n-1)(k-1))
    degrees of freedom. Undefined (None) with fewer than two items or answers, or when
    the sum score does not vary.
    """
    data = np.asarray(matrix, dtype=float)
    n, k = data.shape if data.ndim == 2 else (len(data), 0)
    if n < 2 or k < 2:
        return Alpha(None, None, n, k)
    total_variance = data.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return Alpha(None, None, n, k)
    alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_variance)
    dfn, dfd = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * sps.f.ppf(1 - tail, dfn, dfd)
    high = 1 - (1 - alpha) * sps.f.ppf(tail, dfn, dfd)
    interval = Interval(float(low), float(high)) if math.isfinite(low + high) else None
    return Alpha(_finite(alpha), interval, n, k)


def describe(
    scores: Sequence[float],
    bins: Sequence[tuple[float, float]],
    items: Sequence[Sequence[float]] | None = None,
    level: float = LEVEL,
) -> Summary:
    """Mean, standard deviation, interval, distribution and (given the items) alpha."""
    data = np.asarray(scores, dtype=float)
    if data.size == 0:
        raise ValueError("no scores")
    sd = float(data.std(ddof=1)) if data.size > 1 else None
    return Summary(
        n=int(data.size),
        mean=float(data.mean()),
        sd=sd,
        interval=mean_interval(data, level),
        distribution=distribution(data.tolist(), bins),
        alpha=cronbach_alpha(items, level) if items is not None else None,
    )


def _interval_of(result, level: float) -> Interval | None:
    try:
        ci = result.confidence_interval(confidence_level=level)
    except (ValueError, ZeroDivisionError, FloatingPointError):
        return None
    low, high = _finite(ci.low), _finite(ci.high)
    return Interval(low, high) if low is not None and high is not None else None


def change_from_baseline(
    baseline: Sequence[float],
    follow_up: Sequence[float],
    pairs: Sequence[tuple[float, float]] = (),
    *,
    min_pairs: int = 2,
    level: float = LEVEL,
) -> Change:
    """The change of the mean from ``baseline`` to ``follow_up``, with its interval.

    With at least ``min_pairs`` ``(baseline, follow_up)`` pairs (the same self-generated
    code in both waves) the change is the mean paired difference with a paired t
    interval; otherwise the difference of the means with Welch's interval.
    """
    base, follow = np.asarray(baseline, dtype=float), np.asarray(follow_up, dtype=float)
    if len(pairs) >= max(2, min_pairs):
        before = np.asarray([a for a, _ in pairs], dtype=float)
        after = np.asarray([b for _, b in pairs], dtype=float)
        differences = after - before
        if np.all(differences == differences[0]):
            interval = Interval(float(differences[0]), float(differences[0]))
        else:
            with np.errstate(all="ignore"):
                interval = _interval_of(sps.ttest_rel(after, before), level)
        return Change(True, base.size, follow.size, len(pairs), float(differences.mean()), interval)
    if base.size == 0 or follow.size == 0:
        raise ValueError("both waves need scores")
    difference = float(follow.mean() - base.mean())
    interval = None
    if base.size >= 2 and follow.size >= 2:
        if base.var() == 0 and follow.var() == 0:
            interval = Interval(difference, difference)
        else:
            with np.errstate(all="ignore"):
                result = sps.ttest_ind(follow, base, equal_var=False)
            interval = _interval_of(result, level)
    return Change(False, base.size, follow.size, 0, difference, interval)
