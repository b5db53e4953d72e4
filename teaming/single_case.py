"""Fast paths for routing one case (or a few): the same numbers without per-call set-up.

Routing a single case used to pay for work the batch path does once per batch: input
validation of scikit-learn, one-row pandas frames, rebuilding lookups. What is constant for
a fitted model is kept here, built on first use and never saved with the team; each result
is exactly the one of the general path (tests compare them).

:func:`tree_proba` is ``HistGradientBoostingClassifier.predict_proba`` of a few rows without
the validation (the model's own trees, summed in the same order).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FAST_MAX_ROWS", "few_columns", "tree_proba"]

# up to this many rows the fast paths are used; larger inputs take the batch path
FAST_MAX_ROWS = 64

_TREES: weakref.WeakKeyDictionary[Any, _Trees] = weakref.WeakKeyDictionary()
# models whose trees could not be read or walked to the same numbers: their own predict_proba
_UNREADABLE: weakref.WeakSet[Any] = weakref.WeakSet()


class _Trees:
    """A fitted ``HistGradientBoostingClassifier``'s trees as flat arrays, walked for all
    trees at once (one numpy step per depth level instead of one call per tree)."""

    def __init__(self, estimator: Any) -> None:
        self.predictors = estimator._predictors
        self.baseline = np.asarray(estimator._baseline_prediction)
        self.loss = estimator._loss
        self.n_features = int(estimator.n_features_in_)
        known, index_map = estimator._bin_mapper.make_known_categories_bitsets()
        self._flatten(self.predictors, known, index_map)
        self.categories: list[tuple[int, dict[float, float]]] | None = None
        self.order: np.ndarray | None = None
        if estimator._preprocessor is not None:
            # categorical columns are re-coded 0..k-1 (sorted) and moved to the front
            mask = np.asarray(estimator.is_categorical_, dtype=bool)
            encoder = estimator._preprocessor.named_transformers_["encoder"]
            columns = np.flatnonzero(mask)
            self.categories = [
                (int(col), {float(c): float(i) for i, c in enumerate(cats) if c == c})
                for col, cats in zip(columns, encoder.categories_)
            ]
            self.order = np.concatenate([columns, np.flatnonzero(~mask)])

    def _flatten(self, predictors: list, known: np.ndarray, index_map: np.ndarray) -> None:
        nodes, bitsets, roots, depth = [], [], [], 0
        offset = n_bitsets = 0
        for trees in predictors:
            for tree in trees:
                part = tree.nodes
                roots.append(offset)
                nodes.append((part, offset, n_bitsets))
                bitsets.append(np.asarray(tree.raw_left_cat_bitsets, dtype=np.uint32))
                n_bitsets += len(bitsets[-1])
                offset += len(part)
                depth = max(depth, int(part["depth"].max()))
        self.depth = depth
        self.roots = np.asarray(roots, dtype=np.intp)
        self.n_trees = len(predictors[0]) if predictors else 1
        whole: Any = np.concatenate([p for p, _, _ in nodes])
        shift = np.concatenate([np.full(len(p), o, dtype=np.intp) for p, o, _ in nodes])
        leaf = whole["is_leaf"].astype(bool)
        own = np.arange(len(whole), dtype=np.intp)
        # a leaf points to itself: every tree can take the same number of steps
        self.left = np.where(leaf, own, whole["left"].astype(np.intp) + shift)
        self.right = np.where(leaf, own, whole["right"].astype(np.intp) + shift)
        self.feature = np.where(leaf, 0, whole["feature_idx"]).astype(np.intp)
        self.threshold = whole["num_threshold"].astype(np.float64)
        self.missing_left = whole["missing_go_to_left"].astype(bool)
        self.value = whole["value"].astype(np.float64)
        self.categorical = whole["is_categorical"].astype(bool) & ~leaf
        bitset_shift = np.concatenate([np.full(len(p), b, dtype=np.intp) for p, _, b in nodes])
        self.bitset = np.where(self.categorical, whole["bitset_idx"] + bitset_shift, 0)
        self.left_bitsets = np.concatenate([*bitsets, np.zeros((1, 8), dtype=np.uint32)])
        self.known = np.asarray(known, dtype=np.uint32)
        self.index_map = np.asarray(index_map, dtype=np.intp)
        self.any_categorical = bool(self.categorical.any())

    def inputs(self, Z: np.ndarray) -> np.ndarray:
        X = np.asarray(Z, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got shape {X.shape}")
        if self.categories is None:
            return X
        out = X[:, self.order]
        for k, (col, codes) in enumerate(self.categories):
            # unknown and missing categories become NaN (the encoder's unknown value)
            out[:, k] = [codes.get(v, np.nan) for v in X[:, col].tolist()]
        return out

    def _step(self, X: np.ndarray, rows: np.ndarray, node: np.ndarray) -> np.ndarray:
        value = X[rows, self.feature[node]]
        missing = np.isnan(value)
        # NaN <= threshold is False: the missing branch is chosen below
        left = value <= self.threshold[node]
        if self.any_categorical:
            left = self._categorical(value, node, left, missing)
        left = np.where(missing, self.missing_left[node], left)
        return np.where(left, self.left[node], self.right[node])

    def _categorical(
        self, value: np.ndarray, node: np.ndarray, left: np.ndarray, missing: np.ndarray
    ) -> np.ndarray:
        """scikit-learn's rule: in the split's left set, else known (right), else missing."""
        split = self.categorical[node]
        usable = split & ~missing & (value >= 0)
        code = np.where(usable, value, 0).astype(np.int64) & 255
        word, bit = code >> 5, (code & 31).astype(np.uint32)
        in_left = (self.left_bitsets[self.bitset[node], word] >> bit) & 1
        feature = self.index_map[self.feature[node]] if len(self.known) else node * 0
        known = (self.known[feature, word] >> bit) & 1 if len(self.known) else in_left * 0
        as_missing = split & ~missing & ~(usable & ((in_left == 1) | (known == 1)))
        chosen = np.where(as_missing, self.missing_left[node], usable & (in_left == 1))
        return np.where(split & ~missing, chosen, left)

    def proba(self, Z: np.ndarray) -> np.ndarray:
        X = self.inputs(Z)
        n = X.shape[0]
        rows = np.arange(n)[:, None]
        node = np.broadcast_to(self.roots, (n, len(self.roots)))
        for _ in range(self.depth):
            node = self._step(X, rows, node)
        leaves = self.value[node].reshape(n, -1, self.n_trees)
        # summed one iteration after the other from the baseline, as scikit-learn does
        start = np.broadcast_to(self.baseline, (n, 1, self.n_trees))
        raw = np.cumsum(np.concatenate([start, leaves], axis=1), axis=1)[:, -1, :]
        return self.loss.predict_proba(np.asfortranarray(raw))


def tree_proba(estimator: Any, Z: np.ndarray) -> np.ndarray | None:
    """``predict_proba`` of a fitted ``HistGradientBoostingClassifier`` on a few rows, or
    None for other estimators and larger inputs (use their own ``predict_proba``).

    Parameters
    ----------
    estimator : fitted classifier
    Z : numpy.ndarray of shape (n_cases, n_features)

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_classes) or None

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> Z = np.random.default_rng(0).normal(size=(200, 3)); y = (Z[:, 0] > 0).astype(int)
    >>> model = HistGradientBoostingClassifier(max_iter=20).fit(Z, y)
    >>> bool(np.array_equal(tree_proba(model, Z[:5]), model.predict_proba(Z[:5])))
    True
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    if type(estimator) is not HistGradientBoostingClassifier or len(Z) > FAST_MAX_ROWS:
        return None
    if estimator in _UNREADABLE:
        return None
    trees = _TREES.get(estimator)
    if trees is not None and trees.predictors is getattr(estimator, "_predictors", None):
        return trees.proba(Z)
    return _first_use(estimator, Z)


