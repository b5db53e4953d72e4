"""The blocked prediction of a large batch gives the model's own probabilities, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from teaming.batch_proba import blocked_tree_proba


def features(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, 5))
    Z[:, 1] = rng.integers(0, 6, n)
    Z[rng.random(n) < 0.1, 0] = np.nan
    Z[rng.random(n) < 0.1, 1] = np.nan
    return Z


@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("categorical", [False, True])
def test_blocks_give_the_models_predict_proba_whatever_their_size(n_classes, categorical):
    Z = features(3000, seed=n_classes)
    y = np.random.default_rng(1).integers(0, n_classes, len(Z))
    mask = np.array([False, categorical, False, False, False])
    model = HistGradientBoostingClassifier(max_iter=30, categorical_features=mask).fit(Z, y)
    new = features(5001, seed=10 + n_classes)
    new[:4, 1] = [7, np.nan, 0, 5]  # unseen and missing categories
    want = model.predict_proba(new)
    for block in [1000, 4096, 5001, 10_000]:
        for threads in [1, 2, 3]:
            got = blocked_tree_proba(model, new, block=block, n_threads=threads)
            assert np.array_equal(got, want), (block, threads)
    assert np.array_equal(blocked_tree_proba(model, new.astype(np.float32)), want)
    assert blocked_tree_proba(model, new[:0]).shape == (0, n_classes)


def test_other_models_are_left_to_their_own_predict_proba():
    Z = np.nan_to_num(features(200, seed=0))
    model = LogisticRegression().fit(Z, Z[:, 2] > 0)
    assert blocked_tree_proba(model, Z) is None


def test_a_wrong_input_raises_the_models_own_error():
    Z = features(3000, seed=0)
    model = HistGradientBoostingClassifier(max_iter=5).fit(Z, Z[:, 2] > 0)
    with pytest.raises(ValueError):
        blocked_tree_proba(model, Z[:, :3], block=500, n_threads=2)


def test_a_private_method_called_differently_leaves_the_model_its_predict_proba():
    # scikit-learn's _raw_predict is private: a release without its n_threads argument
    Z = features(3000, seed=0)
    model = HistGradientBoostingClassifier(max_iter=5).fit(Z, Z[:, 2] > 0)
    own = model._raw_predict
    model._raw_predict = lambda X: own(X)
    assert blocked_tree_proba(model, Z, block=500, n_threads=2) is None
