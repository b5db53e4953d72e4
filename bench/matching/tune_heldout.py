"""Try matching settings on the *tuning* half of the second labelled set (never the other).

    .venv/bin/python bench/matching/tune_heldout.py 'coverage.weight=0,0.5' 'topical.floor=0.2,0.25'

Builds one fresh hub as eval_heldout.py does, then evaluates the tuning half through the
preview API once per combination of the given settings (dotted keys of defaults.yaml,
comma-separated values; the index is brought up to date for each, so settings that
change the stored vectors, such as ``lexicon.weight``, apply to both sides), printing
nDCG@5 overall and cross-language, recall@10, aspects found, and teams that cover the
needs with no unflagged conflict.
"""

import io
import itertools
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from eval_heldout import build_hub, evaluate, mean  # noqa: E402


def parse(arguments: list[str]) -> list[tuple[str, list]]:
    grid = []
    for argument in arguments:
        key, values = argument.split("=", 1)
        grid.append((key, [yaml.safe_load(v) for v in values.split(",")]))
    return grid


def nested(assignments: dict) -> dict:
    override: dict = {}
    for key, value in assignments.items():
        node = override
        *path, last = key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[last] = value
    return override


def main() -> None:
    grid = parse(sys.argv[1:])
    client, organisations, _, _ = build_hub(postgres=False)
    from django.conf import settings
    from django.core.management import call_command

    for values in itertools.product(*(v for _, v in grid)):
        assignments = dict(zip((k for k, _ in grid), values))
        settings.MATCHING_CONFIG = nested(assignments) or None
        # settings that change the stored vectors (the lexicon) make them stale: re-embed
        call_command("rebuild_matching_index", stdout=io.StringIO())
        rows, _ = evaluate(client, organisations, "tuning")
        hub = [r["methods"]["hub"] for r in rows]
        cross = [r["methods"]["hub"]["ndcg@5"] for r in rows if r["cross_language"]]
        teams = [r["team"] for r in rows]
        print(
            " ".join(f"{k}={v}" for k, v in assignments.items()) or "defaults",
            f"nDCG@5 {mean(h['ndcg@5'] for h in hub):.3f}",
            f"x-lang {np.mean(cross):.3f}",
            f"R@10 {mean(h['recall@10'] for h in hub):.3f}",
            f"aspects {mean(a for h in hub for a in h['aspects']):.3f}",
            f"teams {sum(t['ok'] for t in teams)}/{len(teams)}",
            f"unflagged {sum(bool(t['unflagged_conflicts']) for t in teams)}",
            f"conflicts shown {sum(r['conflicts_shown'] for r in rows)}"
            f"/{sum(r['conflicts_listed'] for r in rows)}",
            f"false {sum(r['conflicts_false'] for r in rows)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
