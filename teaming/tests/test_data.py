"""The data contract: good inputs load, every class of bad input says what is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teaming import DataError, HumanAITeam, load_data, split_data
from teaming.team import as_team_data


def cases(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "case_id": [f"K{k}" for k in range(n)],
            "x": rng.normal(size=n),
            "kind": rng.choice(["a", "b"], n),
            "y": rng.choice(["yes", "no"], n),
        }
    )
    frame["anna"] = np.where(rng.random(n) < 0.8, frame.y, None)
    return frame


def test_wide_and_long_decisions_give_the_same_matrix():
    frame = cases()
    wide = load_data(frame, target="y", id="case_id", humans=["anna"])
    long = frame.loc[frame.anna.notna(), ["case_id", "anna"]].rename(columns={"anna": "decision"})
    long["person"] = "anna"
    from_long = load_data(frame.drop(columns="anna"), target="y", id="case_id", decisions=long)
    assert wide.H.tolist() == from_long.H.tolist()
    assert wide.persons == from_long.persons == ["anna"]


def test_numeric_labels_match_across_int_float_and_text():
    frame = pd.DataFrame({"x": range(30), "y": [0, 1, 2] * 10})
    frame["p"] = pd.Series([0.0, 1.0, np.nan] * 10)
    data = load_data(frame, target="y", humans=["p"])
    assert data.H[:3, 0].tolist() == [0, 1, -1]
    frame["p"] = ["0", "1", None] * 10
    assert load_data(frame, target="y", humans=["p"]).H[:3, 0].tolist() == [0, 1, -1]


def test_unknown_labels_in_decisions_name_column_rows_and_classes():
    frame = cases()
    frame.loc[[3, 7], "anna"] = "maybe"
    with pytest.raises(DataError) as err:
        load_data(frame, target="y", humans=["anna"])
    message = str(err.value)
    assert "'anna'" in message and "maybe" in message and "3, 7" in message
    assert "classes" in message and err.value.column == "anna"


def test_all_missing_feature_column_is_refused():
    frame = cases()
    frame["empty"] = np.nan
    with pytest.raises(DataError, match="feature column 'empty' is empty in all 40 rows"):
        load_data(frame, target="y", humans=["anna"])


def test_all_missing_decision_column_is_refused():
    frame = cases()
    frame["ben"] = None
    with pytest.raises(DataError, match="decision column 'ben' is empty"):
        load_data(frame, target="y", humans=["anna", "ben"])


def test_person_with_too_few_decided_cases_is_named():
    frame = cases()
    frame["ben"] = None
    frame.loc[:2, "ben"] = frame.y[:3]
    with pytest.raises(DataError, match=r"min_person_cases=10 cases: 'ben' \(3\)"):
        load_data(frame, target="y", humans=["anna", "ben"], min_person_cases=10)
    # by default nobody is refused: the team decides after its split
    assert load_data(frame, target="y", humans=["anna", "ben"]).persons == ["anna", "ben"]
    assert load_data(frame, target="y", humans=["anna", "ben"], min_person_cases=3)


def test_feature_identical_to_the_target_is_a_leak():
    frame = cases()
    frame["copy"] = frame.y.map({"yes": 1, "no": 0})
    with pytest.raises(DataError, match="'copy' determines the target exactly"):
        load_data(frame, target="y", humans=["anna"])


def test_case_decided_twice_by_the_same_person_is_refused():
    frame = cases().drop(columns="anna")
    long = pd.DataFrame(
        {
            "case_id": ["K1", "K1", "K2"],
            "person": ["ben", "ben", "ben"],
            "decision": ["yes", "no", "no"],
        }
    )
    with pytest.raises(DataError, match="decided twice by the same person.*case K1 by ben"):
        load_data(frame, target="y", id="case_id", decisions=long, min_person_cases=1)


def test_missing_columns_and_unmatched_ids_are_named():
    frame = cases()
    with pytest.raises(DataError, match="target column 'outcome' not found"):
        load_data(frame, target="outcome")
    with pytest.raises(DataError, match="humans column 'zoe' not found"):
        load_data(frame, target="y", humans=["zoe"])
    long = pd.DataFrame({"case_id": ["X1"], "person": ["a"], "decision": ["yes"]})
    with pytest.raises(DataError, match="none of the 1 decisions matches a case id"):
        load_data(frame, target="y", id="case_id", decisions=long)
    with pytest.raises(DataError, match="decisions column 'who' not found"):
        load_data(
            frame,
            target="y",
            id="case_id",
            decisions=long,
            decision_columns=("case_id", "who", "decision"),
        )


def test_target_problems_are_reported_with_rows():
    frame = cases()
    frame.loc[[5, 9], "y"] = None
    with pytest.raises(DataError, match=r"target column 'y' is empty in rows 5, 9 \(2 in all\)"):
        load_data(frame, target="y")
    frame["y"] = "yes"
    with pytest.raises(DataError, match="only one class"):
        load_data(frame, target="y")


def test_duplicate_case_ids_bad_scores_costs_and_times_are_refused():
    frame = cases()
    frame.loc[1, "case_id"] = "K0"
    with pytest.raises(DataError, match="case ids occur more than once"):
        load_data(frame, target="y", id="case_id")
    frame = cases()
    frame["s"] = ["0.5"] * 4 + ["high"] + ["0.5"] * 35
    with pytest.raises(DataError, match=r"score column 's'.*rows 4"):
        load_data(frame, target="y", scores=["s"])
    frame = cases()
    frame["c"] = 1.0
    frame.loc[2, "c"] = -3
    with pytest.raises(DataError, match="negative costs in rows 2"):
        load_data(frame, target="y", cost="c")
    frame = cases()
    frame["t"] = "2024-01-01"
    frame.loc[6, "t"] = "someday"
    with pytest.raises(DataError, match=r"time column 't'.*rows 6"):
        load_data(frame, target="y", time="t")


def test_text_features_and_groups_are_typed_and_kept_out_of_features():
    frame = cases()
    frame["note"] = ["glass broken"] * 20 + ["engine noise"] * 20
    frame["region"] = "north"
    data = load_data(frame, target="y", humans=["anna"], text_features=["note"], groups=["region"])
    assert data.feature_types["note"] == "text"
    assert data.feature_types["kind"] == "categorical"
    assert "region" not in data.feature_types and list(data.groups.columns) == ["region"]


def test_split_respects_time():
    frame = cases()
    frame["t"] = pd.date_range("2024-01-01", periods=40, freq="D")[::-1]
    train, test = split_data(load_data(frame, target="y", time="t"), test_size=0.25)
    assert train.time.max() < test.time.min()


def test_plain_arrays_with_wide_nan_decisions_fit():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] > 0).astype(int)
    decisions = pd.DataFrame({"p": np.where(rng.random(300) < 0.5, y, np.nan)})
    team = HumanAITeam(method="compare_confidence").fit(X, y, decisions)
    assert team.persons_ == ["p"] and list(team.classes_) == [0, 1]
    with pytest.raises(DataError, match="wide decisions have 5 rows for 300 cases"):
        as_team_data(X, y, decisions.head(5))
