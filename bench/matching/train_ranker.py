"""Fit the learned ranker on the *tuning* half of the second labelled set (never the other).

    .venv/bin/python bench/matching/train_ranker.py [--with-first-set] [--write]

Builds one fresh hub as eval_heldout.py does (import through ``manage.py import_experts``,
index with the real encoder), asks ``POST /api/v1/matching/preview`` for every inquiry of
the tuning half and records, per inquiry, the signals the hub computed for every candidate
expert (``ranking.expert_signals``) with the candidates' grades. Then:

* fits a linear model by pairwise logistic regression (two experts of one inquiry with
  different grades: the better one should score higher; each inquiry weighs the same,
  a pair by its difference of grades) with an L2 penalty; the weights of structured
  evidence (``NON_NEGATIVE``: free hours, sector, disciplines, language, full text) are
  kept non-negative, so more of it never lowers a score;
* chooses the penalty by five-fold cross-validation over the tuning inquiries (folds by
  inquiry), measuring nDCG@5 of the final order (the learned score, then the coverage
  re-ranking the hub applies), next to the hand-set fusion on the same folds;
* calibrates the score linearly to grade / 3 (least squares) so that team forming can use
  it as a fit;
* with ``--write``, writes humaine/matching/data/ranker.yaml (the model and how it was made).

With ``--with-first-set`` the dev half of the first labelled set (bench/matching/data,
written independently) is added to the training data (in every fold; its own folds are
reported too), so the weights do not follow one set's style alone.

The held-out half is not read here; eval_heldout.py reports on it. Neither is the first
set's test half.
"""

import argparse
import datetime
import sys
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).parent))

from eval_heldout import ROOT, ask_preview, build_hub, ndcg, read  # noqa: E402

OUT = ROOT / "humaine" / "matching" / "data" / "ranker.yaml"
PENALTIES = (0.01, 0.1, 1.0, 10.0, 100.0)
# evidence of these kinds may raise a score, never lower it (their weights are kept >= 0):
# free hours, a sector, a needed or asked discipline, the language, full-text hits
NON_NEGATIVE = ("lexical", "need", "asked", "asked_fit", "sector", "language", "capacity")
FOLDS = 5


def record(client, organisations) -> list[dict]:
    """Per tuning inquiry: the candidates' signals, grades, aspect fits and weights."""
    from django.conf import settings

    from humaine.contact.models import Expert
    from humaine.matching import ranking

    # the hub's own settings: with pseudo-relevance feedback the signals recorded are those
    # of the second ranking, whose feedback the shipped ranker's first ranking chose
    settings.MATCHING_CONFIG = None
    email_of = dict(Expert.objects.values_list("pk", "person__email"))
    inquiries = {q["id"]: q for q in read("inquiries")["inquiries"]}
    captured = []
    original = ranking.expert_signals

    def spy(query, experts, lexical, config, **kwargs):
        signals = original(query, experts, lexical, config, **kwargs)
        captured.append(
            (
                [e.id for e in experts],
                signals,
                np.array([a.weight for a in query.aspects]),
            )
        )
        return signals

    ranking.expert_signals = spy
    try:
        data = []
        for judged in read("judgements")["inquiries"]:
            if judged["split"] != "tuning":
                continue
            inquiry = inquiries[judged["id"]]
            captured.clear()
            ask_preview(client, inquiry, organisations[inquiry["organisation"]])
            ids, signals, weights = captured[-1]
            grades = {e: g for e, g, _ in judged["experts"]}
            data.append(
                {
                    "id": judged["id"],
                    "cross_language": judged["cross_language"],
                    "emails": [email_of[i] for i in ids],
                    "grades": np.array([grades.get(email_of[i], 0) for i in ids], dtype=float),
                    "values": signals.values,
                    "fused": np.array(
                        [
                            sum(p.values())
                            for p in ranking.fused_parts(signals, ranking.load_config())
                        ]
                    ),
                    "fits": signals.fits,
                    "weights": weights,
                }
            )
    finally:
        ranking.expert_signals = original
        settings.MATCHING_CONFIG = None
    return data


