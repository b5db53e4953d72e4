"""Sub-topic signals for the expert ranking, tried offline on the *tuning* half only.

    .venv/bin/python bench/matching/subtopic_cv.py [--record] [--seeds 4] [--only NAME ...]
    .venv/bin/python bench/matching/subtopic_cv.py --stage2 --penalties 0.1 [--top 30]
    .venv/bin/python bench/matching/subtopic_cv.py --redundancy --penalties 0.1

``--record`` builds a fresh hub once (as train_ranker.py does), asks the preview for every
tuning inquiry and stores the recorded signals, the inquiries' and the profiles' vectors in
bench/out/subtopic_dump.pkl; without it the stored file is re-used. Then it computes candidate
sub-topic features per inquiry and candidate, and measures each added to the learned ranker
(pairwise logistic regression as train_ranker.fit) by 5-fold cross-validation over the tuning
inquiries, averaged over several fold assignments, next to the ranker without it in the same
folds (``all``: every feature at once). ``--stage2``: a gradient-boosted second stage over
the linear ranker's first ``--top`` places, with and without the features. ``--redundancy``:
xQuAD with a penalty for a discipline already placed above. Results: docs/matching.md,
"Sub-topic signals and a second stage". The held-out half is never read here.
"""

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from eval_heldout import ROOT, ndcg  # noqa: E402

DUMP = ROOT / "bench" / "out" / "subtopic_dump.pkl"
FOLDS = 5


def record_dump() -> dict:
    from eval_heldout import build_hub, read
    from train_ranker import record

    client, organisations, _, _ = build_hub(postgres=False)
    from humaine.contact.models import Expert
    from humaine.matching import ranking

    queries, experts = {}, {}
    original = ranking.expert_signals

    def spy(query, candidates, lexical, config, **kwargs):
        queries[query.text] = query  # the last pass's query (after feedback)
        experts.update({e.id: e for e in candidates})
        return original(query, candidates, lexical, config, **kwargs)

    ranking.expert_signals = spy
    try:
        rows = record(client, organisations)
    finally:
        ranking.expert_signals = original
    inquiries = {q["id"]: q for q in read("inquiries")["inquiries"]}
    for row in rows:
        row["text"] = inquiries[row["id"]]["text"]
        row["language"] = inquiries[row["id"]]["language"]
    email_of = dict(Expert.objects.values_list("pk", "person__email"))
    profiles = {e["email"]: e for e in read("experts")["experts"]}
    dump = {
        "rows": rows,
        "experts": {email_of[k]: v for k, v in experts.items()},
        "queries": queries,
        "profiles": profiles,
    }
    DUMP.parent.mkdir(parents=True, exist_ok=True)
    DUMP.write_bytes(pickle.dumps(dump))
    return dump


def fit(rows, penalty, names, key="values"):
    from train_ranker import fit_pairwise

    return fit_pairwise(rows, penalty, names, key)


def evaluate(rows, scores, lam, depth):
    from humaine.matching.coverage import scaled, xquad

    values, cross = [], []
    for row, score in zip(rows, scores):
        order = xquad(scaled(score), row["fits"], row["weights"], lam, depth)
        grades = {i: g for i, g in enumerate(row["grades"]) if g > 0}
        value = ndcg(order, grades)
        values.append(value)
        if row["cross_language"]:
            cross.append(value)
    return np.array(values), float(np.mean(cross))


def cv(rows, names, key, penalties, seeds, lam, depth):
    """Per penalty: mean nDCG@5 and cross-language over the seeds' fold assignments."""
    out = {}
    for penalty in penalties:
        overall, cross = [], []
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            fold_of = rng.permutation(len(rows)) % FOLDS
            per = np.zeros(len(rows))
            for fold in range(FOLDS):
                train = [r for r, f in zip(rows, fold_of) if f != fold]
                test_idx = [k for k, f in enumerate(fold_of) if f == fold]
                c, s, b = fit(train, penalty, names, key)
                scores = [((rows[k][key] - c) / s) @ b for k in test_idx]
                values, _ = evaluate([rows[k] for k in test_idx], scores, lam, depth)
                per[test_idx] = values
            overall.append(per.mean())
            xs = [v for v, r in zip(per, rows) if r["cross_language"]]
            cross.append(np.mean(xs))
        out[penalty] = (float(np.mean(overall)), float(np.mean(cross)))
    return out


# ---------------------------------------------------------------------------------------
# candidate features (per inquiry: shape (candidates,) each)


