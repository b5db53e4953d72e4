"""Team forming on the labelled set: constraints met, fit, capacity, exact vs heuristic.

    .venv/bin/python bench/matching/eval_teams.py

For every inquiry: rank the pool (hybrid), propose a team from the best 40 with the hub's
default rules, and check it independently. Also compares the exact solver with the greedy
heuristic and with brute force, and times both on a synthetic pool of 10,000 experts.
Writes bench/out/matching_teams.json.
"""

import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from common import build_pool, judgements, load, table, write_json  # noqa: E402

from humaine.matching.config import load_config  # noqa: E402
from humaine.matching.encoders import get_encoder  # noqa: E402
from humaine.matching.lexical import MemoryIndex  # noqa: E402
from humaine.matching.pipeline import TEAM_POOL  # noqa: E402
from humaine.matching.ranking import build_query, default_taxonomy, rank_experts  # noqa: E402
from humaine.matching.teams import (  # noqa: E402
    TeamCandidate,
    candidates_from_matches,
    objective,
    propose_team,
    team_spec,
)


def check(proposal, pool, spec) -> dict:
    """Verify a proposal from scratch, without trusting the solver's own report."""
    by_id = {c.id: c for c in pool}
    members = [by_id[m.id] for m in proposal.members]
    eligible = [c for c in pool if c.free_hours >= spec.hours_per_member and not c.conflicts]
    result = {"hard_ok": True, "hard_feasible": True, "soft": []}
    for requirement in spec.requirements:
        met = sum(requirement.covers(c) for c in members) >= requirement.min_count
        available = sum(requirement.covers(c) for c in eligible) >= requirement.min_count
        if requirement.hard:
            result["hard_ok"] &= met
            result["hard_feasible"] &= available
        else:
            result["soft"].append((requirement.key, met, available))
    # two single-discipline hard slots: feasible iff each has an eligible coverer and
    # the team may have two members (checked generally below for the default rules)
    result["over_capacity"] = sum(c.free_hours < spec.hours_per_member for c in members)
    result["conflicted"] = sum(bool(c.conflicts) for c in members)
    result["size"] = len(members)
    result["fits"] = [m.fit for m in proposal.members]
    return result


def arrays(pool, spec):
    eligible = [c for c in pool if c.free_hours >= spec.hours_per_member and not c.conflicts]
    fits = np.array([max(0.0, c.fit) for c in eligible])
    cover = np.array([[r.covers(c) for r in spec.requirements] for c in eligible], dtype=bool)
    min_counts = np.array([r.min_count for r in spec.requirements])
    hard = np.array([r.hard for r in spec.requirements])
    return eligible, fits, cover, min_counts, hard


def brute_force_value(fits, cover, min_counts, hard, spec):
    best = None
    n = len(fits)
    for size in range(min(spec.min_size, n), min(spec.max_size, n) + 1):
        for team in combinations(range(n), size):
            value = objective(team, fits, cover, min_counts, hard, spec.member_cost)
            best = value if best is None or value > best else best
    return best


def synthetic_pool(raw_experts, n, rng) -> list[TeamCandidate]:
    """Experts drawn from the evaluation pool's mix of disciplines, sectors and capacity."""
    picks = rng.integers(0, len(raw_experts), size=n)
    return [
        TeamCandidate(
            id=f"s{i}",
            fit=float(rng.random()),
            disciplines=frozenset(raw_experts[k]["disciplines"]),
            sectors=frozenset(raw_experts[k]["sectors"]),
            free_hours=float(raw_experts[k]["capacity_hours"]),
        )
        for i, k in enumerate(picks)
    ]


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), float(np.percentile(times, 95))


