"""Shapley values of the AI's output per input column, exact for trees and linear models.

Every attribution here adds up: ``base + contributions.sum() == output`` for each case, where
the *output* is the model's own score of the decided class (see :func:`class_output`). The
players are the input columns of the data, not the model's encoded columns: one-hot columns
and text components of one input column form one player, so a categorical column is never
split into pieces whose values are then added (which is not the column's Shapley value).

- **Trees** (scikit-learn's histogram gradient boosting, with its native categorical splits
  and missing values; gradient boosting, random forests, extra trees, decision trees): the
  path-dependent Shapley values of Lundberg et al. (TreeSHAP), computed from the model's own
  routing of each case (category sets, missing values, unknown categories) per leaf as the
  Shapley value of a product game, so they are exact and need no background sample.
- **Linear models** (``LogisticRegression``): exact interventional values,
  ``w · (x - mean of the background)`` summed per input column.
- **Any other classifier**: interventional Shapley values against a background sample,
  exact by enumerating every coalition of input columns when there are few, otherwise
  estimated from antithetic permutations (each permutation adds up exactly, so the average
  does too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Attribution",
    "TreeShapley",
    "class_output",
    "exact_shapley",
    "explain_model",
    "is_tree_model",
    "product_game_shapley",
    "tree_ensemble",
]

_EPS = 1e-6
# largest number of coalitions x background rows enumerated exactly per case
_EXACT_BUDGET = 8192
_PERMUTATIONS = 16


@dataclass
class Attribution:
    """Contributions of the input columns to the model's output for the decided class.

    Attributes
    ----------
    names : list of str
        Input columns (the players).
    values : numpy.ndarray of shape (n_cases, n_columns)
        Contributions; positive values raised the decided class's score.
    base : numpy.ndarray of shape (n_cases,)
        The expected output (what every case starts from).
    output : numpy.ndarray of shape (n_cases,)
        The model's output for the decided class: ``base + values.sum(axis=1)``.
    unit : str
        ``"log-odds"`` (two classes: log-odds of the decided class; more: its
        log-probability minus the mean over classes) or ``"probability"`` (forests and
        single trees, whose output is an average of leaf probabilities).
    method : str
        ``"tree"``, ``"linear"``, ``"exact"`` or ``"permutation"``.
    """

    names: list[str]
    values: np.ndarray
    base: np.ndarray
    output: np.ndarray
    unit: str
    method: str


def class_output(scores: np.ndarray, decided: np.ndarray, kind: str = "raw") -> np.ndarray:
    """The score of the decided class that attributions explain.

    Parameters
    ----------
    scores : numpy.ndarray of shape (n_cases, n_outputs)
        ``"raw"``: the model's raw scores (one column of log-odds for two classes, one logit
        per class otherwise); ``"proba"``: class probabilities (read as log-odds via their
        logarithm); ``"probability"``: probabilities taken as they are.
    decided : numpy.ndarray of int
        The decided class per case.
    kind : {"raw", "proba", "probability"}
        How to read ``scores``.

    Returns
    -------
    numpy.ndarray of shape (n_cases,)
        Two classes: the log-odds of the decided class; more: its log-probability minus the
        mean log-probability over classes (softmax is unchanged by a common shift, so this
        is the part of the score that decides); ``"probability"``: its probability.

    Examples
    --------
    >>> import numpy as np
    >>> class_output(np.array([[2.0], [2.0]]), np.array([1, 0])).tolist()
    [2.0, -2.0]
    """
    S = np.asarray(scores, dtype=np.float64)
    rows = np.arange(S.shape[0])
    decided = np.asarray(decided, dtype=np.int64)
    if kind == "probability":
        return S[rows, decided]
    if kind == "proba":
        S = np.log(np.clip(S, _EPS, 1.0))
        if S.shape[1] == 2:
            S = (S[:, 1] - S[:, 0])[:, None]
    if S.shape[1] == 1:
        return np.where(decided == 1, S[:, 0], -S[:, 0])
    return S[rows, decided] - S.mean(axis=1)


def _output_weights(n_outputs: int, n_classes: int, kind: str) -> np.ndarray:
    """Weights A (n_classes, n_outputs): output of decided class k = A[k] @ raw scores."""
    if kind == "probability":
        return np.eye(n_classes)
    if n_outputs == 1:
        return np.array([[-1.0], [1.0]])
    return np.eye(n_outputs) - 1.0 / n_outputs


# ------------------------------------------------------------------------------ trees
@dataclass
class _Tree:
    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray  # column of the model's input
    threshold: np.ndarray
    missing_left: np.ndarray
    categorical: np.ndarray  # node splits on a category set
    category_side: np.ndarray  # (n_nodes, 256): 1 left, 0 right, 2 as missing (unknown)
    cover: np.ndarray
    value: np.ndarray  # (n_nodes, n_outputs) leaf values
    is_leaf: np.ndarray


def _hgb_trees(est: Any) -> tuple[list[_Tree], np.ndarray, Any]:
    known, f_idx_map = est._bin_mapper.make_known_categories_bitsets()
    n_outputs = est._baseline_prediction.shape[1]
    trees = []
    for iteration in est._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            n = len(nodes)
            side = np.zeros((n, 256), dtype=np.int8)
            cat_nodes = np.flatnonzero(nodes["is_categorical"] & ~nodes["is_leaf"].astype(bool))
            codes = np.arange(256)
            for node in cat_nodes:
                left_set = _bits(predictor.raw_left_cat_bitsets[nodes["bitset_idx"][node]], codes)
                known_set = _bits(known[f_idx_map[nodes["feature_idx"][node]]], codes)
                side[node] = np.where(left_set, 1, np.where(known_set, 0, 2))
            value = np.zeros((n, n_outputs))
            value[:, k] = nodes["value"]
            trees.append(
                _Tree(
                    left=nodes["left"].astype(np.int64),
                    right=nodes["right"].astype(np.int64),
                    feature=nodes["feature_idx"].astype(np.int64),
                    threshold=nodes["num_threshold"].astype(np.float64),
                    missing_left=nodes["missing_go_to_left"].astype(bool),
                    categorical=nodes["is_categorical"].astype(bool),
                    category_side=side,
                    cover=nodes["count"].astype(np.float64),
                    value=value,
                    is_leaf=nodes["is_leaf"].astype(bool),
                )
            )
    base = est._baseline_prediction.reshape(-1).astype(np.float64)
    return trees, base, _hgb_input(est)


def _hgb_input(est: Any) -> Any:
    """The model's own input (it re-encodes categorical columns as ordinal codes, placed
    first), and the positions of its columns in ours; None when it takes ours as they are."""
    if getattr(est, "_preprocessor", None) is None:
        return None
    cat = np.asarray(est.is_categorical_, dtype=bool)
    cat_cols, num_cols = np.flatnonzero(cat), np.flatnonzero(~cat)
    encoder = est._preprocessor.named_transformers_["encoder"]
    known = [np.asarray(c, dtype=np.float64) for c in encoder.categories_]
    known = [c[~np.isnan(c)] for c in known]

    def model_input(Z: np.ndarray) -> np.ndarray:
        out = np.empty((Z.shape[0], cat.size))
        for j, (col, cats) in enumerate(zip(cat_cols, known)):
            v = Z[:, col]
            pos = np.clip(np.searchsorted(cats, v), 0, max(0, cats.size - 1))
            hit = cats[pos] == v if cats.size else np.zeros(v.shape, dtype=bool)
            out[:, j] = np.where(hit, pos, np.nan)
        out[:, cat_cols.size :] = Z[:, num_cols]
        return out

    return model_input, np.concatenate([cat_cols, num_cols])


def _bits(bitset: np.ndarray, codes: np.ndarray) -> np.ndarray:
    words = np.asarray(bitset, dtype=np.uint64)[codes // 32]
    return ((words >> (codes % 32).astype(np.uint64)) & np.uint64(1)).astype(bool)


def _sklearn_tree(tree: Any, values: np.ndarray) -> _Tree:
    n = tree.node_count
    missing = getattr(tree, "missing_go_to_left", np.zeros(n, dtype=np.uint8))
    return _Tree(
        left=tree.children_left.astype(np.int64),
        right=tree.children_right.astype(np.int64),
        feature=np.maximum(tree.feature, 0).astype(np.int64),
        threshold=tree.threshold.astype(np.float64),
        missing_left=np.asarray(missing, dtype=bool),
        categorical=np.zeros(n, dtype=bool),
        category_side=np.zeros((n, 0), dtype=np.int8),
        cover=tree.weighted_n_node_samples.astype(np.float64),
        value=values,
        is_leaf=tree.children_left < 0,
    )


def _forest_trees(est: Any) -> tuple[list[_Tree], np.ndarray, str]:
    members = getattr(est, "estimators_", [est])
    trees = []
    for member in members:
        value = member.tree_.value[:, 0, :]
        value = value / np.maximum(value.sum(axis=1, keepdims=True), 1e-300) / len(members)
        trees.append(_sklearn_tree(member.tree_, value))
    return trees, np.zeros(trees[0].value.shape[1]), "probability"


def _boosting_trees(est: Any) -> tuple[list[_Tree], np.ndarray, str]:
    stages = est.estimators_
    n_outputs = stages.shape[1]
    trees = []
    for stage in stages:
        for k, member in enumerate(stage):
            value = np.zeros((member.tree_.node_count, n_outputs))
            value[:, k] = member.tree_.value[:, 0, 0] * est.learning_rate
            trees.append(_sklearn_tree(member.tree_, value))
    base = np.asarray(est._raw_predict_init(np.zeros((1, est.n_features_in_))))[0]
    return trees, base.astype(np.float64), "raw"


_TREE_TYPES = (
    "HistGradientBoostingClassifier",
    "GradientBoostingClassifier",
    "RandomForestClassifier",
    "ExtraTreesClassifier",
    "DecisionTreeClassifier",
    "ExtraTreeClassifier",
)


def is_tree_model(est: Any) -> bool:
    """Whether :class:`TreeShapley` reads this model (scikit-learn's tree classifiers).

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> is_tree_model(DecisionTreeClassifier()), is_tree_model(None)
    (True, False)
    """
    module = type(est).__module__
    return type(est).__name__ in _TREE_TYPES and module.startswith("sklearn.")


def tree_ensemble(est: Any) -> tuple[list[_Tree], np.ndarray, str, Any] | None:
    """The trees of a supported tree model in one form, or None for other models.

    Returns
    -------
    (trees, base, kind, input_map) or None
        ``kind`` is ``"raw"`` (log-odds/logits) or ``"probability"``; ``input_map`` is
        ``None`` or (function to the model's own input, its columns' input positions).
    """
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        GradientBoostingClassifier,
        HistGradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

    if isinstance(est, HistGradientBoostingClassifier):
        trees, base, input_map = _hgb_trees(est)
        return trees, base, "raw", input_map
    if isinstance(est, GradientBoostingClassifier):
        return (*_boosting_trees(est), None)
    forests = (RandomForestClassifier, ExtraTreesClassifier)
    if isinstance(est, forests + (DecisionTreeClassifier, ExtraTreeClassifier)):
        return (*_forest_trees(est), None)
    return None


class TreeShapley:
    """Exact path-dependent Shapley values of a tree model, one player per input column.

    Every leaf's contribution to the model's expected output given the known columns
    ``S`` is a product game: ``value * prod(o_u for u in S) * prod(z_u for u not in S)``
    where ``o_u`` says whether the case follows the leaf's path at every node that splits
    on column ``u`` (by the model's own rule: thresholds, category sets, missing values)
    and ``z_u`` is the share of training cases that followed it there. The Shapley values
    of a product game depend on the case only through which ``o_u`` are 1, so they are
    tabulated per leaf for every such pattern once, and looked up per case.

    Parameters
    ----------
    estimator : fitted tree model
        See :func:`tree_ensemble`.
    groups : array-like of int
        For each column of the model's input, the input column (player) it comes from.
    n_players : int
        Number of players.
    n_classes : int
        Number of classes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(300, 2)); y = (Z[:, 0] > 0).astype(int)
    >>> model = HistGradientBoostingClassifier(max_iter=10).fit(Z, y)
    >>> a = TreeShapley(model, [0, 1], 2, 2).explain(Z[:3], np.array([1, 1, 1]))
    >>> bool(np.allclose(a.base + a.values.sum(axis=1), a.output))
    True
    """

    def __init__(self, estimator: Any, groups: Any, n_players: int, n_classes: int) -> None:
        found = tree_ensemble(estimator)
        if found is None:
            raise TypeError(f"not a supported tree model: {type(estimator).__name__}")
        trees, self.base_, self.kind_, input_map = found
        self.n_players = int(n_players)
        groups = np.asarray(groups, dtype=np.int64)
        self._model_input = None
        if input_map is not None:
            self._model_input, to_input = input_map
            if to_input is not None:
                groups = groups[to_input]
        self._prepare(trees, groups)
        self.weights_ = _output_weights(trees[0].value.shape[1], n_classes, self.kind_)

    def _prepare(self, trees: list[_Tree], groups: np.ndarray) -> None:
        # every internal node of every tree gets one position in the routing matrix
        position: list[np.ndarray] = []
        feature: list[int] = []
        threshold: list[float] = []
        missing_left: list[bool] = []
        sides: list[np.ndarray] = []
        cat_at: list[int] = []
        for tree in trees:
            index = np.full(len(tree.left), -1, dtype=np.int64)
            internal = np.flatnonzero(~tree.is_leaf)
            index[internal] = np.arange(internal.size) + len(feature)
            position.append(index)
            for node in internal:
                if tree.categorical[node]:
                    cat_at.append(len(feature))
                    sides.append(tree.category_side[node])
                feature.append(tree.feature[node])
                threshold.append(tree.threshold[node])
                missing_left.append(tree.missing_left[node])
        self._feature = np.array(feature, dtype=np.int64)
        self._threshold = np.array(threshold, dtype=np.float64)
        self._missing_left = np.array(missing_left, dtype=bool)
        self._cat_node = np.array(cat_at, dtype=np.int64)
        self._cat_side = np.stack(sides) if sides else np.zeros((0, 256), np.int8)
        leaves = [
            _leaf(tree, position[t], leaf, path, dirs, groups)
            for t, tree in enumerate(trees)
            for leaf, path, dirs in _leaf_paths(tree)
        ]
        self._buckets = _buckets(leaves, self.n_players)
        self.expected_ = self.base_ + sum(
            (b["value"] * b["z"].prod(axis=1)[:, None]).sum(axis=0) for b in self._buckets
        )

    def _goes_left(self, X: np.ndarray) -> np.ndarray:
        values = X[:, self._feature]
        with np.errstate(invalid="ignore"):
            left = np.where(np.isnan(values), self._missing_left, values <= self._threshold)
        if self._cat_node.size:
            codes = values[:, self._cat_node]
            bad = np.isnan(codes) | (codes < 0) | (codes > 255)
            idx = np.clip(np.nan_to_num(codes, nan=0.0), 0, 255).astype(np.int64)
            side = self._cat_side[np.arange(self._cat_node.size), idx]
            as_missing = bad | (side == 2)
            left[:, self._cat_node] = np.where(
                as_missing, self._missing_left[self._cat_node], side == 1
            )
        return left

    def explain(self, Z: np.ndarray, decided: np.ndarray) -> Attribution:
        """Contributions per player for cases ``Z`` (the model's input), decided classes.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_columns)
            Cases as given to the model.
        decided : numpy.ndarray of int
            The decided class per case.

        Returns
        -------
        Attribution
        """
        Z = np.asarray(Z, dtype=np.float64)
        decided = np.asarray(decided, dtype=np.int64)
        n = Z.shape[0]
        values = np.zeros((n, self.n_players))
        output = (self.weights_[decided] * self.base_).sum(axis=1)
        X = Z if self._model_input is None else self._model_input(Z)
        left = self._goes_left(X)
        for bucket in self._buckets:
            L, N = bucket["players"].shape
            step = max(1, 4_000_000 // (L * (N + 1)))
            for start in range(0, n, step):
                part = slice(start, min(n, start + step))
                contrib, reach = _bucket_values(bucket, left[part], self.weights_[decided[part]])
                values[part] += contrib
                output[part] += reach
        base = (self.weights_[decided] * self.expected_).sum(axis=1)
        return Attribution([], values, base, output, _unit(self.kind_), "tree")


def _leaf_paths(tree: _Tree) -> list[tuple[int, list[int], list[bool]]]:
    """Every leaf with the nodes on its path and whether the path goes left there."""
    out = []
    stack: list[tuple[int, list[int], list[bool]]] = [(0, [], [])]
    while stack:
        node, path, dirs = stack.pop()
        if tree.is_leaf[node]:
            out.append((node, path, dirs))
            continue
        stack.append((int(tree.left[node]), [*path, node], [*dirs, True]))
        stack.append((int(tree.right[node]), [*path, node], [*dirs, False]))
    return out


def _leaf(
    tree: _Tree,
    position: np.ndarray,
    leaf: int,
    path: list[int],
    dirs: list[bool],
    groups: np.ndarray,
) -> dict[str, Any]:
    """A leaf's players, the share of training cases following its path per player, slots."""
    players: list[int] = []
    z: list[float] = []
    slots: list[tuple[int, bool, int]] = []
    for node, goes_left in zip(path, dirs):
        child = tree.left[node] if goes_left else tree.right[node]
        share = tree.cover[child] / tree.cover[node] if tree.cover[node] > 0 else 0.5
        player = int(groups[tree.feature[node]])
        if player not in players:
            players.append(player)
            z.append(1.0)
        u = players.index(player)
        z[u] *= share
        slots.append((int(position[node]), goes_left, u))
    return {"value": tree.value[leaf], "players": players, "z": z, "slots": slots}


def _unit(kind: str) -> str:
    return "probability" if kind == "probability" else "log-odds"


# tabulate a bucket's leaves for every pattern of followed players up to this size
_TABLE_MAX_ELEMENTS = 20_000_000


def _buckets(leaves: list[dict[str, Any]], n_players: int) -> list[dict[str, Any]]:
    """Leaves grouped by their number of players, as padded arrays (with tables)."""
    by_size: dict[int, list[dict[str, Any]]] = {}
    for leaf in leaves:
        by_size.setdefault(max(1, len(leaf["players"])), []).append(leaf)
    out = []
    for size, items in sorted(by_size.items()):
        depth = max(1, max(len(item["slots"]) for item in items))
        L = len(items)
        players = np.full((L, size), -1, dtype=np.int64)
        z = np.ones((L, size))
        node = np.zeros((L, depth), dtype=np.int64)
        goes_left = np.ones((L, depth), dtype=bool)
        # unused slots point at a spare player column that is dropped
        slot_player = np.full((L, depth), size, dtype=np.int64)
        for i, item in enumerate(items):
            k = len(item["players"])
            players[i, :k] = item["players"]
            z[i, :k] = item["z"]
            for s, (nd, gl, u) in enumerate(item["slots"]):
                node[i, s], goes_left[i, s], slot_player[i, s] = nd, gl, u
        bucket = {
            "value": np.stack([item["value"] for item in items]),
            "players": players,
            "z": np.clip(z, 1e-12, 1.0),
            "node": node,
            "goes_left": goes_left,
            "slot_player": slot_player,
            "to_players": _player_map(players, n_players),
        }
        # transposed once here, not for every case explained
        bucket["from_slots"] = bucket["to_players"].T
        if 2**size * L * size <= _TABLE_MAX_ELEMENTS:
            patterns = (np.arange(2**size)[:, None] >> np.arange(size)) & 1
            o = np.broadcast_to(patterns[:, None, :], (2**size, L, size)).astype(np.float64)
            bucket["table"] = product_game_shapley(o, bucket["z"][None])
        out.append(bucket)
    return out


def product_game_shapley(o: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Shapley values of product games ``v(S) = prod_{u in S} o_u * prod_{u not in S} z_u``.

    Parameters
    ----------
    o : numpy.ndarray of shape (..., n_players)
        The factor of each player when in the coalition (0 or 1 here).
    z : numpy.ndarray of shape (..., n_players)
        The factor when out of it (in (0, 1]).

    Returns
    -------
    numpy.ndarray of shape (..., n_players)
        ``phi_i = (o_i - z_i) * sum_k k!(N-1-k)!/N! * [t^k] prod_{j != i} (o_j t + z_j)``.

    Examples
    --------
    >>> import numpy as np
    >>> product_game_shapley(np.array([1.0, 1.0]), np.array([0.5, 0.25])).tolist()
    [0.3125, 0.5625]
    """
    o = np.asarray(o, dtype=np.float64)
    z = np.broadcast_to(np.asarray(z, dtype=np.float64), o.shape)
    N = o.shape[-1]
    lead = o.shape[:-1]
    # P(t) = prod_j (o_j t + z_j): coefficient k of t^k in P[..., k]
    P = np.zeros((*lead, N + 1))
    P[..., 0] = 1.0
    for j in range(N):
        shifted = np.zeros_like(P)
        shifted[..., 1:] = P[..., :-1]
        P = P * z[..., j, None] + shifted * o[..., j, None]
    w = np.array([math.factorial(k) * math.factorial(N - 1 - k) for k in range(N)], float)
    w /= math.factorial(N)
    phi = np.empty(o.shape)
    for i in range(N):
        zi, oi = z[..., i], o[..., i]
        # Q = P / (o_i t + z_i): synthetic division from the top when o_i = 1, else P / z_i
        q = np.empty((*lead, N))
        q[..., N - 1] = P[..., N]
        for k in range(N - 1, 0, -1):
            q[..., k - 1] = P[..., k] - zi * q[..., k]
        Q = np.where(oi[..., None] > 0, q, P[..., :N] / zi[..., None])
        phi[..., i] = (oi - zi) * (Q @ w)
    return phi


def _player_map(players: np.ndarray, n_players: int) -> Any:
    """Sparse (L * N, n_players): which player each leaf's slot is (padding: none)."""
    from scipy.sparse import csr_matrix

    flat = players.ravel()
    used = np.flatnonzero(flat >= 0)
    ones = np.ones(used.size)
    return csr_matrix((ones, (used, flat[used])), shape=(flat.size, n_players))


def _bucket_values(
    bucket: dict[str, Any], left: np.ndarray, A: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Contributions (n, n_players) of a bucket's leaves for the cases, and the output reached."""
    L, N = bucket["players"].shape
    # bit u of `failed`: the case leaves the leaf's path at some node that splits on player u
    failed = np.zeros((left.shape[0], L), dtype=np.int64)
    for s in range(bucket["node"].shape[1]):
        off = left[:, bucket["node"][:, s]] != bucket["goes_left"][:, s]
        failed |= off.astype(np.int64) << bucket["slot_player"][:, s]
    full = (1 << N) - 1
    pattern = full & ~failed
    c = A @ bucket["value"].T  # (n, L): each leaf's value for the decided class
    if "table" in bucket:
        phi = bucket["table"][pattern, np.arange(L)]
    else:
        o = ((pattern[..., None] >> np.arange(N)) & 1).astype(np.float64)
        phi = product_game_shapley(o, bucket["z"][None])
    phi *= c[..., None]
    contrib = (bucket["from_slots"] @ phi.reshape(len(phi), L * N).T).T
    reach = (c * (pattern == full)).sum(axis=1)
    return np.asarray(contrib), reach


# ----------------------------------------------------------------- linear and agnostic
def _linear(
    est: Any,
    Z: np.ndarray,
    decided: np.ndarray,
    groups: np.ndarray,
    n_players: int,
    background: np.ndarray,
) -> Attribution:
    W = np.atleast_2d(est.coef_).astype(np.float64)
    b = np.atleast_1d(est.intercept_).astype(np.float64)
    n_classes = len(est.classes_)
    A = _output_weights(W.shape[0], n_classes, "raw")[decided]  # (n, n_outputs)
    w = A @ W  # per case: weights of the decided class's output
    mean = background.mean(axis=0)
    per_column = w * (Z - mean)
    values = np.zeros((Z.shape[0], n_players))
    np.add.at(values.T, groups, per_column.T)
    base = (A * (mean @ W.T + b)).sum(axis=1)
    output = (A * (Z @ W.T + b)).sum(axis=1)
    return Attribution([], values, base, output, "log-odds", "linear")


def exact_shapley(value: Any, n_players: int) -> np.ndarray:
    """Exact Shapley values by enumerating every coalition.

    Parameters
    ----------
    value : callable
        ``value(mask)`` with ``mask`` a boolean array of shape (n_coalitions, n_players),
        returning an array of shape (n_coalitions, n_cases): the game's value per case.
    n_players : int
        Number of players.

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_players)

    Examples
    --------
    >>> import numpy as np
    >>> game = lambda m: (m[:, 0] * 2.0 + m[:, 0] * m[:, 1])[:, None]
    >>> exact_shapley(game, 2).tolist()
    [[2.5, 0.5]]
    """
    masks = np.array(
        [[(k >> j) & 1 for j in range(n_players)] for k in range(2**n_players)], dtype=bool
    )
    v = np.asarray(value(masks), dtype=np.float64)  # (2^d, n)
    size = masks.sum(axis=1)
    phi = np.zeros((v.shape[1], n_players))
    index = {tuple(m): k for k, m in enumerate(masks)}
    for i in range(n_players):
        for k, m in enumerate(masks):
            if m[i]:
                continue
            with_i = m.copy()
            with_i[i] = True
            s = size[k]
            weight = (
                math.factorial(s) * math.factorial(n_players - s - 1) / math.factorial(n_players)
            )
            phi[:, i] += weight * (v[index[tuple(with_i)]] - v[k])
    return phi


def _agnostic(
    est: Any,
    Z: np.ndarray,
    decided: np.ndarray,
    groups: np.ndarray,
    n_players: int,
    background: np.ndarray,
    random_state: int = 0,
) -> Attribution:
    n, m = Z.shape[0], background.shape[0]
    member = [groups == g for g in range(n_players)]

    def output_of(rows: np.ndarray, classes: np.ndarray) -> np.ndarray:
        from .ai import full_proba

        P = full_proba(est, rows.astype(np.float32), len(est.classes_))
        return class_output(P, classes, "proba")

    def game(i: int, masks: np.ndarray) -> np.ndarray:
        cols = np.zeros((masks.shape[0], Z.shape[1]), dtype=bool)
        for g in range(n_players):
            cols[:, member[g]] = masks[:, g, None]
        hybrid = np.where(cols[:, None, :], Z[i][None, None, :], background[None, :, :])
        out = output_of(hybrid.reshape(-1, Z.shape[1]), np.full(hybrid.shape[0] * m, decided[i]))
        return out.reshape(masks.shape[0], m).mean(axis=1)[:, None]

    values = np.zeros((n, n_players))
    exact = 2**n_players * m <= _EXACT_BUDGET
    rng = np.random.default_rng(random_state)
    for i in range(n):
        if exact:
            values[i] = exact_shapley(lambda masks, i=i: game(i, masks), n_players)[0]
        else:
            values[i] = _permutation_shapley(lambda masks, i=i: game(i, masks), n_players, rng)
    base = _background_mean(output_of, background, decided)
    output = output_of(Z, decided)
    return Attribution([], values, base, output, "log-odds", "exact" if exact else "permutation")


def _background_mean(output_of: Any, background: np.ndarray, decided: np.ndarray) -> np.ndarray:
    classes = np.unique(decided)
    means = {
        int(k): float(output_of(background, np.full(len(background), k)).mean()) for k in classes
    }
    return np.array([means[int(k)] for k in decided])


def _permutation_shapley(value: Any, n_players: int, rng: np.random.Generator) -> np.ndarray:
    """Mean marginal contributions over antithetic permutations (each adds up exactly)."""
    orders = []
    for _ in range(_PERMUTATIONS // 2):
        order = rng.permutation(n_players)
        orders += [order, order[::-1]]
    masks = []
    for order in orders:
        mask = np.zeros(n_players, dtype=bool)
        masks.append(mask.copy())
        for player in order:
            mask[player] = True
            masks.append(mask.copy())
    v = value(np.array(masks))[:, 0]
    phi = np.zeros(n_players)
    step = n_players + 1
    for k, order in enumerate(orders):
        chain = v[k * step : (k + 1) * step]
        phi[order] += np.diff(chain)
    return phi / len(orders)


def explain_model(
    estimator: Any,
    Z: np.ndarray,
    decided: np.ndarray,
    groups: Any,
    n_players: int,
    background: np.ndarray,
    tree: TreeShapley | None = None,
) -> Attribution:
    """Shapley values per player for any fitted classifier (see the module description).

    Parameters
    ----------
    estimator : fitted classifier
        The model.
    Z : numpy.ndarray
        Cases as given to the model.
    decided : numpy.ndarray of int
        The decided class per case.
    groups : array-like of int
        Player of each column of ``Z``.
    n_players : int
        Number of players.
    background : numpy.ndarray
        Typical cases (for linear and other models).
    tree : TreeShapley, optional
        A prepared tree explainer to reuse.

    Returns
    -------
    Attribution

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(200, 3)); y = (Z[:, 0] > 0).astype(int)
    >>> model = LogisticRegression().fit(Z, y)
    >>> a = explain_model(model, Z[:2], np.array([1, 0]), [0, 1, 1], 2, Z)
    >>> a.method, bool(np.allclose(a.base + a.values.sum(axis=1), a.output))
    ('linear', True)
    """
    from sklearn.linear_model import LogisticRegression

    Z = np.asarray(Z, dtype=np.float64)
    groups = np.asarray(groups, dtype=np.int64)
    decided = np.asarray(decided, dtype=np.int64)
    if tree is not None:
        return tree.explain(Z, decided)
    if is_tree_model(estimator):
        return TreeShapley(estimator, groups, n_players, len(estimator.classes_)).explain(
            Z, decided
        )
    background = np.asarray(background, dtype=np.float64)
    if isinstance(estimator, LogisticRegression):
        return _linear(estimator, Z, decided, groups, n_players, background)
    return _agnostic(estimator, Z, decided, groups, n_players, background)
