"""Planted skills: does the team find where each person is strong, and route like an oracle?

On :func:`teaming.simulation.simulate` (synthetic claims, six people with planted skill maps:
strong on young drivers, weak on expensive vehicles, leaning to "yes", strong in one region,
improving over time, a newcomer with 15 decisions), for several seeds:

- recovery: per person, the correlation between the team's modelled probability of being
  right and the planted one on the held-out cases (everyone available), and the mean
  absolute error;
- accuracy at capacity 0.3 on the held-out cases (a person is available only for the cases
  they decided): the team (``method="auto"``), the simple baseline (defer the AI's least
  confident 30 % to the person with the best overall accuracy), a router that knows the
  planted skills (the same exact router, fed the planted expected correctness instead of the
  modelled one) and the AI alone; paired differences over seeds;
- deployment: new cases with everyone available, the share of deferred cases the busiest
  person gets, and the per-person limit the route summary suggests.

    .venv/bin/python -m bench.teaming.simulated_skills [--seeds 5] [--cases 8000] [--classes 2]

Prints a table and writes bench/out/simulated_skills.json.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import teaming
from teaming.router import route_batch
from teaming.simulation import simulate

from .common import write_json

CAPACITY = 0.3


def oracle_accuracy(team, sim, test, capacity: float) -> float:
    """The exact router fed the planted expected correctness (the AI: its calibrated
    confidence), on the held-out cases with their recorded decisions."""
    view, H = team.case_view(test)
    truth = sim.expected_correct(sim.frame.loc[test.ids])
    gains = np.where(view.available, truth - view.ai_proba.max(axis=1)[:, None], -np.inf)
    routing = route_batch(gains, capacity=capacity)
    ai = view.ai_proba.argmax(axis=1)
    decision = ai.copy()
    deferred = routing.assign >= 0
    decision[deferred] = H[deferred, routing.assign[deferred]]
    return float((decision == test.y).mean())


def run(seed: int, n_cases: int, n_classes: int) -> dict:
    sim = simulate(n_cases, n_classes=n_classes, random_state=seed)
    data = teaming.load_data(
        sim.frame,
        target="y",
        id="case_id",
        features=sim.features,
        humans=sim.persons,
        time="time",
        min_person_cases=1,
    )
    train, test = teaming.split_data(data, test_size=0.3, random_state=seed)
    start = time.perf_counter()
    team = teaming.HumanAITeam(capacity=CAPACITY, audit=0.0, random_state=seed).fit(train)
    fit_seconds = time.perf_counter() - start
    ev = teaming.evaluate(team, test, n_bootstrap=200, capacities=(CAPACITY,), random_state=seed)
    fig = ev.to_dict()
    # recovery: everyone available, modelled vs planted expected correctness
    new_cases = test.X
    view, _ = team.case_view(new_cases)
    truth = sim.expected_correct(sim.frame.loc[test.ids])
    recovery = {}
    for j, person in enumerate(team.persons_):
        k = sim.persons.index(person)
        model, true = view.person_correct[:, j], truth[:, k]
        corr = float(np.corrcoef(model, true)[0, 1]) if true.std() > 1e-9 else float("nan")
        recovery[person] = {"corr": corr, "mae": float(np.abs(model - true).mean())}
    deployment = team.route(new_cases, explain=False)
    summary = team.route_summary(deployment)
    baseline = fig.get("baseline", {})
    return {
        "seed": seed,
        "method": team.method_,
        "fit_seconds": fit_seconds,
        "ai": fig["ai"]["accuracy"],
        "team": fig["team"]["accuracy"],
        "baseline": baseline.get("accuracy"),
        "team_minus_baseline": baseline.get("difference"),
        "team_minus_baseline_ci": baseline.get("difference_ci"),
        "oracle_router": oracle_accuracy(team, sim, test, CAPACITY),
        "recovery": recovery,
        "busiest_share": summary["busiest_share"],
        "busiest": summary["busiest"],
        "suggested_person_limit": summary.get("suggested_person_limit"),
    }


def _paired(a: list[float], b: list[float]) -> str:
    d = 100 * (np.asarray(a) - np.asarray(b))
    se = d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else float("nan")
    return f"{d.mean():+.2f} points (se {se:.2f}; {d.min():+.2f}..{d.max():+.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--cases", type=int, default=8000)
    parser.add_argument("--classes", type=int, default=2)
    args = parser.parse_args()
    runs = []
    for seed in range(args.seeds):
        runs.append(run(seed, args.cases, args.classes))
        r = runs[-1]
        print(
            f"seed {seed}: {r['method']:<20} team {100 * r['team']:.2f}  baseline "
            f"{100 * r['baseline']:.2f}  oracle router {100 * r['oracle_router']:.2f}  AI "
            f"{100 * r['ai']:.2f}  busiest {r['busiest']} {100 * r['busiest_share']:.0f} % "
            f"({r['fit_seconds']:.1f} s)",
            flush=True,
        )
    frame = pd.DataFrame(runs)
    print(
        f"\n## planted skills, {args.cases} cases, {args.classes} classes, capacity {CAPACITY}, "
        f"{args.seeds} seeds (test share 0.3, split by time)"
    )
    for key in ["ai", "baseline", "team", "oracle_router"]:
        print(f"{key:<14} {100 * frame[key].mean():6.2f} (sd {100 * frame[key].std():.2f})")
    print("team - baseline:      " + _paired(frame.team, frame.baseline))
    print("team - oracle router: " + _paired(frame.team, frame.oracle_router))
    print("team - AI alone:      " + _paired(frame.team, frame.ai))
    print("auto's choices:", frame.method.value_counts().to_dict())
    print("\nrecovery (held-out cases, everyone available): corr / mean abs error, mean of seeds")
    for person in runs[0]["recovery"]:
        corr = np.nanmean([r["recovery"][person]["corr"] for r in runs])
        mae = np.mean([r["recovery"][person]["mae"] for r in runs])
        print(f"  {person:<14} {corr:5.2f} / {mae:.3f}")
    print(
        "\ndeployment (new cases, everyone available): busiest person's share of deferred "
        f"cases {100 * frame.busiest_share.mean():.0f} % "
        f"(max {100 * frame.busiest_share.max():.0f} %)"
    )
    path = write_json(f"simulated_skills_{args.classes}.json", runs)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
