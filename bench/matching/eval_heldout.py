"""Matching on the second labelled set, through the hub as a new hub would use it.

    .venv/bin/python bench/matching/eval_heldout.py [--split heldout] [--postgres]

Creates a fresh database (SQLite in a temporary directory, or with ``--postgres`` the
PostgreSQL database ``humaine_bench_heldout``, dropped and created), migrates it, creates
the inquiring organisations, imports bench/matching/data/heldout/experts.yaml with
``manage.py import_experts``, builds the indexes with ``manage.py rebuild_matching_index``
(the real encoder), and asks ``POST /api/v1/matching/preview`` as hub staff for every
inquiry of the split. Reports, next to full-text alone (the hub's full-text ranking of
all experts) and the encoder alone (cosine of the whole texts) in the same run:

* experts nDCG@5 (gains = grades 3/2/1) overall, on cross-language and on same-language
  inquiries, and recall@10 (experts judged 2 or 3);
* per core aspect of an inquiry, whether one of its best experts is in the top five;
* the share of proposed teams that cover every discipline the inquiry needs and have no
  member with a conflict of interest that the hub did not flag (also: covered by members
  judged relevant; members beyond their free hours; labelled conflicts shown in the list).

Columns or employer kinds that the hub's import does not accept yet are dropped or mapped
(and listed), so the same script measures the hub before and after issue 14. Only the
tuning half (``--split tuning``) may be used to choose anything; report ``heldout``.
Writes bench/out/matching_heldout_<split>.json.
"""

import argparse
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

DATA = Path(__file__).parent / "data" / "heldout"
PG_NAME = "humaine_bench_heldout"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres:postgres@127.0.0.1:5432")
# what today's import calls the kinds of employer issue 14 asks for
OLD_KINDS = {
    "university": "research",
    "institute": "research",
    "transfer_office": "transfer",
    "training_provider": "transfer",
    "law_firm": "company",
    "consultancy": "company",
}
SECTORS = [
    ("industry", "Industrie", "Industry"),
    ("health", "Gesundheitswesen", "Health care"),
    ("insurance", "Versicherungen", "Insurance"),
    ("other", "Weitere Branchen", "Other sectors"),
]


