"""Attributions add up for every model the engine supports, and equal exact Shapley values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from teaming.ai import AIModel, full_proba
from teaming.explain import AIExplainer, explain_routing, top_features
from teaming.features import FeaturePreprocessor
from teaming.shapley import class_output, exact_shapley

KINDS = ["Glas", "Sturm", "Hagel", "Leitungswasser", "Einbruch", "Feuer", "Kfz"]


def claims(n: int = 500, n_classes: int = 2, seed: int = 0, extra: int = 0) -> pd.DataFrame:
    """Claims whose outcome depends on the kind (not in the order of its codes) and amount."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "amount": rng.lognormal(7, 1, n),
            "kind": rng.choice(KINDS, n),
            "age": rng.integers(18, 80, n).astype(float),
            "region": rng.choice(["Nord", "Süd", "Ost", "West"], n),
        }
    )
    frame.loc[rng.random(n) < 0.1, "amount"] = np.nan
    frame.loc[rng.random(n) < 0.05, "kind"] = None
    for k in range(extra):
        frame[f"x{k}"] = rng.normal(size=n)
    risky = frame.kind.isin(["Hagel", "Einbruch"]).to_numpy()
    score = 2.0 * risky + 0.4 * np.log(frame.amount.fillna(1000)) - 2.8 + rng.normal(0, 0.7, n)
    edges = np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1])
    frame["y"] = np.digitize(score, edges)
    return frame


TYPES = {"amount": "numeric", "kind": "categorical", "age": "numeric", "region": "categorical"}


def fitted(estimator, frame: pd.DataFrame):
    """Preprocess and fit as a team does (native categories only for histogram boosting)."""
    types = {c: TYPES.get(c, "numeric") for c in frame.columns if c != "y"}
    native = estimator is None or isinstance(estimator, HistGradientBoostingClassifier)
    keep_nan = native or isinstance(
        estimator,
        (RandomForestClassifier, ExtraTreesClassifier, DecisionTreeClassifier),
    )
    pre = FeaturePreprocessor(types, native_categorical=native, keep_nan=keep_nan).fit(frame)
    Z = pre.transform(frame)
    model = AIModel(estimator).make_estimator(pre.categorical_mask_).fit(Z, frame.y)
    explainer = AIExplainer(model, pre.output_groups_, Z[:200], pre.categorical_mask_)
    return model, explainer, Z


ESTIMATORS = {
    "histogram boosting (default)": None,
    "gradient boosting": GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0),
    "random forest": RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0),
    "extra trees": ExtraTreesClassifier(n_estimators=20, max_depth=6, random_state=0),
    "decision tree": DecisionTreeClassifier(max_depth=5, random_state=0),
    "logistic regression": LogisticRegression(max_iter=1000),
    "nearest neighbours (exact)": KNeighborsClassifier(n_neighbors=15),
}


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_contributions_add_up_to_the_models_output(name, n_classes):
    frame = claims(n_classes=n_classes)
    model, explainer, Z = fitted(ESTIMATORS[name], frame)
    rows = Z[:25]
    decided = full_proba(model, rows, n_classes).argmax(axis=1)
    a = explainer.explain(rows, decided)
    assert a.names == ["amount", "age", "kind", "region"]
    assert np.isfinite(a.values).all()
    np.testing.assert_allclose(a.base + a.values.sum(axis=1), a.output, atol=1e-8)
    # the output is the model's own score of the decided class, not a stand-in
    kind = "probability" if a.unit == "probability" else "proba"
    expected = class_output(full_proba(model, rows, n_classes), decided, kind)
    np.testing.assert_allclose(a.output, expected, rtol=1e-5, atol=1e-5)


def test_many_columns_use_sampled_permutations_that_still_add_up():
    frame = claims(n=400, extra=6)
    model, explainer, Z = fitted(GaussianNB(), frame)
    decided = model.predict(Z[:5])
    a = explainer.explain(Z[:5], decided)
    assert a.method == "permutation"
    np.testing.assert_allclose(a.base + a.values.sum(axis=1), a.output, atol=1e-8)


