"""Capacity is an upper bound: no method defers where deferring loses on validation data."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam, evaluate, load_data, split_data
from teaming.methods import METHODS, CaseView, Method, make_method, register_method
from teaming.outcomes import Outcomes, learn_margin

HAS_TORCH = importlib.util.find_spec("torch") is not None


def strong_ai_frame(n: int = 1500, seed: int = 0, person_accuracy: float = 0.5) -> pd.DataFrame:
    """The features decide the target almost surely; the person guesses (by default)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (frame.a + 0.15 * rng.normal(size=n) > 0).astype(int)
    frame["y"] = y
    frame["guess"] = np.where(rng.random(n) < person_accuracy, y, 1 - y)
    return frame


@pytest.fixture(scope="module")
def useless_person():
    data = load_data(strong_ai_frame(), target="y", humans=["guess"])
    return split_data(data, test_size=0.4, random_state=0)


CHEAP = ["confidence_threshold", "compare_confidence", "combine"]


@pytest.mark.parametrize("name", CHEAP)
def test_no_method_spends_capacity_on_a_person_who_only_guesses(name, useless_person):
    train, test = useless_person
    team = HumanAITeam(method=name, capacity=0.5, audit=0.0).fit(train)
    figures = evaluate(team, test, n_bootstrap=0, capacities=(0.5,)).to_dict()
    assert figures["team"]["human_share"] <= 0.1  # of 0.5 allowed: only near-coin-flips
    assert figures["team"]["accuracy"] >= figures["ai"]["accuracy"] - 0.005
    if name == "confidence_threshold":
        # its predicted gain is always positive: only the learned margin stops it
        assert team.methods_[name].margin_ > 0


@pytest.mark.torch
@pytest.mark.slow
@pytest.mark.skipif(not HAS_TORCH, reason="needs the optional torch extra")
@pytest.mark.parametrize("name", ["learned_ce", "learned_ova"])
def test_learned_methods_keep_the_calibrated_ai_and_never_fall_below_it(name):
    # a strong AI and a mediocre person: the surrogate must not replace the AI by its own net
    data = load_data(strong_ai_frame(person_accuracy=0.75), target="y", humans=["guess"])
    train, test = split_data(data, test_size=0.4, random_state=0)
    team = HumanAITeam(method=name, capacity=0.5, audit=0.0).fit(train)
    view, _ = team.case_view(test)
    assert np.array_equal(team.methods_[name].ai_proba(view), view.ai_proba)
    figures = evaluate(team, test, n_bootstrap=0, capacities=(0.5,)).to_dict()
    assert figures["team"]["accuracy"] >= figures["ai"]["accuracy"] - 0.005


def test_evaluate_takes_ai_alone_and_the_oracle_from_the_calibrated_ai(useless_person):
    train, test = useless_person
    team = HumanAITeam(capacity=0.3, audit=0.05).fit(train)
    figures = evaluate(team, test, n_bootstrap=0, capacities=(0.3,)).to_dict()
    view, H = team.case_view(test)
    ai_right = view.ai_proba.argmax(axis=1) == test.y
    assert figures["ai"]["accuracy"] == pytest.approx(ai_right.mean())
    assert figures["ai"]["accuracy"] == pytest.approx(figures["methods"]["ai_only"]["accuracy"])
    oracle = ai_right | ((H >= 0) & (test.y[:, None] == H)).any(axis=1)
    assert figures["oracle"]["accuracy"] == pytest.approx(oracle.mean())


def test_final_method_learns_from_honest_validation_figures(split):
    seen: list[CaseView] = []

    @register_method
    class Recorder(Method):
        name = "recorder_example"

        def fit(self, view, y, H):
            seen.append(view)
            return self

        def values(self, view):
            return view.ai_proba.max(axis=1), view.person_correct

    try:
        train, _ = split
        HumanAITeam(method="recorder_example", capacity=0.3).fit(train)
    finally:
        del METHODS["recorder_example"]
    final = seen[-1]
    assert final.n_cases == train.n_cases  # cross-fitted AI: every case is validation
    # real (not placeholder) AI probabilities and person figures
    assert final.ai_proba.std(axis=0).min() > 0.01
    decided = final.available
    assert 0.3 < final.person_correct[decided].mean() < 1.0
    assert final.person_correct[decided].std() > 0.01


def test_combine_keeps_the_plain_answer_of_a_person_it_would_overrule_wrongly():
    n = 400
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, n)
    answer = np.where(rng.random(n) < 0.9, y, 1 - y)
    # a confidently wrong-headed AI: the combination would always side with it
    view = CaseView(
        np.zeros((n, 1)),
        np.tile([0.8, 0.2], (n, 1)),
        np.full((n, 1), 0.9),
        np.array([[[0.7, 0.3], [0.3, 0.7]]]),
        np.ones((n, 1), bool),
        np.ones(n),
        np.array([0.9]),
    )
    method = make_method("combine")
    assert (method.decide(view, np.zeros(n, int), answer) == 0).all()
    method.fit(view, y, answer[:, None])
    assert method.plain_.tolist() == [True]
    assert np.array_equal(method.decide(view, np.zeros(n, int), answer), answer)
    _, value = method.values(view)
    assert np.allclose(value[:, 0], 0.9)


def test_margin_moves_only_where_validation_clearly_says_so():
    d = np.linspace(0.5, -0.5, 200)[:, None]
    ai = np.zeros(200)
    # realised gains: positive above 0.2, losses below
    person = np.where(d[:, 0] > 0.2, 1.0, -1.0)[:, None]
    out = Outcomes(d, ai, person, np.ones(200), True, d)
    assert 0.19 <= learn_margin(out) <= 0.21
    # persons better than predicted: deferring below zero still pays, a negative margin
    person = np.where(d[:, 0] > -0.3, 1.0, -1.0)[:, None]
    out = Outcomes(d, ai, person, np.ones(200), True, d)
    assert -0.31 <= learn_margin(out) <= -0.29
    # pure noise: the margin mostly stays at zero
    rng = np.random.default_rng(0)
    moved = [
        learn_margin(Outcomes(d, ai, rng.choice([-1.0, 1.0], (200, 1)), np.ones(200), True, d))
        != 0.0
        for _ in range(100)
    ]
    assert np.mean(moved) < 0.3


def test_person_model_converges_with_many_persons_and_cases():
    from sklearn.exceptions import ConvergenceWarning

    from teaming.persons import PersonInputs, PersonModel

    rng = np.random.default_rng(0)
    n, m = 6000, 20
    Z = rng.normal(size=(n, 30))
    y = (Z[:, 0] + 0.3 * rng.normal(size=n) > 0).astype(int)
    p1 = 1 / (1 + np.exp(-4 * Z[:, 0]))
    P = np.column_stack([1 - p1, p1])
    skill = rng.uniform(0.6, 0.99, m)
    H = np.where(rng.random((n, m)) < skill, y[:, None], 1 - y[:, None])
    U = PersonInputs().fit(Z).transform(Z, P)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = PersonModel().fit(U, y, H, n_classes=2, n_ai=2)
    right = model.predict_correct(U).mean(axis=0)
    assert np.corrcoef(right, skill)[0, 1] > 0.9
