"""A hub served for a bench: its own PostgreSQL database, gunicorn and the job worker.

The benches that measure the hub over HTTP (``bench/hub/triage_load.py``,
``bench/scenarios/load.py``, ``bench/human_ai/service_api.py``, ``monitoring.py`` and
``upload_run.py``) start it the same way, with this context manager::

    with served_hub(url, port=8771, workers=4, setup=fill) as hub:
        hub.state         # what ``setup`` returned (ids, tokens, ...)
        hub.url           # "http://127.0.0.1:8771": the pages' pool
        hub.api_port      # 8871: the service API's pool (``/api/v1/services/``)
        hub.get("/healthz")

1. the database named in ``url`` is made (``fresh``: dropped first; otherwise one filled
   by an earlier run is reused), this process is set up as Django on it and migrated;
2. ``setup()`` runs in this process (fill the database, build a team) and its result is
   kept as ``hub.state``;
3. static files are collected, gunicorn starts as docs/operations.md runs it, two pools
   (DEBUG off): the pages' pool on ``port`` (``gthread`` workers with threads) and the
   service API's pool on ``api_port`` (``port + 100``; ``api_workers`` sync workers, one
   request per process), and, unless ``job_worker=False``, one job worker
   (``manage.py run_worker``); the block starts once ``/healthz`` answers on both;
4. on leaving, the job worker and gunicorn are stopped (killed after 30 s), and a
   temporary data folder is removed.

The reverse proxy of docs/operations.md sends ``/api/v1/services/`` to the API's pool and
everything else to the pages' pool; a bench has no proxy in between and sends each request
to the pool the proxy would (:meth:`Hub.port_for`). ``api_workers=0`` serves everything
from the one pool (the setup before the split, for comparisons).

Each bench keeps its own database name (the default of its ``--database-url``), so two
benches never drop each other's data. ``env`` holds the environment the server and the
worker run with; this process runs with the same (``DEBUG`` aside).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

__all__ = ["Hub", "exchange", "make_database", "served_hub"]

# the paths the reverse proxy sends to the service API's pool of sync workers
API_PREFIX = "/api/v1/services/"

# what a keep-alive connection the server closed while idle raises on its next request
DROPPED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def exchange(connection: http.client.HTTPConnection, method, path, body=None, headers=None):
    """One request on a keep-alive connection: ``(response, data, seconds)``.

    gthread workers close a connection that stayed idle past their keep-alive time (2 s);
    as a browser does, the request is then sent once more on a new connection. Only the
    answered attempt is timed. (A server that closes before reading has not acted on the
    request, so sending it again is safe.)"""
    for attempt in (1, 2):
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response, data, time.perf_counter() - started
        except DROPPED:
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass
class Hub:
    """A served hub: where it answers, its processes and environment."""

    port: int
    env: dict[str, str]
    server: subprocess.Popen
    worker: subprocess.Popen | None
    data_dir: Path
    state: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    api_port: int = 0  # the service API's pool (0: none, the pages' pool serves it)

    def __post_init__(self) -> None:
        self.api_port = self.api_port or self.port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def port_for(self, path: str) -> int:
        """The pool the reverse proxy sends ``path`` to (docs/operations.md)."""
        return self.api_port if path.startswith(API_PREFIX) else self.port

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        connection = self.connection()
        try:
            response, data, _seconds = exchange(connection, "GET", path, headers=headers)
            return response.status, data
        finally:
            connection.close()


def make_database(url: str, *, fresh: bool) -> None:
    """Make the database named in ``url``: dropped and made again when ``fresh``, else made
    only when missing (its data from an earlier run is kept)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _environment(url: str, data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=url,
        HUMAINE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="humaine.settings",
        DEBUG="0",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS=HOST,
        SECURE_HTTPS="0",
        LOG_LEVEL="WARNING",
        # shared by the benches: collectstatic then copies (and compresses) changed files only
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **extra,
    )


def _setup_django(env: dict[str, str]) -> None:
    """This process as Django on the bench's database (DEBUG as the caller left it: on, its
    queries are counted), migrated."""
    os.environ.update({k: v for k, v in env.items() if k != "DEBUG"})
    os.environ.setdefault("DEBUG", "1")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def served_hub(
    database_url: str,
    *,
    port: int,
    workers: int = 4,
    threads: int = 16,
    worker_class: str = "gthread",
    api_workers: int = 4,
    api_worker_class: str = "sync",
    api_port: int | None = None,
    fresh: bool = True,
    setup: Callable[[], Any] | None = None,
    job_worker: bool = True,
    worker_args: tuple[str, ...] = ("--interval", "1"),
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 300,
    worker_output: bool = False,
) -> Iterator[Hub]:
    """Serve the hub on ``database_url`` for the block (see the module's text).

    ``workers``, ``threads``, ``worker_class``: the pages' pool; ``api_workers``,
    ``api_worker_class``: the service API's pool on ``api_port`` (default ``port + 100``;
    ``api_workers=0``: none).

    ``data_dir``: the hub's data folder (default: a temporary one, removed at the end);
    ``env``: more settings for this process, the server and the worker; ``timeout``:
    gunicorn's worker timeout in seconds; ``worker_output``: show the job worker's output
    (default: discarded).
    """
    api_port = (api_port or port + 100) if api_workers else 0
    for taken in filter(None, (port, api_port)):
        _port_free(taken)
    temporary = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="bench-hub-")) if temporary else Path(data_dir)
    environment = _environment(database_url, folder, dict(env or {}))
    server = worker = api = None
    try:
        make_database(database_url, fresh=fresh)
        _setup_django(environment)
        state = setup() if setup is not None else None
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        server = _gunicorn(port, workers, worker_class, threads, timeout, environment)
        if api_workers:
            threads_of_api = 1 if api_worker_class == "sync" else threads
            api = _gunicorn(
                api_port, api_workers, api_worker_class, threads_of_api, timeout, environment
            )
        if job_worker:
            quiet = {} if worker_output else {"stdout": subprocess.DEVNULL}
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker", *worker_args],
                cwd=ROOT,
                env=environment,
                **quiet,
            )
        hub = Hub(port, environment, server, worker, folder, state, api_port=api_port)
        _wait_for(hub, server, port)
        if api is not None:
            _wait_for(hub, api, api_port)
            hub.extra["api_server"] = api
        yield hub
    finally:
        _stop(worker)
        _stop(api)
        _stop(server)
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def _gunicorn(port, workers, worker_class, threads, timeout, environment) -> subprocess.Popen:
    """One pool of gunicorn workers as docs/operations.md starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "humaine.wsgi"]
        + ["--workers", str(workers), "--worker-class", worker_class]
        + ["--threads", str(threads), "--bind", f"{HOST}:{port}"]
        + ["--timeout", str(timeout), "--log-level", "warning"],
        cwd=ROOT,
        env=environment,
    )


def _port_free(port: int) -> None:
    """Refuse a port another server holds (its /healthz would answer for ours)."""
    import socket

    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) == 0:
            raise SystemExit(f"port {port} is in use: another bench or server runs there")


def _wait_for(hub: Hub, server: subprocess.Popen, port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped ({server.returncode})")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
            try:
                if exchange(connection, "GET", "/healthz")[0].status == 200:
                    return
            finally:
                connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")
