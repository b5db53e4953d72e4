"""The monitoring page of a team service with 1,000,000 recorded cases, on PostgreSQL.

Fills a separate database with one deployed team service (a team built from the synthetic
claims data, persons as pseudonyms, the age group mapped for fairness) and ``--cases``
recorded cases over the last 25 days (COPY: inputs from the claims distribution, 30 % to a
person, 5 % audits, 80 % of a person's cases decided, 40 % with an outcome). Then, in the
same run:

* in this process, nothing stored: the time to count the window's figures, drift and
  fairness once (what the background job pays after cases changed or when a window was
  never counted) and its number of queries;
* served by ``bench/served_hub.py`` (gunicorn gthread workers for the pages, sync workers
  for the service API, and the job worker): the
  first service page over HTTP with nothing stored (it counts nothing: it says the figures
  and the cases with an outcome are being counted and queues the job) and the seconds until
  a reload shows them;
* under load from ``--clients`` clients against gunicorn: the service page (the default
  30-day window; it shows the stored figures) next to a trivial view (/healthz) served by
  the same server; p50/p95 and each p95 as a ratio to /healthz's;
* **under traffic**: the same while one more client posts batches of ``--batch`` cases
  through the API (a service token) without pause, and the job worker (``manage.py
  run_worker``, the recount at most once per ``--delay`` seconds) counts the figures
  again: the page's p50/p95 against /healthz's, the cases posted, the share of page views
  that said newer cases are being counted, how often the figures were counted again and
  how many cases the stored figures lag behind at the end.

    python bench/human_ai/monitoring.py [--cases 1000000] [--clients 4] [--seconds 20]
        [--workers 2] [--batch 20] [--delay 5] [--database-url postgres://...]

Smoke it small: ``--cases 20000 --seconds 5``. A second run reuses the filled database
(``--refill`` fills it again).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "hub"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import triage_load  # noqa: E402
from served_hub import exchange, served_hub  # noqa: E402
from triage_load import percentile  # noqa: E402

triage_load.PORT = PORT = 8769
TITLE = "Bench: monitoring"
DATA_DIR = ROOT / "var" / "bench-human-ai"


def setup(n_cases: int, refill: bool) -> int:
    """The bench's service with ``n_cases`` recorded cases (the database is migrated; a
    service filled by an earlier run is reused). Its id."""
    from humaine.human_ai.models import Service, ServiceCase

    service = Service.objects.filter(title=TITLE).first()
    if service is not None and not run_files_present(service):
        raise SystemExit(
            "The filled database's service has no team files on this machine (it was filled "
            "from another checkout or its files were removed). Drop the database "
            "(e.g. psql -c 'DROP DATABASE humaine_bench_human_ai_monitoring') or give "
            "another --database-url, and run the bench again."
        )
    if service is None:
        from django.db import transaction

        with transaction.atomic():
            service = make_service()
    have = ServiceCase.objects.filter(service=service).count()
    if refill or have != n_cases:
        ServiceCase.objects.filter(service=service).delete()
        fill(service, n_cases)
    return service.pk


def run_files_present(service) -> bool:
    """Whether the deployed run's stored files are there (a reused database may come from
    another checkout whose storage folder is gone: every post would then answer 503)."""
    from humaine.human_ai import services

    version = service.active_version
    if version is None:
        return False
    try:
        with services.open_output(version.run, "team/metadata.json"):
            return True
    except FileNotFoundError:
        return False


def make_service():
    """A scenario with a finished run (built here) deployed as a service; staff ``bench0``."""
    import tempfile

    from django.contrib.auth import get_user_model

    from humaine.contact.models import Membership
    from humaine.human_ai import deployment
    from humaine.human_ai.tests.factories import (
        CLAIMS_FEATURES,
        build_claims_team,
        make_finished_run,
    )
    from humaine.scenarios import services as scenario_services
    from humaine.tests import factories as f

    sectors = f.make_sectors()
    f.make_hub()
    staff = get_user_model().objects.create_user("bench0", password="bench-password-123")
    Membership.objects.create(
        user=staff, organisation=f.hub_organisation(), role=Membership.Role.STAFF
    )
    company = f.make_organisation("Bench Versicherung AG", sector=sectors["insurance"])
    scenario = scenario_services.start_scenario(
        actor=staff,
        title="Bench: Kfz-Schäden",
        goal="Sachbearbeitung entlasten.",
        work_process="Kfz-Schadenprüfung",
        organisation=company,
        sector=sectors["insurance"],
    )
    persons = [f"P-00000000000{i}" for i in range(5)]
    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    out, result = build_claims_team(folder, persons, n_cases=600)
    run = make_finished_run(
        scenario,
        out,
        result,
        title="Schäden (Bench)",
        persons=persons,
        mapping={"target": "berechtigt", "features": CLAIMS_FEATURES, "groups": ["altersgruppe"]},
    )
    return deployment.create_service(scenario, title=TITLE, run=run, actor=staff)


def fill(service, n: int) -> None:
    """``n`` recorded cases of the service's active version, by COPY."""
    from django.db import connection
    from django.utils import timezone

    from humaine.human_ai import synthetic

    started = time.perf_counter()
    version = service.active_version
    persons = list(version.run.result["persons"])
    features = list(version.run.result["features"])
    pool = synthetic.make("insurance", 5000, seed=21)[features]
    inputs = [json.dumps(r, ensure_ascii=False) for r in json.loads(pool.to_json(orient="records"))]
    rng = random.Random(7)
    now = timezone.now()
    span = 25 * 24 * 3600
    columns = (
        "service_id, version_id, reference, inputs, ai_decision, ai_confidence, person, audit, "
        "explanation, decision, decided_by, decided_at, outcome, outcome_at, created_at"
    )
    statement = f"COPY human_ai_servicecase ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for i in range(n):
            when = now - datetime.timedelta(seconds=rng.random() * span)
            ai = "ja" if rng.random() < 0.6 else "nein"
            other = "nein" if ai == "ja" else "ja"
            person = rng.choice(persons) if rng.random() < 0.30 else ""
            audit = bool(person) and rng.random() < 0.05 / 0.30
            if person and not audit:
                decided = rng.random() < 0.8
                decision = (ai if rng.random() < 0.85 else other) if decided else ""
                decided_by = person if decided else ""
            else:
                decision, decided_by = ai, "ai"
            outcome = (ai if rng.random() < 0.9 else other) if rng.random() < 0.4 else ""
            copy.write_row(
                (
                    service.pk,
                    version.pk,
                    f"B-{i}",
                    inputs[i % len(inputs)],
                    ai,
                    round(0.5 + rng.random() / 2, 4),
                    person,
                    audit,
                    "{}",
                    decision,
                    decided_by,
                    when if decision else None,
                    outcome,
                    when if outcome else None,
                    when,
                )
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE human_ai_servicecase")
    print(f"filled {n} cases in {time.perf_counter() - started:.0f} s", flush=True)


def cold(service_pk: int, repeats: int = 3) -> dict:
    """The monitoring counted with nothing stored: seconds and queries of each part."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from humaine.human_ai import (
        monitoring,
        monitoring_drift,
        monitoring_fairness,
        monitoring_store,
    )
    from humaine.human_ai.models import MonitoringSnapshot, Service

    service = Service.objects.get(pk=service_pk)
    version = service.active_version
    since = monitoring.window_start(30)
    parts = {
        "figures (aggregates)": lambda: monitoring.figures_of(version, since),
        "drift (latest 5,000)": lambda: monitoring_drift.drift_of(version, since),
        "fairness by group": lambda: monitoring_fairness.fairness_of(version, since),
        "all, counted and stored": lambda: monitoring_store.count(version, 30),
    }
    out = {}
    for name, part in parts.items():
        times, queries = [], 0
        for _ in range(repeats):
            MonitoringSnapshot.objects.filter(version=version).delete()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                part()
                times.append(time.perf_counter() - started)
            queries = len(captured)
        out[name] = {"ms": round(statistics.median(times) * 1000, 1), "queries": queries}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_human_ai_monitoring",
        ),
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batch", type=int, default=20, help="cases per posted batch")
    parser.add_argument("--delay", type=int, default=5, help="least seconds between recounts")
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()

    def prepare() -> dict:
        service_pk = setup(args.cases, args.refill)
        return {"service": service_pk, "counted": cold(service_pk)}

    with served_hub(
        args.database_url,
        port=PORT,
        workers=args.workers,
        fresh=False,  # filled once, reused by later runs (--refill fills again)
        setup=prepare,
        data_dir=DATA_DIR,
        env={"HUMAN_AI_MONITORING_DELAY_SECONDS": str(args.delay)},
    ) as hub:
        args.api_port = hub.port_for("/api/v1/services/")
        from humaine.human_ai import deployment
        from humaine.human_ai.models import MonitoringSnapshot, OutcomeCount, Service

        service = Service.objects.get(pk=hub.state["service"])
        page = service.get_absolute_url()
        _token, key = deployment.issue_token(
            service, name=f"bench {time.time():.0f}", actor=service.created_by
        )
        cookie = triage_load.log_in()
        MonitoringSnapshot.objects.filter(version=service.active_version).delete()
        OutcomeCount.objects.filter(service=service).delete()
        first = first_view(cookie, page)
        paths = {"trivial view (/healthz)": "/healthz", "service page (30 days)": page}
        triage_load.load(paths, cookie, 2, 3)  # warm every worker
        timings = triage_load.load(paths, cookie, args.clients, args.seconds)
        traffic = under_traffic(service, page, paths, cookie, key, args)
    counted = hub.state["counted"]
    report(args, counted, first, timings, traffic)


def first_view(cookie: str, page: str) -> dict:
    """The service page with nothing stored: it counts nothing, says the figures and the
    cases with an outcome are being counted and queues the job; the job worker counts them.
    The page's time, and the seconds until a reload shows both."""
    client = triage_load.Client(cookie)
    started = time.perf_counter()
    status, body, elapsed = client.get(page)
    pending = (b'id="monitoring-pending"', b'id="rebuild-pending"')
    if status != 200 or not all(mark in body for mark in pending):
        raise SystemExit(f"first service page: {status}, no 'being counted' state")
    while True:
        time.sleep(0.2)
        status, body, _elapsed = client.get(page)
        if status != 200:
            raise SystemExit(f"service page: {status}")
        if not any(mark in body for mark in pending):
            break
        if time.perf_counter() - started > 600:
            raise SystemExit("the figures were not counted within 10 minutes")
    return {"page": elapsed, "shown_after": time.perf_counter() - started}


def under_traffic(service, page: str, paths: dict, cookie: str, key: str, args) -> dict:
    """The page and /healthz measured while one more client posts cases without pause."""
    import http.client

    from humaine.human_ai import synthetic
    from humaine.human_ai.models import MonitoringSnapshot, ServiceCase

    version = service.active_version
    features = list(version.run.result["features"])
    pool = json.loads(
        synthetic.make("insurance", 2000, seed=33)[features].to_json(orient="records")
    )
    posted: list[int] = []
    post_times: list[float] = []
    errors: list[str] = []
    deadline = float("inf")

    def poster(batches: float = float("inf")) -> None:
        # the proxy sends the service API to its own pool (docs/operations.md)
        connection = http.client.HTTPConnection("127.0.0.1", args.api_port, timeout=120)
        n = 0
        while time.perf_counter() < deadline and n < batches * args.batch:
            cases = [
                {"id": f"T-{time.time_ns()}-{i}", "data": pool[(n + i) % len(pool)]}
                for i in range(args.batch)
            ]
            n += args.batch
            response, _data, seconds = exchange(
                connection,
                "POST",
                f"/api/v1/services/{service.pk}/cases",
                body=json.dumps({"cases": cases}),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {key}",
                    "Idempotency-Key": f"bench-{time.time_ns()}",
                },
            )
            post_times.append(seconds)
            if response.status != 200:
                errors.append(f"post: {response.status}")
                return
            posted.append(len(cases))

    # warm up: every API worker loads the team once (the first batch it routes)
    for _ in range(4):
        poster(1)
    if errors:
        raise SystemExit(f"errors warming up: {errors[:5]}")
    posted.clear()
    post_times.clear()
    before = MonitoringSnapshot.objects.get(version=version, days=30)
    recounts: set = {before.counted_at}
    deadline = time.perf_counter() + args.seconds

    def watcher() -> None:  # how often the job stored newly counted figures
        from django.db import connection

        while time.perf_counter() < deadline:
            found = MonitoringSnapshot.objects.filter(version=version, days=30).first()
            if found is not None:
                recounts.add(found.counted_at)
            time.sleep(0.5)
        connection.close()

    timings: dict[str, list[float]] = {name: [] for name in paths}
    stale = [0, 0]
    names = list(paths)

    def reader(offset: int) -> None:
        client = triage_load.Client(cookie)
        i = offset
        while time.perf_counter() < deadline:
            name = names[i % len(names)]
            i += 1
            status, body, elapsed = client.get(paths[name])
            if status != 200:
                errors.append(f"{name}: {status}")
            timings[name].append(elapsed)
            if paths[name] == page:
                stale[0] += 1
                stale[1] += b'id="monitoring-stale"' in body

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(args.clients)]
    threads += [threading.Thread(target=poster), threading.Thread(target=watcher)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"errors under traffic: {errors[:5]}")
    time.sleep(1)
    after = MonitoringSnapshot.objects.get(version=version, days=30)
    cases_now = ServiceCase.objects.filter(version=version).count()
    return {
        "timings": timings,
        "posted": sum(posted),
        "post_p50": statistics.median(post_times) if post_times else 0.0,
        "stale_views": stale[1],
        "page_views": stale[0],
        "recounts": len(recounts - {before.counted_at}),
        "lag": cases_now - after.figures["n_cases"],
    }


