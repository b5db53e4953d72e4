"""The single-case fast paths give exactly the answers of the general (batch) path."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from teaming import HumanAITeam, load_data, load_team
from teaming.novelty import NoveltyProfile
from teaming.single_case import FAST_MAX_ROWS, few_columns, tree_proba

KINDS = ["Glas", "Sturm", "Wasser", "Einbruch"]
# the answer of route_one that route(X, batch=False) also has, by its column name
FIELDS = [
    "routed_to",
    "audit",
    "ai_decision",
    "ai_confidence",
    "expected_correctness_ai",
    "expected_correctness_person",
    "unusual",
    "unusual_reasons",
    "unusual_reasons_de",
    "explanation",
    "explanation_de",
]


def cases(n: int, seed: int, n_classes: int) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Claims with numbers, categories and gaps; three handlers, one who left early."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "amount": rng.uniform(100, 5000, n),
            "kind": rng.choice(KINDS, n),
            "age": rng.integers(18, 80, n).astype(float),
            "region": rng.choice(["Nord", "Süd", "West"], n),
        }
    )
    X.loc[rng.random(n) < 0.08, "age"] = np.nan
    X.loc[rng.random(n) < 0.05, "region"] = None
    score = (X.kind == "Einbruch") * 1.5 + X.amount / 2500 + rng.normal(0, 0.8, n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    labels = np.array([f"k{c}" for c in range(n_classes)], dtype=object)
    decisions = {}
    for person, skill in [("anna", 0.9), ("ben", 0.75), ("cem", 0.6)]:
        wrong = (y + rng.integers(1, n_classes, n)) % n_classes
        answer = pd.Series(labels[np.where(rng.random(n) < skill, y, wrong)])
        decisions[person] = answer.where(rng.random(n) < 0.6)
    return X, labels[y], pd.DataFrame(decisions)


def new_cases(n_classes: int) -> pd.DataFrame:
    X, _, _ = cases(90, seed=7, n_classes=n_classes)
    X = X.astype({"amount": object, "age": object})
    X.loc[0, "kind"] = "Hagel"  # never seen
    X.loc[1, ["amount", "kind", "region"]] = [np.nan, None, None]  # mostly empty
    X.loc[2, "amount"] = 250_000.0  # far outside
    X.loc[3, "region"] = "  "  # blank text
    X.loc[4, "kind"] = ""  # empty category
    X.loc[5, "age"] = np.float32(41.5)  # a numpy number
    X.loc[6, "age"] = True  # a flag where a number is expected
    X.loc[7, "amount"] = 1200  # a whole number
    return X


@pytest.fixture(scope="module", params=[2, 3, 5])
def team(request):
    X, y, decisions = cases(700, seed=request.param, n_classes=request.param)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.2).fit(
            X, y, decisions
        )


def one_by_one(team, X: pd.DataFrame, available=None, explain=True) -> list[dict]:
    state = team.new_stream_state()
    return [
        team.route_one(row, available=available, explain=explain, state=state)
        for row in X.to_dict("records")
    ]


def reference(team, X: pd.DataFrame, available=None) -> pd.DataFrame:
    """The general path: more cases than the fast paths take, routed as one stream."""
    assert len(X) > FAST_MAX_ROWS
    state = team.new_stream_state()
    return team.route(X, batch=False, available=available, explain=True, state=state)


def same(a, b) -> bool:
    """Equal, numbers up to float32 rounding: the person models give a case's figures in a
    batch and alone one float32 step apart (as before the fast path)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, z) for x, z in zip(a, b))
    if isinstance(a, float | np.floating) and isinstance(b, float | np.floating):
        return (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-6, abs=1e-9)
    return bool(a == b) or (pd.isna(a) and pd.isna(b))


def assert_same_answers(single: list[dict], batch: pd.DataFrame) -> None:
    for i, out in enumerate(single):
        row = batch.iloc[i]
        for field in FIELDS:
            if field == "expected_correctness_person" and out["routed_to"] == "ai":
                continue
            assert same(out[field], row[field]), (i, field, out[field], row[field])
        assert same(out["explanation_data"], row["explanation_data"]), i


def test_route_one_answers_as_the_general_path(team):
    X = new_cases(len(team.classes_))
    assert_same_answers(one_by_one(team, X), reference(team, X))


def test_route_one_answers_as_the_general_path_with_someone_unavailable(team):
    X = new_cases(len(team.classes_))
    available = ["anna", "cem"]
    assert_same_answers(one_by_one(team, X, available), reference(team, X, available))