def read(name: str) -> dict:
    with open(DATA / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --- the hub ---------------------------------------------------------------------------


def fresh_database(postgres: bool, workdir: Path) -> str:
    if not postgres:
        return f"sqlite:///{workdir / 'hub.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    return f"{SERVER}/{PG_NAME}"


def setup_django(database_url: str, workdir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECURE_HTTPS", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "humaine.settings"
    import django

    django.setup()


def prepare_hub(notes: list[str]):
    """Migrate, make sure the four sectors exist, and create staff and the inquirers."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from humaine.contact.models import Membership, Organisation, Sector

    call_command("migrate", verbosity=0)
    if not Sector.objects.exists():
        notes.append("a fresh hub has no sectors: created the four by hand, as an admin would")
        for order, (slug, de, en) in enumerate(SECTORS):
            Sector.objects.create(slug=slug, name_de=de, name_en=en, order=order)
    sectors = {s.slug: s for s in Sector.objects.all()}
    hub = Organisation.objects.create(name="Bench-Zentrum", kind="hub")
    staff = get_user_model().objects.create_user("bench-staff", password=secrets.token_hex(8))
    Membership.objects.create(user=staff, organisation=hub, role="staff")
    fields = {f.name for f in Organisation._meta.get_fields()}
    organisations = {}
    for entry in read("organisations")["organisations"]:
        extra = {"segment": entry["segment"]} if "segment" in fields else {}
        organisations[entry["name"]] = Organisation.objects.create(
            name=entry["name"], kind="company", sector=sectors[entry["sector"]], **extra
        )
    if "segment" not in fields:
        notes.append("organisations have no market segment: inquirers created without one")
    return staff, organisations


def import_experts(workdir: Path, notes: list[str]) -> None:
    """Import the profiles with ``manage.py import_experts``, keeping only what it accepts."""
    from django.core.management import call_command

    from humaine.matching import importer

    accepted = set(importer.COLUMNS)
    kinds = set(getattr(importer, "EMPLOYER_KINDS", ()))
    rows, dropped, mapped = [], set(), set()
    for expert in read("experts")["experts"]:
        row = {}
        for key, value in expert.items():
            if key not in accepted:
                dropped.add(key)
                continue
            if key == "employer_kind" and value not in kinds:
                mapped.add(f"{value} -> {OLD_KINDS.get(value, 'research')}")
                value = OLD_KINDS.get(value, "research")
            row[key] = value
        rows.append(row)
    if dropped:
        notes.append(f"the import does not accept {', '.join(sorted(dropped))}: dropped")
    if mapped:
        notes.append(
            f"employer kinds the import does not know, mapped: {', '.join(sorted(mapped))}"
        )
    path = workdir / "experts.yaml"
    path.write_text(yaml.safe_dump({"experts": rows}, allow_unicode=True), encoding="utf-8")
    call_command("import_experts", str(path), stdout=io.StringIO())
    call_command("rebuild_matching_index", stdout=io.StringIO())


# --- asking ----------------------------------------------------------------------------


def ask_preview(client, inquiry: dict, organisation) -> tuple[dict, float]:
    started = time.perf_counter()
    response = client.post(
        "/api/v1/matching/preview",
        {
            "text": inquiry["text"],
            "sector": inquiry["sector"],
            "language": inquiry["language"],
            "organisation": organisation.pk,
        },
        content_type="application/json",
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{inquiry['id']}: preview answered {response.status_code}")
    return response.json(), elapsed


def fulltext_order(text: str) -> list[int]:
    from humaine.core import fulltext
    from humaine.matching.matches import lexical_query
    from humaine.matching.search import EXPERT_INDEX

    return [pk for pk, _ in fulltext.rank(EXPERT_INDEX, lexical_query(text), limit=100)]


def encoder_order(text: str) -> list[int]:
    """The experts by the raw encoder's cosine of the whole texts (no lexicon, no parts)."""
    global _RAW_EXPERTS
    from humaine.contact.models import Expert
    from humaine.matching import sources, store

    encoder = store.encoder()
    if _RAW_EXPERTS is None:
        experts = list(Expert.objects.filter(active=True).select_related("person"))
        _RAW_EXPERTS = (
            [e.pk for e in experts],
            encoder.encode([sources.expert_text(e) for e in experts]),
        )
    keys, matrix = _RAW_EXPERTS
    scores = matrix @ store.query_encoder().encode([text])[0]
    return [int(keys[i]) for i in np.argsort(-scores, kind="stable")]


_RAW_EXPERTS = None


# --- metrics ---------------------------------------------------------------------------


def ndcg(ranked: list, grades: dict, k: int = 5) -> float:
    """nDCG@k with the grades as gains (3/2/1)."""

    def dcg(gains):
        return sum(g / np.log2(i + 2) for i, g in enumerate(gains))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(i, 0) for i in ranked[:k]]) / ideal if ideal else float("nan")


