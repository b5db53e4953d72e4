"""Latency of routing single cases against the plain model on one row (prints figures).

A team fitted like ``bench.teaming.speed``'s (``--fit`` cases x 20 features, 5 persons,
capacity 0.3, per-person limit 0.08, audit 0.05, method ``--method``), then ``--cases`` new
cases one at a time, interleaved in the same run: the plain classifier's ``predict_proba``
on one row (the baseline), ``route_one`` without and with explanation, and the hub's path
(``prepare_stream`` of a one-row frame, then ``route_prepared``, with explanation).

Run: ``.venv/bin/python -m bench.teaming.single_case [--classes 2] [--profile]``
(``--profile``: cProfile of ``route_one`` without explanation and of the hub's path, the
30 dearest calls).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from bench.teaming.speed import make_cases
from teaming import HumanAITeam, load_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", type=int, default=30_000)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--method", default="auto")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    persons = [f"p{j}" for j in range(5)]
    columns = [f"x{k}" for k in range(20)]
    frame = make_cases(args.fit, 20, 5, seed=0, n_classes=args.classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_data(frame, target="y", humans=persons)
        team = HumanAITeam(method=args.method, capacity=0.3, person_capacity=0.08, audit=0.05).fit(
            data
        )
    new = make_cases(args.cases + 50, 20, 5, seed=1, n_classes=args.classes)[columns]
    rows = new.to_dict("records")
    plain = team.ai_.estimator_
    state = team.new_stream_state()

    controller = ThreadpoolController()

    def one_thread(fn, *args):
        # one native thread, as the team uses for small inputs
        with controller.limit(limits=1):
            return fn(*args)

    def hub(case: dict) -> None:
        one = pd.DataFrame([case], columns=columns)
        team.route_prepared(team.prepare_stream(one, explain=True), state)

    calls = {
        "plain predict_proba (1 row)": lambda c: one_thread(
            plain.predict_proba, np.array([[c[k] for k in columns]], dtype=np.float32)
        ),
        "route_one": lambda c: team.route_one(c, explain=False, state=state),
        "route_one explained": lambda c: team.route_one(c, explain=True, state=state),
        "prepare_stream + route_prepared (1 row)": hub,
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    for i, case in enumerate(rows):
        for name, call in calls.items():
            start = time.perf_counter()
            call(case)
            if i >= 50:  # the first calls build the caches
                times[name].append(time.perf_counter() - start)
    load = os.getloadavg()[0]
    print(
        f"team of {args.fit:,} cases, {args.classes} classes, method {team.method_}; "
        f"{args.cases} single cases; load {load:.1f}"
    )
    for name, values in times.items():
        p50, p99 = (1e3 * np.percentile(values, q) for q in (50, 99))
        print(f"{name:<42} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for case in rows:
            team.route_one(case, explain=False, state=state)
            hub(case)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
