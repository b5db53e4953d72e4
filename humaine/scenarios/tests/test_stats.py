"""Survey statistics against independent formulas and scipy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from humaine.scenarios.stats import (
    change_from_baseline,
    cronbach_alpha,
    describe,
    distribution,
    mean_interval,
)

LIKERT_BINS = [(0.5, 1.5), (1.5, 2.5), (2.5, 3.5), (3.5, 4.5), (4.5, 5.5)]


def alpha_from_covariances(matrix):
    """Alpha as k * mean covariance / (mean variance + (k - 1) * mean covariance)."""
    cov = np.cov(np.asarray(matrix, dtype=float), rowvar=False)
    k = cov.shape[0]
    mean_var = np.trace(cov) / k
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    return k * mean_cov / (mean_var + (k - 1) * mean_cov)


matrices = st.integers(3, 30).flatmap(
    lambda n: st.integers(2, 6).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(1, 5), min_size=k, max_size=k), min_size=n, max_size=n
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_alpha_agrees_with_the_covariance_formula_and_lies_in_its_interval(matrix):
    result = cronbach_alpha(matrix)
    total = np.asarray(matrix).sum(axis=1)
    if total.var() == 0:
        assert result.alpha is None
        return
    assert result.alpha == pytest.approx(alpha_from_covariances(matrix))
    assert result.alpha <= 1 + 1e-12
    assert result.interval.low <= result.alpha <= result.interval.high


def test_perfectly_consistent_items_have_alpha_one_and_none_without_items():
    assert cronbach_alpha([[1, 1, 1], [3, 3, 3], [5, 5, 5]]).alpha == pytest.approx(1)
    assert cronbach_alpha([[1], [2]]).alpha is None
    assert cronbach_alpha([[1, 2]]).alpha is None


def test_feldt_interval_narrows_with_more_answers():
    rng = np.random.default_rng(1)
    true = rng.normal(size=(400, 1))
    data = true + rng.normal(scale=0.8, size=(400, 4))
    small, large = cronbach_alpha(data[:20]), cronbach_alpha(data)
    width = lambda a: a.interval.high - a.interval.low  # noqa: E731
    assert width(large) < width(small)


def test_mean_interval_is_students_t():
    values = [2, 3, 3, 4, 5, 5]
    low, high = sps.t.interval(0.95, 5, loc=np.mean(values), scale=sps.sem(values))
    interval = mean_interval(values)
    assert (interval.low, interval.high) == pytest.approx((low, high))
    assert mean_interval([3]) is None
    assert mean_interval([3, 3]).low == 3


@given(st.lists(st.floats(1, 5), min_size=1, max_size=50))
def test_the_distribution_counts_every_score_once(scores):
    assert sum(distribution(scores, LIKERT_BINS)) == len(scores)
    assert describe(scores, LIKERT_BINS).n == len(scores)


def test_tlx_scores_fall_into_five_bins_including_the_top():
    bins = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]
    assert distribution([0, 19.9, 20, 100, 80], bins) == [2, 1, 0, 0, 2]


def test_paired_change_uses_the_pairs_and_unpaired_uses_welch():
    base, follow = [2, 3, 3, 4, 2], [3, 4, 4, 4, 3]
    pairs = list(zip(base, follow))
    paired = change_from_baseline(base, follow, pairs)
    expected = sps.ttest_rel(follow, base).confidence_interval()
    assert paired.paired and paired.n_pairs == 5
    assert paired.difference == pytest.approx(0.8)
    assert (paired.interval.low, paired.interval.high) == pytest.approx(
        (expected.low, expected.high)
    )
    unpaired = change_from_baseline(base, follow)
    welch = sps.ttest_ind(follow, base, equal_var=False).confidence_interval()
    assert not unpaired.paired
    assert (unpaired.interval.low, unpaired.interval.high) == pytest.approx((welch.low, welch.high))
    # Pairing removes the between-person spread: the paired interval is narrower here.
    assert paired.interval.high - paired.interval.low < welch.high - welch.low


def test_changes_without_spread_or_with_one_answer_do_not_fail():
    same = change_from_baseline([3, 3, 3], [4, 4, 4], [(3, 4), (3, 4)])
    assert same.difference == 1 and same.interval.low == 1
    one = change_from_baseline([3], [4])
    assert one.difference == 1 and one.interval is None
    flat = change_from_baseline([3, 3], [3, 3])
    assert flat.interval.low == 0 and not math.isnan(flat.difference)
    with pytest.raises(ValueError):
        change_from_baseline([], [1])