def test_route_one_without_explanation_decides_the_same(team):
    X = new_cases(len(team.classes_))
    plain, explained = one_by_one(team, X, explain=False), one_by_one(team, X)
    for a, b in zip(plain, explained):
        assert a == {k: v for k, v in b.items() if not k.startswith("explanation")}


def test_a_few_prepared_cases_route_as_the_general_path(team):
    X = new_cases(len(team.classes_))
    expected = reference(team, X)
    state = team.new_stream_state()
    for start in range(0, len(X), 7):
        part = X.iloc[start : start + 7]
        routed = team.route_prepared(team.prepare_stream(part, explain=True), state)
        for i in range(len(part)):
            for field in FIELDS:
                got, want = routed[field].iat[i], expected[field].iat[start + i]
                assert same(got, want), (start + i, field, got, want)


def test_a_saved_and_loaded_team_answers_the_same(team, tmp_path):
    X = new_cases(len(team.classes_)).head(20)
    loaded = load_team(team.save(tmp_path / "team"))
    assert one_by_one(loaded, X) == one_by_one(team, X)


def decimal_comma_team(n_classes: int) -> tuple[HumanAITeam, pd.DataFrame]:
    """A team fitted on amounts written with a decimal comma, and those amounts as text."""
    X, y, decisions = cases(500, seed=3, n_classes=n_classes)
    text = X.assign(amount=X.amount.map(lambda v: f"{v:.2f}".replace(".", ",")))
    frame = pd.concat([text, decisions], axis=1).assign(y=y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_data(frame, target="y", humans=list(decisions), read_options={"decimal": ","})
        team = HumanAITeam(method="combine", capacity=0.3).fit(data)
    return team, text


def test_decimal_comma_text_is_read_as_in_the_general_path():
    team, text = decimal_comma_team(n_classes=2)
    new = text.head(FAST_MAX_ROWS + 10).reset_index(drop=True)
    new.loc[0, "amount"] = "999999,5"  # far outside
    assert_same_answers(one_by_one(team, new), reference(team, new))


@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("categorical", [False, True])
def test_tree_proba_equals_the_models_predict_proba(n_classes, categorical):
    rng = np.random.default_rng(n_classes)
    Z = rng.normal(size=(2000, 4))
    Z[:, 1] = rng.integers(0, 6, 2000)
    Z[rng.random(2000) < 0.1, 0] = np.nan
    Z[rng.random(2000) < 0.1, 1] = np.nan
    y = rng.integers(0, n_classes, 2000)
    mask = np.array([False, categorical, False, False])
    model = HistGradientBoostingClassifier(max_iter=25, categorical_features=mask).fit(Z, y)
    new = Z[:FAST_MAX_ROWS].copy()
    new[:4, 1] = [7, np.nan, 0, 5]  # unseen and missing categories
    assert np.array_equal(tree_proba(model, new), model.predict_proba(new))
    for i in range(10):
        assert np.array_equal(
            tree_proba(model, new[i : i + 1]), model.predict_proba(new[i : i + 1])
        )
    assert tree_proba(model, Z[: FAST_MAX_ROWS + 1]) is None


def small_tree_model(seed: int) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(500, 3))
    model = HistGradientBoostingClassifier(max_iter=10).fit(Z, (Z[:, 0] > 0).astype(int))
    return model, Z[:5]


def test_a_model_whose_trees_cannot_be_read_keeps_its_own_predict_proba(monkeypatch):
    # a scikit-learn release that lays out its private attributes differently
    from teaming import single_case

    def unreadable(self, predictors, known, index_map):
        raise AttributeError("'TreePredictor' object has no attribute 'nodes'")

    model, new = small_tree_model(seed=1)
    monkeypatch.setattr(single_case._Trees, "_flatten", unreadable)
    assert tree_proba(model, new) is None
    monkeypatch.undo()
    assert tree_proba(model, new) is None  # decided once, not tried per case


def test_flat_trees_that_disagree_with_the_model_are_not_used(monkeypatch):
    from teaming import single_case

    model, new = small_tree_model(seed=2)
    monkeypatch.setattr(single_case._Trees, "proba", lambda self, Z: np.zeros((len(Z), 2)))
    assert tree_proba(model, new) is None
    monkeypatch.undo()
    assert tree_proba(model, new) is None  # the model keeps its own predict_proba
    fresh, _ = small_tree_model(seed=2)
    assert np.array_equal(tree_proba(fresh, new), fresh.predict_proba(new))


