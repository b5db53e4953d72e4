"""Two more ways to a sharper similarity, tried offline on the *tuning* half only.

    .venv/bin/python bench/matching/space_cv.py [--seeds 4] [--penalties 0.1 1]
        [--reweight 0.1 0.01 0.001 0.0001]

Uses the tuning half's signals and vectors recorded by ``subtopic_cv.py --record``
(bench/out/subtopic_dump.pkl; recorded first when missing) and measures, as that script
does (the learned ranker, 5-fold cross-validation by inquiry, averaged over ``--seeds``
fold assignments, next to the ranker without it in the same folds), each of:

* **the profile's fields apart**: the inquiry against the expert's *topics* alone (whole
  text, best part, mean over parts, best topic sentence), their *methods* alone, and
  topics minus methods: does the methods' vocabulary blur the fit?
* **a reweighted space**: one weight per dimension of the encoder (512, at least 0),
  learned on the *first* labelled set (bench/matching/data: its 64 inquiries and 90
  experts, pairs of a better and a worse graded expert, logistic loss, pulled towards 1 by
  ``--reweight``), then the tuning half's inquiries scored in it (whole text and best part
  against the profile's segments). The two sets share some fictional people, so a gain
  here would still have to be checked on experts neither set has; none came.

* **topics as a pivot** (an upper bound, not a candidate: it reads the benchmark's own
  aspect names, which a hub does not have): the inquiry's parts and the profiles compared
  with the 42 aspect labels of labels.yaml, each profile's score per aspect z-scored over
  the experts; the signal is the profile's score on the aspect its best part is closest to
  (``pivot_top1``), or weighted by the parts' closeness (``pivot_soft``, ``pivot_exp``).
  If even this gains little, a topic taxonomy written for the hub will not reach the goal.

Results: docs/matching.md, "Sub-topic signals and a second stage". The held-out half is
never read here.
"""

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from subtopic_cv import DUMP, cv, record_dump, report  # noqa: E402


def field_features(dump, encoder) -> dict[str, list[np.ndarray]]:
    from humaine.matching.text import segments

    rows, profiles = dump["rows"], dump["profiles"]
    emails = rows[0]["emails"]
    topics = encoder.encode([profiles[e]["topics"] for e in emails]).astype(float)
    methods = encoder.encode(
        [profiles[e].get("methods") or profiles[e]["topics"] for e in emails]
    ).astype(float)
    sentences, owner = [], []
    for i, email in enumerate(emails):
        found = segments(profiles[email]["topics"]) or [profiles[email]["topics"]]
        sentences += found
        owner += [i] * len(found)
    topic_sentences = encoder.encode(sentences).astype(float)
    owner = np.array(owner)
    out: dict[str, list[np.ndarray]] = {}
    for row in rows:
        q = dump["queries"][row["text"]].embedded.vectors.astype(float)
        parts = q[1:] if len(q) > 1 else q
        by_part = parts @ topics.T
        best = np.full((len(emails), len(parts)), -1.0)
        np.maximum.at(best, owner, (parts @ topic_sentences.T).T)
        values = {
            "topics_whole": topics @ q[0],
            "methods_whole": methods @ q[0],
            "topics_part": by_part.max(axis=0),
            "topics_mean": by_part.mean(axis=0),
            "topic_sentence_part": best.max(axis=1),
            "topics_minus_methods": topics @ q[0] - methods @ q[0],
        }
        for name, value in values.items():
            out.setdefault(name, []).append(value)
    return out


def learn_weights(encoder, pull: float) -> np.ndarray:
    """One weight per dimension from the first labelled set's graded pairs."""
    from common import expert_text, load
    from scipy.optimize import minimize

    experts, inquiries = load("experts"), load("inquiries")
    position = {e["id"]: i for i, e in enumerate(experts)}
    profiles = encoder.encode([expert_text(e) for e in experts]).astype(float)
    texts = encoder.encode([q["text"] for q in inquiries]).astype(float)
    differences, weights = [], []
    for k, inquiry in enumerate(inquiries):
        grade = np.zeros(len(experts))
        for email, value, _ in inquiry["experts"]:
            grade[position[email]] = int(value)
        better, worse = np.nonzero(grade[:, None] > grade[None, :])
        differences.append(texts[k] * (profiles[better] - profiles[worse]))
        weights.append(grade[better] - grade[worse])
    d = np.vstack(differences)
    w_pair = np.concatenate(weights)
    scale = 20.0  # cosines differ by hundredths: the loss needs them on a logit scale

    def loss(w):
        margin = scale * (d @ w)
        value = (w_pair * np.logaddexp(0, -margin)).sum() / w_pair.sum()
        slope = -scale / (1 + np.exp(margin))
        gradient = (d * (w_pair * slope)[:, None]).sum(axis=0) / w_pair.sum()
        return value + pull * ((w - 1) ** 2).sum(), gradient + 2 * pull * (w - 1)

    start = np.ones(d.shape[1])
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0, None)] * len(start))
    return found.x


