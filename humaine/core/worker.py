"""The job worker: django-tasks-db's worker with a lease, and patience with the database.

- A heartbeat thread renews the worker's lease (``JobWorker.seen_at``) while it runs, so
  other workers can tell a busy worker from a dead one; every worker takes back jobs
  whose worker's lease ran out (``jobs.reclaim_abandoned``).
- A failure is recorded together with its retry (``jobs.record_failure``).
- When the database goes away the worker does not exit: it waits, reconnects and goes
  on; a job's outcome is kept until it can be recorded, so a finished job is not rerun.
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import jobs
from .models import JobWorker

logger = logging.getLogger("humaine.core.worker")

# What an unreachable or restarted database raises; anything else is a bug and exits.
DATABASE_DOWN = (OperationalError, InterfaceError)
MAX_BACKOFF = 5.0


def beat(worker_id: str) -> None:
    """Renew the worker's lease (registering it on the first beat)."""
    now = timezone.now()
    if not JobWorker.objects.filter(worker_id=worker_id).update(seen_at=now):
        JobWorker.objects.create(
            worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(), seen_at=now
        )


class Heartbeat(threading.Thread):
    """Renews the lease every ``JOB_HEARTBEAT_SECONDS`` on its own connection."""

    def __init__(self, worker_id: str):
        super().__init__(name="job-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
            try:
                close_old_connections()
                beat(self.worker_id)
            except DATABASE_DOWN as exc:
                logger.debug("heartbeat failed: %s", exc)
                connections.close_all()
        connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


class LeasedWorker(Worker):
    def run(self) -> None:
        logger.info("Starting worker %s (pid %d)", self.worker_id, os.getpid())
        self.backoff = 0.0
        self.next_beat = 0.0
        heartbeat = None if self.batch else Heartbeat(self.worker_id)
        if heartbeat:
            heartbeat.start()
        try:
            self.loop()
        finally:
            if heartbeat:
                heartbeat.stop()
            self.sign_off()

    def loop(self) -> None:
        while self.running:
            try:
                retrieved, task_result = self.next_task()
            except DATABASE_DOWN as exc:
                self.wait_for_database(exc)
                continue
            self.backoff = 0.0
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch and retrieved:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def next_task(self) -> tuple[bool, DBTaskResult | None]:
        """Renew the lease and take back abandoned jobs when due, then claim one job."""
        close_old_connections()
        if time.monotonic() >= self.next_beat:
            beat(self.worker_id)
            jobs.reclaim_abandoned()
            self.next_beat = time.monotonic() + settings.JOB_HEARTBEAT_SECONDS
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                return False, None
        return True, task_result

    def wait_for_database(self, exc: Exception) -> None:
        self.backoff = min(MAX_BACKOFF, self.backoff * 2 or 0.5)
        logger.warning("Database unavailable (%s); trying again in %.1f s", exc, self.backoff)
        connections.close_all()
        time.sleep(self.backoff)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            try:
                value = self.call(db_task_result)
            except BaseException as exc:  # noqa: BLE001 - recorded on the job, as db_worker does
                self.record(jobs.record_failure, db_task_result, exc)
                return
            try:
                self.record(jobs.record_success, db_task_result, value)
            except Exception as exc:  # noqa: BLE001 - e.g. a return value that is not JSON
                self.record(jobs.record_failure, db_task_result, exc)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def call(self, db_task_result: DBTaskResult):
        task = db_task_result.task
        result = db_task_result.task_result
        if task.takes_context:
            return task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        return task.call(*result.args, **result.kwargs)

    def record(self, how, db_task_result: DBTaskResult, outcome) -> None:
        """Record the outcome, waiting out a database outage rather than losing it."""
        while True:
            try:
                if not how(db_task_result, outcome):
                    logger.warning("Job %s was taken back before it finished", db_task_result.pk)
                return
            except DATABASE_DOWN as exc:
                self.wait_for_database(exc)

    def sign_off(self) -> None:
        # Without the database the lease simply runs out.
        with contextlib.suppress(*DATABASE_DOWN):
            JobWorker.objects.filter(worker_id=self.worker_id).delete()
        connections.close_all()
