"""Where each person is strong: planted skill maps are recovered and used for routing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from teaming import HumanAITeam, evaluate, load_data, split_data
from teaming.persons import PersonModel, _fit_blocks
from teaming.report import render_report
from teaming.router import route_batch
from teaming.simulation import DEFAULT_PERSONS, Rule, SimulatedPerson, simulate
from teaming.workload import summarise_routing


@pytest.fixture(scope="module")
def planted():
    sim = simulate(7000, random_state=3)
    data = load_data(
        sim.frame,
        target="y",
        id="case_id",
        features=sim.features,
        humans=sim.persons,
        time="time",
    )
    train, test = split_data(data, test_size=0.3)
    team = HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.0).fit(train)
    return sim, train, test, team


def test_the_simulation_plants_what_its_people_say():
    sim = simulate(20_000, random_state=0)
    frame = sim.frame
    young = frame.age < 25
    decided = frame.young_expert.notna()
    right = frame.young_expert == frame.y
    assert right[young & decided].mean() == pytest.approx(0.96, abs=0.02)
    assert right[~young & decided].mean() == pytest.approx(0.66, abs=0.02)
    # the yes-sayer answers "yes" (the last class) when wrong, and is right on every "yes"
    says = frame.yes_sayer[frame.yes_sayer.notna()]
    truth = frame.y[frame.yes_sayer.notna()]
    assert (says[(says != truth) & (truth != "c1")] == "c1").all()
    assert (says[truth == "c1"] == "c1").mean() == pytest.approx(0.97, abs=0.01)
    assert frame.newcomer.notna().sum() == 15 and frame.time[frame.newcomer.notna()].min() >= 0.9


def test_person_models_recover_the_planted_skill_maps(planted):
    sim, _, test, team = planted
    view, _ = team.case_view(test.X)  # new cases: everyone available
    truth = sim.expected_correct(sim.frame.loc[test.ids])
    model = {p: view.person_correct[:, j] for j, p in enumerate(team.persons_)}
    true = {p: truth[:, k] for k, p in enumerate(sim.persons)}
    for person in ["young_expert", "value_averse", "yes_sayer", "north_expert"]:
        assert np.corrcoef(model[person], true[person])[0, 1] > 0.7, person
        assert np.abs(model[person] - true[person]).mean() < 0.07, person
    cases = sim.frame.loc[test.ids]
    for person, region in [
        ("young_expert", cases.age < 25),
        ("value_averse", cases.vehicle_value >= 35_000),
        ("north_expert", cases.region == "north"),
    ]:
        region = region.to_numpy()
        planted_gap = true[person][region].mean() - true[person][~region].mean()
        found_gap = model[person][region].mean() - model[person][~region].mean()
        assert np.sign(found_gap) == np.sign(planted_gap), person
        assert abs(found_gap) > 0.6 * abs(planted_gap), person


def test_the_person_who_improves_is_modelled_at_their_current_skill(planted):
    sim, train, test, team = planted
    view, _ = team.case_view(test.X)
    j = team.persons_.index("improving")
    now = sim.expected_correct(sim.frame.loc[[int(train.ids.max())]])[
        0, sim.persons.index("improving")
    ]
    average = (train.H[:, j] == train.y)[train.H[:, j] >= 0].mean()
    # closer to the skill at the end of training than to the average over all of it
    assert abs(view.person_correct[:, j].mean() - now) < abs(average - now) / 2


def test_a_newcomer_with_few_cases_stays_close_to_the_pool(planted):
    _, _, test, team = planted
    view, _ = team.case_view(test.X)
    j = team.persons_.index("newcomer")
    assert team.person_model_.n_decided_[j] <= 15
    spread = view.person_correct[:, j].std()
    assert 0.55 < view.person_correct[:, j].mean() < 0.95 and spread < 0.1


def test_routing_comes_close_to_a_router_that_knows_the_planted_skills(planted):
    sim, _, test, team = planted
    figures = evaluate(team, test, n_bootstrap=50, capacities=(0.3,)).to_dict()
    view, H = team.case_view(test)
    truth = sim.expected_correct(sim.frame.loc[test.ids])
    gains = np.where(view.available, truth - view.ai_proba.max(axis=1)[:, None], -np.inf)
    oracle = route_batch(gains, capacity=0.3)
    decision = view.ai_proba.argmax(axis=1)
    deferred = oracle.assign >= 0
    decision[deferred] = H[deferred, oracle.assign[deferred]]
    oracle_accuracy = (decision == test.y).mean()
    assert figures["team"]["accuracy"] > oracle_accuracy - 0.015
    # and it beats the simple baseline: least confident cases to the best person overall
    assert figures["baseline"]["difference"] > 0.01
    low, high = figures["baseline"]["difference_ci"]
    assert low <= figures["baseline"]["difference"] <= high


def test_a_pile_up_on_one_person_is_reported_with_a_limit_that_spreads_it():
    sim = simulate(
        3000,
        people=(
            SimulatedPerson("star", 0.97),
            SimulatedPerson("anna", 0.7),
            SimulatedPerson("ben", 0.7),
        ),
        random_state=1,
    )
    data = load_data(sim.frame, target="y", features=sim.features, humans=sim.persons)
    team = HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.0).fit(data)
    summary = team.route_summary(team.route(data.X, explain=False))
    assert summary["busiest"] == "star" and summary["concentrated"]
    limit = summary["suggested_person_limit"]
    assert 0 < limit <= 0.3 and "person_capacity" in summary["message_en"]
    assert "star" in summary["message_de"]
    spread = team.set_params(person_capacity=limit).route(data.X, explain=False)
    assert (spread.routed_to == "star").mean() <= limit + 1e-9
    assert not team.route_summary(spread)["busiest_share"] > 0.8


def test_the_report_shows_a_pile_up_with_the_suggested_limit():
    sim = simulate(
        3000,
        people=(
            SimulatedPerson("star", 0.97),
            SimulatedPerson("anna", 0.7),
            SimulatedPerson("ben", 0.7),
        ),
        random_state=1,
    )
    data = load_data(sim.frame, target="y", features=sim.features, humans=sim.persons)
    train, test = split_data(data, test_size=0.4, random_state=0)
    team = HumanAITeam(method="compare_confidence", capacity=0.3, audit=0.0).fit(train)
    ev = evaluate(team, test, n_bootstrap=0, capacities=(0.3,))
    deployment = ev.to_dict()["deployment"]
    assert deployment["concentrated"] and deployment["busiest"] == "star"
    limit = f"person_capacity={deployment['suggested_person_limit']:g}"
    english = render_report(ev, language="en")
    assert "one person would get" in english and limit in english
    assert "star" not in english  # aggregate by default: nobody named
    named = render_report(ev, language="de", persons="named")
    assert "bekäme star" in named and limit in named


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["ai", "anna", "ben", "cem"]), min_size=1, max_size=200),
    st.floats(0.05, 1.0),
)
def test_route_summary_counts_every_case_once(routed, capacity):
    summary = summarise_routing(
        routed, [False] * len(routed), ["anna", "ben", "cem"], capacity=capacity
    )
    deferred = sum(v["deferred"] for v in summary["persons"].values())
    assert deferred == summary["n_deferred"] == sum(r != "ai" for r in routed)
    if summary["concentrated"]:
        assert 0 < summary["suggested_person_limit"] <= max(capacity, 0.01)
    else:
        assert summary["suggested_person_limit"] is None


def test_block_newton_matches_scikit_learn_on_the_same_penalised_problem():
    rng = np.random.default_rng(0)
    n, m, p = 600, 4, 5
    X = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    persons = rng.integers(0, m, n)
    eta = X @ rng.normal(size=p) * 0.5 + rng.normal(size=m)[persons]
    target = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    pooled = np.concatenate([[0.0], np.ones(p - 1)])
    person = np.full(p, 4.0)
    beta, gamma = _fit_blocks(X, persons, target, m, pooled, person, max_iter=50)
    # the same problem for scikit-learn: person columns scaled by their prior sd
    blocks = np.zeros((n, m * p))
    for j in range(m):
        blocks[persons == j, j * p : (j + 1) * p] = X[persons == j] * 0.5
    reference = LogisticRegression(C=1.0, tol=1e-10, max_iter=5000, solver="lbfgs")
    reference.fit(np.hstack([X[:, 1:], blocks]), target)
    ours = X @ beta + np.einsum("ij,ij->i", X, gamma[persons])
    theirs = reference.decision_function(np.hstack([X[:, 1:], blocks]))
    assert np.abs(ours - theirs).max() < 1e-4


def test_a_person_who_leans_to_one_answer_is_modelled_per_true_class():
    sim = simulate(
        4000,
        people=(
            SimulatedPerson("yes", 0.55, lean=1, lean_accuracy=0.98),
            SimulatedPerson("plain", 0.8),
        ),
        random_state=2,
    )
    data = load_data(sim.frame, target="y", features=sim.features, humans=sim.persons)
    team = HumanAITeam(method="compare_confidence").fit(data)
    view, _ = team.case_view(data.X)
    U = team.person_inputs_.transform(view.Z, view.ai_proba)
    by_class = team.person_model_.predict_correct_by_class(U)
    assert by_class[:, 0, 1].mean() > 0.9 and by_class[:, 0, 0].mean() < 0.65
    assert abs(by_class[:, 1, 1].mean() - by_class[:, 1, 0].mean()) < 0.1


def test_predicted_correctness_stays_a_probability_for_extreme_inputs():
    rng = np.random.default_rng(0)
    U = rng.normal(size=(400, 4)) * 50
    y = rng.integers(0, 3, 400)
    H = np.where(rng.random((400, 3)) < 0.7, y[:, None], (y[:, None] + 1) % 3)
    model = PersonModel().fit(U, y, H, n_classes=3, n_ai=3)
    p = model.predict_correct(U, np.full((400, 3), 1 / 3))
    assert np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()


def test_default_people_cover_every_kind_of_planted_skill():
    kinds = {
        "subgroup": any(r.equals is not None for p in DEFAULT_PERSONS for r in p.rules),
        "range": any(
            r.low is not None or r.high is not None for p in DEFAULT_PERSONS for r in p.rules
        ),
        "lean": any(p.lean is not None for p in DEFAULT_PERSONS),
        "improving": any(p.improving for p in DEFAULT_PERSONS),
        "few": any(isinstance(p.decided, int) and p.decided < 20 for p in DEFAULT_PERSONS),
    }
    assert all(kinds.values()), kinds
    assert (
        Rule("age", 0.9, low=30).covers(sim_frame := simulate(50).frame).sum()
        == (sim_frame.age >= 30).sum()
    )


def test_teaming_route_warns_of_a_pile_up_and_names_a_limit(tmp_path, capsys):
    from teaming.cli import main

    sim = simulate(
        1500,
        people=(SimulatedPerson("star", 0.97), SimulatedPerson("anna", 0.7)),
        random_state=4,
    )
    sim.frame.to_csv(tmp_path / "cases.csv", index=False)
    sim.frame[sim.features].to_csv(tmp_path / "new.csv", index=False)
    args = ["fit", str(tmp_path / "cases.csv"), "--target", "y", "--humans", "star,anna"]
    args += ["--features", ",".join(sim.features), "--method", "compare_confidence"]
    assert main([*args, "--audit", "0", "--out", str(tmp_path / "team")]) == 0
    capsys.readouterr()
    out = tmp_path / "routed.csv"
    assert (
        main(["route", str(tmp_path / "team"), str(tmp_path / "new.csv"), "--out", str(out)]) == 0
    )
    err = capsys.readouterr().err
    assert "routed 1500 cases" in err and "star gets" in err and "--person-capacity" in err
