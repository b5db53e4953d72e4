"""Survey results and answer submission on PostgreSQL under concurrent load (issue 11).

Fills a separate database with 500 scenarios, 200 stakeholder groups and 50,000 survey
responses (the largest scenario holds 20,000 of them in two closed waves over 12 groups),
serves it with gunicorn (``bench/served_hub.py``: gthread workers, the job worker; the
database is filled once and reused), logs in as staff and measures, in the same run and
under the same concurrent load, the latency of

* the largest scenario's results page,
* answer submissions (each a fresh one-time link: GET the page, then the timed POST),
* a trivial view (/healthz),

and prints p50/p95 and each p95 as a ratio to /healthz (goal: at most 5x). It also counts
the results page's database queries for a survey with ~100 responses and for the one with
20,000, with a cold cache (computed) and a warm one (the numbers of closed waves are
cached): the count must not grow with the number of responses.

    python bench/scenarios/load.py [--clients 8] [--seconds 20] [--workers 4]
        [--database-url postgres://...]
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
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "hub"))
sys.path.insert(0, str(ROOT / "bench"))
PORT = 8767
SCALES = ["trust", "workload", "agency", "skills"]

from served_hub import exchange, served_hub  # noqa: E402
from triage_load import percentile  # noqa: E402


def setup(links: int) -> dict:
    """Fill the (migrated) database once (a later run reuses it); fresh answer links."""
    from humaine.scenarios.models import Response, Scenario

    if not Scenario.objects.filter(title="Bench: largest scenario").exists():
        fill()
    print(f"{Response.objects.count()} responses in the database", flush=True)
    largest = Scenario.objects.get(title="Bench: largest scenario")
    return {"largest": largest.pk, "tokens": fresh_links(largest, links)}


def _answers(rng, items: dict, library, level: float) -> dict:
    answers = {}
    for scale, ids in items.items():
        response = library.response_of(scale)
        for item_id in ids:
            span = (response.max - response.min) / response.step
            step = min(max(round(level * span + rng.gauss(0, span / 6)), 0), span)
            answers[item_id] = int(response.min + step * response.step)
    return answers


def fill() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from humaine.contact.models import Membership, Organisation
    from humaine.scenarios.instruments import default_library
    from humaine.scenarios.models import Response, Scenario, StakeholderGroup, Survey, Wave
    from humaine.tests.factories import make_sectors

    rng = random.Random(5)
    library = default_library()
    items = {s: [i.id for i in library.scale(s).items] for s in SCALES}
    sectors = list(make_sectors().values())
    started = time.perf_counter()
    with transaction.atomic():
        hub = Organisation.objects.create(name="Bench Hub", kind="hub")
        user = get_user_model().objects.create_user("bench0", password="bench-password-123")
        Membership.objects.create(user=user, organisation=hub, role="staff")
        companies = Organisation.objects.bulk_create(
            Organisation(name=f"Firma {i}", sector=rng.choice(sectors)) for i in range(100)
        )
        phases = ["orientation", "analysis", "design", "development", "implementation", "use"]
        scenarios = Scenario.objects.bulk_create(
            Scenario(
                title="Bench: largest scenario" if i == 0 else f"Szenario {i}",
                goal="Entlasten",
                work_process="Prozess",
                organisation=companies[i % 100],
                sector=companies[i % 100].sector,
                phase=rng.choice(phases),
            )
            for i in range(500)
        )
        groups = StakeholderGroup.objects.bulk_create(
            [
                StakeholderGroup(scenario=scenarios[0], name=f"Team {g}", headcount=2000)
                for g in range(12)
            ]
            + [
                StakeholderGroup(scenario=scenarios[i], name="Team", headcount=120)
                for i in range(1, 189)
            ]
        )
        today = timezone.localdate()
        plan = [(scenarios[0], groups[:12], 20_000)] + [
            (scenarios[i], [groups[11 + i]], 160) for i in range(1, 189)
        ]
        for scenario, its_groups, n in plan:
            survey = Survey.objects.create(scenario=scenario, title="Befragung", items=items)
            survey.groups.set(its_groups)
            base = Wave.objects.create(
                survey=survey,
                kind="baseline",
                label="Ausgang",
                opens_on=today - timedelta(100),
                closes_on=today - timedelta(90),
                closed_at=timezone.now(),
            )
            follow = Wave.objects.create(
                survey=survey,
                kind="follow_up",
                label="Folge",
                opens_on=today - timedelta(20),
                closes_on=today - timedelta(10),
                closed_at=timezone.now(),
            )
            rows = []
            for wave, level in ((base, 0.45), (follow, 0.6)):
                for k in range(n // 2):
                    code = f"{(hash((survey.pk, k)) & (2**256 - 1)):064x}" if k % 2 else ""
                    rows.append(
                        Response(
                            wave=wave,
                            group=its_groups[k % len(its_groups)],
                            answered_on=wave.opens_on,
                            code_hash=code,
                            answers=_answers(rng, items, library, level),
                        )
                    )
            Response.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)


def fresh_links(scenario, n: int) -> list[str]:
    """An open wave in the largest scenario with ``n`` one-time links to answer."""
    from django.utils import timezone

    from humaine.scenarios import services
    from humaine.scenarios.models import Survey

    survey = Survey.objects.create(
        scenario=scenario, title="Offen", items=Survey.objects.filter(scenario=scenario)[0].items
    )
    group = scenario.groups.first()
    survey.groups.set([group])
    today = timezone.localdate()
    wave = services.schedule_wave(
        survey,
        kind="baseline",
        label="Offen",
        opens_on=today,
        closes_on=today + timedelta(7),
        actor=None,
    )
    issued = []
    while len(issued) < n:
        issued += services.issue_invitations(
            wave, group, count=min(1000, n - len(issued)), actor=None
        )
    return [i.token for i in issued]


def query_counts(largest_pk: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from humaine.scenarios.models import Survey

    client = Client()
    client.login(username="bench0", password="bench-password-123")
    small = Survey.objects.exclude(scenario_id=largest_pk).order_by("pk").first()
    big = Survey.objects.filter(scenario_id=largest_pk, title="Befragung").get()
    out = {}
    for label, survey in (("~100 responses", small), ("20,000 responses", big)):
        url = f"/scenarios/{survey.scenario_id}/surveys/{survey.pk}/results/"
        for state in ("cold", "warm"):
            if state == "cold":
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                status = client.get(url, HTTP_HOST="127.0.0.1").status_code
                elapsed = time.perf_counter() - started
            assert status == 200, status
            out[f"{label}, {state}"] = {"queries": len(queries), "ms": round(elapsed * 1000, 1)}
    return out


class Client:
    def __init__(self, cookie: str = "", timeout: float = 60):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
        self.cookie = cookie

    def request(self, method, path, body=None, headers=None):
        headers = {"Cookie": self.cookie, **(headers or {})}
        response, data, seconds = exchange(self.connection, method, path, body, headers)
        return response.status, data, seconds, response


def log_in() -> str:
    # the password hash runs at low priority (LOW_PRIORITY_NICE): slow on a busy machine
    client = Client(timeout=300)
    status, page, _t, response = client.request("GET", "/accounts/login/")
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urlencode(
        {"username": "bench0", "password": "bench-password-123", "csrfmiddlewaretoken": token}
    )
    status, _b, _t, response = client.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
    )
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if status != 302 or not session:
        raise SystemExit(f"login failed: {status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf}"


def answer_once(client: Client, token: str, rng) -> float:
    """GET the answer page (untimed), then POST answers; returns the POST's latency."""
    path = f"/s/{token}/"
    status, page, _t, response = client.request("GET", path, headers={"Cookie": ""})
    if status != 200:
        raise RuntimeError(f"answer page {status}")
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    fields = {"csrfmiddlewaretoken": form}
    for name in set(re.findall(rb'name="(item_[^"]+)"', page)):
        name = name.decode()
        fields[name] = str(rng.choice([1, 2, 3, 4, 5] if "TLX" not in name else [30, 50, 70]))
    status, _b, elapsed, _r = client.request(
        "POST",
        path,
        urlencode(fields),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{PORT}{path}",
        },
    )
    if status != 302:
        raise RuntimeError(f"answer POST {status}")
    return elapsed