def record_first_set() -> list[dict]:
    """The same for the *dev* half of the first labelled set (bench/matching/data), through
    the pure pipeline as eval_retrieval.py runs it (full text from SQLite FTS5 in memory)."""
    from common import build_pool, expert_text, judgements, load

    from humaine.matching import ranking, store
    from humaine.matching.config import load_config
    from humaine.matching.lexical import MemoryIndex

    encoder = store.encoder()
    experts, _cases, raw_experts, _raw_cases = build_pool(encoder)
    index = MemoryIndex((e["id"], expert_text(e)) for e in raw_experts)
    config = load_config({"ranker": {"kind": "fused"}})
    data = []
    for inquiry in load("inquiries"):
        if inquiry["split"] != "dev":
            continue
        grades = judgements(inquiry, "experts")
        if not grades:
            continue
        query = ranking.build_query(
            inquiry["text"], encoder, sector=inquiry["sector"], language=inquiry["language"]
        )
        lexical = index.search(inquiry["text"])
        signals = _last_signals(query, experts, lexical)
        data.append(
            {
                "id": f"first:{inquiry['id']}",
                "cross_language": None,
                "emails": [e.id for e in experts],
                "grades": np.array([grades.get(e.id, 0) for e in experts], dtype=float),
                "values": signals.values,
                "fused": np.array([sum(p.values()) for p in ranking.fused_parts(signals, config)]),
                "fits": signals.fits,
                "weights": np.array([a.weight for a in query.aspects]),
            }
        )
    return data


def _last_signals(query, experts, lexical):
    """The signals of the hub's last ranking pass (after pseudo-relevance feedback)."""
    from humaine.matching import ranking

    captured = []
    original = ranking.expert_signals

    def spy(*args, **kwargs):
        captured.append(original(*args, **kwargs))
        return captured[-1]

    ranking.expert_signals = spy
    try:
        ranking.rank_experts(query, experts, lexical)
    finally:
        ranking.expert_signals = original
    return captured[-1]


def pairs(rows: list[dict], centre, scale, key: str = "values"):
    """Difference vectors of all pairs with different grades, and their weights."""
    diffs, weights = [], []
    for row in rows:
        z = (row[key] - centre) / scale
        g = row["grades"]
        better, worse = np.nonzero(g[:, None] > g[None, :])
        if not len(better):
            continue
        diffs.append(z[better] - z[worse])
        w = g[better] - g[worse]
        weights.append(w / w.sum())
    return np.vstack(diffs), np.concatenate(weights)


def fit_pairwise(rows: list[dict], penalty: float, names, key: str = "values"):
    """Pairwise logistic regression on the signals ``row[key]`` (named ``names``; those in
    NON_NEGATIVE kept non-negative): the centre, scale and weights."""
    values = np.vstack([r[key] for r in rows])
    centre = values.mean(axis=0)
    scale = values.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    x, w = pairs(rows, centre, scale, key)
    n_queries = len(rows)

    def loss(beta):
        margin = x @ beta
        # log(1 + exp(-m)), stable
        value = (w * np.logaddexp(0.0, -margin)).sum() / n_queries
        grad = -(x.T @ (w / (1.0 + np.exp(margin)))) / n_queries
        return value + 0.5 * penalty * beta @ beta / n_queries, grad + penalty * beta / n_queries

    bounds = [(0.0, None) if name in NON_NEGATIVE else (None, None) for name in names]
    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    return centre, scale, result.x


def fit(rows: list[dict], penalty: float):
    from humaine.matching.ranking import EXPERT_SIGNALS

    centre, scale, beta = fit_pairwise(rows, penalty, EXPERT_SIGNALS)
    values = np.vstack([r["values"] for r in rows])
    # calibrate to grade / 3
    raw = ((values - centre) / scale) @ beta
    target = np.concatenate([r["grades"] for r in rows]) / 3.0
    slope, intercept = np.polyfit(raw, target, 1)
    return centre, scale, beta * slope, float(intercept)


def final_order(score, row, lam, depth) -> list[int]:
    from humaine.matching.coverage import scaled, xquad

    return xquad(scaled(score), row["fits"], row["weights"], lam, depth)


