"""A large data set through the hub against ``teaming fit`` on the command line (issue 12).

Generates ``--rows`` insurance cases (:mod:`humaine.human_ai.synthetic`, 1,000,000 by
default) as one CSV file, then measures, one after the other on the same file:

1. **the command line**: ``teaming fit`` with the hub's settings (the same features, free
   text, groups and time column, the same method, 30 % held out and evaluated with the
   same bootstrap resamples), its wall time and the peak resident memory of its process;
2. **the hub**: gunicorn (1 gthread worker) and the job worker on a fresh PostgreSQL
   database (``bench/served_hub.py``). A staff member logs in, uploads the file as the
   browser does (multipart, streamed from disk), maps its columns (the check job reads,
   pseudonymises and checks it), then starts a run (the build job fits, evaluates, saves
   and writes the reports). Wall time of each step as the user waits for it (the worker's
   polling included), and the peak resident memory of the web process (goal: it never
   holds the upload, so far below the file's size) and of the job worker with its build
   process.

Goal: the hub's upload + check + build take at most 20 % longer than ``teaming fit``.

    python bench/human_ai/upload_run.py [--rows 1000000] [--method combine]
        [--database-url postgres://...]

Smoke run (small): ``--rows 20000``.
"""

import argparse
import contextlib
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PORT = 8772
SECTOR = "insurance"
FEATURES = ["schadenart", "schadenhoehe", "fahrzeugalter", "altersgruppe", "vorschaeden"]
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway account of a throwaway database

from served_hub import served_hub  # noqa: E402

# --------------------------------------------------------------------------- memory


class Peak:
    """The highest resident memory of processes, sampled every 0.05 s in a thread."""

    def __init__(self, find):
        self.find = find  # () -> list of psutil.Process
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for process in self.find():
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def tree(process: psutil.Process) -> list:
    with contextlib.suppress(psutil.Error):
        return [process, *process.children(recursive=True)]
    return []


def cpu(process: psutil.Process) -> float:
    """Processor seconds of ``process`` and of its children it has waited for."""
    with contextlib.suppress(psutil.Error):
        times = process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system
    return 0.0


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


# ------------------------------------------------------------------------ the data


def make_file(folder: Path, rows: int) -> Path:
    from humaine.human_ai import synthetic

    path = folder / "faelle.csv"
    synthetic.make(SECTOR, rows, seed=5).to_csv(path, index=False)
    return path


def spec():
    from humaine.human_ai import synthetic

    return synthetic.SPECS[SECTOR], list(synthetic.PERSONS[SECTOR])


# --------------------------------------------------------------------- command line


def command_line(path: Path, folder: Path, method: str, env: dict) -> dict:
    s, persons = spec()
    command = [
        sys.executable,
        "-m",
        "teaming.cli",
        "--quiet",
        "fit",
        str(path),
        "--target",
        s.target,
        "--id",
        s.id,
        "--humans",
        ",".join(persons),
        "--features",
        ",".join([*FEATURES, s.text]),
        "--text",
        s.text,
        "--groups",
        s.group,
        "--time",
        s.time,
        "--method",
        method,
        "--holdout",
        "0.3",
        "--out",
        str(folder / "cli-team"),
    ]
    before = cpu(psutil.Process())
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    watched = psutil.Process(process.pid)
    with Peak(lambda: tree(watched)) as peak:
        code = process.wait()
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"teaming fit failed ({code})")
    return {"seconds": seconds, "peak": peak.peak, "cpu": cpu(psutil.Process()) - before}


# ------------------------------------------------------------------------------ hub


def setup() -> int:
    """A staff account and a scenario to upload into (the database is migrated). The
    scenario's id."""
    from django.contrib.auth import get_user_model

    from humaine.contact.models import Membership, Organisation
    from humaine.scenarios import services as scenario_services
    from humaine.tests.factories import make_sectors

    staff = get_user_model().objects.create_user("bench0", password=PASSWORD)
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
    return scenario.pk


