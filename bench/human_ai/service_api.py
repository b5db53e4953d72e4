"""A deployed human-AI team under load: ``POST /api/v1/services/{id}/cases`` (issue 12).

Makes a fresh PostgreSQL database, builds a team from a generated insurance data set
(:mod:`humaine.human_ai.synthetic`, persons as pseudonyms, exactly as a run's job builds
it), deploys it as a service with a machine token, serves it with gunicorn
(``bench/served_hub.py``: ``--workers`` gthread workers with ``--threads`` threads, as
docs/operations.md runs it, and the job worker) and measures, in the same run:

1. **single cases under sustained concurrent load**: ``--clients`` threads for
   ``--seconds`` seconds, each alternating a ``GET /healthz`` and a ``POST .../cases`` of
   one new case (its own ``Idempotency-Key``); p50/p95/p99 of each and the case's
   percentiles as a ratio to /healthz's (goal: p99 at most 5x);
2. **batches of 1,000 cases**: ``--batches`` requests one after the other (a client's
   nightly queue), cases per second and the batch's p50.

Every answer is checked (200, one answer per case). Requests of one service are routed one
after the other under a row lock (the capacity window is shared by every web process), so
the single-case latency under load includes the wait for that lock.

    python bench/human_ai/service_api.py [--clients 8] [--seconds 20] [--workers 4]
        [--threads 16] [--batches 10] [--train 5000] [--database-url postgres://...]

Smoke run (small): ``--seconds 3 --batches 2 --train 1000``.
"""

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "hub"))
sys.path.insert(0, str(ROOT / "bench"))
PORT = 8771

from served_hub import exchange, served_hub  # noqa: E402
from triage_load import percentile  # noqa: E402

SECTOR = "insurance"


def setup(train: int) -> dict:
    """Build and deploy the team (the database is migrated); the service's id, token and
    new cases' inputs."""
    from django.contrib.auth import get_user_model

    from humaine.contact.models import Membership, Organisation
    from humaine.human_ai import deployment, routing_api, synthetic
    from humaine.scenarios import services as scenario_services
    from humaine.tests.factories import make_sectors

    staff = get_user_model().objects.create_user("bench0", password="bench-password-123")
    hub = Organisation.objects.create(name="Bench Hub", kind="hub")
    Membership.objects.create(user=staff, organisation=hub, role="staff")
    sectors = make_sectors()
    company = Organisation.objects.create(name="Versicherung", sector=sectors[SECTOR])
    scenario = scenario_services.start_scenario(
        actor=staff,
        title="Bench: Kfz-Schäden",
        goal="Entlasten",
        work_process="Schadenprüfung",
        organisation=company,
        sector=sectors[SECTOR],
    )
    started = time.perf_counter()
    run = build_run(scenario, train)
    print(f"team built in {time.perf_counter() - started:.1f} s ({train} cases)", flush=True)
    service = deployment.create_service(scenario, title="Bench", run=run, actor=staff)
    _token, key = deployment.issue_token(service, name="bench client", actor=staff)
    team = routing_api.team_of(run)
    schema = routing_api.schema_of(team)
    fresh = synthetic.make(SECTOR, 20_000, seed=77)
    inputs = [
        {column: routing_api.plain(row[column]) for column in schema.columns}
        for row in fresh.to_dict("records")
    ]
    return {"service": service.pk, "key": key, "inputs": inputs}


def build_run(scenario, train: int):
    """A finished run whose outputs are a team built as the run's job builds it."""
    import dataclasses

    from django.core.files import File

    from humaine.human_ai import fitting, pseudonyms, services, synthetic
    from humaine.human_ai.models import DataSet, Run
    from humaine.scenarios.storage import private_storage

    spec = synthetic.SPECS[SECTOR]
    key = bytes(services.scenario_key(scenario).key)
    persons = list(synthetic.PERSONS[SECTOR])
    names = {p: pseudonyms.pseudonym(key, p) for p in persons}
    frame = synthetic.make(SECTOR, train, seed=7).rename(columns=names)
    features = ["schadenart", "schadenhoehe", "fahrzeugalter", "altersgruppe", "vorschaeden"]
    with tempfile.TemporaryDirectory(prefix="bench-team-") as folder:
        folder = Path(folder)
        frame.to_parquet(folder / "cases.parquet")
        result = fitting.build(
            fitting.BuildSpec(
                cases=str(folder / "cases.parquet"),
                out=str(folder / "out"),
                load={
                    "target": spec.target,
                    "id": spec.id,
                    "features": [*features, spec.text],
                    "text_features": [spec.text],
                    "humans": list(names.values()),
                    "groups": [spec.group],
                    "min_person_cases": 5,
                },
                team={"method": "combine", "capacity": 0.3, "audit": 0.05},
                n_bootstrap=5,
            )
        )
        dataset = DataSet.objects.create(
            scenario=scenario,
            title="Bench",
            cases_name="bench.csv",
            cases_kind="csv",
            cases_sha256="0" * 64,
            status=DataSet.Status.READY,
            persons=list(names.values()),
        )
        run = Run.objects.create(
            scenario=scenario,
            dataset=dataset,
            method="combine",
            status=Run.Status.DONE,
            result=dataclasses.asdict(result),
            evaluation=json.loads((folder / "out" / "evaluation.json").read_text()),
        )
        files = []
        for path in sorted(p for p in (folder / "out").rglob("*") if p.is_file()):
            relative = path.relative_to(folder / "out").as_posix()
            with open(path, "rb") as handle:
                private_storage().save(f"{run.storage_prefix}/{relative}", File(handle))
            files.append(relative)
    run.files = files
    run.save(update_fields=["files"])
    return run