def reweighted_features(dump, w: np.ndarray) -> dict[str, list[np.ndarray]]:
    rows = dump["rows"]
    emails = rows[0]["emails"]
    vectors = [dump["experts"][e].embedded.vectors.astype(float) for e in emails]
    whole = np.array([v[0] for v in vectors])
    out: dict[str, list[np.ndarray]] = {"whole_w": [], "part_w": []}
    for row in rows:
        q = dump["queries"][row["text"]].embedded.vectors.astype(float) * w
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        parts = q[1:] if len(q) > 1 else q
        out["whole_w"].append(whole @ q[0])
        out["part_w"].append(np.array([(parts @ v.T).max() for v in vectors]))
    return out


def pivot_features(dump, encoder) -> dict[str, list[np.ndarray]]:
    import yaml
    from eval_heldout import ROOT

    labels_file = ROOT / "bench" / "matching" / "data" / "heldout" / "labels.yaml"
    aspects = yaml.safe_load(labels_file.read_text(encoding="utf-8"))["aspects"]
    topics = encoder.encode([a["label"] for a in aspects.values()]).astype(float)
    rows = dump["rows"]
    vectors = [dump["experts"][e].embedded.vectors.astype(float) for e in rows[0]["emails"]]
    by_topic = np.array([(v @ topics.T).max(axis=0) for v in vectors])
    by_topic = (by_topic - by_topic.mean(axis=0)) / (by_topic.std(axis=0) + 1e-9)
    out: dict[str, list[np.ndarray]] = {}
    for row in rows:
        q = dump["queries"][row["text"]].embedded.vectors.astype(float)
        parts = q[1:] if len(q) > 1 else q
        closeness = parts @ topics.T
        z = (closeness - closeness.mean(axis=1, keepdims=True)) / (
            closeness.std(axis=1, keepdims=True) + 1e-9
        )
        soft = np.clip(z, 0, None) ** 2
        soft /= soft.sum(axis=1, keepdims=True) + 1e-9
        sharp = np.exp(5 * z)
        sharp /= sharp.sum(axis=1, keepdims=True)
        values = {
            "pivot_top1": by_topic[:, closeness.argmax(axis=1)].max(axis=1),
            "pivot_soft": (by_topic @ soft.T).max(axis=1),
            "pivot_exp": (by_topic @ sharp.T).max(axis=1),
        }
        for name, value in values.items():
            out.setdefault(name, []).append(value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4, help="fold assignments averaged")
    parser.add_argument("--penalties", type=float, nargs="*", default=[0.1, 1.0])
    parser.add_argument("--reweight", type=float, nargs="*", default=[0.1, 0.01, 0.001, 0.0001])
    args = parser.parse_args()
    if DUMP.exists():
        _settings()
        dump = pickle.loads(DUMP.read_bytes())
    else:
        dump = record_dump()  # builds a hub, which sets Django up
    from humaine.matching import store
    from humaine.matching.config import load_config
    from humaine.matching.ranking import EXPERT_SIGNALS

    config = load_config()
    lam = float(config.coverage.get("weight", 0.0))
    depth = int(config.coverage.get("depth", 0))
    rows = dump["rows"]
    baseline = cv(rows, list(EXPERT_SIGNALS), "values", args.penalties, args.seeds, lam, depth)
    print("baseline  " + "  ".join(f"{p}: {v:.3f}/{x:.3f}" for p, (v, x) in baseline.items()))
    encoder = store.encoder()
    print("the profile's fields apart")
    fields = field_features(dump, encoder)
    report(
        rows,
        fields,
        [*fields, "topics_whole,topics_part,methods_whole"],
        args,
        lam,
        depth,
        baseline,
        40,
    )
    print("topics as a pivot (reads the benchmark's aspect names: an upper bound)")
    pivots = pivot_features(dump, encoder)
    report(rows, pivots, [*pivots, "pivot_top1,pivot_soft"], args, lam, depth, baseline, 40)
    for pull in args.reweight:
        w = learn_weights(encoder, pull)
        print(f"a reweighted space, pull {pull}: weights {w.min():.2f} … {w.max():.2f}")
        extra = reweighted_features(dump, w)
        report(rows, extra, ["whole_w", "part_w", "whole_w,part_w"], args, lam, depth, baseline, 40)


def _settings() -> None:
    """Django's settings for the encoder's (no database is used)."""
    import os
    import secrets

    import django

    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humaine.settings")
    django.setup()


if __name__ == "__main__":
    main()
