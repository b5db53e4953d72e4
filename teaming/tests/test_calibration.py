"""Calibration: chosen on validation data, it lowers the error of a miscalibrated model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from teaming import HumanAITeam, load_data, split_data
from teaming.ai import CALIBRATIONS, Calibrator, choose_calibration, scores_to_proba
from teaming.metrics import expected_calibration_error, log_loss


class Overconfident(ClassifierMixin, BaseEstimator):
    """A logistic model whose probabilities are pushed far toward 0 and 1."""

    def __init__(self, sharpness: float = 6.0):
        self.sharpness = sharpness

    def fit(self, X, y):
        from sklearn.linear_model import LogisticRegression

        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        logits = self.model_.decision_function(X) * self.sharpness
        p1 = 1 / (1 + np.exp(-logits))
        return np.column_stack([1 - p1, p1])


def noisy_binary(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    p = 1 / (1 + np.exp(-(frame.a - 0.5 * frame.b)))
    frame["y"] = (rng.random(n) < p).astype(int)
    return frame


def test_calibration_lowers_the_error_of_a_miscalibrated_model():
    train, test = split_data(load_data(noisy_binary(3000, 0), target="y"), random_state=0)
    raw = HumanAITeam(method="ai_only", estimator=Overconfident(), calibration="none").fit(train)
    cal = HumanAITeam(method="ai_only", estimator=Overconfident(), calibration="auto").fit(train)
    Z = raw.preprocessor_.transform(test.X)
    p_raw, p_cal = raw.ai_.predict_proba(Z), cal.ai_.predict_proba(Z)
    assert cal.ai_.calibration_ != "none"
    assert expected_calibration_error(p_cal, test.y) < 0.5 * expected_calibration_error(
        p_raw, test.y
    )
    assert log_loss(p_cal, test.y) < log_loss(p_raw, test.y)
    # the choice is recorded with the validation figures of every candidate
    assert set(cal.ai_.calibration_report_) == set(CALIBRATIONS)


@pytest.mark.parametrize("method", CALIBRATIONS)
def test_every_calibration_maps_multiclass_probabilities_to_probabilities(method):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, 800)
    P = rng.dirichlet(np.ones(4), 800)
    P[np.arange(800), y] += 1.0
    P /= P.sum(axis=1, keepdims=True)
    Q = Calibrator(method).fit(P, y).transform(P)
    assert Q.shape == P.shape and np.allclose(Q.sum(axis=1), 1) and (Q >= 0).all()


def test_choice_keeps_an_already_calibrated_model_simple():
    rng = np.random.default_rng(2)
    q = rng.uniform(0.05, 0.95, 4000)
    y = (rng.random(4000) < q).astype(int)
    name, _, report = choose_calibration(np.column_stack([1 - q, q]), y, np.arange(4000) % 3)
    assert report[name]["log_loss"] <= report["none"]["log_loss"]
    assert report["none"]["log_loss"] - report[name]["log_loss"] < 0.01


def test_vendor_scores_are_calibrated_instead_of_training_a_model():
    frame = noisy_binary(2000, 3)
    p = 1 / (1 + np.exp(-(frame.a - 0.5 * frame.b)))
    frame["vendor"] = np.clip(p**3 / (p**3 + (1 - p) ** 3), 0, 1)  # overconfident vendor
    train, test = split_data(load_data(frame, target="y", scores=["vendor"]), random_state=0)
    team = HumanAITeam(method="ai_only").fit(train)
    assert team.ai_.estimator_ is None and team.uses_scores_
    P_raw, _ = scores_to_proba(test.scores, 2)
    P_cal = team.ai_.predict_proba(scores=test.scores)
    assert log_loss(P_cal, test.y) < log_loss(P_raw, test.y)
    assert set(team.route(test.X.assign(vendor=test.scores[:, 0]), explain=False).routed_to) <= {
        "ai"
    }


def test_vector_scaling_fixes_a_class_bias_that_one_temperature_cannot():
    from teaming.metrics import log_loss

    rng = np.random.default_rng(3)
    n, K = 6000, 3
    truth = rng.dirichlet(np.ones(K) * 0.7, n)
    y = np.array([rng.choice(K, p=p) for p in truth])
    # the model inflates class 0 and is too confident
    biased = truth**2 * np.array([4.0, 1.0, 1.0])
    biased /= biased.sum(axis=1, keepdims=True)
    train, test = np.arange(n) < 4000, np.arange(n) >= 4000
    losses = {
        m: log_loss(Calibrator(m).fit(biased[train], y[train]).transform(biased[test]), y[test])
        for m in ("temperature", "vector")
    }
    assert losses["vector"] < losses["temperature"] - 0.01
