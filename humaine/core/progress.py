"""Progress of long jobs, once for every capability.

A service creates the record when someone asks for a long job, and the job reports on it
while it runs; the page shows ``{% include "core/_progress.html" %}``, which polls
``core:progress`` with htmx until the job has ended::

    # services.py
    progress = progress.create("matching.rebuild", actor=user, force=True)
    transaction.on_commit(lambda: tasks.rebuild.enqueue(progress.pk))

    # tasks.py
    @job
    def rebuild(progress_id):
        with progress.tracking(progress_id) as report:
            report.start(total=len(items))
            for batch in batches:
                ...
                report.advance(len(batch), embedded=n)   # counts add up

``tracking`` marks the record running, done at the end, failed (with the error's
message) when the job raises. Each report is saved at once, outside any transaction, so
the page sees it while the job runs. Who may see a record: whoever asked, and hub staff,
unless the job's :class:`JobKind` (registered in ``AppConfig.ready()``) says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from .models import Progress
from .registry import Registry

__all__ = ["JobKind", "JOB_KINDS", "create", "tracking", "Reporter"]


@dataclass(frozen=True)
class JobKind:
    name: str  # the Progress.kind, "<app>.<job>"
    label: Any  # what the job does, for people
    # who may watch a job of this kind (default: whoever asked, and hub staff)
    can_view: Callable[[Any, Progress], bool] | None = None
    # labels of what the job counts, as (key, label) pairs, in the order shown
    counts: tuple[tuple[str, Any], ...] = ()
    # labels of the steps a job reports as its message, as (key, label) pairs: a job may
    # report a step's key (``reporter.update(message="read")``), people see its label
    steps: tuple[tuple[str, Any], ...] = ()


JOB_KINDS: Registry[JobKind] = Registry("job kinds")


def create(kind: str, *, actor=None, total: int = 0, **details) -> Progress:
    """A queued job's record; call it inside the service that enqueues the job."""
    if kind not in JOB_KINDS:
        raise ValueError(f"register a JobKind {kind!r} first (core.progress.JOB_KINDS)")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Progress.objects.create(kind=kind, requested_by=user, total=total, details=details)


class Reporter:
    """What a running job says about itself; every call is saved at once."""

    def __init__(self, progress: Progress, listener: Callable[[Progress], None] | None = None):
        self.progress = progress
        self.listener = listener

    def _save(self, **values) -> None:
        Progress.objects.filter(pk=self.progress.pk).update(**values)
        self.progress.refresh_from_db()
        if self.listener is not None:
            self.listener(self.progress)

    def start(self, total: int = 0, message: str = "") -> None:
        """Running, ``0`` of ``total`` (a retried job starts again from zero)."""
        self._save(
            status=Progress.Status.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            total=total,
            done=0,
            message=message,
            details={**self.progress.details, "counts": {}},
        )

    def advance(self, step: int = 1, message: str | None = None, **counts: int) -> None:
        """``step`` more done; ``counts`` add up in ``details["counts"]``."""
        details = dict(self.progress.details)
        totals = dict(details.get("counts") or {})
        for key, value in counts.items():
            totals[key] = int(totals.get(key, 0)) + value
        details["counts"] = totals
        values: dict[str, Any] = {"done": F("done") + step, "details": details}
        if message is not None:
            values["message"] = message
        self._save(**values)

    def update(self, *, done: int | None = None, total: int | None = None, message=None) -> None:
        """Set where the job is (for jobs that know their position, not their steps)."""
        values: dict[str, Any] = {}
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        self._save(**values)

    @property
    def cancel_requested(self) -> bool:
        """Whether someone asked to stop; a job that can stop checks it between steps."""
        return Progress.objects.filter(
            pk=self.progress.pk, cancel_requested_at__isnull=False
        ).exists()

    def finish(self, message: str = "", status=Progress.Status.DONE) -> None:
        self._save(status=status, finished_at=timezone.now(), message=message)

    def fail(self, error: BaseException | str) -> None:
        self.finish(str(error)[:2000], status=Progress.Status.FAILED)


@contextmanager
def tracking(progress_id: int, listener=None) -> Iterator[Reporter]:
    """Report on the job's record: running now, done at the end, failed if it raises."""
    reporter = Reporter(Progress.objects.get(pk=progress_id), listener)
    reporter.start(total=reporter.progress.total)
    try:
        yield reporter
    except BaseException as error:
        reporter.fail(error)
        raise
    if not reporter.progress.has_ended:
        reporter.finish(reporter.progress.message)


def request_cancel(progress: Progress) -> None:
    Progress.objects.filter(pk=progress.pk, finished_at__isnull=True).update(
        cancel_requested_at=timezone.now()
    )