def test_novelty_of_one_case_equals_the_frame_check():
    X, _, _ = cases(400, seed=1, n_classes=2)
    profile = NoveltyProfile(
        {"amount": "numeric", "kind": "categorical", "age": "numeric", "region": "categorical"}
    ).fit(X)
    odd = [
        {"amount": np.float32(0.1), "kind": np.str_("Glas"), "age": np.int64(30)},
        {"amount": 1e12, "kind": 3, "age": None, "region": float("nan")},
        {"amount": True, "kind": 2.0, "region": " Nord "},
        {"amount": "12,5", "kind": "Glas"},
        {"kind": "\u2003", "region": ""},
        {"amount": 5.5, "kind": pd.NA, "region": pd.Timestamp("2024-01-01")},
    ]
    for case in odd:
        frame = pd.DataFrame({c: [case.get(c)] for c in profile.feature_types})
        assert profile.check_one(case) == profile.check(frame)[1][0], case
    few = X.head(10).astype({"kind": object})
    few.loc[0, "kind"] = "Hagel"
    slow = profile.check(pd.concat([few] * 10, ignore_index=True))
    fast = profile.check(few)
    assert fast[0].tolist() == slow[0][:10].tolist() and fast[1] == slow[1][:10]


def hub_frame(team, rows: list[dict], numbers: bool = True) -> pd.DataFrame:
    """A few cases as the hub's service API hands them to prepare_stream: one frame built
    from the cases' values, numeric columns through pd.to_numeric (unless ``numbers`` is
    False: text kept as sent)."""
    columns = list(team.feature_types_)
    frame = pd.DataFrame([[r.get(c) for c in columns] for r in rows], columns=columns)
    if numbers:
        for column, kind in team.feature_types_.items():
            if kind == "numeric":
                frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def chunks(X: pd.DataFrame) -> list[list[dict]]:
    """The cases in groups of 1, 2 and 3 in turn."""
    rows, out, size = X.to_dict("records"), [], 1
    while rows:
        out.append(rows[:size])
        rows, size = rows[size:], size % 3 + 1
    return out


def assert_same_rows(alone: pd.DataFrame, general: pd.DataFrame, rows) -> None:
    """The answers (and explanation data) of ``rows`` routed alone equal the general path's."""
    for i in range(len(rows)):
        for field in FIELDS:
            got, want = alone[field].iat[i], general[field].iat[i]
            assert same(got, want), (rows[i], field, got, want)
        assert same(alone["explanation_data"].iat[i], general["explanation_data"].iat[i])


