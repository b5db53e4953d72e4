"""Triage queue latency on PostgreSQL with 100,000 inquiries, under concurrent load.

Fills a separate database once (later runs reuse it), serves it with gunicorn
(``bench/served_hub.py``: gthread workers, the job worker), logs in as staff, and measures the
median and p95 latency of the triage queue (first page, a filtered page, a search) next
to a trivial view (/healthz) served by the same server in the same run.

    python bench/hub/triage_load.py [--inquiries 100000] [--organisations 1000]
        [--clients 8] [--seconds 20] [--database-url postgres://...]

Goal (issue 2): the queue's p95 at most 5x the trivial view's p95.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
PORT = 8765

from served_hub import exchange, served_hub  # noqa: E402

WORDS = (
    "Schadenbearbeitung Qualitätsprüfung Schichtplanung Triage Dokumentation Wartung "
    "Prognose Kundenservice Betrug Risiko Underwriting Bildverarbeitung Sensorik Pflege "
    "Notaufnahme Disposition claims inspection planning maintenance fraud scheduling "
    "documentation workload acceptance training quality defects images sensors"
).split()


def setup_database(n_inquiries: int, n_organisations: int) -> None:
    """Fill the (migrated) database once; a later run reuses it."""
    from humaine.contact.models import Inquiry

    if Inquiry.objects.count() >= n_inquiries:
        print(f"database already holds {Inquiry.objects.count()} inquiries")
        return
    fill(n_inquiries, n_organisations)


def fill(n_inquiries: int, n_organisations: int) -> None:
    import secrets
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from humaine.contact.models import Inquiry, Membership, Organisation, Person
    from humaine.tests.factories import make_sectors

    rng = random.Random(7)
    sectors = list(make_sectors().values())
    User = get_user_model()
    hub = Organisation.objects.create(name="Bench Hub", kind="hub")
    staff = []
    for i in range(5):
        user = User.objects.create_user(f"bench{i}", password="bench-password-123")
        Membership.objects.create(user=user, organisation=hub, role="staff")
        staff.append(user)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Firma {i} GmbH", sector=rng.choice(sectors), size_band="50-249")
        for i in range(n_organisations)
    )
    now = timezone.now()
    statuses = ["new", "triage", "matched", "scenario", "declined", "closed"]
    batch = 5000
    started = time.perf_counter()
    for start in range(0, n_inquiries, batch):
        with transaction.atomic():
            count = min(batch, n_inquiries - start)
            orgs = [rng.choice(organisations) for _ in range(count)]
            people = Person.objects.bulk_create(
                Person(
                    name=f"Kontakt {start + i}",
                    email=f"k{start + i}@example.org",
                    organisation=orgs[i],
                )
                for i in range(count)
            )
            rows = []
            for i in range(count):
                number = start + i
                words = rng.sample(WORDS, 6)
                rows.append(
                    Inquiry(
                        reference=f"HM-B-{number:06d}",
                        organisation=orgs[i],
                        organisation_name=orgs[i].name,
                        sector=orgs[i].sector,
                        size_band="50-249",
                        contact=people[i],
                        work_process=" ".join(words[:2]),
                        problem="Wir möchten " + " ".join(words) + " verbessern.",
                        data_available="Daten " + words[0],
                        employees_affected=rng.randint(1, 500),
                        works_council="yes",
                        language=rng.choice(["de", "en"]),
                        consent_at=now,
                        status=rng.choices(statuses, [30, 25, 15, 10, 10, 10])[0],
                        assignee=rng.choice(staff + [None]),
                        token_nonce=secrets.token_hex(16),
                        token_hash=secrets.token_hex(32),
                        token_expires_at=now + timedelta(days=365),
                        created_at=now - timedelta(minutes=number),
                    )
                )
            Inquiry.objects.bulk_create(rows)
        print(f"  {start + count} inquiries ({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Client:
    """A tiny keep-alive HTTP client with a session cookie."""

    def __init__(self, cookie: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.cookie = cookie

    def get(self, path: str) -> tuple[int, bytes, float]:
        response, body, seconds = exchange(
            self.connection, "GET", path, headers={"Cookie": self.cookie}
        )
        return response.status, body, seconds


def log_in() -> str:
    # the password hash runs at low priority (LOW_PRIORITY_NICE): slow on a busy machine
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {"username": "bench0", "password": "bench-password-123", "csrfmiddlewaretoken": token}
    )
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"login failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def load(paths: dict[str, str], cookie: str, clients: int, seconds: float) -> dict:
    """Each client picks endpoints round-robin, so all share the same server load."""
    timings: dict[str, list[float]] = {name: [] for name in paths}
    errors: list[str] = []
    names = list(paths)
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        client = Client(cookie)
        i = offset
        while time.perf_counter() < deadline:
            name = names[i % len(names)]
            i += 1
            status, _, elapsed = client.get(paths[name])
            if status != 200:
                errors.append(f"{name}: {status}")
            timings[name].append(elapsed)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"errors under load: {errors[:5]}")
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench"
        ),
    )
    parser.add_argument("--inquiries", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    with served_hub(
        args.database_url,
        port=PORT,
        workers=args.workers,
        fresh=False,  # filled once, reused by later runs
        setup=lambda: setup_database(args.inquiries, args.organisations),
    ):
        cookie = log_in()
        paths = {
            "trivial view (/healthz)": "/healthz",
            "queue, first page": "/staff/inquiries/",
            "queue, filtered (sector+status)": "/staff/inquiries/?sector=health&status=triage",
            "queue, search": "/staff/inquiries/?q=Schichtplanung+Wartung&status=all",
        }
        load(paths, cookie, 2, 3)  # warm up every worker's caches and connections
        timings = load(paths, cookie, args.clients, args.seconds)
    report(timings, args)


def report(timings: dict, args) -> None:
    trivial_name = next(iter(timings))
    trivial_p95 = percentile(timings[trivial_name], 0.95)
    rows = []
    print(
        f"\n{args.inquiries} inquiries, {args.organisations} organisations, PostgreSQL, "
        f"{args.workers} gunicorn workers (gthread), {args.clients} concurrent clients, "
        f"{args.seconds:.0f} s\n"
    )
    print(f"{'endpoint':<36}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'p95 / trivial':>15}")
    for name, values in timings.items():
        median, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        ratio = p95 / (trivial_p95 * 1000)
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "median_ms": round(median, 2),
                "p95_ms": round(p95, 2),
                "p95_ratio": round(ratio, 2),
            }
        )
        print(f"{name:<36}{len(values):>9}{median:>11.1f}{p95:>9.1f}{ratio:>15.2f}")
    worst = max(row["p95_ratio"] for row in rows[1:])
    print(f"\nworst queue p95 / trivial p95 = {worst:.2f} (goal <= 5)")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "triage_load.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
