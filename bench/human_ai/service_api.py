"""A deployed human-AI team under load: ``POST /api/v1/services/{id}/cases`` (issue 12).

Makes a fresh PostgreSQL database, builds a team from a generated insurance data set
(:mod:`humaine.human_ai.synthetic`, persons as pseudonyms, exactly as a run's job builds
it), deploys it as a service with a machine token, serves it as docs/operations.md runs
the hub (``bench/served_hub.py``: the pages' pool of ``--workers`` gthread workers with
``--threads`` threads, the service API's pool of ``--api-workers`` sync workers, and the job
worker) and measures, in the same run:

1. **single cases under sustained concurrent load**: ``--clients`` threads for
   ``--seconds`` seconds, each alternating a ``GET /healthz`` (the pages' pool, where the
   load balancer's health check goes) and a ``POST .../cases`` of one new case (the API's
   pool, its own ``Idempotency-Key``); p50/p95/p99 of each and the case's percentiles as a
   ratio to /healthz's (goal: p99 at most 5x);
2. **batches of 1,000 cases**: ``--batches`` requests one after the other (a client's
   nightly queue), cases per second and the batch's p50.

Every answer is checked (200, one answer per case). Requests of one service take their
turns one after the other under a row lock (the capacity window is shared by every web
process), so the single-case latency under load includes the wait for that lock; the
records are written after it (docs/human_ai.md, "Services, the worklist and the records").

    python bench/human_ai/service_api.py [--clients 8] [--seconds 20] [--workers 4]
        [--threads 16] [--api-workers 4] [--api-worker-class sync] [--batches 10]
        [--train 5000] [--port 8771] [--database-url postgres://...]

``--api-workers 0`` serves the API from the pages' pool as well (the setup before the
split, for comparison).

Smoke run (small): ``--seconds 3 --batches 2 --train 1000``.

``--profile N``: no server; the same team deployed, then N single cases posted one after
the other in this process through Django's WSGI handler (DEBUG off, as gunicorn runs it),
and the processor time per case printed (median of ``--repeat`` rounds, each round's
figure too), with ``--cprofile`` the functions that took the most of it. The processor time
of a routed case is what the ratio under load depends on (eight clients without pause: the
cases' latency is their queue).
"""

import argparse
import http.client
import itertools
import json
import os
import shutil
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
    from humaine.human_ai import fitting, pseudonyms, services, synthetic
    from humaine.human_ai.tests.factories import make_finished_run

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
        return make_finished_run(
            scenario, folder / "out", result, title="Bench", persons=names.values()
        )


class Client:
    def __init__(self, token: str = "", port: int | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port or PORT, timeout=120)
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
        anonymous, client = Client(), Client(state["key"], state["api_port"])
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
    client = Client(state["key"], state["api_port"])
    return [
        post_cases(client, state["service"], cases_of(state["inputs"], 5_000_000 + b * size, size))
        for b in range(n)
    ]