class Client:
    def __init__(self, token: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        self.token = token

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response, data, seconds = exchange(self.connection, method, path, body, headers)
        return response.status, data, seconds


_KEYS = itertools.count()


def post_cases(client: Client, service: int, cases: list[dict]) -> float:
    body = json.dumps(cases[0] if len(cases) == 1 else {"cases": cases}).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": f"bench-{os.getpid()}-{next(_KEYS)}",
        "Accept-Language": "de",
    }
    status, data, elapsed = client.request(
        "POST", f"/api/v1/services/{service}/cases", body, headers
    )
    if status != 200:
        raise RuntimeError(f"POST cases: {status} {data[:300]!r}")
    if len(json.loads(data)["cases"]) != len(cases):
        raise RuntimeError("an answer is missing")
    return elapsed


def cases_of(inputs: list[dict], start: int, n: int) -> list[dict]:
    return [{"id": f"B-{start + i}", "data": inputs[(start + i) % len(inputs)]} for i in range(n)]


def sustained(state: dict, clients: int, seconds: float) -> dict:
    timings = {"GET /healthz": [], "POST one case": []}
    errors = []
    deadline = time.perf_counter() + seconds
    counter = itertools.count(1_000_000)

    def worker() -> None:
        anonymous, client = Client(), Client(state["key"])
        while time.perf_counter() < deadline:
            try:
                status, _b, elapsed = anonymous.request("GET", "/healthz")
                if status != 200:
                    raise RuntimeError(f"healthz {status}")
                timings["GET /healthz"].append(elapsed)
                n = next(counter)
                timings["POST one case"].append(
                    post_cases(client, state["service"], cases_of(state["inputs"], n, 1))
                )
            except Exception as exc:  # noqa: BLE001 - reported after the run
                errors.append(str(exc))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors under load, e.g. {errors[:3]}")
    return timings


def batches(state: dict, n: int, size: int = 1000) -> list[float]:
    client = Client(state["key"])
    return [
        post_cases(client, state["service"], cases_of(state["inputs"], 5_000_000 + b * size, size))
        for b in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_human_ai",
        ),
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=16, help="gunicorn threads per worker")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--train", type=int, default=5000)
    args = parser.parse_args()
    with served_hub(
        args.database_url,
        port=PORT,
        workers=args.workers,
        threads=args.threads,
        setup=lambda: setup(args.train),
    ) as hub:
        state = hub.state
        # every worker loads the team on its first case
        warm = [threading.Thread(target=sustained, args=(state, 1, 2)) for _ in range(4)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        timings = sustained(state, args.clients, args.seconds)
        batch = batches(state, args.batches)
    report(timings, batch, args)


def report(timings: dict, batch: list[float], args) -> None:
    print(
        f"\nPostgreSQL, {args.workers} gunicorn workers x {args.threads} threads, a team of "
        f"{args.train} training cases (combine, text feature), {args.clients} clients for "
        f"{args.seconds:.0f} s\n"
    )
    base = {q: percentile(timings["GET /healthz"], q) for q in (0.5, 0.95, 0.99)}
    print(f"{'request':<18}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p99/healthz':>13}")
    for name, values in timings.items():
        p = {q: percentile(values, q) for q in (0.5, 0.95, 0.99)}
        print(
            f"{name:<18}{len(values):>7}{p[0.5] * 1000:>9.1f}{p[0.95] * 1000:>9.1f}"
            f"{p[0.99] * 1000:>9.1f}{p[0.99] / base[0.99]:>12.1f}x"
        )
    ratio = percentile(timings["POST one case"], 0.99) / base[0.99]
    print(f"\ngoal p99(one case) <= 5x p99(/healthz): {'met' if ratio <= 5 else 'NOT met'}")
    total = sum(batch)
    print(
        f"\nbatches of 1,000 cases, {len(batch)} one after the other: "
        f"{1000 * len(batch) / total:,.0f} cases/s "
        f"(batch p50 {statistics.median(batch):.2f} s, max {max(batch):.2f} s)"
    )


if __name__ == "__main__":
    main()
