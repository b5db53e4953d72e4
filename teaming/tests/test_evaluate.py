"""Held-out evaluation: baselines, curves, groups, intervals, and Dask giving the same figures."""

from __future__ import annotations

import numpy as np
import pytest

from teaming import evaluate, write_report


@pytest.fixture(scope="module")
def figures(fitted, split):
    _, test = split
    return evaluate(fitted, test, n_bootstrap=40, capacities=(0.0, 0.3, 1.0)).to_dict()


def test_headline_figures_are_consistent(figures, split):
    _, test = split
    assert figures["n_cases"] == test.n_cases
    assert figures["team"]["accuracy"] <= figures["oracle"]["accuracy"]
    assert figures["ai"]["accuracy"] <= figures["oracle"]["accuracy"]
    lo, hi = figures["team"]["accuracy_ci"]
    assert lo <= figures["team"]["accuracy"] <= hi
    assert 0 <= figures["ai"]["ece"] < 0.2


def test_each_person_is_scored_only_on_cases_they_decided(figures, split):
    _, test = split
    for j, person in enumerate(test.persons):
        decided = test.H[:, j] >= 0
        expected = (test.H[decided, j] == test.y[decided]).mean()
        assert figures["persons"][person]["accuracy"] == pytest.approx(expected)
        assert figures["persons"][person]["n_decided"] == decided.sum()
    share = sum(p["workload"] for p in figures["persons"].values())
    assert share == pytest.approx(figures["human_share"])


def test_coverage_curve_starts_at_the_ai_and_grows_with_capacity(figures):
    curve = {round(p["capacity"], 2): p for p in figures["coverage"]}
    assert curve[0.0]["human_share"] == 0.0
    assert curve[0.0]["accuracy"] == pytest.approx(figures["ai"]["accuracy"])
    assert curve[1.0]["human_share"] >= curve[0.3]["human_share"]
    assert "human_only" in figures["methods"] and "combine" in figures["methods"]


def test_group_figures_come_from_fairlearn(figures):
    groups = figures["groups"]["grp"]
    assert {"f", "m"} <= set(groups)
    assert 0 <= groups["f"]["deferral_rate"] <= 1 and groups["f"]["n"] > 0


def test_summary_table_and_report(fitted, split, tmp_path):
    _, test = split
    evaluation = evaluate(fitted, test, n_bootstrap=0, capacities=(0.0, 0.5))
    table = evaluation.summary()
    assert table.approach.iloc[0].startswith("team") and "AI alone" in set(table.approach)
    html = write_report(evaluation, tmp_path / "r.html", persons="named").read_text()
    # coverage, reliability, workload per person, groups
    assert "Coverage curve" in html and html.count("<svg") >= 4
    # in aggregate (the default) no workload plot names anyone
    aggregate = write_report(evaluation, tmp_path / "a.html").read_text()
    assert aggregate.count("<svg") == html.count("<svg") - 1


@pytest.mark.dask
def test_dask_cluster_gives_the_same_figures_as_the_local_run(fitted, split):
    distributed = pytest.importorskip("dask.distributed")
    _, test = split
    local = evaluate(fitted, test, n_bootstrap=12, capacities=(0.0, 0.4)).to_dict()
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as c:
        remote = evaluate(
            fitted, test, n_bootstrap=12, capacities=(0.0, 0.4), cluster=c.scheduler_address
        ).to_dict()
    assert remote == local


def test_parallel_jobs_give_the_same_figures(fitted, split):
    _, test = split
    one = evaluate(fitted, test, n_bootstrap=8, capacities=(0.2,)).to_dict()
    two = evaluate(fitted, test, n_bootstrap=8, capacities=(0.2,), n_jobs=2).to_dict()
    assert one == two
    assert np.isfinite(one["team"]["accuracy_ci"]).all()
