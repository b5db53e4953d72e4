"""Leaks: a feature known only after the decision is caught at fit time."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam, load_data
from teaming.leaks import LeakWarning, find_leaks
from teaming.modelcard import model_card
from teaming.persist import load_team, read_metadata


def claims(n: int = 800, seed: int = 0) -> pd.DataFrame:
    """Claims where the amount finally paid is 0 for every rejected claim (a leak)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "value": rng.uniform(5_000, 60_000, n).round(0),
            "kind": rng.choice(["Glas", "Sturm", "Hagel"], n),
        }
    )
    score = (frame.age < 25) * 1.2 + frame.value / 30_000 - 1.3 + rng.normal(0, 1, n)
    frame["y"] = np.where(score > 0, "reject", "pay")
    frame["paid"] = np.where(frame.y == "reject", 0.0, rng.uniform(200, 9_000, n).round(2))
    # a few paid claims were later reopened and rejected: the leak is almost, not exactly, exact
    flip = rng.choice(n, 4, replace=False)
    frame.loc[flip, "paid"] = rng.uniform(200, 9_000, 4).round(2)
    frame["anna"] = np.where(
        rng.random(n) < 0.85, frame.y, np.where(frame.y == "pay", "reject", "pay")
    )
    return frame


def test_a_column_known_only_after_the_decision_is_found():
    data = load_data(claims(), target="y", humans=["anna"])
    leaks = find_leaks(data)
    assert [leak["column"] for leak in leaks] == ["paid"]
    assert leaks[0]["accuracy"] > 0.98
    assert 0.3 < leaks[0]["base_rate"] < 0.8


def test_strong_but_honest_features_and_rare_classes_are_not_leaks():
    rng = np.random.default_rng(1)
    n = 3000
    frame = pd.DataFrame({"a": rng.normal(size=n), "noise": rng.normal(size=n)})
    # a strong feature (about 93 % right alone) is no leak
    frame["y"] = (frame.a + 0.15 * rng.normal(size=n) > 0).astype(int)
    assert find_leaks(load_data(frame, target="y")) == []
    # a rare class: always answering "no" is 98.5 % right, so 98.5 % is not "almost perfect"
    frame["rare"] = (rng.random(n) < 0.015).astype(int)
    assert find_leaks(load_data(frame.drop(columns="y"), target="rare")) == []


def test_a_category_that_almost_decides_the_target_is_found():
    frame = claims(seed=2)
    status = np.where(frame.y == "reject", "closed-rejected", "closed-paid")
    status[:3] = "closed-paid"
    frame["status"] = status
    frame = frame.drop(columns="paid")
    found = find_leaks(load_data(frame, target="y", humans=["anna"]))
    assert [leak["column"] for leak in found] == ["status"]


def test_fit_warns_and_the_model_card_names_the_leak(tmp_path):
    data = load_data(claims(), target="y", humans=["anna"])
    with pytest.warns(LeakWarning, match="feature paid alone predicts .* leaks='drop'"):
        team = HumanAITeam(method="compare_confidence").fit(data)
    assert [leak["column"] for leak in team.leaks_] == ["paid"]
    assert not team.leaks_[0]["dropped"]
    assert "paid" in team.feature_types_
    folder = team.save(tmp_path / "team")
    assert load_team(folder).leaks_ == team.leaks_
    meta = read_metadata(folder)
    card_en, card_de = model_card(meta, "en"), model_card(meta, "de")
    assert "feature paid alone predicts" in card_en
    assert "Merkmal paid sagt allein" in card_de


def test_leaks_drop_leaves_the_feature_out_of_fitting_and_routing():
    frame = claims()
    data = load_data(frame, target="y", humans=["anna"])
    with pytest.warns(LeakWarning, match="it was left out"):
        team = HumanAITeam(method="compare_confidence", leaks="drop").fit(data)
    assert team.leaks_[0]["dropped"]
    assert "paid" not in team.feature_types_
    assert team.training_metrics_["ai_accuracy"] < 0.95
    # new cases do not have the column at all
    new = frame.drop(columns=["y", "anna", "paid"]).head(20)
    out = team.route(new, explain=True)
    assert len(out) == 20
    assert not out.explanation.str.contains("paid").any()


def test_no_warning_without_a_leak():
    frame = claims().drop(columns="paid")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakWarning)
        team = HumanAITeam(method="compare_confidence").fit(
            load_data(frame, target="y", humans=["anna"])
        )
    assert team.leaks_ == []


def test_leaks_option_is_checked():
    data = load_data(claims(), target="y", humans=["anna"])
    with pytest.raises(ValueError, match="leaks must be 'warn' or 'drop'"):
        HumanAITeam(leaks="ignore").fit(data)


def test_cli_fit_leaks_drop_saves_what_it_left_out(tmp_path, capsys):
    from teaming.cli import main

    path = tmp_path / "claims.csv"
    claims().to_csv(path, index=False)
    out = tmp_path / "team"
    code = main(
        [
            "--quiet",
            "fit",
            str(path),
            "--target",
            "y",
            "--humans",
            "anna",
            "--method",
            "compare_confidence",
            "--leaks",
            "drop",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert "feature paid alone predicts" in capsys.readouterr().err
    meta = read_metadata(out)
    assert meta["data"]["leaks"][0]["column"] == "paid" and meta["data"]["leaks"][0]["dropped"]
    assert "paid" not in meta["schema"]["feature_types"]
    assert "paid" in (out / "MODELLKARTE.md").read_text(encoding="utf-8")