def _goes_left(predictor, node, x, known, f_idx_map) -> bool:
    """One node of scikit-learn's histogram trees, written out as its predictor reads it."""
    value = x[node["feature_idx"]]
    if np.isnan(value):
        return bool(node["missing_go_to_left"])
    if node["is_categorical"]:
        code = int(value)
        left = predictor.raw_left_cat_bitsets[node["bitset_idx"]]
        if (left[code // 32] >> (code % 32)) & 1:
            return True
        if (known[f_idx_map[node["feature_idx"]]][code // 32] >> (code % 32)) & 1:
            return False
        return bool(node["missing_go_to_left"])
    return bool(value <= node["num_threshold"])


def path_dependent_game(model, x, players_of_feature, mask) -> float:
    """E[raw output | the columns in mask], the way TreeSHAP defines it, by plain recursion."""
    known, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
    total = float(model._baseline_prediction[0, 0])

    def value(predictor, i: int) -> float:
        nodes = predictor.nodes
        node = nodes[i]
        if node["is_leaf"]:
            return float(node["value"])
        if mask[players_of_feature[node["feature_idx"]]]:
            goes_left = _goes_left(predictor, node, x, known, f_idx_map)
            return value(predictor, node["left"] if goes_left else node["right"])
        share = nodes[node["left"]]["count"] / node["count"]
        return share * value(predictor, node["left"]) + (1 - share) * value(
            predictor, node["right"]
        )

    for (predictor,) in model._predictors:
        total += value(predictor, 0)
    return total


def test_tree_values_equal_exact_shapley_values_on_a_small_model_with_categories():
    frame = claims(n=600)
    model, explainer, Z = fitted(HistGradientBoostingClassifier(max_iter=8, random_state=0), frame)
    X = model._preprocess_X(Z.astype(np.float64), reset=False)
    # the model puts its categorical columns first: map its columns to the input columns
    cat = model.is_categorical_
    to_input = np.concatenate([np.flatnonzero(cat), np.flatnonzero(~cat)])
    groups = explainer._groups()[to_input]
    rows = range(25)
    decided = np.ones(len(rows), dtype=int)
    ours = explainer.explain(Z[list(rows)], decided).values
    for i in rows:
        exact = exact_shapley(
            lambda masks, x=X[i]: np.array(
                [[path_dependent_game(model, x, groups, m)] for m in masks]
            ),
            len(explainer.names),
        )[0]
        np.testing.assert_allclose(ours[i], exact, atol=1e-9)


def test_tree_values_agree_with_shap_where_shap_reads_the_model_correctly():
    shap = pytest.importorskip("shap")
    frame = claims(n=600).drop(columns=["kind", "region"])
    model, explainer, Z = fitted(None, frame)  # numbers only: no categorical splits
    ours = explainer.explain(Z[:30], np.ones(30, dtype=int)).values
    theirs = shap.TreeExplainer(model).shap_values(Z[:30].astype(np.float64))
    np.testing.assert_allclose(ours, np.asarray(theirs), atol=1e-6)


def test_the_main_factor_is_the_right_column_in_the_right_direction():
    frame = claims(n=1500, seed=3)
    model, explainer, Z = fitted(None, frame)
    hail = np.flatnonzero((frame.kind == "Hagel").to_numpy())[:20]
    decided = full_proba(model, Z[hail], 2).argmax(axis=1)
    a = explainer.explain(Z[hail], decided)
    names = np.array(a.names)
    # a hail claim: the kind is what raises the AI's score for "1" the most
    pushes_up = np.where(decided[:, None] == 1, a.values, -a.values)
    assert (names[np.argmax(pushes_up, axis=1)] == "kind").mean() >= 0.9
    # and the interventional exact Shapley values (computed independently) agree on it
    background = Z[np.random.default_rng(0).choice(len(Z), 40, replace=False)].astype(float)
    groups = explainer._groups()

    def game(x, k):
        def v(masks):
            cols = masks[:, groups]
            hybrid = np.where(cols[:, None, :], x, background[None])
            P = full_proba(model, hybrid.reshape(-1, len(x)).astype(np.float32), 2)
            out = class_output(P, np.full(len(P), k), "proba")
            return out.reshape(len(masks), -1).mean(axis=1)[:, None]

        return v

    for i, row in enumerate(hail[:8]):
        exact = exact_shapley(game(Z[row].astype(float), decided[i]), len(names))[0]
        assert names[np.argmax(np.abs(exact))] == names[np.argmax(np.abs(a.values[i]))]
        top = np.argmax(np.abs(exact))
        assert np.sign(exact[top]) == np.sign(a.values[i, top])


def test_explanations_never_show_nan_as_a_factor():
    frame = claims(n=600)
    model, explainer, Z = fitted(None, frame)
    empty = np.flatnonzero(frame.amount.isna().to_numpy())[:10]
    decided = full_proba(model, Z[empty], 2).argmax(axis=1)
    names, contrib = explainer.attributions(Z[empty], decided)
    assert np.isfinite(contrib).all()
    for k, row in enumerate(empty):
        top = top_features(names, contrib[k], frame, row, k=4)
        for item in top:
            assert item["value"] is None or item["value"] == item["value"]
        text = explain_routing(
            routed_to="ai",
            audit=False,
            ai_label="1",
            ai_confidence=0.8,
            ai_value=0.8,
            person_values={},
            capacity_left={},
            total_left=0,
            top_features=top,
        )
        assert "nan" not in text["ai_text_en"].lower() and "nan" not in text["ai_text_de"]
    amount = top_features(names, contrib[0], frame, empty[0], k=4)
    missing = [t for t in amount if t["feature"] == "amount"]
    if missing:
        sentence = explain_routing(
            routed_to="ai",
            audit=False,
            ai_label="1",
            ai_confidence=0.8,
            ai_value=0.8,
            person_values={},
            capacity_left={},
            total_left=0,
            top_features=missing,
        )
        assert "amount = missing" in sentence["ai_text_en"]
        assert "amount = fehlt" in sentence["ai_text_de"]
