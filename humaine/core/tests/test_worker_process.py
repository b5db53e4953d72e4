"""The real job worker as a process: killed mid-job, and cut off from its database.

Each test runs ``manage.py run_worker`` in subprocesses against a database of its own: a
SQLite file in the SQLite run of the suite, a fresh PostgreSQL database in the PostgreSQL
run. Nothing waits a fixed time; every wait polls with a generous timeout.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
ENGINE = settings.DATABASES["default"]["ENGINE"]
POSTGRES = "postgresql" in ENGINE
TIMEOUT = 120


def wait_until(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Installation:
    """A database, a data folder and the environment to run manage.py against them."""

    def __init__(self, tmp_path: Path):
        self.folder = tmp_path
        self.mail = tmp_path / "mail"
        self.workers: list[subprocess.Popen] = []
        if POSTGRES:
            import psycopg

            base = settings.DATABASES["default"]
            self.server = {
                "host": base["HOST"] or "127.0.0.1",
                "port": base["PORT"] or 5432,
                "user": base["USER"],
                "password": base["PASSWORD"],
            }
            self.name = f"{base['NAME']}_worker_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            s = self.server
            url = f"postgres://{s['user']}:{s['password']}@{s['host']}:{s['port']}/{self.name}"
        else:
            url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        self.env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            DATABASE_URL=url,
            DATABASE_CONN_MAX_AGE="60",
            HUMAINE_DATA_DIR=str(tmp_path),
            HUMAINE_TESTING="1",
            JOB_HEARTBEAT_SECONDS="0.5",
            JOB_LEASE_SECONDS="3",
            JOB_RETRY_DELAY_SECONDS="0",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        )
        self.manage("migrate", "--verbosity", "0")

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def enqueue(self, name: str, *args: str) -> None:
        call = ", ".join(repr(a) for a in args)
        self.manage(
            "shell",
            "-c",
            f"from humaine.core.tests import worker_jobs; worker_jobs.{name}.enqueue({call})",
        )

    def start_worker(self) -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / f"worker-{len(self.workers)}.log", "w"),  # noqa: SIM115
        )
        self.workers.append(worker)
        return worker

    def query(self, sql: str) -> list[tuple]:
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname=self.name, autocommit=True, **self.server) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(self.folder / "hub.sqlite3", timeout=30) as db:
            return db.execute(sql).fetchall()

    def on_server(self, sql: str) -> list[tuple]:
        """Run ``sql`` from the server's maintenance database (PostgreSQL)."""
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
            cursor = admin.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def jobs(self, task: str) -> list[tuple[str, str]]:
        table = "django_tasks_database_dbtaskresult"
        where = f"task_path LIKE '%{task}' ORDER BY enqueued_at"
        return self.query(f"SELECT status, exception_class_path FROM {table} WHERE {where}")  # noqa: S608

    def mails(self, marker: str) -> int:
        if not self.mail.exists():
            return 0
        subject = f"Subject: mail {marker}\n"
        return sum(subject in p.read_text() for p in self.mail.iterdir())

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)
        if POSTGRES:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def installation(tmp_path):
    hub = Installation(tmp_path)
    yield hub
    hub.close()


def started(hub: Installation, marker: str) -> list[Path]:
    return list(hub.folder.glob(f"started-{marker}-*"))


@pytest.mark.slow
@pytest.mark.parametrize("wait", ["before", "after"])
def test_a_job_whose_worker_was_killed_finishes_exactly_once_on_a_new_worker(installation, wait):
    hub = installation
    hub.enqueue("mail_at_gate", "m", str(hub.folder), wait)
    first = hub.start_worker()
    wait_until(lambda: started(hub, "m"), "the job to start")
    if wait == "after":
        wait_until(lambda: hub.mails("m") == 1, "the email")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert hub.jobs("mail_at_gate") == [("RUNNING", "")]

    (hub.folder / "open-m").touch()
    hub.start_worker()
    wait_until(lambda: len(hub.jobs("mail_at_gate")) == 2, "the job to be taken back")
    wait_until(lambda: hub.jobs("mail_at_gate")[-1][0] == "SUCCESSFUL", "the retry to finish")
    abandoned, retried = hub.jobs("mail_at_gate")
    assert abandoned == ("FAILED", "humaine.core.jobs.Abandoned")
    assert retried == ("SUCCESSFUL", "")
    assert len(started(hub, "m")) == 2
    assert hub.mails("m") == 1


def _terminate_worker_connections(hub: Installation) -> int:
    sql = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{hub.name}'"  # noqa: S608
    return len(hub.on_server(sql))


@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES, reason="cuts the connection with pg_terminate_backend")
def test_the_worker_carries_on_after_its_database_connections_are_cut(installation):
    hub = installation
    worker = hub.start_worker()
    hub.enqueue("note", "one", str(hub.folder))
    wait_until(lambda: list(hub.folder.glob("ran-one-*")), "the first job")

    # An outage: every connection is cut and none is allowed until it ends.
    hub.on_server(f'ALTER DATABASE "{hub.name}" WITH ALLOW_CONNECTIONS false')
    try:
        wait_until(lambda: _terminate_worker_connections(hub) == 0, "the connections to end")
        wait_until(
            lambda: "Database unavailable" in (hub.folder / "worker-0.log").read_text(),
            "the worker to notice",
        )
    finally:
        hub.on_server(f'ALTER DATABASE "{hub.name}" WITH ALLOW_CONNECTIONS true')
    assert worker.poll() is None

    hub.enqueue("note", "two", str(hub.folder))
    wait_until(lambda: list(hub.folder.glob("ran-two-*")), "the job after the outage")
    assert worker.poll() is None
    assert [status for status, _ in hub.jobs("note")] == ["SUCCESSFUL", "SUCCESSFUL"]