def recall(ranked: list, grades: dict, k: int = 10) -> float:
    relevant = {i for i, g in grades.items() if g >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else float("nan")


def aspects_found(ranked: list, judged: dict, k: int = 5) -> list[bool]:
    top = set(ranked[:k])
    return [bool(top & set(a["best"])) for a in judged["aspects"] if a["role"] == "core"]


def team_check(team: dict | None, judged: dict, profiles: dict) -> dict:
    """Whether a proposed team covers the needs with no unflagged conflict (ground truth)."""
    slots = (team or {}).get("slots") or []
    members = [s["member"] for s in slots]
    grades = {e: g for e, g, _ in judged["experts"]}
    truth = {}
    for email, kind, _ in judged["conflicts"]:
        truth.setdefault(email, []).append(kind)

    def covered(strict: bool) -> bool:
        return all(
            any(
                set(group) & set(profiles[m["expert"]["email"]]["disciplines"])
                and (not strict or grades.get(m["expert"]["email"], 0) >= 1)
                for m in members
            )
            for group in judged["needs"]
        )

    unflagged = [
        m["expert"]["email"]
        for m in members
        if m["expert"]["email"] in truth and not m.get("conflicts")
    ]
    over = [
        s["member"]["expert"]["email"]
        for s in slots
        if profiles[s["member"]["expert"]["email"]]["capacity_hours"]
        < (s.get("hours") or (team or {}).get("hours_per_member") or 0)
    ]
    return {
        "size": len(members),
        "covers": covered(False),
        "covers_relevant": covered(True),
        "unflagged_conflicts": unflagged,
        "over_capacity": over,
        "ok": covered(False) and not unflagged,
        "ok_relevant": covered(True) and not unflagged,
    }


def listed_conflicts(experts: list, judged: dict) -> tuple[int, int, int]:
    """(labelled conflicts among the listed experts, of those shown with a conflict,
    experts shown with a conflict that is not labelled)."""
    truth = {email for email, _, _ in judged["conflicts"]}
    listed = [e for e in experts if e["expert"]["email"] in truth]
    false = [e for e in experts if e.get("conflicts") and e["expert"]["email"] not in truth]
    return len(listed), sum(bool(e.get("conflicts")) for e in listed), len(false)


# --- the run -----------------------------------------------------------------------------


def build_hub(postgres: bool):
    """A fresh hub with the set imported and indexed: (staff client, organisations, notes,
    seconds to import and index)."""
    workdir = Path(tempfile.mkdtemp(prefix="heldout-"))
    setup_django(fresh_database(postgres, workdir), workdir)
    from django.test import Client

    notes: list[str] = []
    staff, organisations = prepare_hub(notes)
    started = time.perf_counter()
    import_experts(workdir, notes)
    seconds = time.perf_counter() - started
    client = Client()
    client.force_login(staff)
    return client, organisations, notes, seconds


def evaluate(client, organisations, split: str) -> tuple[list[dict], list[float]]:
    """Ask the preview for every inquiry of ``split``; per inquiry the figures."""
    from humaine.contact.models import Expert

    email_of = dict(Expert.objects.values_list("pk", "person__email"))
    profiles = {e["email"]: e for e in read("experts")["experts"]}
    inquiries = {q["id"]: q for q in read("inquiries")["inquiries"]}
    chosen = [j for j in read("judgements")["inquiries"] if split in ("all", j["split"])]
    rows, seconds = [], []
    for judged in chosen:
        inquiry = inquiries[judged["id"]]
        body, elapsed = ask_preview(client, inquiry, organisations[inquiry["organisation"]])
        seconds.append(elapsed)
        for hit in body["experts"]:
            hit["expert"]["email"] = email_of[hit["expert"]["id"]]
        for slot in (body.get("team") or {}).get("slots") or []:
            slot["member"]["expert"]["email"] = email_of[slot["member"]["expert"]["id"]]
        grades = {e: g for e, g, _ in judged["experts"] if g > 0}
        orders = {
            "full-text": [email_of[pk] for pk in fulltext_order(inquiry["text"])],
            "encoder": [email_of[pk] for pk in encoder_order(inquiry["text"])],
            "hub": [hit["expert"]["email"] for hit in body["experts"]],
        }
        listed, shown, false = listed_conflicts(body["experts"], judged)
        rows.append(
            {
                "inquiry": judged["id"],
                "split": judged["split"],
                "cross_language": judged["cross_language"],
                "needs": len(judged["needs"]),
                "methods": {
                    name: {
                        "ndcg@5": ndcg(order, grades),
                        "recall@10": recall(order, grades),
                        "aspects": aspects_found(order, judged),
                        "top5": order[:5],
                    }
                    for name, order in orders.items()
                },
                "team": team_check(body.get("team"), judged, profiles),
                "conflicts_listed": listed,
                "conflicts_shown": shown,
                "conflicts_false": false,
            }
        )
    return rows, seconds


def run(args) -> dict:
    client, organisations, notes, build_seconds = build_hub(args.postgres)
    from django.db import connection

    rows, seconds = evaluate(client, organisations, args.split)
    return {
        "database": connection.vendor,
        "split": args.split,
        "notes": notes,
        "index_seconds": build_seconds,
        "preview_ms": {
            "median": 1000 * float(np.median(seconds)),
            "p95": 1000 * float(np.percentile(seconds, 95)),
        },
        "rows": rows,
    }


def mean(values) -> float:
    values = [v for v in values if not (isinstance(v, float) and np.isnan(v))]
    return float(np.mean(values)) if values else float("nan")


def bootstrap(rows, method, base, rounds=10_000, seed=0):
    diff = np.array(
        [r["methods"][method]["ndcg@5"] - r["methods"][base]["ndcg@5"] for r in rows], dtype=float
    )
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(rounds, len(diff)))].mean(axis=1)
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def summarise(result: dict) -> dict:
    from common import table

    rows = result["rows"]
    cross = [r for r in rows if r["cross_language"]]
    same = [r for r in rows if not r["cross_language"]]
    summary = {"methods": {}}
    lines = []
    for name in ("full-text", "encoder", "hub"):
        cells = {
            "ndcg@5": mean(r["methods"][name]["ndcg@5"] for r in rows),
            "ndcg@5 cross-language": mean(r["methods"][name]["ndcg@5"] for r in cross),
            "ndcg@5 same-language": mean(r["methods"][name]["ndcg@5"] for r in same),
            "recall@10": mean(r["methods"][name]["recall@10"] for r in rows),
            "aspects in top 5": mean(a for r in rows for a in r["methods"][name]["aspects"]),
            "aspects in top 5, multi": mean(
                a for r in rows if r["needs"] >= 3 for a in r["methods"][name]["aspects"]
            ),
        }
        summary["methods"][name] = cells
        lines.append([name, *(f"{v:.3f}" for v in cells.values())])
    n_aspects = sum(len(r["methods"]["hub"]["aspects"]) for r in rows)
    print(
        f"\n{result['split']} half: {len(rows)} inquiries ({len(cross)} cross-language), "
        f"{n_aspects} core aspects; {result['database']}"
    )
    header = [
        "experts",
        "nDCG@5",
        f"x-lang (n={len(cross)})",
        f"same (n={len(same)})",
        "recall@10",
        "aspect best in top 5",
        "the same, 3+ needs",
    ]
    print(table(lines, header))
    teams = [r["team"] for r in rows]
    multi = [r["team"] for r in rows if r["needs"] >= 3]
    summary["teams"] = {
        "n": len(teams),
        "ok": sum(t["ok"] for t in teams),
        "ok_relevant": sum(t["ok_relevant"] for t in teams),
        "covers": sum(t["covers"] for t in teams),
        "unflagged_conflicts": sum(bool(t["unflagged_conflicts"]) for t in teams),
        "over_capacity": sum(len(t["over_capacity"]) for t in teams),
        "mean_size": mean(t["size"] for t in teams),
        "multi_ok": sum(t["ok"] for t in multi),
        "multi_n": len(multi),
        "conflicts_listed": sum(r["conflicts_listed"] for r in rows),
        "conflicts_shown": sum(r["conflicts_shown"] for r in rows),
        "conflicts_false": sum(r["conflicts_false"] for r in rows),
    }
    t = summary["teams"]
    print(
        f"\nteams: {t['ok']}/{t['n']} cover the needed disciplines with no unflagged conflict "
        f"({t['ok'] / t['n']:.0%}); {t['ok_relevant']}/{t['n']} with members judged relevant; "
        f"{t['multi_ok']}/{t['multi_n']} of inquiries needing 3+ disciplines.\n"
        f"  cover the disciplines {t['covers']}/{t['n']}; teams with an unflagged conflict "
        f"{t['unflagged_conflicts']}; members beyond their free hours {t['over_capacity']}; "
        f"mean size {t['mean_size']:.1f}.\n"
        f"  labelled conflicts among the listed experts: {t['conflicts_listed']}, "
        f"shown with their conflict: {t['conflicts_shown']}; shown with a conflict not "
        f"labelled: {t['conflicts_false']}"
    )
    for base in ("encoder", "full-text"):
        diff, low, high = bootstrap(rows, "hub", base)
        summary[f"hub - {base}"] = [diff, low, high]
        print(f"nDCG@5 hub - {base}: {diff:+.3f} [{low:+.3f}, {high:+.3f}] (95% paired bootstrap)")
    print(
        f"preview through HTTP (SQLite/PostgreSQL as chosen, {len(rows)} requests): median "
        f"{result['preview_ms']['median']:.0f} ms, p95 {result['preview_ms']['p95']:.0f} ms; "
        f"import + index {result['index_seconds']:.0f} s"
    )
    for note in result["notes"]:
        print(f"note: {note}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout", choices=["heldout", "tuning", "all"])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    result = run(args)
    summary = summarise(result)
    from common import write_json

    path = write_json(f"matching_heldout_{args.split}.json", {**result, "summary": summary})
    print(f"\nwritten: {path}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