def routed_alone_and_in_many(team, part: pd.DataFrame, available, explain):
    """``part`` through prepare_stream + route_prepared, and the same cases first in a
    frame too large for the fast paths (repeated), routed by route() as one stream; both
    from a fresh stream state."""
    alone = team.route_prepared(
        team.prepare_stream(part.copy(), available=available, explain=explain),
        team.new_stream_state(),
    )
    many = pd.concat([part] * (FAST_MAX_ROWS // len(part) + 1), ignore_index=True)
    assert len(many) > FAST_MAX_ROWS
    general = team.route(
        many, batch=False, available=available, explain=explain, state=team.new_stream_state()
    )
    return alone, general.head(len(part))


@pytest.mark.parametrize("explain", [True, False])
@pytest.mark.parametrize("available", [None, ["anna", "cem"]])
def test_the_hubs_one_to_three_rows_route_as_the_general_path(team, explain, available):
    X = new_cases(len(team.classes_)).head(24)
    added = ["explanation", "explanation_de", "explanation_data"] if explain else []
    for rows in chunks(X):
        alone, general = routed_alone_and_in_many(team, hub_frame(team, rows), available, explain)
        assert list(alone.columns) == list(general.columns)
        # the explanations made with the table have the types of columns added to it after
        after = alone.drop(columns=added)
        for column in added:
            after[column] = alone[column].tolist()
        assert after.dtypes.equals(alone.dtypes)
        for i in range(len(rows)):
            for field in [*FIELDS, "person_decision", "team_decision", "flag_second_look"]:
                if field.startswith("explanation") and not explain:
                    assert field not in alone
                    continue
                got, want = alone[field].iat[i], general[field].iat[i]
                assert same(got, want), (rows[i], field, got, want)
            if explain:
                got, want = alone["explanation_data"].iat[i], general["explanation_data"].iat[i]
                assert same(got, want), rows[i]


def test_the_hubs_rows_are_read_as_the_frame_path_reads_them(team):
    """Bit for bit: the preprocessor's numbers and the novelty check of 1-3 hub rows taken
    without pandas equal those of the frame path (or it is not taken)."""
    X = new_cases(len(team.classes_)).head(30)
    X.loc[8, "region"] = "Ost"  # unseen
    X.loc[9, ["amount", "age"]] = [None, None]
    taken = 0
    for numbers in (True, False):
        for rows in chunks(X):
            frame = hub_frame(team, rows, numbers)
            columns = few_columns(frame, team.novelty_.feature_types)
            if columns is None:
                assert not numbers  # only text in a numeric column needs pandas here
                continue
            Z = team.preprocessor_.transform_few(columns, len(frame))
            if Z is not None:
                taken += 1
                assert np.array_equal(Z, team.preprocessor_.transform(frame), equal_nan=True)
            many = pd.concat([frame] * (FAST_MAX_ROWS // len(frame) + 1), ignore_index=True)
            flags, reasons = team.novelty_.check(frame, columns)
            slow_flags, slow_reasons = team.novelty_.check(many)
            assert flags.tolist() == slow_flags[: len(frame)].tolist()
            assert reasons == slow_reasons[: len(frame)]
    assert taken >= len(chunks(X))


def test_the_hubs_decimal_comma_text_rows_route_as_the_general_path():
    team, text = decimal_comma_team(n_classes=3)
    new = text.head(12).reset_index(drop=True)
    new.loc[0, "amount"] = "999999,5"  # far outside
    new.loc[1, "amount"] = None
    for rows in chunks(new):
        part = hub_frame(team, rows, numbers=False)
        alone, general = routed_alone_and_in_many(team, part, None, True)
        assert_same_rows(alone, general, rows)


NOTES = [
    "Glasschaden an der Windschutzscheibe",
    "Steinschlag, Scheibe gerissen",
    "Sturm hat das Dach abgedeckt",
    "Wasser im Keller nach Starkregen",
    "Einbruch, Fenster aufgehebelt",
]


@pytest.fixture(scope="module")
def text_team():
    """A team whose inputs include a free-text note (TF-IDF), as the hub's bench team."""
    X, y, decisions = cases(600, seed=11, n_classes=3)
    rng = np.random.default_rng(11)
    X["note"] = [f"{NOTES[KINDS.index(k)]} {rng.integers(100)}" for k in X.kind]
    X.loc[rng.random(len(X)) < 0.05, "note"] = None
    frame = pd.concat([X, decisions], axis=1).assign(y=y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_data(frame, target="y", humans=list(decisions), text_features=["note"])
        return HumanAITeam(method="combine", capacity=0.3, audit=0.1).fit(data)


def new_notes(n_classes: int) -> pd.DataFrame:
    X = new_cases(n_classes).head(24)
    X["note"] = [NOTES[i % len(NOTES)] for i in range(24)]
    X.loc[0, "note"] = None
    X.loc[1, "note"] = ""
    X.loc[2, "note"] = "   "
    X.loc[3, "note"] = "ganz andere Worte, nie gesehen"
    X.loc[4, "note"] = float("nan")
    return X


def test_the_hubs_rows_with_a_text_feature_are_read_as_the_frame_path_reads_them(text_team):
    """Bit for bit: a team with a text input takes the few-row path too, and its numbers
    equal those of the frame path (each text column encoded in one block as there)."""
    assert text_team.preprocessor_.text_ == ["note"]
    X = new_notes(len(text_team.classes_))
    for rows in chunks(X):
        frame = hub_frame(text_team, rows)
        columns = few_columns(frame, text_team.novelty_.feature_types)
        Z = text_team.preprocessor_.transform_few(columns, len(frame))
        assert Z is not None, rows
        assert np.array_equal(Z, text_team.preprocessor_.transform(frame), equal_nan=True)


def test_a_text_that_is_no_text_takes_the_frame_path(text_team):
    rows = new_notes(len(text_team.classes_)).head(2).to_dict("records")
    frame = hub_frame(text_team, rows)
    frame["note"] = [5, "Glasschaden"]
    columns = few_columns(frame, text_team.novelty_.feature_types)
    assert text_team.preprocessor_.transform_few(columns, 2) is None


@pytest.mark.parametrize("available", [None, ["anna", "cem"]])
def test_the_hubs_rows_with_a_text_feature_route_as_the_general_path(text_team, available):
    X = new_notes(len(text_team.classes_)).head(12)
    for rows in chunks(X):
        part = hub_frame(text_team, rows)
        alone, general = routed_alone_and_in_many(text_team, part, available, True)
        assert_same_rows(alone, general, rows)
