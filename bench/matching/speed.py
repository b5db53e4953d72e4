"""Latency of a match request at the issue's scale on PostgreSQL (prints figures; not a test).

    .venv/bin/python bench/matching/speed.py [--experts 10000] [--cases 100000] [--runs 64]

Uses the database ``humaine_bench_matching`` (created, migrated and filled on the first
run; later runs reuse it; one filled for another vector space, i.e. before the lexicon or
with another encoder, is refused: drop it; ``BENCH_DB=name`` for a small smoke run).
Filling it: 10,000 expert profiles and 100,000 past inquiries composed of 2 to 4
sentences drawn from the labelled evaluation texts (German and English).
Every distinct sentence is embedded with the real encoder; a document's whole-text vector
is the normalised mean of its sentence vectors (embedding 110,000 whole texts would take
about an hour and changes nothing about the latency: the vectors have the real shape,
type and size). The rows are written directly, as ``rebuild_matching_index`` would store
them (fingerprints included), and the full-text columns are PostgreSQL's own.

Measured in one run, for each of the 64 labelled inquiry texts:

* ``full-text only``: ``fulltext.rank`` over the 100,000 inquiries (what a plain search
  costs on the same database);
* ``encoding the text only``: ``embed_texts`` of the posted text (whole and segments,
  with their lexicon glosses), the part of a preview that a saved inquiry does not need;
* ``match, saved inquiry``: ``find_matches(MatchInput.for_inquiry(...))``, the call the
  triage panel and ``GET /api/v1/inquiries/{id}/matches`` make (its vectors are stored);
* ``match, preview text``: the same service for a posted text (encodes it);
* ``HTTP preview``: ``POST /api/v1/matching/preview`` through Django's full request
  handling (test client in this process: middleware, auth, JSON; no network).

The first request of a process also loads the encoder and the vector matrices; that
cold start is printed separately.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

# BENCH_DB names another database (a small smoke run beside the full one)
DB_NAME = os.environ.get("BENCH_DB", "humaine_bench_matching")
SERVER = os.environ.get("BENCH_PG", "postgres://postgres:postgres@127.0.0.1:5432")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECURE_HTTPS", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "humaine.settings"
    import django

    django.setup()


SECTOR_OF = {"health_care": "health", "industry": "industry", "insurance": "insurance"}
DISCIPLINES = [
    "work_science",
    "computer_science",
    "engineering",
    "psychology",
    "social_science",
    "law",
    "transfer",
]


def sentence_pool():
    """Sentences of the labelled set, with the sector and disciplines they come from."""
    from common import load

    from humaine.matching.text import segments

    experts, cases, inquiries = [], [], []
    for e in load("experts"):
        for text in (e["topics"], e["methods"]):
            for s in segments(text) or [text]:
                experts.append((s, e["disciplines"], e["sectors"]))
    for c in load("cases"):
        for s in segments(f"{c['title']}. {c['text']}"):
            cases.append((s, c["sector"]))
    for q in load("inquiries"):
        for s in segments(q["text"]):
            cases.append((s, q["sector"]))
        inquiries.append(q)
    return experts, cases, inquiries


def fill(n_experts: int, n_cases: int, rng) -> None:
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from humaine.contact.models import (
        Assignment,
        Expert,
        Inquiry,
        Membership,
        Organisation,
        Person,
        Sector,
    )
    from humaine.matching import store
    from humaine.matching.encoders import normalise_rows
    from humaine.matching.models import Embedding, IndexState
    from humaine.matching.ranking import vector_space
    from humaine.matching.text import fingerprint, language_shares
    from humaine.tests.factories import SECTORS

    if Inquiry.objects.count() >= n_cases and Expert.objects.count() >= n_experts:
        from humaine.matching.sources import expert_text

        expert = Expert.objects.order_by("pk").first()
        stored = Embedding.objects.filter(kind="expert", object_id=str(expert.pk)).first()
        current = fingerprint(expert_text(expert), vector_space(store.encoder(), store.config()))
        inquiries = Embedding.objects.filter(
            kind="inquiry", encoder=store.encoder_for("inquiry").name
        ).exists()
        if stored is None or stored.fingerprint != current or not inquiries:
            sys.exit(
                f"{DB_NAME} was filled for another vector space (encoder or lexicon): "
                "drop it and run again."
            )
        return
    if Organisation.objects.exists():
        sys.exit(f"{DB_NAME} is partly filled or smaller than asked for: drop it and run again.")
    print(f"filling {DB_NAME}: {n_experts} experts, {n_cases} inquiries …", flush=True)
    started = time.perf_counter()
    for i, (slug, de, en) in enumerate(SECTORS):
        Sector.objects.get_or_create(slug=slug, defaults={"name_de": de, "name_en": en, "order": i})
    sectors = {s.slug: s for s in Sector.objects.all()}
    expert_sentences, case_sentences, _ = sentence_pool()
    # each kind with the encoder the hub stores it with (inquiries: the variant for queries)
    encoders = {kind: store.encoder_for(kind) for kind in ("expert", "inquiry")}
    sentences = {
        "expert": list(dict.fromkeys(s for s, *_ in expert_sentences)),
        "inquiry": list(dict.fromkeys(s for s, _ in case_sentences)),
    }
    vectors = {
        kind: dict(zip(sentences[kind], encoders[kind].encode(sentences[kind])))
        for kind in encoders
    }
    print(f"  {sum(map(len, sentences.values()))} distinct sentences embedded", flush=True)

    hub, _ = Organisation.objects.get_or_create(name="Bench-Zentrum", kind="hub")
    user_model = get_user_model()
    staff, created = user_model.objects.get_or_create(username="bench-staff")
    if created:
        Membership.objects.create(user=staff, organisation=hub, role="staff")
    companies = Organisation.objects.bulk_create(
        Organisation(
            name=f"Firma {k}",
            kind="company",
            sector=sectors[["industry", "health", "insurance", "other"][k % 4]],
        )
        for k in range(2000)
    )
    institutes = Organisation.objects.bulk_create(
        Organisation(name=f"Institut {k}", kind="research") for k in range(200)
    )
    contacts = Person.objects.bulk_create(
        Person(name=f"Kontakt {k}", email=f"kontakt{k}@bench.example", organisation=companies[k])
        for k in range(len(companies))
    )

    def embedding_rows(kind, start_id, sentences_per_doc, keep_segments):
        encoder = encoders[kind]
        rows = []
        for offset, sentences in enumerate(sentences_per_doc):
            matrix = np.stack([vectors[kind][s] for s in sentences])
            whole = normalise_rows(matrix.mean(axis=0))[0]
            text = " ".join(sentences)
            rows.append(
                Embedding(
                    kind=kind,
                    object_id=str(start_id + offset),
                    encoder=encoder.name,
                    fingerprint="bench",
                    dim=encoder.dim,
                    whole=whole.tobytes(),
                    vectors=np.vstack([whole, matrix]).astype(np.float32).tobytes(),
                    segments=list(sentences) if keep_segments else [],
                    language=language_shares(text),
                    revision=1,
                )
            )
        return rows

    # experts -------------------------------------------------------------------------
    batch = 2000
    for start in range(Expert.objects.count(), n_experts, batch):
        size = min(batch, n_experts - start)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    name=f"Expertin {start + k}",
                    email=f"expert{start + k}@bench.example",
                    organisation=institutes[rng.integers(len(institutes))]
                    if rng.random() < 0.8
                    else companies[rng.integers(len(companies))],
                )
                for k in range(size)
            )
            picks = [
                [expert_sentences[i] for i in rng.choice(len(expert_sentences), rng.integers(2, 5))]
                for _ in range(size)
            ]
            experts = Expert.objects.bulk_create(
                Expert(
                    person=person,
                    disciplines=list(dict.fromkeys(d for _, ds, _ in pick[:1] for d in ds))
                    or [DISCIPLINES[rng.integers(len(DISCIPLINES))]],
                    topics=" ".join(s for s, _, _ in pick[:-1]),
                    methods=pick[-1][0],
                    languages=["de", "en"] if rng.random() < 0.7 else ["de"],
                    capacity_hours=int(rng.choice([4, 8, 12, 16, 20])),
                )
                for person, pick in zip(people, picks)
            )
            through = Expert.sectors.through
            through.objects.bulk_create(
                through(expert_id=e.pk, sector_id=sector_id)
                for e, pick in zip(experts, picks)
                for sector_id in {
                    sectors[SECTOR_OF.get(s, "other")].pk for *_, ss in pick for s in ss
                }
            )
            texts = [f"{e.topics}\n{e.methods}" for e in experts]
            rows = embedding_rows(
                "expert", 0, [[s for s, _, _ in pick] for pick in picks], keep_segments=True
            )
            # the space stored vectors' fingerprints name (encoder and lexicon): the rows
            # are current for the hub, so no request re-embeds a saved inquiry
            space = vector_space(encoders["expert"], store.config())
            for row, expert, text in zip(rows, experts, texts):
                row.object_id = str(expert.pk)
                row.fingerprint = fingerprint(text, space)
            Embedding.objects.bulk_create(rows)
        print(f"  experts {start + size}", flush=True)

    # past inquiries --------------------------------------------------------------------
    now = timezone.now()
    for start in range(Inquiry.objects.count(), n_cases, 5000):
        size = min(5000, n_cases - start)
        with transaction.atomic():
            picks = [
                [case_sentences[i] for i in rng.choice(len(case_sentences), rng.integers(2, 5))]
                for _ in range(size)
            ]
            inquiries = []
            for k, pick in enumerate(picks):
                company = k % len(companies)
                inquiries.append(
                    Inquiry(
                        reference=f"B-{start + k:06d}",
                        organisation=companies[company],
                        organisation_name=companies[company].name,
                        sector=sectors[SECTOR_OF.get(pick[0][1], "other")],
                        size_band="50-249",
                        contact=contacts[company],
                        work_process=pick[0][0][:300],
                        problem=" ".join(s for s, _ in pick[1:]),
                        employees_affected=10,
                        works_council="yes",
                        language="de",
                        consent_at=now,
                        status=["new", "triage", "matched", "closed"][k % 4],
                        token_nonce=secrets.token_hex(16),
                        token_hash=secrets.token_hex(32),
                        token_expires_at=now,
                    )
                )
            inquiries = Inquiry.objects.bulk_create(inquiries)
            rows = embedding_rows("inquiry", 0, [[s for s, _ in p] for p in picks], False)
            from humaine.matching.sources import inquiry_text

            space = vector_space(encoders["inquiry"], store.config())
            for row, inquiry in zip(rows, inquiries):
                row.object_id = str(inquiry.pk)
                row.fingerprint = fingerprint(inquiry_text(inquiry), space)
            Embedding.objects.bulk_create(rows)
        print(f"  inquiries {start + size}", flush=True)

    # some load on the experts, the methods, the version counters
    expert_ids = list(Expert.objects.values_list("pk", flat=True)[:3000])
    case_ids = list(Inquiry.objects.values_list("pk", flat=True)[:3000])
    Assignment.objects.bulk_create(
        Assignment(expert_id=e, inquiry_id=c, hours_per_month=8)
        for e, c in zip(expert_ids, case_ids)
    )
    store.refresh_methods()
    for kind in ("expert", "inquiry"):
        IndexState.objects.update_or_create(kind=kind, defaults={"revision": 1})
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


def summary(name: str, seconds: list[float]) -> list:
    ms = sorted(1000 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return [name, len(ms), f"{statistics.median(ms):.0f}", f"{p95:.0f}", f"{ms[-1]:.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    ensure_database()
    setup_django()
    import numpy as np
    from common import table
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from humaine.contact.models import Expert, Inquiry
    from humaine.contact.search import INQUIRY_INDEX
    from humaine.core import fulltext
    from humaine.matching import store
    from humaine.matching.matches import MatchInput, find_matches, lexical_query
    from humaine.matching.ranking import embed_texts

    call_command("migrate", verbosity=0)
    fill(args.experts, args.cases, np.random.default_rng(args.seed))
    _, _, labelled = sentence_pool()
    texts = [(q["text"], SECTOR_OF.get(q["sector"], "other"), q["language"]) for q in labelled]
    texts = (texts * (args.runs // len(texts) + 1))[: args.runs]
    staff = get_user_model().objects.get(username="bench-staff")
    saved = list(Inquiry.objects.order_by("?").select_related("sector")[: args.runs])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    find_matches(MatchInput.for_inquiry(saved[0]), staff)
    cold = time.perf_counter() - started

    timings = {
        "full-text only": [],
        "encode": [],
        "match, saved": [],
        "match, preview": [],
        "HTTP": [],
    }
    encoder = store.query_encoder()
    client = Client()
    client.force_login(staff)
    for (text, sector, language), inquiry in zip(texts, saved):
        t = time.perf_counter()
        fulltext.rank(INQUIRY_INDEX, lexical_query(text), limit=200)
        timings["full-text only"].append(time.perf_counter() - t)

        t = time.perf_counter()
        embed_texts([text], encoder)
        timings["encode"].append(time.perf_counter() - t)

        t = time.perf_counter()
        find_matches(MatchInput.for_inquiry(inquiry), staff)
        timings["match, saved"].append(time.perf_counter() - t)

        t = time.perf_counter()
        find_matches(MatchInput(text=text, sector=sector, language=language), staff)
        timings["match, preview"].append(time.perf_counter() - t)

        t = time.perf_counter()
        response = client.post(
            "/api/v1/matching/preview",
            {"text": text, "sector": sector, "language": language},
            content_type="application/json",
        )
        timings["HTTP"].append(time.perf_counter() - t)
        assert response.status_code == 200, response.content[:300]

    print(
        f"\nPostgreSQL {connection.pg_version // 10000}, {Expert.objects.count()} experts, "
        f"{Inquiry.objects.count()} past inquiries, {os.cpu_count()} cores; "
        f"cold start (encoder + matrices) {cold:.1f} s; load average before/after "
        f"{load_before:.1f}/{os.getloadavg()[0]:.1f} (other processes share the cores)\n"
    )
    rows = [
        summary("full-text only (fulltext.rank, inquiries)", timings["full-text only"]),
        summary("encoding the text only (part of a preview)", timings["encode"]),
        summary(
            "match request, saved inquiry (triage panel, GET matches)", timings["match, saved"]
        ),
        summary("match request, preview text (service)", timings["match, preview"]),
        summary("POST /api/v1/matching/preview (HTTP, in-process)", timings["HTTP"]),
    ]
    print(table(rows, ["what", "n", "median ms", "p95 ms", "max ms"]))


if __name__ == "__main__":
    main()
