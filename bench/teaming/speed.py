"""Speed of the team engine against the plain model it wraps (prints figures; not a test).

1,000,000 cases x 20 features, 5 persons who decided a third of the cases each:

- fit ratio: ``HumanAITeam.fit`` time / time of fitting the bare base classifier
  (``HistGradientBoostingClassifier`` with default settings on all cases) in the same run;
  goal at most 2.0;
- batch ``route`` throughput in cases per second (explanations off); goal at least 200,000;
- ``route_one`` latency per single case, p50 and p99 (goal p99 at most 5 ms), with and
  without explanations;
- peak memory (tracemalloc, a separate pass so it does not slow the timed one) of fitting and
  routing, next to that of the bare classifier.

Run: ``.venv/bin/python -m bench.teaming.speed [--cases N] [--classes 2] [--per-person-limit 0.08]``

``--sweep 2-10`` instead prints, for each number of classes, batch ``route`` against the
``predict_proba`` of the plain model it wraps (the team's own fitted classifier, called on
the same cases as an array), in the same run, interleaved, best of ``--repeats``: a team
(method ``--sweep-method``, default ``combine``, which routes by the AI and the persons'
confusion matrices and needs the person models only for persons whose plain answer stands;
``compare_confidence`` needs the person models on every case) fitted on
``--sweep-fit`` cases, 5 persons, capacity 0.3, per-person limit 0.08 (binding), audit 0.05,
routing ``--sweep-cases`` new cases from a DataFrame without explanations. Goal per class
count: at least 200,000 cases/s or at most 1.25 x ``predict_proba`` (wall clock). The CPU
ratio (process time) is the steadier figure on a shared machine; with one native thread
(``OMP_NUM_THREADS=1``) it is the ratio of the work done.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

from teaming import HumanAITeam, load_data


def make_cases(
    n: int, n_features: int, n_persons: int, seed: int, n_classes: int = 2
) -> pd.DataFrame:
    """Synthetic cases: a nonlinear target, persons strong in different regions."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features)).astype(np.float32)
    score = X[:, 0] + np.sin(2 * X[:, 1]) + 0.5 * X[:, 2] * X[:, 3] + rng.normal(0, 0.7, n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    frame = pd.DataFrame(X, columns=[f"x{k}" for k in range(n_features)])
    frame["y"] = y
    for j in range(n_persons):
        # person j is good where feature j is high, guesses elsewhere; decided a third
        good = 1 / (1 + np.exp(-2 * X[:, 4 + j]))
        right = rng.random(n) < 0.55 + 0.4 * good
        guess = (y + rng.integers(1, n_classes, n)) % n_classes
        decision = np.where(right, y, guess).astype(float)
        decision[rng.random(n) > 1 / 3] = np.nan
        frame[f"p{j}"] = decision
    return frame


def timed(fn, *args, **kwargs):
    gc.collect()
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def peak_memory(fn, *args, **kwargs) -> float:
    gc.collect()
    tracemalloc.start()
    fn(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def class_sweep(classes: list[int], args: argparse.Namespace) -> None:
    """Route against the wrapped model's predict_proba, per number of classes."""
    import os
    import warnings

    from threadpoolctl import threadpool_info

    threads = max((p.get("num_threads", 1) for p in threadpool_info()), default=1)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"route vs predict_proba of the wrapped model: fit {args.sweep_fit:,} cases, route "
        f"{args.sweep_cases:,} x {args.features} features, {args.persons} persons, capacity "
        f"{args.capacity}, per-person limit {args.per_person_limit}, audit 0.05, method "
        f"{args.sweep_method}; best of {args.repeats}; {threads} native thread(s); "
        f"load {load:.1f}"
    )
    print(
        f"{'classes':>7}  {'predict_proba':>13}  {'route':>9}  {'route cases/s':>13}  "
        f"{'ratio':>5}  {'cpu ratio':>9}  goal (>= 200,000/s or <= 1.25)"
    )
    persons = [f"p{j}" for j in range(args.persons)]
    columns = [f"x{k}" for k in range(args.features)]
    for k in classes:
        frame = make_cases(args.sweep_fit, args.features, args.persons, seed=0, n_classes=k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = load_data(frame, target="y", humans=persons)
            team = HumanAITeam(
                method=args.sweep_method,
                capacity=args.capacity,
                person_capacity=args.per_person_limit,
                audit=0.05,
            ).fit(data)
        new = make_cases(args.sweep_cases, args.features, args.persons, seed=1, n_classes=k)
        new = new[columns]
        array = new.to_numpy()
        plain = team.ai_.estimator_
        t_plain, t_route, c_plain, c_route = [], [], [], []
        for _ in range(args.repeats):
            for fn, call, options, wall, cpu in [
                (plain.predict_proba, (array,), {}, t_plain, c_plain),
                (team.route, (new,), {"explain": False}, t_route, c_route),
            ]:
                gc.collect()
                start, start_cpu = time.perf_counter(), time.process_time()
                fn(*call, **options)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        best_plain, best_route = min(t_plain), min(t_route)
        rate = args.sweep_cases / best_route
        ratio = best_route / best_plain
        cpu_ratio = min(c_route) / min(c_plain)
        verdict = "met" if rate >= 200_000 or ratio <= 1.25 else "NOT met"
        print(
            f"{k:>7}  {best_plain:>11.3f} s  {best_route:>7.3f} s  {rate:>13,.0f}  "
            f"{ratio:>5.2f}  {cpu_ratio:>9.2f}  {verdict}",
            flush=True,
        )


def _class_range(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--persons", type=int, default=5)
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--capacity", type=float, default=0.3)
    parser.add_argument(
        "--per-person-limit",
        type=float,
        default=0.08,
        help="each person's share limit (binding: 5 x 0.08 > 0.3 total)",
    )
    parser.add_argument("--single", type=int, default=2000, help="route_one calls timed")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory pass")
    parser.add_argument(
        "--sweep", type=_class_range, help="classes, e.g. 2-10: route/predict_proba per count"
    )
    parser.add_argument("--sweep-fit", type=int, default=30_000, help="training cases")
    parser.add_argument("--sweep-cases", type=int, default=100_000, help="cases routed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--sweep-method",
        default="combine",
        help="routing method of the sweep's teams (combine, compare_confidence, ...)",
    )
    args = parser.parse_args()
    if args.sweep:
        class_sweep(args.sweep, args)
        return

    frame = make_cases(args.cases, args.features, args.persons, seed=0, n_classes=args.classes)
    persons = [f"p{j}" for j in range(args.persons)]
    data, t_load = timed(load_data, frame, target="y", humans=persons)
    X = frame[[f"x{k}" for k in range(args.features)]]
    y = frame["y"].to_numpy()

    # the plain model is timed before and after the team (mean of both), so a change in the
    # machine's load during the run does not tilt the ratios
    base, t_base1 = timed(HistGradientBoostingClassifier(random_state=0).fit, X.to_numpy(), y)
    team = HumanAITeam(capacity=args.capacity, person_capacity=args.per_person_limit, audit=0.05)
    _, t_fit = timed(team.fit, data)
    _, t_base2 = timed(HistGradientBoostingClassifier(random_state=0).fit, X.to_numpy(), y)
    t_base = (t_base1 + t_base2) / 2

    new = make_cases(args.cases, args.features, args.persons, seed=1, n_classes=args.classes)[
        X.columns
    ]
    _, t_predict1 = timed(base.predict_proba, new.to_numpy())
    result, t_route = timed(team.route, new, explain=False)
    _, t_predict2 = timed(base.predict_proba, new.to_numpy())
    t_predict = (t_predict1 + t_predict2) / 2

    rows = new.head(args.single).to_dict("records")
    lat_plain, lat_explained = [], []
    for explain, store in [(False, lat_plain), (True, lat_explained)]:
        team.reset_stream()
        for case in rows:
            start = time.perf_counter()
            team.route_one(case, explain=explain)
            store.append(time.perf_counter() - start)

    shares = result.routed_to.value_counts(normalize=True).round(4).to_dict()
    print(
        f"cases {args.cases:,} x {args.features} features, {args.classes} classes, "
        f"{args.persons} persons; "
        f"capacity {args.capacity}, per-person limit {args.per_person_limit}, audit 0.05"
    )
    print(f"method chosen: {team.method_} ({team.selection_report_['reason']})")
    print(f"routed shares: {shares}")
    table = [
        ("load_data (validation)", f"{t_load:.2f} s", ""),
        (
            "base classifier fit",
            f"{t_base:.2f} s",
            f"before {t_base1:.2f} s, after {t_base2:.2f} s",
        ),
        ("HumanAITeam.fit", f"{t_fit:.2f} s", f"ratio {t_fit / t_base:.2f} (goal <= 2.0)"),
        ("base predict_proba", f"{t_predict:.2f} s", f"{args.cases / t_predict:,.0f} cases/s"),
        (
            "route (batch, exact)",
            f"{t_route:.2f} s",
            f"{args.cases / t_route:,.0f} cases/s (goal >= 200,000), "
            f"{t_route / t_predict:.2f} x predict_proba",
        ),
        (
            "route_one p50 / p99",
            f"{1e3 * np.percentile(lat_plain, 50):.2f} / "
            f"{1e3 * np.percentile(lat_plain, 99):.2f} ms",
            "goal p99 <= 5 ms",
        ),
        (
            "route_one explained p50 / p99",
            f"{1e3 * np.percentile(lat_explained, 50):.2f} / "
            f"{1e3 * np.percentile(lat_explained, 99):.2f} ms",
            "",
        ),
    ]
    if not args.no_memory:
        mem_base = peak_memory(HistGradientBoostingClassifier(random_state=0).fit, X.to_numpy(), y)
        mem_fit = peak_memory(
            HumanAITeam(capacity=args.capacity, person_capacity=args.per_person_limit).fit, data
        )
        mem_predict = peak_memory(base.predict_proba, new.to_numpy())
        mem_route = peak_memory(team.route, new, explain=False)
        table += [
            ("peak memory: base fit", f"{mem_base:,.0f} MiB", ""),
            ("peak memory: team fit", f"{mem_fit:,.0f} MiB", f"ratio {mem_fit / mem_base:.2f}"),
            ("peak memory: base predict_proba", f"{mem_predict:,.0f} MiB", ""),
            ("peak memory: route", f"{mem_route:,.0f} MiB", f"ratio {mem_route / mem_predict:.2f}"),
        ]
    width = max(len(r[0]) for r in table)
    for name, value, note in table:
        print(f"{name:<{width}}  {value:>16}  {note}")


if __name__ == "__main__":
    main()
