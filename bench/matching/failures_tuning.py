"""Where the hub's expert ranking loses on the *tuning* half of the second labelled set.

    .venv/bin/python bench/matching/failures_tuning.py [--inquiries] [--show 8]

Builds one fresh hub as eval_heldout.py does, asks the preview for every tuning inquiry
and records the signals of the hub's last ranking pass (train_ranker.record), then scores
them with the hub's ranker and coverage re-ranking (which reproduces the preview's order)
and counts, over the top five places: experts graded 0, of them those with a discipline
the inquiry asks for explicitly (failure mode (a) of docs/matching.md) and those writing in
the other language; and relevant experts outside the top five (grade 3, and in the other
language). With ``--inquiries`` it prints per inquiry the first places with their grade,
disciplines and the signals that contributed most, and the relevant experts missing from
the top five with their rank. The held-out half is never read here.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from eval_heldout import build_hub, ndcg, read  # noqa: E402
from train_ranker import final_order, record  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inquiries", action="store_true", help="print every inquiry")
    parser.add_argument("--show", type=int, default=8, help="places printed per inquiry")
    args = parser.parse_args()
    client, organisations, _, _ = build_hub(postgres=False)
    from humaine.matching import reranker
    from humaine.matching.config import load_config
    from humaine.matching.ranking import EXPERT_SIGNALS
    from humaine.matching.text import detect_language

    config = load_config()
    model = reranker.for_config(config.ranker)
    if model is None:
        raise SystemExit("the hub's ranker is the hand-set fusion: nothing to explain here")
    lam = float(config.coverage.get("weight", 0.0))
    depth = int(config.coverage.get("depth", 0))
    profiles = {e["email"]: e for e in read("experts")["experts"]}
    language_of = {m: detect_language(p["topics"]) for m, p in profiles.items()}
    judged = {j["id"]: j for j in read("judgements")["inquiries"]}
    inquiries = {q["id"]: q for q in read("inquiries")["inquiries"]}
    asked = EXPERT_SIGNALS.index("asked")
    counts = dict.fromkeys(
        (
            "graded 0 in top 5",
            "of them asked",
            "of them other language",
            "grade 3 missing",
            "of them other language (missing)",
        ),
        0,
    )
    values = []
    for row in record(client, organisations):
        score = np.round(model.score(row["values"], EXPERT_SIGNALS), 6)
        order = final_order(score, row, lam, depth)
        emails = [row["emails"][k] for k in order]
        grades = {e: g for e, g in zip(row["emails"], row["grades"]) if g > 0}
        reasons = {e: r for e, _, r in judged[row["id"]]["experts"]}
        language = inquiries[row["id"]]["language"]
        values.append(ndcg(emails, grades))
        parts = model.contributions(row["values"], EXPERT_SIGNALS, {s: s for s in EXPERT_SIGNALS})
        for place, k in enumerate(order[:5]):
            if not grades.get(emails[place]):
                counts["graded 0 in top 5"] += 1
                counts["of them asked"] += bool(row["values"][k, asked] > 0)
                counts["of them other language"] += language_of[emails[place]] != language
        missing = [e for e, g in grades.items() if e not in emails[:5]]
        for email in missing:
            if grades[email] == 3:
                counts["grade 3 missing"] += 1
                counts["of them other language (missing)"] += language_of[email] != language
        if not args.inquiries:
            continue
        print(f"\n{row['id']} ({language}) nDCG@5 {values[-1]:.3f}")
        for place, k in enumerate(order[: args.show]):
            email = emails[place]
            top = sorted(
                ((v, s) for s, v in parts[k].items() if s != "base"), key=lambda t: -abs(t[0])
            )[:3]
            print(
                f"  {place + 1} grade {int(grades.get(email, 0))} {language_of[email]} {email} "
                f"{profiles[email]['disciplines']} "
                + " ".join(f"{s} {v:+.3f}" for v, s in top)
                + f" | {reasons.get(email, '')[:70]}"
            )
        for email in sorted(missing, key=lambda e: -grades[e]):
            print(
                f"  missing: grade {int(grades[email])} at {emails.index(email) + 1} "
                f"{language_of[email]} {email} {profiles[email]['disciplines']}"
            )
    print(f"\ntuning half, {len(values)} inquiries: nDCG@5 {np.mean(values):.3f}")
    for name, count in counts.items():
        print(f"  {name}: {count}")


if __name__ == "__main__":
    main()