def main() -> None:
    encoder = get_encoder()
    taxonomy = default_taxonomy()
    config = load_config()
    experts, _, raw_experts, _ = build_pool(encoder)
    index = MemoryIndex((e["id"], f"{e['topics']}\n{e['methods']}") for e in raw_experts)
    rows, examples = [], {}
    for inquiry in load("inquiries"):
        query = build_query(
            inquiry["text"], encoder, sector=inquiry["sector"], language=inquiry["language"]
        )
        ranked = rank_experts(query, experts, index.search(inquiry["text"]), config=config)
        pool = candidates_from_matches(ranked[:TEAM_POOL], experts)
        spec = team_spec(config, sector=inquiry["sector"], needs=query.needs, taxonomy=taxonomy)
        exact = propose_team(pool, spec, method="exact", taxonomy=taxonomy)
        greedy = propose_team(pool, spec, method="greedy", taxonomy=taxonomy)
        checked = check(exact, pool, spec)
        grades = judgements(inquiry, "experts")
        _, fits, cover, min_counts, hard = arrays(pool, spec)
        # brute force over the 16 best eligible candidates (the exact solver sees all)
        top = np.argsort(-fits, kind="stable")[:16]
        brute = brute_force_value(fits[top], cover[top], min_counts, hard, spec)
        value = {
            name: objective(
                [i for i, c in enumerate(arrays(pool, spec)[0]) if c.id in ids],
                fits,
                cover,
                min_counts,
                hard,
                spec.member_cost,
            )
            for name, ids in (
                ("exact", {m.id for m in exact.members}),
                ("greedy", {m.id for m in greedy.members}),
            )
        }
        rows.append(
            {
                "inquiry": inquiry["id"],
                "split": inquiry["split"],
                **{k: v for k, v in checked.items() if k != "soft"},
                "soft": checked["soft"],
                "grades": [grades.get(m.id, 0) for m in exact.members],
                "exact_value": value["exact"],
                "greedy_value": value["greedy"],
                "brute16_value": brute,
                "flagged": [i for i, _ in exact.flagged],
                "members": [m.id for m in exact.members],
            }
        )
        if inquiry["id"] in ("q04", "q33"):
            examples[inquiry["id"]] = [
                {
                    "id": m.id,
                    "reason": m.reason["en"],
                    "alternatives": [a.id for a in m.alternatives],
                }
                for m in exact.members
            ]
    print_summary(rows)
    print_examples(examples)
    timings = time_solvers(raw_experts, config, taxonomy)
    payload = {"per_inquiry": rows, "examples": examples, "timings": timings}
    print(f"\nwritten: {write_json('matching_teams.json', payload)}")


def print_summary(rows):
    table_rows = []
    for split in ("test", "dev", "all"):
        sel = [r for r in rows if split == "all" or r["split"] == split]
        feasible = [r for r in sel if r["hard_feasible"]]
        soft = [s for r in sel for s in r["soft"] if s[2]]
        sector = [s for r in sel for s in r["soft"] if s[2] and s[0] == "sector"]
        fits = [f for r in sel for f in r["fits"]]
        grades = [g for r in sel for g in r["grades"]]
        table_rows.append(
            [
                split,
                len(sel),
                f"{sum(r['hard_ok'] for r in feasible)}/{len(feasible)}",
                f"{sum(s[1] for s in sector)}/{len(sector)}",
                f"{sum(s[1] for s in soft)}/{len(soft)}",
                f"{np.mean([r['size'] for r in sel]):.2f}",
                f"{np.mean(fits):.3f}",
                f"{np.mean(grades):.2f}",
                f"{np.mean([g >= 1 for g in grades]):.0%}",
                sum(r["over_capacity"] for r in sel),
                sum(r["conflicted"] for r in sel),
                f"{sum(r['exact_value'] == r['greedy_value'] for r in sel)}/{len(sel)}",
                f"{np.mean([r['exact_value'][2] - r['greedy_value'][2] for r in sel]):.4f}",
                f"{sum(r['exact_value'] >= r['brute16_value'] for r in sel)}/{len(sel)}",
            ]
        )
    header = [
        "split",
        "teams",
        "hard met / feasible",
        "sector met / avail.",
        "all soft met / avail.",
        "size",
        "mean fit",
        "mean grade",
        "judged relevant",
        "over capacity",
        "conflicted",
        "greedy = exact",
        "fit gap",
        "exact >= brute16",
    ]
    print(table(table_rows, header))


def print_examples(examples):
    for inquiry, members in examples.items():
        print(f"\nexample team for {inquiry}:")
        for m in members:
            print(f"  {m['id']}: {m['reason']}  (alternatives: {', '.join(m['alternatives'])})")


def time_solvers(raw_experts, config, taxonomy):
    rng = np.random.default_rng(7)
    spec = team_spec(config, sector="insurance", needs={"law": 0.9}, taxonomy=taxonomy)
    results = {}
    rows = []
    for n in (40, 1000, 10_000):
        pool = synthetic_pool(raw_experts, n, rng)
        for method in ("exact", "greedy"):
            median, p95 = timed(lambda m=method, p=pool: propose_team(p, spec, method=m), 15)
            results[f"{method}@{n}"] = {"median_s": median, "p95_s": p95}
            rows.append([n, method, f"{median * 1000:.1f}", f"{p95 * 1000:.1f}"])
    print("\nteam forming time per proposal (4 requirements incl. law, max 4 members):")
    print(table(rows, ["experts", "method", "median ms", "p95 ms"]))
    return results


if __name__ == "__main__":
    main()
