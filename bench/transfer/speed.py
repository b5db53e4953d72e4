"""Knowledge-base search, the figures dashboard and the funder export on PostgreSQL.

Fills a separate database (100,000 inquiries, 5,000 knowledge-base entries embedded with
the real multilingual encoder, 500 events with 50,000 registrations, a year of use), starts
gunicorn on it, logs in as staff and measures under concurrent load the p95 of

* the knowledge-base search (German queries, full text + meaning + facets),
* the figures dashboard for a full year (once with the figures' cache as configured, once
  with it off: every request counts everything again),

each next to /healthz served by the same server in the same run; then the time of the
funder export (XLSX and PDF) for a year, counted afresh.

    python bench/transfer/speed.py [--clients 8] [--seconds 20] [--database-url ...]

Goal (issue 13): p95 at most 5x /healthz.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "hub"))

import triage_load as hub  # noqa: E402

QUERIES = [
    "Belastung der Beschäftigten messen",
    "Betriebsrat beteiligen",
    "unsichere Fälle an Menschen geben",
    "Datenschutz Folgenabschätzung",
    "Vertrauen in KI-Vorschläge",
    "Schulung Automatisierung",
    "Qualitätsprüfung Bilder",
    "Dienstplanung Pflege",
]
TOPICS_DE = [
    ("Belastungsbefragung", "Befragung zu Arbeitsbelastung und Handlungsspielraum"),
    ("Beteiligungswerkstatt", "Workshop mit Betriebsrat und Beschäftigten"),
    ("Fallverteilung", "Unsichere Fälle gehen an die passende Person"),
    ("Datenschutz", "Folgenabschätzung für KI am Arbeitsplatz"),
    ("Vertrauen", "Vertrauen in KI-Vorschläge kalibrieren"),
    ("Qualifizierung", "Schulung gegen Automatisierungsgläubigkeit"),
]
TOPICS_EN = [
    ("Workload survey", "A survey on workload and control at work"),
    ("Participation workshop", "A workshop with the works council and employees"),
    ("Deferral", "Uncertain cases go to the right person"),
    ("Visual inspection", "Images of parts checked by AI and inspectors"),
    ("Rostering", "Shift planning in care with staff preferences"),
    ("Explanations", "Explaining AI decisions to the people who check them"),
]


def fill_transfer(n_entries: int, n_events: int, n_registrations: int) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from humaine.contact.models import Organisation, Sector
    from humaine.transfer.models import (
        Entry,
        EntryDiscipline,
        EntryUsage,
        EntryVersion,
        Event,
        NetworkMember,
        Registration,
    )
    from humaine.transfer.search import refresh_now
    from humaine.transfer.services.entries import search_text

    if Entry.objects.count() >= n_entries:
        print(f"database already holds {Entry.objects.count()} entries")
        return
    rng = random.Random(13)
    now = timezone.now()
    sectors = list(Sector.objects.all())
    kinds = ["method", "case_study", "guideline", "template", "learning_material"]
    disciplines = ["work_science", "computer_science", "engineering", "psychology", "law"]
    started = time.perf_counter()
    with transaction.atomic():
        entries = Entry.objects.bulk_create(
            Entry(
                slug=f"bench-{i}",
                kind=rng.choice(kinds),
                visibility=rng.choices(["public", "members", "staff"], [80, 15, 5])[0],
                recommendation_ids=[],
                released_fields=["goal", "approach"],
                consent_at=now,
                consent_by="bench",
            )  # fmt: skip
            for i in range(n_entries)
        )
        versions = []
        for i, entry in enumerate(entries):
            de, en = rng.choice(TOPICS_DE), rng.choice(TOPICS_EN)
            english_only = rng.random() < 0.2
            versions.append(
                EntryVersion(
                    entry=entry,
                    number=1,
                    status="published",
                    maturity=rng.randint(1, 5),
                    title_de="" if english_only else f"{de[0]} {i}",
                    title_en=f"{en[0]} {i}",
                    summary_de="" if english_only else de[1],
                    summary_en=en[1],
                    body_de="## Vorgehen\n\n" + de[1] * 5,
                    body_en="## Steps\n\n" + en[1] * 5,
                    case_fields={"goal": {"de": de[1]}},
                    published_at=now,
                )  # fmt: skip
            )
        for version in versions:
            version.search_text = search_text(version, version.entry)
        versions = EntryVersion.objects.bulk_create(versions)
        for entry, version in zip(entries, versions):
            entry.published_version = version
            entry.maturity = version.maturity
            entry.first_published_at = now - timedelta(days=rng.randint(0, 700))
        Entry.objects.bulk_update(entries, ["published_version", "maturity", "first_published_at"])
        through = Entry.sectors.through
        through.objects.bulk_create(
            through(entry_id=e.pk, sector_id=rng.choice(sectors).pk) for e in entries
        )
        EntryDiscipline.objects.bulk_create(
            EntryDiscipline(entry=e, code=rng.choice(disciplines)) for e in entries
        )
        usage = [
            EntryUsage(entry=rng.choice(entries), day=(now - timedelta(days=d)).date(),
                       views=rng.randint(1, 30), downloads=rng.randint(0, 3))
            for d in range(365) for _ in range(40)
        ]  # fmt: skip
        EntryUsage.objects.bulk_create(usage, ignore_conflicts=True)
    print(f"  {n_entries} entries ({time.perf_counter() - started:.0f} s)", flush=True)
    with transaction.atomic():
        events = Event.objects.bulk_create(
            Event(
                slug=f"bench-event-{i}",
                kind=rng.choice(["workshop", "idea_lab", "fair"]),
                title_de=f"Werkstatt {i}",
                description_de="Text",
                venue="Zentrum",
                starts_at=now - timedelta(days=365) + timedelta(days=i * 365 / n_events),
                ends_at=now - timedelta(days=365) + timedelta(days=i * 365 / n_events, hours=3),
                capacity=n_registrations // n_events,
                published=True,
            )  # fmt: skip
            for i in range(n_events)
        )
        per_event = n_registrations // n_events
        for start in range(0, n_events, 50):
            Registration.objects.bulk_create(
                Registration(
                    event=event,
                    status=rng.choices(["confirmed", "cancelled"], [9, 1])[0],
                    name=f"Person {event.pk}-{k}",
                    email=f"p{event.pk}-{k}@example.org",
                    token_hash=f"{event.pk:08d}{k:08d}",
                    attended=rng.random() < 0.7,
                    created_at=event.starts_at - timedelta(days=10),
                )  # fmt: skip
                for event in events[start : start + 50]
                for k in range(per_event)
            )
        organisations = list(Organisation.objects.exclude(kind="hub")[:200])
        NetworkMember.objects.bulk_create(
            NetworkMember(
                organisation=o,
                kind=rng.choice(["member", "partner"]),
                member_since=(now - timedelta(days=rng.randint(0, 1500))).date(),
                offers_de="Daten und Erfahrung",
            )  # fmt: skip
            for o in organisations
        )
    print(f"  {n_registrations} registrations ({time.perf_counter() - started:.0f} s)", flush=True)
    ids = [e.pk for e in entries]
    for start in range(0, len(ids), 500):
        refresh_now(ids[start : start + 500])
        print(f"  embedded {start + 500} entries ({time.perf_counter() - started:.0f} s)",
              flush=True)  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def start_server(args, cache_seconds: int):
    env = dict(
        os.environ, DATABASE_URL=args.database_url, DEBUG="0", SECRET_KEY="bench-only",
        ALLOWED_HOSTS="127.0.0.1", SECURE_HTTPS="0", LOG_LEVEL="WARNING",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        TRANSFER_FIGURES_CACHE_SECONDS=str(cache_seconds),
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "humaine.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{hub.PORT}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    hub.wait_for_server()
    return server


def summary(timings: dict) -> list[tuple[str, int, float, float, float]]:
    trivial = hub.percentile(timings["/healthz"], 0.95)
    rows = []
    for name, values in timings.items():
        p95 = hub.percentile(values, 0.95)
        rows.append((name, len(values), statistics.median(values) * 1000, p95 * 1000,
                     p95 / trivial))  # fmt: skip
    return rows


def print_rows(title: str, rows) -> None:
    print(f"\n{title}")
    print(f"{'endpoint':<44}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'p95 / healthz':>15}")
    for name, n, median, p95, ratio in rows:
        print(f"{name:<44}{n:>9}{median:>11.1f}{p95:>9.1f}{ratio:>15.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_transfer",
        ),
    )  # fmt: skip
    parser.add_argument("--inquiries", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=30)
    args = parser.parse_args()

    hub.create_database(args.database_url)
    hub.setup_database(args.database_url, args.inquiries, 1_000)
    fill_transfer(args.entries, args.events, args.registrations)
    env = dict(os.environ, DATABASE_URL=args.database_url, DEBUG="0", SECRET_KEY="bench-only",
               STATIC_ROOT=str(ROOT / "var" / "bench-static"))  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip

    from django.utils import timezone

    today = timezone.localdate()
    year = f"start={today.replace(year=today.year - 1):%Y-%m-%d}&end={today:%Y-%m-%d}"
    search = {f"search: {q}": "/knowledge/?q=" + quote_plus(q) for q in QUERIES[:4]}
    paths = {"/healthz": "/healthz", **search,
             "search with facets": "/knowledge/?q=Befragung&kind=method&maturity=5",
             "figures dashboard, a year": f"/staff/figures/?{year}"}  # fmt: skip
    results = {}
    for label, cache_seconds in (("figures cached (300 s)", 300), ("figures not cached", 0)):
        server = start_server(args, cache_seconds)
        try:
            cookie = hub.log_in()
            # warm every worker: the encoder, the vector matrix and connections load once each
            hub.load(paths, cookie, args.workers, args.warmup)
            results[label] = summary(hub.load(paths, cookie, args.clients, args.seconds))
            if cache_seconds == 0:
                client = hub.Client(cookie)
                exports = {}
                for fmt in ("csv", "xlsx", "pdf"):
                    status, body, elapsed = client.get(f"/staff/figures/export.{fmt}?{year}")
                    assert status == 200, (fmt, status)
                    exports[fmt] = (elapsed, len(body))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"\n{args.inquiries} inquiries, {args.entries} entries, {args.events} events with "
          f"{args.registrations} registrations; PostgreSQL, {args.workers} gunicorn workers, "
          f"{args.clients} concurrent clients, {args.seconds:.0f} s per run")  # fmt: skip
    for label, rows in results.items():
        print_rows(label, rows)
    print("\nfunder export for a year, counted afresh (one request each):")
    for fmt, (elapsed, size) in exports.items():
        print(f"  {fmt:<5} {elapsed * 1000:8.0f} ms  {size / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