def load(paths: dict, cookie: str, tokens: list, clients: int, seconds: float) -> dict:
    timings = {name: [] for name in [*paths, "answer submission (POST)"]}
    errors, lock = [], threading.Lock()
    deadline = time.perf_counter() + seconds
    kinds = [*paths, "answer submission (POST)"]

    def worker(offset: int) -> None:
        rng = random.Random(offset)
        client, anonymous = Client(cookie), Client()
        i = offset
        while time.perf_counter() < deadline:
            kind = kinds[i % len(kinds)]
            i += 1
            try:
                if kind in paths:
                    status, _b, elapsed, _r = client.request("GET", paths[kind])
                    if status != 200:
                        raise RuntimeError(f"{kind}: {status}")
                else:
                    with lock:
                        if not tokens:
                            continue
                        token = tokens.pop()
                    elapsed = answer_once(anonymous, token, rng)
                timings[kind].append(elapsed)
            except Exception as exc:  # noqa: BLE001 - reported after the run
                errors.append(str(exc))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors under load, e.g. {errors[:3]}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_scenarios",
        ),
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with served_hub(
        args.database_url,
        port=PORT,
        workers=args.workers,
        fresh=False,  # filled once, reused by later runs
        setup=lambda: setup(links=3500),
    ) as hub:
        state = hub.state
        counts = query_counts(state["largest"])
        cookie = log_in()
        from humaine.scenarios.models import Survey

        big = Survey.objects.get(scenario_id=state["largest"], title="Befragung")
        results = f"/scenarios/{big.scenario_id}/surveys/{big.pk}/results/"
        paths = {"trivial view (/healthz)": "/healthz", "results page, largest scenario": results}
        tokens = state["tokens"]
        load(paths, cookie, tokens[:100], 2, 3)  # warm every worker
        timings = load(paths, cookie, tokens[100:], args.clients, args.seconds)
    report(timings, counts, args)


def report(timings: dict, counts: dict, args) -> None:
    trivial = percentile(timings["trivial view (/healthz)"], 0.95)
    print(
        f"\n500 scenarios, 200 stakeholder groups, 50,000 responses, PostgreSQL, "
        f"{args.workers} gunicorn workers (gthread), {args.clients} clients, {args.seconds:.0f} s\n"
    )
    print(f"{'endpoint':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p95/healthz':>13}")
    rows = []
    for name, values in timings.items():
        p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        ratio = p95 / (trivial * 1000)
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "p95_ratio": round(ratio, 2),
            }
        )
        print(f"{name:<34}{len(values):>9}{p50:>9.1f}{p95:>9.1f}{ratio:>13.2f}")
    print("\nresults page, database queries (and time in one process):")
    for label, value in counts.items():
        print(f"  {label:<28}{value['queries']:>4} queries {value['ms']:>9.1f} ms")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scenarios_load.json").write_text(
        json.dumps({"load": rows, "queries": counts}, indent=2)
    )


if __name__ == "__main__":
    main()