def _peers(disciplines):
    """Boolean matrix: candidate i shares a discipline with candidate j (i != j)."""
    n = len(disciplines)
    share = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(n):
            if i != j and set(disciplines[i]) & set(disciplines[j]):
                share[i, j] = True
    return share


class Network:
    """What the features know about the network (the candidates), computed once."""

    def __init__(self, experts, emails, k=10):
        from humaine.matching.lexicon import for_config as lexicon_for
        from humaine.matching.text import content_terms, detect_language, stem

        self.emails = emails
        self.profiles = [experts[e] for e in emails]
        self.disciplines = [p.disciplines for p in self.profiles]
        self.share = _peers(self.disciplines)
        rows, owner = [], []
        for i, p in enumerate(self.profiles):
            v = p.embedded.vectors
            segs = v[1:] if len(v) > 1 else v
            rows.append(segs)
            owner += [i] * len(segs)
        self.seg = np.vstack(rows).astype(float)
        self.owner = np.array(owner)
        # hubness of each profile segment: mean cosine to its k nearest segments of other
        # experts (CSLS, Conneau et al. 2018)
        sims = self.seg @ self.seg.T
        sims[self.owner[:, None] == self.owner[None, :]] = -np.inf
        top = -np.sort(-sims, axis=1)[:, :k]
        self.hub = top.mean(axis=1)
        self.k = k
        # the network's space: all profile rows, their mean and principal directions
        everything = np.vstack([p.embedded.vectors for p in self.profiles]).astype(float)
        mean = everything.mean(axis=0)
        _u, sv, vt = np.linalg.svd(everything - mean, full_matrices=False)

        def unit(x):
            return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-9)

        def abtt(k):
            return lambda x: unit((x - mean) - ((x - mean) @ vt[:k].T) @ vt[:k])

        def whitened(keep):
            scale = sv[:keep] / np.sqrt(len(everything))
            return lambda x: unit(((x - mean) @ vt[:keep].T) / scale)

        self.spaces = {
            "centred": lambda x: unit(x - mean),
            "abtt2": abtt(2),
            "abtt5": abtt(5),
            **{f"white{keep}": whitened(keep) for keep in (32, 64, 128, 256)},
        }
        # the centroid of each discipline's profiles (whole texts), unit length
        self.centroids = {}
        for d in sorted({d for own in self.disciplines for d in own}):
            whole = np.array(
                [p.embedded.vectors[0] for p in self.profiles if d in p.disciplines], dtype=float
            )
            centroid = whole.mean(axis=0)
            self.centroids[d] = centroid / np.linalg.norm(centroid)
        # terms and concepts per profile, their IDF over the network
        lexicon = lexicon_for({"file": "lexicon.yaml"})
        self.lexicon = lexicon
        self.stem = stem
        self.content_terms = content_terms
        self.detect_language = detect_language
        texts = [" ".join(p.embedded.segments) for p in self.profiles]
        self.terms = [self._terms(t) for t in texts]
        self.concepts = [set(lexicon.concepts_in(t)) for t in texts]
        n = len(texts)
        df, cdf = {}, {}
        for ts, cs in zip(self.terms, self.concepts):
            for t in ts:
                df[t] = df.get(t, 0) + 1
            for c in cs:
                cdf[c] = cdf.get(c, 0) + 1
        self.idf = {t: np.log((n + 1) / (d + 0.5)) for t, d in df.items()}
        self.cidf = {c: np.log((n + 1) / (d + 0.5)) for c, d in cdf.items()}
        self.max_idf = np.log((n + 1) / 0.5)

    def _terms(self, text):
        return {self.stem(t.lower()) for t in self.content_terms(text, 200)}