def _first_use(estimator: Any, Z: np.ndarray) -> np.ndarray | None:
    """Build the flat trees of ``estimator`` and check them once against its own
    ``predict_proba`` on the rows at hand. The flat trees read scikit-learn's private
    attributes; should a release lay them out differently (or the walk disagree), the model
    keeps its own ``predict_proba`` for good instead of giving other numbers."""
    if np.ndim(Z) != 2 or np.shape(Z)[1] != getattr(estimator, "n_features_in_", None):
        return None  # the model's own predict_proba says what is wrong
    try:
        trees = _Trees(estimator)
        proba = trees.proba(Z)
        same = np.array_equal(proba, estimator.predict_proba(Z))
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        same = False
    if not same:
        _UNREADABLE.add(estimator)
        return None
    _TREES[estimator] = trees
    return proba


def few_columns(frame: pd.DataFrame, feature_types: dict[str, str]) -> dict[str, list[Any]] | None:
    """The feature columns of a few rows as Python lists, read as the frame path reads
    them, or None when one needs pandas (text in a numeric column, numpy scalars).

    Numeric columns are float32 numbers (as ``numbers_as_trained`` and the preprocessor
    read a numeric dtype; NaN where missing), each column cast alone as the frame's
    conversion casts it (no frame of the numeric columns is made); the others are the
    frame's objects. Columns the frame lacks are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> few_columns(pd.DataFrame({"a": [0.1], "k": ["x"]}), {"a": "numeric", "k": "categorical"})
    {'a': [0.10000000149011612], 'k': ['x']}
    """
    if not frame.columns.is_unique:
        return None  # a name twice: pandas reads it
    out: dict[str, list[Any]] = {}
    for col, kind in feature_types.items():
        if col not in frame.columns:
            continue
        series = frame[col]
        if kind == "numeric":
            if not pd.api.types.is_numeric_dtype(series.dtype):
                return None  # text in a numeric column: pandas reads it
            out[col] = series.to_numpy(dtype=np.float32, na_value=np.nan).tolist()
            continue
        items = series.to_numpy(dtype=object).tolist()
        if any(isinstance(v, np.generic) for v in items):
            return None
        out[col] = items
    return out
