"""Every routing method through the same contract; what distinguishes the methods."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from teaming import HumanAITeam, MethodNotAvailable, evaluate, load_data, split_data
from teaming.methods import METHODS, CaseView, LazyCorrect, combined_value, make_method

HAS_TORCH = importlib.util.find_spec("torch") is not None
LEARNED = {"learned_ce", "learned_ova"}


def method_params():
    for name in sorted(METHODS):
        marks = [pytest.mark.torch, pytest.mark.slow] if name in LEARNED else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", method_params())
def test_every_method_fits_routes_and_evaluates_through_one_contract(name, split):
    train, test = split
    if name in LEARNED and not HAS_TORCH:
        with pytest.raises(MethodNotAvailable, match="pip install"):
            HumanAITeam(method=name).fit(train)
        return
    capacity = 0.25
    team = HumanAITeam(method=name, capacity=capacity, person_capacity=0.15, audit=0.1).fit(train)
    assert team.method_ == name and name in team.selection_report_["methods"]
    routed = team.route(test, explain=False)
    assert len(routed) == test.n_cases
    assert set(routed.routed_to) <= {"ai", *team.persons_}
    assert set(routed.ai_decision) <= set(team.classes_)
    handled = routed.routed_to != "ai"
    if METHODS[name].respects_capacity:
        assert handled.mean() <= capacity + 1e-9
        per_person = routed.routed_to[handled].value_counts()
        assert (per_person <= int(0.15 * test.n_cases)).all()
    # in history a case only goes to someone who decided it, so every answer is known
    assert routed.loc[handled, "person_decision"].notna().all()
    assert routed.team_decision.notna().all()
    figures = evaluate(team, test, n_bootstrap=0, capacities=(0.0, 0.5)).to_dict()
    assert 0.0 <= figures["team"]["accuracy"] <= figures["oracle"]["accuracy"] <= 1.0
    assert figures["method"] == name


def test_missing_torch_gives_a_clear_message(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "torch" else real_find_spec(n, *a)
    )
    with pytest.raises(MethodNotAvailable, match=r"torch==2\.13\.0"):
        make_method("learned_ce")
    from teaming.methods import available_methods

    assert "learned_ce" not in available_methods() and "combine" in available_methods()


def test_unknown_method_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown method 'magic'.*combine"):
        HumanAITeam(method="magic").fit(np.zeros((20, 1)), [0, 1] * 10)


def test_combine_answer_follows_the_confusion_matrix():
    # a person who says "1" is right only half the time when the truth is 0
    confusion = np.array([[[0.5, 0.5], [0.05, 0.95]]])
    view = CaseView(
        np.zeros((2, 1)),
        np.array([[0.9, 0.1], [0.4, 0.6]]),
        np.zeros((2, 1)),
        confusion,
        np.ones((2, 1), bool),
        np.ones(2),
        np.ones(1),
    )
    decided = make_method("combine").decide(view, np.array([0, 0]), np.array([1, 1]))
    # strong AI belief in 0 outweighs a weak "1"; an uncertain AI follows the person
    assert decided.tolist() == [0, 1]
    assert combined_value(view.ai_proba, confusion)[0, 0] == pytest.approx(
        0.9 * 0.5 + 0.9 * 0.5 + 0.0, abs=0.06
    )


@pytest.mark.parametrize("n_classes", [2, 3, 5, 10])
def test_combined_value_is_exactly_the_sum_of_the_answers_maxima(n_classes):
    # the fast layout (one class's probabilities as a row) must give bit for bit the
    # values of the formula (products, maxima, then the sum over answers in their order),
    # so routings do not change with it; blocks smaller than the cases are used too
    rng = np.random.default_rng(n_classes)
    P = rng.dirichlet(np.ones(n_classes), size=1000)
    C = rng.dirichlet(np.ones(n_classes), size=(4, n_classes))
    expected = np.zeros((1000, 4))
    for h in range(n_classes):
        expected += (P[:, :, None] * C[:, :, h].T[None, :, :]).max(axis=1)
    for chunk in (1000, 300, 64):
        assert np.array_equal(combined_value(P, C, chunk=chunk), expected)


def test_person_models_run_only_when_a_method_reads_them():
    # combine routes by the confusion matrices: without a person whose plain answer stands
    # it never reads the person models, and a view computes them only when read, the same
    # values for the whole view and for a part of it taken before
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=500), "b": rng.normal(size=500)})
    y = (X.a + 0.3 * rng.normal(size=500) > 0).astype(int)
    people = pd.DataFrame(
        {p: np.where(rng.random(500) < q, y, 1 - y) for p, q in [("anna", 0.9), ("ben", 0.7)]}
    )
    team = HumanAITeam(method="combine", capacity=0.3).fit(X, y, people)
    view, _ = team.case_view(X)
    part = view.take(np.array([5, 1, 3]))
    combine = team.methods_["combine"]
    combine.plain_ = np.zeros(2, dtype=bool)
    combine.values(view)
    assert isinstance(view.__dict__["person_correct"], LazyCorrect)
    inputs = team.person_inputs_.transform(view.Z, view.ai_proba)
    eager = team.person_model_.predict_correct(inputs, view.ai_proba)
    assert np.array_equal(view.person_correct, eager)
    assert np.array_equal(part.person_correct, eager[[5, 1, 3]])
    # a person whose plain answer stands is routed by their modelled correctness
    combine.plain_ = np.array([True, False])
    assert np.array_equal(combine.values(view)[1][:, 0], eager[:, 0])


def class_expert_frame(n: int, seed: int) -> pd.DataFrame:
    """Two persons who are excellent on different classes and guess on the rest."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    score = frame.a + 0.6 * frame.b + rng.normal(0, 1.0, n)
    y = np.digitize(score, np.quantile(score, [0.25, 0.5, 0.75]))
    frame["y"] = y
    for person, good in [("lea", {0, 1}), ("max", {2, 3})]:
        right = np.isin(y, list(good)) & (rng.random(n) < 0.97)
        frame[person] = np.where(right, y, rng.integers(0, 4, n))
    return frame


def test_value_of_information_routing_beats_confidence_deferral():
    frame = class_expert_frame(4000, seed=2)
    train, test = split_data(load_data(frame, target="y", humans=["lea", "max"]), random_state=0)
    figures = {}
    for name in ["confidence_threshold", "combine"]:
        team = HumanAITeam(method=name, capacity=0.3, audit=0.0).fit(train)
        figures[name] = evaluate(team, test, n_bootstrap=0, capacities=()).to_dict()
    assert (
        figures["combine"]["team"]["accuracy"]
        > figures["confidence_threshold"]["team"]["accuracy"] + 0.02
    )


def test_auto_selects_the_best_method_on_validation_and_says_why(split):
    train, _ = split
    team = HumanAITeam(capacity=0.3).fit(train)
    report = team.selection_report_
    # the figure compared: accuracy averaged around the capacity
    scored = {k: v["accuracy_around"] for k, v in report["methods"].items() if "accuracy" in v}
    best = max(scored, key=scored.get)
    assert report["chosen"] == team.method_ and report["choice"]["best"] == best
    # the best, or a simpler method it leads only by noise (and the reason says so)
    assert team.method_ == best or f"the simpler {team.method_} is kept" in report["reason"]
    assert team.method_ in report["reason"] and "capacity 0.3" in report["reason"]
    assert f"{team.method_} gewählt" in report["reason_de"]
    # the sentence lists the compared figures best first, as the choice ranks them
    listed = list(report["choice"]["compared"])
    positions = [report["reason"].index(f"{k} {100 * scored[k]:.2f} %") for k in listed]
    assert positions == sorted(positions)
