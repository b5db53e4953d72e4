"""Background jobs: django-tasks with the database backend, leased, retried, done once.

Declare a job with :func:`job` instead of ``django_tasks.task`` and run the worker with
``humaine worker`` (``manage.py run_worker``, :mod:`humaine.core.worker`):

- a job that raises is enqueued again with a growing delay until ``JOB_MAX_ATTEMPTS``
  is reached, in the same transaction that records the failure, so no retry is lost;
- every worker renews a lease (``JobWorker.seen_at``) every ``JOB_HEARTBEAT_SECONDS``;
  a job still marked running whose worker's lease is older than ``JOB_LEASE_SECONDS``
  (the worker was killed, or lost its machine) is marked failed and enqueued again;
- an outside effect (an email) goes through :func:`run_once`, which records it in the
  same transaction, so a retry or "run again" never repeats it.

Every attempt stays visible (failed ones with their traceback) on the staff page
"Background jobs", where staff can also run a failed or abandoned job again.
"""

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "_attempt"
# How often this attempt's worker died under it (killed, out of memory, deployment).
ABANDONED_KWARG = "_abandoned"
# task_path -> the job's own attempt limit (None: JOB_MAX_ATTEMPTS).
_MAX_ATTEMPTS: dict[str, int | None] = {}


def job(function=None, *, max_attempts: int | None = None, **task_options):
    """Decorate a module-level function as a background job that is retried on failure."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            kwargs.pop(ATTEMPT_KWARG, None)
            kwargs.pop(ABANDONED_KWARG, None)
            return func(*args, **kwargs)

        the_task = task(**task_options)(run)
        _MAX_ATTEMPTS[the_task.module_path] = max_attempts
        return the_task

    return decorate(function) if function is not None else decorate


def attempt_of(result: DBTaskResult) -> int:
    return int((result.args_kwargs or {}).get("kwargs", {}).get(ATTEMPT_KWARG, 1))


def abandoned_of(result: DBTaskResult) -> int:
    return int((result.args_kwargs or {}).get("kwargs", {}).get(ABANDONED_KWARG, 0))


def _max_attempts(result: DBTaskResult) -> int:
    return _MAX_ATTEMPTS.get(result.task_path) or settings.JOB_MAX_ATTEMPTS


class Abandoned(Exception):
    """Recorded on a job whose worker stopped before it finished."""


def _args(result: DBTaskResult) -> tuple[list, dict]:
    kwargs = {
        k: v
        for k, v in result.args_kwargs.get("kwargs", {}).items()
        if k not in (ATTEMPT_KWARG, ABANDONED_KWARG)
    }
    return result.args_kwargs.get("args", []), kwargs


def _enqueue_retry(result: DBTaskResult, abandoned: bool = False) -> bool:
    """Enqueue the next attempt of ``result`` after its delay, unless the limit is reached.

    A job whose worker died is not to blame: it runs again as the same attempt, up to
    ``JOB_MAX_ABANDONED`` times (a job that kills every worker still stops).
    """
    attempt, times_abandoned = attempt_of(result), abandoned_of(result)
    delay = settings.JOB_RETRY_DELAY_SECONDS * 2 ** (attempt - 1)
    if abandoned:
        times_abandoned += 1
        if times_abandoned > settings.JOB_MAX_ABANDONED:
            return False
    else:
        if attempt >= _max_attempts(result):
            return False
        attempt += 1
    args, kwargs = _args(result)
    marks = {ATTEMPT_KWARG: attempt, ABANDONED_KWARG: times_abandoned}
    result.task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        *args, **kwargs, **{k: v for k, v in marks.items() if v}
    )
    return True


def _finish(result: DBTaskResult, **fields) -> bool:
    """Record the end of a running job, unless someone else already did (then False)."""
    fields["finished_at"] = timezone.now()
    # A job reclaimed from a worker that then came back stays as the reclaim recorded it.
    return bool(DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(**fields))


@transaction.atomic
def record_success(result: DBTaskResult, return_value) -> bool:
    return _finish(
        result,
        status="SUCCESSFUL",
        return_value=return_value,
        exception_class_path="",
        traceback="",
    )


@transaction.atomic
def record_failure(result: DBTaskResult, exc: BaseException) -> bool:
    """Mark the job failed and enqueue its retry, both or neither."""
    finished = _finish(
        result,
        status="FAILED",
        return_value=None,
        exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
        traceback="".join(format_exception(exc)),
    )
    if finished and _enqueue_retry(result, abandoned=isinstance(exc, Abandoned)):
        logger.warning("%s failed (attempt %d), retrying", result.task_path, attempt_of(result))
    return finished


# Workers and their leases ---------------------------------------------------------------


def lease_cutoff():
    return timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS)


def live_worker_ids() -> set[str]:
    from .models import JobWorker

    return set(
        JobWorker.objects.filter(seen_at__gte=lease_cutoff()).values_list("worker_id", flat=True)
    )


def abandoned() -> list[DBTaskResult]:
    """Jobs marked running whose worker's lease ran out (or that no live worker claims)."""
    live = live_worker_ids()
    running = DBTaskResult.objects.running().filter(started_at__lt=lease_cutoff())
    return [r for r in running if not (r.worker_ids and r.worker_ids[-1] in live)]


