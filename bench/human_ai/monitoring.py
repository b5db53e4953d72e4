"""The monitoring page of a team service with 1,000,000 recorded cases, on PostgreSQL.

Fills a separate database with one deployed team service (a team built from the synthetic
claims data, persons as pseudonyms, the age group mapped for fairness) and ``--cases``
recorded cases over the last 25 days (COPY: inputs from the claims distribution, 30 % to a
person, 5 % audits, 80 % of a person's cases decided, 40 % with an outcome). Then, in the
same run:

* in this process, with an empty cache: the time to count the window's figures, drift and
  fairness once (what the first request after a change pays) and its number of queries;
* the first service page over HTTP after the cache was emptied;
* under load from ``--clients`` clients against gunicorn: the service page (the default
  30-day window; its figures come from the cache until a case changes, then are counted
  again, as in the first figure) next to a trivial view (/healthz) served by the same
  server; p50/p95 and each p95 as a ratio to /healthz's.

    python bench/human_ai/monitoring.py [--cases 1000000] [--clients 4] [--seconds 20]
        [--workers 2] [--database-url postgres://...]

Smoke it small: ``--cases 20000 --seconds 5``. A second run reuses the filled database
(``--refill`` fills it again).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "hub"))
sys.path.insert(0, str(ROOT))

import triage_load  # noqa: E402
from triage_load import create_database, percentile  # noqa: E402

triage_load.PORT = PORT = 8769
TITLE = "Bench: monitoring"
DATA_DIR = ROOT / "var" / "bench-human-ai"


def setup(url: str, n_cases: int, refill: bool) -> int:
    os.environ["DATABASE_URL"] = url
    os.environ["HUMAINE_DATA_DIR"] = str(DATA_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humaine.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from humaine.human_ai.models import Service, ServiceCase

    call_command("migrate", verbosity=0)
    service = Service.objects.filter(title=TITLE).first()
    if service is None:
        from django.db import transaction

        with transaction.atomic():
            service = make_service()
    have = ServiceCase.objects.filter(service=service).count()
    if refill or have != n_cases:
        ServiceCase.objects.filter(service=service).delete()
        fill(service, n_cases)
    return service.pk


def make_service():
    """A scenario with a finished run (built here) deployed as a service; staff ``bench0``."""
    import dataclasses
    import tempfile

    from django.contrib.auth import get_user_model
    from django.core.files import File

    from humaine.contact.models import Membership
    from humaine.human_ai import deployment, fitting, synthetic
    from humaine.human_ai.models import DataSet, Run, ScenarioKey
    from humaine.human_ai.pseudonyms import new_key
    from humaine.scenarios import services as scenario_services
    from humaine.scenarios.storage import private_storage
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
    ScenarioKey.objects.get_or_create(scenario=scenario, defaults={"key": new_key()})
    persons = [f"P-00000000000{i}" for i in range(5)]
    features = ["schadenart", "fahrzeugalter", "altersgruppe", "vorschaeden"]
    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    frame = synthetic.make("insurance", 600, seed=3)
    frame = frame.rename(columns=dict(zip(synthetic.PERSONS["insurance"], persons)))
    frame.to_parquet(folder / "cases.parquet")
    result = fitting.build(
        fitting.BuildSpec(
            cases=str(folder / "cases.parquet"),
            out=str(folder / "out"),
            load={
                "target": "berechtigt",
                "id": "fall_nr",
                "features": features,
                "humans": persons,
                "min_person_cases": 5,
            },
            team={"method": "combine", "capacity": 0.3, "audit": 0.05},
            n_bootstrap=5,
        )
    )
    dataset = DataSet.objects.create(
        scenario=scenario,
        title="Schäden (Bench)",
        cases_name="faelle.csv",
        cases_kind="csv",
        cases_sha256="0" * 64,
        status=DataSet.Status.READY,
        persons=persons,
        mapping={"target": "berechtigt", "features": features, "groups": ["altersgruppe"]},
    )
    out = folder / "out"
    run = Run.objects.create(
        scenario=scenario,
        dataset=dataset,
        method="combine",
        status=Run.Status.DONE,
        result=dataclasses.asdict(result),
        evaluation=json.loads((out / "evaluation.json").read_text()),
    )
    files = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        with open(path, "rb") as handle:
            private_storage().save(f"{run.storage_prefix}/{relative}", File(handle))
        files.append(relative)
    run.files = files
    run.save(update_fields=["files"])
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
    """The monitoring counted with an empty cache: seconds and queries of each part."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from humaine.human_ai import (
        monitoring,
        monitoring_alerts,
        monitoring_drift,
        monitoring_fairness,
    )
    from humaine.human_ai.models import Service

    service = Service.objects.get(pk=service_pk)
    version = service.active_version
    since = monitoring.window_start(30)
    parts = {
        "figures (aggregates)": lambda: monitoring.figures_of(version, since),
        "drift (latest 5,000)": lambda: monitoring_drift.drift_of(version, since),
        "fairness by group": lambda: monitoring_fairness.fairness_of(version, since),
        "all, as the page": lambda: monitoring_alerts.current(service, version, 30),
    }
    out = {}
    for name, part in parts.items():
        times, queries = [], 0
        for _ in range(repeats):
            cache.clear()
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
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_human_ai",
        ),
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    create_database(args.database_url)
    service_pk = setup(args.database_url, args.cases, args.refill)
    counted = cold(service_pk)
    from humaine.human_ai.models import Service

    service = Service.objects.get(pk=service_pk)
    page = service.get_absolute_url()
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HUMAINE_DATA_DIR=str(DATA_DIR),
        DEBUG="0",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_HTTPS="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "humaine.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        triage_load.wait_for_server()
        cookie = triage_load.log_in()
        from django.core.cache import cache

        cache.clear()
        first = triage_load.Client(cookie).get(page)
        if first[0] != 200:
            raise SystemExit(f"service page: {first[0]}")
        paths = {"trivial view (/healthz)": "/healthz", "service page (30 days)": page}
        triage_load.load(paths, cookie, 2, 3)  # warm every worker
        timings = triage_load.load(paths, cookie, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=20)
    report(args, counted, first[2], timings)


def report(args, counted: dict, first: float, timings: dict) -> None:
    print(
        f"\n{args.cases:,} recorded cases, PostgreSQL, {args.workers} gunicorn workers, "
        f"{args.clients} clients, {args.seconds:.0f} s\n"
    )
    print("counted with an empty cache (median of 3, in this process):")
    for name, row in counted.items():
        print(f"  {name:<24}{row['ms']:>10.1f} ms{row['queries']:>5} queries")
    print(f"  first service page over HTTP, empty cache: {first * 1000:.1f} ms\n")
    trivial = percentile(timings["trivial view (/healthz)"], 0.95)
    print(f"{'endpoint':<28}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95/healthz':>13}")
    for name, values in timings.items():
        p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        print(f"{name:<28}{len(values):>9}{p50:>9.1f}{p95:>9.1f}{p95 / (trivial * 1000):>12.2f}x")


if __name__ == "__main__":
    main()