class Browser:
    """Just enough of a browser: cookies, CSRF tokens, forms, a streamed file upload."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def _connection(self):
        return http.client.HTTPConnection("127.0.0.1", PORT, timeout=3600)

    def _keep(self, response) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip()

    def request(self, method, path, body=None, headers=None):
        connection = self._connection()
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Referer": f"http://127.0.0.1:{PORT}{path}", **(headers or {})}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self._keep(response)
        connection.close()
        return response.status, data, response.getheader("Location") or ""

    def form_token(self, path: str) -> str:
        status, page, _ = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status}")
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def post(self, path: str, fields: list[tuple[str, str]], form_page: str = ""):
        """POST a form; its token from ``form_page`` (default: the page it posts to)."""
        fields = [("csrfmiddlewaretoken", self.form_token(form_page or path)), *fields]
        return self.request(
            "POST",
            path,
            urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def upload(self, path: str, fields: dict, name: str, file: Path):
        """POST a multipart form with ``file``, read from disk in 1 MB pieces."""
        token = self.form_token(path)
        boundary = uuid.uuid4().hex
        head = b""
        for key, value in {"csrfmiddlewaretoken": token, **fields}.items():
            head += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            ).encode()
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body():
            yield head
            with open(file, "rb") as handle:
                while piece := handle.read(1024 * 1024):
                    yield piece
            yield tail

        length = len(head) + file.stat().st_size + len(tail)
        return self.request(
            "POST",
            path,
            body(),
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
            },
        )


def log_in(browser: Browser) -> None:
    status, _b, _l = browser.post(
        "/accounts/login/", [("username", "bench0"), ("password", PASSWORD)]
    )
    if status != 302:
        raise SystemExit(f"login failed: {status}")


def wait_for(read, done: set, seconds: float = 7200) -> str:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status = read()
        if status in done:
            return status
        time.sleep(0.2)
    raise SystemExit("timed out")


def hub(path: Path, served, method: str) -> dict:
    """Upload, check and build through the served hub (``served``: its gunicorn and job
    worker, :func:`served_hub.served_hub`)."""
    from humaine.human_ai.models import DataSet, Run

    s, persons = spec()
    scenario = served.state
    master, job = psutil.Process(served.server.pid), psutil.Process(served.worker.pid)
    browser = Browser()
    log_in(browser)
    out = {}
    web_before = sum(cpu(p) for p in master.children(recursive=True))
    with (
        Peak(lambda: master.children(recursive=True)) as web,
        Peak(lambda: tree(job)) as jobs,
    ):
        base = f"/scenarios/{scenario}/teams/"
        started = time.perf_counter()
        status, page, location = browser.upload(f"{base}upload/", {"title": "Bench"}, "cases", path)
        out["upload"] = time.perf_counter() - started
        out["upload_cpu"] = sum(cpu(p) for p in master.children(recursive=True)) - web_before
        job_before = cpu(job)
        print(f"hub: uploaded in {out['upload']:.1f} s", flush=True)
        if status != 302:
            raise SystemExit(f"upload: {status} {page[:500]!r}")
        dataset = DataSet.objects.order_by("-pk").first()
        started = time.perf_counter()
        fields = [
            ("target", s.target),
            ("id", s.id),
            *[("features", c) for c in [*FEATURES, s.text]],
            ("text_features", s.text),
            *[("humans", p) for p in persons],
            ("groups", s.group),
            ("time", s.time),
            ("cost", ""),
            ("min_person_cases", "10"),
        ]
        status, page, _l = browser.post(f"{base}data/{dataset.pk}/", fields)
        if status != 302:
            raise SystemExit(f"mapping: {status} {page[:500]!r}")
        ended = wait_for(lambda: DataSet.objects.get(pk=dataset.pk).status, {"ready", "problems"})
        out["check"] = time.perf_counter() - started
        print(f"hub: checked in {out['check']:.1f} s", flush=True)
        if ended != "ready":
            raise SystemExit(f"check: {DataSet.objects.get(pk=dataset.pk).problems}")
        started = time.perf_counter()
        status, _p, _l = browser.post(
            f"{base}data/{dataset.pk}/runs/",
            [("method", method), ("capacity", "0.3"), ("audit", "0.05")],
            form_page=f"{base}data/{dataset.pk}/",
        )
        run = Run.objects.filter(dataset_id=dataset.pk).order_by("-pk").first()
        if status != 302 or run is None:
            raise SystemExit(f"start run: {status}")
        ended = wait_for(
            lambda: Run.objects.get(pk=run.pk).status,
            {"done", "failed", "data_error", "cancelled"},
        )
        out["build"] = time.perf_counter() - started
        out["jobs_cpu"] = cpu(job) - job_before
        if ended != "done":
            raise SystemExit(f"build: {ended} {Run.objects.get(pk=run.pk).error}")
    out["web_peak"], out["job_peak"] = web.peak, jobs.peak
    return out


def main() -> None:
    from teaming.constants import HOLDOUT_BOOTSTRAP

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgres://postgres:postgres@127.0.0.1:5432/humaine_bench_human_ai_upload",
        ),
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--method", default="combine")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-human-ai-upload-"))
    extra = {
        # the run's held-out figures with the command line's resamples
        "HUMAN_AI_BOOTSTRAP": str(HOLDOUT_BOOTSTRAP),
        "JOB_LEASE_SECONDS": "3600",
    }
    env = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    try:
        started = time.perf_counter()
        path = make_file(folder, args.rows)
        size = path.stat().st_size
        print(f"{args.rows:,} cases, {mb(size)} CSV, made in {time.perf_counter() - started:.0f} s")
        cli = command_line(path, folder, args.method, env)
        print(f"teaming fit: {cli['seconds']:.1f} s, peak {mb(cli['peak'])}", flush=True)
        with served_hub(
            args.database_url,
            port=PORT,
            workers=args.workers,
            setup=setup,
            worker_args=(),
            data_dir=folder / "hub",
            env=extra,
            timeout=3600,
        ) as served:
            measured = hub(path, served, args.method)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(args, size, cli, measured)


def report(args, size: int, cli: dict, hub: dict) -> None:
    total = hub["upload"] + hub["check"] + hub["build"]
    print(
        f"\n{args.rows:,} insurance cases ({mb(size)} CSV), method {args.method}, "
        f"30 % held out, PostgreSQL, gunicorn {args.workers} worker(s) and one job worker\n"
    )
    hub_cpu = hub["upload_cpu"] + hub["jobs_cpu"]
    print(f"{'step':<34}{'seconds':>9}{'CPU s':>8}{'peak memory':>14}")
    print(
        f"{'teaming fit (command line)':<34}{cli['seconds']:>9.1f}{cli['cpu']:>8.1f}"
        f"{mb(cli['peak']):>14}"
    )
    print(
        f"{'hub: upload (web process)':<34}{hub['upload']:>9.1f}{hub['upload_cpu']:>8.1f}"
        f"{mb(hub['web_peak']):>14}"
    )
    print(f"{'hub: check job':<34}{hub['check']:>9.1f}")
    build = f"{hub['build']:>9.1f}{hub['jobs_cpu']:>8.1f}{mb(hub['job_peak']):>14}"
    print(f"{'hub: build job':<34}{build}")
    print(f"{'hub: together':<34}{total:>9.1f}{hub_cpu:>8.1f}")
    extra = total / cli["seconds"] - 1
    print(
        f"\nthe hub adds {extra:+.0%} time to teaming fit (goal at most +20 %: "
        f"{'met' if extra <= 0.2 else 'NOT met'}), {hub_cpu / cli['cpu'] - 1:+.0%} processor "
        f"time; the web process's peak {mb(hub['web_peak'])} against the file's {mb(size)}"
    )
    print(
        "(CPU s of the build job: the job worker and its build process, check and build "
        "together; on a busy machine compare the CPU seconds)"
    )


if __name__ == "__main__":
    main()