def is_running_on_live_worker(result: DBTaskResult) -> bool:
    if result.status != "RUNNING":
        return False
    return (
        not result.started_at
        or result.started_at >= lease_cutoff()
        or (bool(result.worker_ids) and result.worker_ids[-1] in live_worker_ids())
    )


def reclaim(result: DBTaskResult) -> bool:
    """Mark an abandoned job failed and enqueue its next attempt (within the limit)."""
    exc = Abandoned("the worker stopped before the job finished")
    if record_failure(result, exc):
        logger.warning("%s (%s) was abandoned by its worker", result.task_path, result.pk)
        return True
    return False


def reclaim_abandoned() -> int:
    return sum(reclaim(result) for result in abandoned())


def rerun(result: DBTaskResult):
    """Enqueue a failed or abandoned job again with its original arguments (attempt 1).

    An abandoned job (still marked running) is marked failed first, so it no longer shows
    as running and its worker, should it come back, cannot report it finished.
    """
    if result.status == "RUNNING":
        if is_running_on_live_worker(result):
            raise ValueError("the job is still running on a live worker")
        exc = Abandoned("the worker stopped before the job finished; run again by staff")
        _finish(
            result,
            status="FAILED",
            exception_class_path="humaine.core.jobs.Abandoned",
            traceback="".join(format_exception(exc)),
        )
    args, kwargs = _args(result)
    return result.task.enqueue(*args, **kwargs)


def waiting():
    """Jobs ready to run now, oldest first by when they became due."""
    return DBTaskResult.objects.ready()


def oldest_waiting_seconds() -> float | None:
    """How long the longest-waiting due job has waited (None when none waits)."""
    now = timezone.now()
    due = waiting()
    oldest_unscheduled = (
        due.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    oldest_scheduled = (
        due.filter(~Q(run_after=get_date_max()))
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    since = min((t for t in (oldest_unscheduled, oldest_scheduled) if t), default=None)
    return None if since is None else max(0.0, (now - since).total_seconds())


def health() -> dict:
    """The job system at a glance, for /healthz/jobs and the staff page."""
    live = live_worker_ids()
    oldest = oldest_waiting_seconds()
    problems = []
    if not live:
        problems.append("no live worker")
    if oldest is not None and oldest > settings.JOB_WAIT_ALERT_SECONDS:
        problems.append("jobs waiting too long")
    return {
        "status": "error" if problems else "ok",
        "problems": problems,
        "live_workers": len(live),
        "waiting": waiting().count(),
        "oldest_waiting_seconds": None if oldest is None else round(oldest, 1),
        "abandoned": len(abandoned()),
    }


# Outside effects, once -----------------------------------------------------------------


def run_once(key: str, effect: Callable[[], object]) -> bool:
    """Do ``effect`` (send an email) unless it was done for ``key``; True if done now.

    The key's row is written before the effect and committed after it: if the effect
    raises, nothing is recorded and a retry does it; if it succeeded, every later attempt
    finds the row. A parallel attempt waits for the row's transaction. What remains is the
    instant between the effect and the commit: a worker killed exactly then repeats it.
    """
    from .models import JobEffect

    with transaction.atomic():
        _row, created = JobEffect.objects.get_or_create(key=key)
        if not created:
            logger.info("%s was already done; not repeated", key)
            return False
        effect()
    return True