def features(net: Network, query, row) -> dict[str, np.ndarray]:
    q = query.embedded.vectors.astype(float)
    parts = q[1:] if len(q) > 1 else q
    n = len(net.profiles)
    cos = parts @ net.seg.T  # (parts, segments)
    # best segment per part and candidate
    seg_best = np.full((n, len(parts)), -1.0)
    np.maximum.at(seg_best, net.owner, cos.T)
    # CSLS: 2 cos - r(part) - r(segment)
    k = net.k
    r_part = -np.sort(-cos, axis=1)[:, :k].mean(axis=1)
    csls = 2 * cos - r_part[:, None] - net.hub[None, :]
    csls_best = np.full((n, len(parts)), -9.0)
    np.maximum.at(csls_best, net.owner, csls.T)
    # distinctiveness among discipline peers: best segment minus the peers' mean
    peer_mean = np.zeros_like(seg_best)
    counts = net.share.sum(axis=1)
    for i in range(n):
        if counts[i]:
            peer_mean[i] = seg_best[net.share[i]].mean(axis=0)
        else:
            peer_mean[i] = seg_best.mean(axis=0)
    distinct = seg_best - peer_mean
    everyone = seg_best - seg_best.mean(axis=0)
    # z-score within the part
    z = everyone / (seg_best.std(axis=0) + 1e-9)
    w = np.ones(len(parts)) / len(parts)
    # lexical precision per part: IDF-weighted share of the part's terms in the profile;
    # concepts of the bilingual lexicon likewise (they cross languages)
    seg_texts = query.embedded.segments or (query.text,)
    lex_part = np.zeros((n, len(seg_texts)))
    con_part = np.zeros((n, len(seg_texts)))
    for p, text in enumerate(seg_texts):
        terms = net._terms(text)
        total = sum(net.idf.get(t, net.max_idf) for t in terms)
        concepts = set(net.lexicon.concepts_in(text))
        ctotal = sum(net.cidf.get(c, net.max_idf) for c in concepts)
        for i in range(n):
            if total:
                lex_part[i, p] = sum(net.idf.get(t, 0) for t in terms & net.terms[i]) / total
            if ctotal:
                con_part[i, p] = (
                    sum(net.cidf.get(c, 0) for c in concepts & net.concepts[i]) / ctotal
                )
    # the parts that tell the network apart weigh more (spread of the candidates on them)
    spread = seg_best.std(axis=0)
    spec = spread / spread.sum()
    csls_z = (csls_best - csls_best.mean(axis=0)) / (csls_best.std(axis=0) + 1e-9)
    # sub-topic beyond the discipline: the parts and the profile's segments with the
    # direction of the expert's discipline (its profiles' centroid) removed
    resid_best = np.full((n, len(parts)), -1.0)
    for d, centroid in net.centroids.items():
        members = [i for i in range(n) if d in net.disciplines[i]]
        pr = parts - np.outer(parts @ centroid, centroid)
        pr /= np.linalg.norm(pr, axis=1, keepdims=True) + 1e-9
        for i in members:
            segs = net.seg[net.owner == i]
            sr = segs - np.outer(segs @ centroid, centroid)
            sr /= np.linalg.norm(sr, axis=1, keepdims=True) + 1e-9
            resid_best[i] = np.maximum(resid_best[i], (pr @ sr.T).max(axis=1))
    # the network's own space: mean removed and its main directions removed (all-but-the-
    # top, Mu and Viswanath 2018) or whitened, from the profiles' rows alone
    white = {}
    for name, project in net.spaces.items():
        wq = project(q)
        wp = wq[1:] if len(wq) > 1 else wq
        docs = [project(p.embedded.vectors.astype(float)) for p in net.profiles]
        whole_sim = np.array([d[0] @ wq[0] for d in docs])
        part_sim = np.array(
            [
                0.5 * (wp @ d[0]) + 0.5 * ((wp @ d[1:].T).max(axis=1) if len(d) > 1 else wp @ d[0])
                for d in docs
            ]
        )
        white[f"{name}_whole"] = whole_sim
        white[f"{name}_part"] = part_sim.max(axis=1)
        white[f"{name}_mean"] = part_sim.mean(axis=1)
    return {
        **white,
        "resid_max": resid_best.max(axis=1),
        "resid_mean": resid_best @ w,
        "spec_part": seg_best @ spec,
        "spec_z": z @ spec,
        "csls_z_max": csls_z.max(axis=1),
        "seg_best_max": seg_best.max(axis=1),
        "csls_max": csls_best.max(axis=1),
        "csls_mean": csls_best @ w,
        "distinct_max": distinct.max(axis=1),
        "distinct_pos": np.clip(distinct, 0, None) @ w,
        "everyone_max": everyone.max(axis=1),
        "z_max": z.max(axis=1),
        "z_top2": -np.sort(-z, axis=1)[:, :2].mean(axis=1),
        "lex_part_max": lex_part.max(axis=1),
        "lex_part_mean": lex_part.mean(axis=1),
        "con_part_max": con_part.max(axis=1),
        "con_part_mean": con_part.mean(axis=1),
    }


def _query_relative(matrix):
    """Per inquiry: each column minus its best value, and its z-score among the candidates."""
    lead = matrix - matrix.max(axis=0)
    z = (matrix - matrix.mean(axis=0)) / (matrix.std(axis=0) + 1e-9)
    return np.column_stack([matrix, lead, z])