def main() -> None:
    global PORT
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
    parser.add_argument(
        "--threads", type=int, default=16, help="gunicorn threads per worker of the pages' pool"
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=4,
        help="workers of the service API's pool (0: the pages' pool serves the API too)",
    )
    parser.add_argument("--api-worker-class", default="sync", help="sync or gthread")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--train", type=int, default=5000)
    parser.add_argument("--port", type=int, default=PORT, help="the pages' pool (API: +100)")
    parser.add_argument(
        "--profile", type=int, default=0, help="N: no server, N single cases in process"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds of --profile")
    parser.add_argument(
        "--cprofile", type=int, default=0, help="with --profile: show this many functions"
    )
    args = parser.parse_args()
    PORT = args.port
    args.loadavg = Path("/proc/loadavg").read_text().split()[:3]
    if args.profile:
        profile(args)
        return
    with served_hub(
        args.database_url,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        api_workers=args.api_workers,
        api_worker_class=args.api_worker_class,
        setup=lambda: setup(args.train),
    ) as hub:
        state = hub.state | {"api_port": hub.port_for("/api/v1/services/")}
        # every worker loads the team on its first case
        warm = [threading.Thread(target=sustained, args=(state, 1, 2)) for _ in range(4)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        server = hub.extra.get("api_server") or hub.server
        before = cpu_seconds(server.pid)
        timings = sustained(state, args.clients, args.seconds)
        args.cpu = cpu_seconds(server.pid) - before
        batch = batches(state, args.batches)
    report(timings, batch, args)


def profile(args) -> None:
    """``--profile``: processor time per routed case in this process, no server."""
    import cProfile
    import io
    import pstats

    from served_hub import _environment, _setup_django, make_database

    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    environment = _environment(args.database_url, folder, {})
    make_database(args.database_url, fresh=True)
    os.environ["DEBUG"] = "0"  # as gunicorn runs it: no query log
    _setup_django(environment)
    state = setup(args.train)
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    counter = itertools.count(1_000_000)

    def post_one() -> None:
        n = next(counter)
        body = json.dumps(cases_of(state["inputs"], n, 1)[0]).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/api/v1/services/{state['service']}/cases",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8771",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {state['key']}",
            "HTTP_IDEMPOTENCY_KEY": f"profile-{os.getpid()}-{n}",
            "HTTP_ACCEPT_LANGUAGE": "de",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status = []
        chunks = handler(environ, lambda s, h, *_: status.append(s))
        data = b"".join(chunks)
        if not status[0].startswith("200") or len(json.loads(data)["cases"]) != 1:
            raise RuntimeError(f"POST cases: {status[0]} {data[:300]!r}")

    for _ in range(20):  # the team loaded, caches warm
        post_one()
    rounds = []
    for _ in range(args.repeat):
        started = time.process_time()
        for _ in range(args.profile):
            post_one()
        rounds.append((time.process_time() - started) / args.profile)
    figures = ", ".join(f"{r * 1000:.1f}" for r in rounds)
    print(
        f"\nprocessor time per routed case (in process, {args.profile} single cases, "
        f"{args.repeat} rounds, load average before {args.loadavg}): "
        f"median {statistics.median(rounds) * 1000:.1f} ms ({figures})"
    )
    if args.cprofile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.profile):
            post_one()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.cprofile)
        print(out.getvalue())
    shutil.rmtree(folder, ignore_errors=True)


def cpu_seconds(parent: int) -> float:
    """Processor time the gunicorn pool (its master and workers) has used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    total = 0.0
    for pid in [parent, *map(int, children)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def report(timings: dict, batch: list[float], args) -> None:
    pools = f"pages' pool {args.workers} gthread workers x {args.threads} threads"
    if args.api_workers:
        threads = "" if args.api_worker_class == "sync" else f" x {args.threads} threads"
        pools += f", API's pool {args.api_workers} {args.api_worker_class} workers{threads}"
    else:
        pools += " (serving the API too)"
    print(
        f"\nPostgreSQL, {pools}, a team of {args.train} training cases (combine, text "
        f"feature), {args.clients} clients for {args.seconds:.0f} s, load average before "
        f"{args.loadavg}\n"
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
    cases = len(timings["POST one case"])
    pool = "the API's pool" if args.api_workers else "gunicorn (with /healthz)"
    print(f"\nprocessor time of {pool} per routed case: {args.cpu / cases * 1000:.1f} ms")
    print(f"\ngoal p99(one case) <= 5x p99(/healthz): {'met' if ratio <= 5 else 'NOT met'}")
    total = sum(batch)
    print(
        f"\nbatches of 1,000 cases, {len(batch)} one after the other: "
        f"{1000 * len(batch) / total:,.0f} cases/s "
        f"(batch p50 {statistics.median(batch):.2f} s, max {max(batch):.2f} s)"
    )


if __name__ == "__main__":
    main()
