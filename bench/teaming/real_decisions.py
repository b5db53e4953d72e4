"""Team accuracy on data sets with real (or documented simulated) human decisions.

For each data set and seed, a HumanAITeam is fitted through the engine's public API on
the training cases and evaluated on the held-out ones: every method at several human
shares (capacities), against AI alone, the people alone, current practice and the oracle,
next to the published figures. Audit share 0 throughout (the published setups have none).

    .venv/bin/python -m bench.teaming.real_decisions                 # everything
    .venv/bin/python -m bench.teaming.real_decisions --only compas --seeds 2

Prints one table per data set and writes bench/out/real_decisions.json.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from . import datasets as ds
from .common import baseline_means, curve_table, mean_curves, run_engine, write_json

CAPACITIES = [0.1, 0.2, 0.3, 0.5]


def _auto_runs(make, seeds, capacities, **kw) -> dict[float, list[float]]:
    """Per seed, the accuracy of the team with method "auto", refitted at each capacity."""
    return {
        c: [
            run_engine(make(s), [c], fit_capacity=c, seed=s, **kw)["team_at_fit_capacity"]
            for s in seeds
        ]
        for c in capacities
    }


def _auto_rows(make, seeds, capacities, **kw) -> dict[float, float]:
    """Accuracy of the team with method "auto", refitted at each capacity (mean of seeds)."""
    return {c: float(np.mean(v)) for c, v in _auto_runs(make, seeds, capacities, **kw).items()}


def _paired(team: list[float], other: list[float]) -> str:
    """'mean +- sd (se; min..max)' of the paired differences in points."""
    d = 100 * (np.asarray(team) - np.asarray(other))
    sd = d.std(ddof=1) if d.size > 1 else float("nan")
    return (
        f"{d.mean():+.3f} +- {sd:.3f} (se {sd / np.sqrt(d.size):.3f}; "
        f"{d.min():+.2f}..{d.max():+.2f}; {int((d > 0).sum())} of {d.size} seeds ahead)"
    )


def _print_section(title, runs, curves, auto, extra_lines=()):
    base = baseline_means(runs)
    print(f"\n## {title}  ({len(runs)} seeds, {runs[0]['n_test']} test cases each)")
    print(
        f"AI alone {100 * base['ai']:.2f} (ECE {base['ai_ece']:.3f})  |  person mean "
        f"{100 * base['person_mean']:.2f}, best {100 * base['person_best']:.2f}  |  current "
        f"practice {100 * base['current_practice']:.2f}  |  oracle {100 * base['oracle']:.2f}"
    )
    print("accuracy % (human share %) by capacity, mean over seeds:")
    print(curve_table(curves))
    if auto:
        print(
            "team (auto, refitted per capacity): "
            + "  ".join(f"cap {c:g}: {100 * a:.2f}" for c, a in auto.items())
        )
    chosen = pd.Series([r["chosen"] for r in runs]).value_counts().to_dict()
    print(f"auto's choice at the fit capacity: {chosen}")
    for line in extra_lines:
        print(line)
    return base


def cifar(seeds, capacities):
    results = {}
    for model in ds.CIFAR_MODELS:
        make = lambda s, m=model: ds.cifar10h(m, s)  # noqa: E731
        runs = [run_engine(make(s), capacities, fit_capacity=0.2, seed=s) for s in seeds]
        curves = mean_curves(runs, capacities)
        # the team's own run at 0.2 is the auto team: no refit needed
        per_seed = [r["team_at_fit_capacity"] for r in runs]
        auto = {0.2: float(np.mean(per_seed))}
        line_runs = [ds._least_confident_baselines(make(s), 0.2) for s in seeds]
        repro = np.mean(line_runs, axis=0)
        ref = make(0).reference["combine_least_confident_20"]
        at20 = curves[curves.capacity == 0.2].set_index("method").accuracy
        best = at20.drop(["human_only"], errors="ignore").idxmax()
        lines = [
            f"reference @20 %: defer least confident {100 * repro[0]:.2f}, combine on least "
            f"confident {100 * repro[1]:.2f} (our reproduction), {ref} (issue)",
            f"best method @20 %: {best} {100 * at20[best]:.2f}; auto {100 * auto[0.2]:.2f} -> "
            f"{'beats' if auto[0.2] * 100 > ref else 'does NOT beat'} the issue's {ref}",
            "paired over seeds, auto - reproduced line (points): "
            + _paired(per_seed, [c for _, c in line_runs]),
        ]
        base = _print_section(f"cifar10h / {model}", runs, curves, auto, lines)
        results[model] = {
            "runs": runs,
            "curves": curves,
            "auto": auto,
            "baselines": base,
            "reference": make(0).reference,
            "reproduced_reference_at_20": {"defer": repro[0], "combine": repro[1]},
            "paired_auto_minus_line": [a - c for a, (_, c) in zip(per_seed, line_runs)],
        }
    return results


def compas(seeds, capacities):
    caps = capacities + [1.0]
    runs = [run_engine(ds.compas(s), caps, fit_capacity=0.3, seed=s) for s in seeds]
    curves = mean_curves(runs, caps)
    auto = _auto_rows(ds.compas, seeds, [0.1, 0.3, 0.5])
    ref = ds.compas().reference
    ai = baseline_means(runs)["ai"]
    lines = [
        f"published: COMPAS {ref['ai']}, people mean {ref['person_mean']}, majority of 20 "
        f"{ref['majority']}, oracle (COMPAS or the one person right) {ref['oracle']}",
        "headroom captured = (team - AI) / (81.0 - AI) for the team (auto):",
        "  "
        + "  ".join(f"cap {c:g}: {100 * (a - ai) / (0.81 - ai):5.1f} %" for c, a in auto.items()),
    ]
    base = _print_section("compas-dressel-farid (no-race condition)", runs, curves, auto, lines)
    return {"runs": runs, "curves": curves, "auto": auto, "baselines": base, "reference": ref}


def ktas(seeds, capacities):
    caps = capacities + [1.0]
    runs = [run_engine(ds.ktas(s), caps, fit_capacity=0.3, seed=s) for s in seeds]
    curves = mean_curves(runs, caps)
    auto_runs = _auto_runs(ds.ktas, seeds, [0.3, 0.5, 1.0])
    auto = {c: float(np.mean(v)) for c, v in auto_runs.items()}
    base = baseline_means(runs)
    nurse = [r["person_mean"] for r in runs]
    best = max(auto, key=lambda c: auto[c])
    lines = [
        f"target: beat nurse alone ({100 * base['person_mean']:.2f}) and AI alone "
        f"({100 * base['ai']:.2f}); best team (auto, cap {best:g}) {100 * auto[best]:.2f} -> "
        f"{'beats both' if auto[best] > max(base['person_mean'], base['ai']) else 'NOT both'}",
        f"paired over {len(seeds)} seeds (repeated 70/30 splits), team - nurse (points): "
        + "  ".join(f"cap {c:g}: {_paired(v, nurse)}" for c, v in auto_runs.items() if c >= 0.5),
    ]
    base = _print_section("ktas-triage", runs, curves, auto, lines)
    return {
        "runs": runs,
        "curves": curves,
        "auto": auto,
        "auto_per_seed": auto_runs,
        "baselines": base,
    }


def hatespeech(seeds, capacities):
    caps = capacities + [0.73, 1.0]
    runs = [run_engine(ds.hatespeech(s), caps, fit_capacity=1.0, seed=s) for s in seeds]
    curves = mean_curves(runs, caps)
    # one fit per seed (about 4 minutes each): the team's own figure at no capacity limit
    auto = {1.0: float(np.mean([r["team_at_fit_capacity"] for r in runs]))}
    ref = ds.hatespeech(0).reference
    lines = [
        f"published (Hemmer et al. 2022, 20 seeds): their team {ref['hemmer_team']} with the AI "
        f"taking {ref['team_ai_share']} % (human share ~73 %), best expert {ref['best_expert']}, "
        f"AI alone {ref['ai']} (GloVe + MLP)",
        "our AI learns from TF-IDF of the tweet (the engine's text features), not GloVe",
    ]
    base = _print_section("hatespeech-davidson, Hemmer et al. setup", runs, curves, auto, lines)
    return {"runs": runs, "curves": curves, "auto": auto, "baselines": base, "reference": ref}


def nih(seeds, capacities):
    """Routing among radiologists only (no features, no AI): person models at work."""
    print("\n## nih-chestxray-readers: each image to one reader, no AI (capacity 1)")
    print("finding            random read  team (auto)  reader modelled best  majority  oracle")
    out = {}
    for finding in ds.NIH_FINDINGS:
        runs = [run_engine(ds.nih(finding, s), [1.0], fit_capacity=1.0, seed=s) for s in seeds]
        team = np.mean([r["team_at_fit_capacity"] for r in runs])
        best = np.mean([r["curves"]["human_only"]["1.0"][0] for r in runs])
        base = baseline_means(runs)
        print(
            f"{finding:18s} {100 * _random_read(finding, seeds):10.2f}  {100 * team:10.2f}  "
            f"{100 * best:19.2f}  {100 * base['current_practice']:8.2f}  "
            f"{100 * base['oracle']:6.2f}"
        )
        out[finding] = {"runs": runs, "team": team, "human_only": best, "baselines": base}
    return out


def _random_read(finding: str, seeds) -> float:
    """Accuracy of one read drawn at random per test image (mean over seeds)."""
    accs = []
    for s in seeds:
        b = ds.nih(finding, s)
        H, y = b.frame[b.persons].to_numpy()[b.test], b.y[b.test]
        right = np.where(np.isnan(H), np.nan, y[:, None] == H)
        accs.append(np.nanmean(np.nanmean(right, axis=1)))
    return float(np.mean(accs))


SECTIONS = {
    "cifar10h": cifar,
    "compas": compas,
    "ktas": ktas,
    "hatespeech": hatespeech,
    "nih": nih,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    out = {}
    for name in args.only:
        start = time.perf_counter()
        out[name] = SECTIONS[name](seeds, CAPACITIES)
        print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    path = write_json(
        "real_decisions.json"
        if set(args.only) == set(SECTIONS)
        else f"real_decisions_{'_'.join(args.only)}.json",
        out,
    )
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