def second_stage(rows, extra, args, lam, depth):
    """A gradient-boosted second stage over the linear ranker's first ``--top`` places,
    trained pointwise on the grade, cross-validated by inquiry as ``cv``."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    from humaine.matching.ranking import EXPERT_SIGNALS

    names = list(EXPERT_SIGNALS)
    extra_names = sorted(extra)
    penalty = args.penalties[0]
    for k, row in enumerate(rows):
        row["all"] = np.column_stack([row["values"], *[extra[n][k] for n in extra_names]])
    settings = [
        ("base", False, 0.3),
        ("base", False, 1.0),
        ("base+sub", True, 0.3),
        ("base+sub", True, 1.0),
        ("base+sub", True, 3.0),
    ]
    results = {s: ([], []) for s in settings}
    linear_only = ([], [])
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        fold_of = rng.permutation(len(rows)) % FOLDS
        per = {s: np.zeros(len(rows)) for s in settings}
        per_lin = np.zeros(len(rows))
        for fold in range(FOLDS):
            train = [r for r, f in zip(rows, fold_of) if f != fold]
            test_idx = [k for k, f in enumerate(fold_of) if f == fold]
            c, s_, b = fit(train, penalty, names, "values")

            def linear(r, c=c, s_=s_, b=b):
                return ((r["values"] - c) / s_) @ b

            def design(r, with_sub):
                lin = linear(r)
                top = np.argsort(-lin, kind="stable")[: args.top]
                cols = r["all"] if with_sub else r["values"]
                x = _query_relative(np.column_stack([cols, lin])[top])
                rank = np.arange(1, len(top) + 1)[:, None]
                return top, np.column_stack([x, 1 / np.log2(1 + rank)]), lin

            test = [rows[k] for k in test_idx]
            scores = [linear(r) for r in test]
            per_lin[test_idx] = evaluate(test, scores, lam, depth)[0]
            for with_sub in (False, True):
                xs, ys = [], []
                for r in train:
                    top, x, _ = design(r, with_sub)
                    xs.append(x)
                    ys.append(r["grades"][top])
                model = HistGradientBoostingRegressor(
                    max_iter=150,
                    learning_rate=0.05,
                    max_leaf_nodes=15,
                    min_samples_leaf=40,
                    l2_regularization=1.0,
                    random_state=0,
                )
                model.fit(np.vstack(xs), np.concatenate(ys))
                for setting in settings:
                    if setting[1] != with_sub:
                        continue
                    alpha = setting[2]
                    scores = []
                    for r in test:
                        top, x, lin = design(r, with_sub)
                        pred = model.predict(x)
                        # on the linear score's own scale (xQuAD min-max scales it)
                        spread = lin[top].std() + 1e-9
                        pz = (pred - pred.mean()) / (pred.std() + 1e-9)
                        score = lin.copy()
                        score[top] = lin[top] + alpha * spread * pz
                        scores.append(score)
                    per[setting][test_idx] = evaluate(test, scores, lam, depth)[0]
        crossed = [r["cross_language"] for r in rows]
        linear_only[0].append(per_lin.mean())
        linear_only[1].append(per_lin[crossed].mean())
        for setting in settings:
            results[setting][0].append(per[setting].mean())
            results[setting][1].append(per[setting][crossed].mean())
    lin, lin_x = np.mean(linear_only[0]), np.mean(linear_only[1])
    print(
        f"linear (penalty {penalty}): {lin:.3f}/{lin_x:.3f}  per seed {np.round(linear_only[0], 3)}"
    )
    for setting, (v, x) in results.items():
        print(
            f"second stage {setting}: {np.mean(v):.3f}/{np.mean(x):.3f}  per seed {np.round(v, 3)}"
        )


def xquad_redundant(relevance, fits, weights, lam, depth, share, mu, counted):
    """xQuAD as coverage.xquad, minus ``mu`` for each chosen expert above who shares a
    discipline with the candidate (``counted``) or once if any does."""
    n = len(relevance)
    order = sorted(range(n), key=lambda i: (-relevance[i], i))
    uncovered = np.ones(fits.shape[1])
    chosen: list[int] = []
    remaining = np.ones(n, dtype=bool)
    above = np.zeros(n)
    for _ in range(min(depth, n)):
        gain = (1 - lam) * relevance + lam * (fits * (weights * uncovered)).sum(axis=1)
        gain -= mu * (above if counted else (above > 0))
        gain = np.where(remaining, gain, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        remaining[best] = False
        uncovered *= 1 - fits[best]
        above += share[best]
    picked = set(chosen)
    return chosen + [i for i in order if i not in picked]


def redundancy(rows, experts, args, lam, depth):
    """The same discipline again lower in the first places: CV with the retrained ranker."""
    from humaine.matching.coverage import scaled
    from humaine.matching.ranking import EXPERT_SIGNALS

    names = list(EXPERT_SIGNALS)
    share = _peers([experts[e].disciplines for e in rows[0]["emails"]]).astype(float)
    settings = [(0.0, False)] + [(mu, c) for c in (False, True) for mu in (0.05, 0.1, 0.2)]
    penalty = args.penalties[0]
    crossed = [r["cross_language"] for r in rows]
    results = {s: ([], []) for s in settings}
    for seed in range(args.seeds):
        fold_of = np.random.default_rng(seed).permutation(len(rows)) % FOLDS
        per = {s: np.zeros(len(rows)) for s in settings}
        for fold in range(FOLDS):
            train = [r for r, f in zip(rows, fold_of) if f != fold]
            c, s_, b = fit(train, penalty, names, "values")
            for k in [k for k, f in enumerate(fold_of) if f == fold]:
                r = rows[k]
                relevance = scaled(((r["values"] - c) / s_) @ b)
                grades = {i: g for i, g in enumerate(r["grades"]) if g > 0}
                for mu, counted in settings:
                    order = xquad_redundant(
                        relevance, r["fits"], r["weights"], lam, depth, share, mu, counted
                    )
                    per[(mu, counted)][k] = ndcg(order, grades)
        for setting in settings:
            results[setting][0].append(per[setting].mean())
            results[setting][1].append(per[setting][crossed].mean())
    for (mu, counted), (v, x) in results.items():
        print(
            f"same discipline above: -{mu} {'per expert' if counted else 'once'}: "
            f"{np.mean(v):.3f}/{np.mean(x):.3f}  per seed {np.round(v, 3)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="record the tuning half anew")
    parser.add_argument("--seeds", type=int, default=4, help="fold assignments averaged")
    parser.add_argument("--only", nargs="*", default=None, help="features to try")
    parser.add_argument("--stage2", action="store_true", help="the non-linear second stage")
    parser.add_argument(
        "--redundancy", action="store_true", help="penalise the same discipline again"
    )
    parser.add_argument("--top", type=int, default=30, help="second stage: places re-scored")
    parser.add_argument("--penalties", type=float, nargs="*", default=[0.1, 1.0, 10.0])
    args = parser.parse_args()
    fresh = args.record or not DUMP.exists()
    dump = record_dump() if fresh else pickle.loads(DUMP.read_bytes())
    from humaine.matching.config import load_config
    from humaine.matching.ranking import EXPERT_SIGNALS

    config = load_config()
    lam = float(config.coverage.get("weight", 0.0))
    depth = int(config.coverage.get("depth", 0))
    rows = dump["rows"]
    cached = DUMP.with_suffix(".features.pkl")
    if cached.exists() and not args.record:
        extra = pickle.loads(cached.read_bytes())
    else:
        net = Network(dump["experts"], rows[0]["emails"])
        extra = {}
        for row in rows:
            assert row["emails"] == net.emails
            for name, value in features(net, dump["queries"][row["text"]], row).items():
                extra.setdefault(name, []).append(value)
        cached.write_bytes(pickle.dumps(extra))
    if args.redundancy:
        redundancy(rows, dump["experts"], args, lam, depth)
        return
    if args.stage2:
        second_stage(rows, extra, args, lam, depth)
        return
    base_names = list(EXPERT_SIGNALS)
    baseline = cv(rows, base_names, "values", args.penalties, args.seeds, lam, depth)
    print("baseline  " + "  ".join(f"{p}: {v:.3f}/{x:.3f}" for p, (v, x) in baseline.items()))
    report(rows, extra, args.only or [*sorted(extra), "all"], args, lam, depth, baseline)


def report(rows, extra, trials, args, lam, depth, baseline, width=14):
    """Each trial (features joined by commas, or ``all``) added to the ranker, against
    ``baseline`` in the same folds."""
    from humaine.matching.ranking import EXPERT_SIGNALS

    names = list(EXPERT_SIGNALS)
    for trial in trials:
        added = sorted(extra) if trial == "all" else trial.split(",")
        for k, row in enumerate(rows):
            row["with"] = np.column_stack([row["values"], *[extra[a][k] for a in added]])
        result = cv(rows, [*names, *added], "with", args.penalties, args.seeds, lam, depth)
        print(
            f"{trial:{width}s}  "
            + "  ".join(
                f"{p}: {v:.3f}/{x:.3f} ({v - baseline[p][0]:+.3f})" for p, (v, x) in result.items()
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