def _table(timings: dict) -> None:
    trivial = percentile(timings["trivial view (/healthz)"], 0.95)
    print(f"{'endpoint':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95/healthz':>13}")
    for name, values in timings.items():
        p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        print(f"{name:<28}{len(values):>9}{p50:>9.1f}{p95:>9.1f}{p95 / (trivial * 1000):>12.2f}x")


def report(args, counted: dict, first: float, timings: dict, traffic: dict) -> None:
    print(
        f"\n{args.cases:,} recorded cases, PostgreSQL, {args.workers} gunicorn workers (gthread), "
        f"{args.clients} clients, {args.seconds:.0f} s\n"
    )
    print("counted with nothing stored (median of 3, in this process):")
    for name, row in counted.items():
        print(f"  {name:<24}{row['ms']:>10.1f} ms{row['queries']:>5} queries")
    print(
        f"  first service page over HTTP, nothing stored: {first['page'] * 1000:.1f} ms "
        f"(counts nothing, queues the count); figures and the cases with an outcome shown "
        f"{first['shown_after']:.1f} s later "
        f"(the job worker counted them; the page polled every 0.2 s)\n"
    )
    _table(timings)
    print(
        f"\nunder traffic: one client posting batches of {args.batch} cases "
        f"(recount at most every {args.delay} s)"
    )
    _table(traffic["timings"])
    print(
        f"  cases posted {traffic['posted']} (p50 per batch {traffic['post_p50'] * 1000:.1f} ms); "
        f"page views saying newer cases are being counted {traffic['stale_views']} of "
        f"{traffic['page_views']}; figures counted again {traffic['recounts']} times; "
        f"the stored figures lag {traffic['lag']} cases behind at the end"
    )


if __name__ == "__main__":
    main()