def evaluate(rows, score_of, lam, depth) -> tuple[float, float]:
    values, cross = [], []
    for row in rows:
        order = final_order(score_of(row), row, lam, depth)
        grades = {i: g for i, g in enumerate(row["grades"]) if g > 0}
        value = ndcg(order, grades)
        values.append(value)
        if row["cross_language"]:
            cross.append(value)
    return float(np.mean(values)), float(np.mean(cross)) if cross else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the ranker file (--out)")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help=f"the ranker file --write writes (default {OUT.relative_to(ROOT)}; for the "
        "encoder usem3+e5: humaine/matching/data/ranker-usem3-e5.yaml)",
    )
    parser.add_argument(
        "--with-first-set",
        action="store_true",
        help="also train on the dev half of the first labelled set (bench/matching/data)",
    )
    parser.add_argument(
        "--coverage-weight",
        type=float,
        default=None,
        help="the coverage re-ranking's weight (coverage.weight) in the evaluation; default: "
        "the hub's setting",
    )
    args = parser.parse_args()
    client, organisations, _, _ = build_hub(postgres=False)
    from humaine.matching.config import load_config
    from humaine.matching.ranking import EXPERT_SIGNALS

    config = load_config()
    lam = float(config.coverage.get("weight", 0.0))
    if args.coverage_weight is not None:
        lam = args.coverage_weight
    depth = int(config.coverage.get("depth", 0))
    rows = record(client, organisations)
    print(f"tuning half: {len(rows)} inquiries, {sum(len(r['grades']) for r in rows)} candidates")
    extra = record_first_set() if args.with_first_set else []
    if extra:
        print(f"first set, dev half: {len(extra)} inquiries")
    rng = np.random.default_rng(0)
    fold_of = rng.permutation(len(rows)) % FOLDS
    fused = evaluate(rows, lambda r: r["fused"], lam, depth)
    also = ""
    if extra:
        also = f"  first set dev {evaluate(extra, lambda r: r['fused'], lam, depth)[0]:.3f}"
    print(f"hand-set fusion      nDCG@5 {fused[0]:.3f}  x-lang {fused[1]:.3f}{also}")
    best = None
    extra_fold = rng.permutation(len(extra)) % FOLDS
    for penalty in PENALTIES:
        scores, cross, first = [], [], []
        for fold in range(FOLDS):
            train = [r for r, f in zip(rows, fold_of) if f != fold]
            train += [r for r, f in zip(extra, extra_fold) if f != fold]
            test = [r for r, f in zip(rows, fold_of) if f == fold]
            centre, scale, weights, base = fit(train, penalty)

            def score(r, c=centre, s=scale, w=weights, b=base):
                return b + ((r["values"] - c) / s) @ w

            value, x = evaluate(test, score, lam, depth)
            scores.append(value * len(test))
            cross.append(x * sum(r["cross_language"] for r in test))
            held = [r for r, f in zip(extra, extra_fold) if f == fold]
            if held:
                first.append(evaluate(held, score, lam, depth)[0] * len(held))
        overall = sum(scores) / len(rows)
        x_lang = sum(cross) / sum(r["cross_language"] for r in rows)
        also = f"  first set dev {sum(first) / len(extra):.3f}" if extra else ""
        print(
            f"learned, penalty {penalty:<6} nDCG@5 {overall:.3f}  x-lang {x_lang:.3f}{also} "
            "(5-fold)"
        )
        if best is None or overall > best[1]:
            best = (penalty, overall, x_lang)
    penalty = best[0]
    centre, scale, weights, base = fit(rows + extra, penalty)
    for name, w in sorted(zip(EXPERT_SIGNALS, weights), key=lambda t: -abs(t[1])):
        print(f"  {name:15s} {w:+.4f}")
    if not args.write:
        return
    from humaine.matching import store
    from humaine.matching.reranker import LinearRanker

    encoder = store.encoder().name
    if store.query_encoder().name != encoder:
        encoder += f" (inquiries: {store.query_encoder().name})"
    model = LinearRanker(tuple(EXPERT_SIGNALS), centre, scale, weights, base).to_dict()
    sources = f"the tuning half of bench/matching/data/heldout ({len(rows)} inquiries)"
    if extra:
        sources += f" and the dev half of bench/matching/data ({len(extra)} inquiries)"
    header = (
        "# The learned ranker (humaine/matching/reranker.py). Generated by\n"
        "# bench/matching/train_ranker.py --write; do not edit by hand.\n"
        f"# Fitted on {sources}\n"
        f"# with the signals of the encoder {encoder}:\n"
        f"# pairwise logistic regression, L2 penalty {penalty} chosen by {FOLDS}-fold\n"
        f"# cross-validation over the tuning half: nDCG@5 {best[1]:.3f}, cross-language\n"
        f"# {best[2]:.3f} (the hand-set fusion {fused[0]:.3f} and {fused[1]:.3f}). Score = base +\n"
        "# sum of weight * (signal - centre) / scale, calibrated to grade / 3.\n"
    )
    model["trained"] = {
        "on": sources,
        "inquiries": len(rows) + len(extra),
        "penalty": penalty,
        "encoder": encoder,
        "cv_ndcg5": round(best[1], 4),
        "date": datetime.date.today().isoformat(),
    }
    args.out.write_text(header + yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
