"""The monitoring figures of a version as last counted, so the service page never counts
under traffic.

The figures, drift and fairness of a version over a window are stored
(:class:`MonitoringSnapshot`) with the time they were counted and :func:`monitoring.stamp_of`
of that moment. The page shows the stored figures ("as of HH:MM"); when cases were routed,
decided or got an outcome since (the stamp differs) or the window moved on by an hour, they
are *stale*: the page says newer cases are being counted and schedules the background job
(:func:`monitoring_alerts.schedule`, at most once per delay and service), which counts the
stale windows of the active version again, stores them and compares the limits with those
same figures.

The page never counts. A window never counted for the version is *asked for*: the page
stores a row without figures (its stamp :data:`ASKED`, never the stamp of any cases, so it
is stale), says the figures are being counted and enqueues the same job to run at once
(still at most one per service); the job counts every stale window of the active version,
the asked ones included, and the page shows them on its next view.

The service's cases with an outcome (for its "new run from the records" panel) are stored
likewise (:class:`OutcomeCount`): asked for and shown as being counted when never counted,
one added in the transaction of each recorded outcome (:func:`add_outcome`), counted again
by the same job whenever cases changed and after a purge (:func:`count_outcomes`).

An erasure renames the person's pseudonym in the stored figures at once
(``personal_data``), exactly as a recount of the renamed cases would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

__all__ = [
    "ASKED",
    "Stored",
    "add_outcome",
    "ask",
    "count",
    "count_outcomes",
    "fresh",
    "is_stale",
    "outcomes_shown",
    "refresh",
    "rename",
    "shown",
]

# the stamp of a window asked for by the page and not counted yet (no real stamp is empty)
ASKED = ""


@dataclass
class Stored:
    """What the page and the limits read: the figures and when they were counted."""

    days: int
    since: Any
    counted_at: Any
    figures: Any  # monitoring.Figures
    drift: dict
    fairness: dict
    stale: bool = False
    # asked for and not counted yet: ``figures`` are empty, ``counted_at`` is None
    pending: bool = False

    def as_state(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "since": self.since,
            "counted_at": self.counted_at,
            "stale": self.stale,
            "pending": self.pending,
            "figures": self.figures,
            "drift": self.drift,
            "fairness": self.fairness,
        }


def _stored(snapshot, stale: bool) -> Stored:
    from . import monitoring

    if snapshot.stamp == ASKED:
        return Stored(
            days=snapshot.days,
            since=monitoring.window_start(snapshot.days),
            counted_at=None,
            figures=monitoring.Figures(),
            drift={"reference": False, "n": 0, "features": []},
            fairness={"columns": [], "not_carried": []},
            stale=True,
            pending=True,
        )
    return Stored(
        days=snapshot.days,
        since=snapshot.since,
        counted_at=snapshot.counted_at,
        figures=monitoring.from_dict(snapshot.figures),
        drift=snapshot.drift,
        fairness=snapshot.fairness,
        stale=stale,
    )


def count(version, days: int):
    """Count the figures of ``version`` over the window of ``days`` days and store them."""
    from . import monitoring, monitoring_drift, monitoring_fairness
    from .models import MonitoringSnapshot

    # the marks before counting: a case changed while counting leaves the figures stale
    stamp = monitoring.stamp_of(version)
    counted_at = timezone.now()
    since = monitoring.window_start(days, counted_at)
    run = version.run
    values = {
        "since": since,
        "counted_at": counted_at,
        "stamp": stamp,
        "figures": monitoring.to_dict(
            monitoring.figures_of(
                version, since, capacity=run.capacity, person_limit=run.person_capacity
            )
        ),
        "drift": monitoring_drift.drift_of(version, since),
        "fairness": monitoring_fairness.fairness_of(version, since),
    }
    try:
        with transaction.atomic():
            snapshot, _created = MonitoringSnapshot.objects.update_or_create(
                version=version, days=days, defaults=values
            )
    except IntegrityError:  # counted at the same time elsewhere: ours are as new
        MonitoringSnapshot.objects.filter(version=version, days=days).update(**values)
        snapshot = MonitoringSnapshot.objects.get(version=version, days=days)
    return snapshot


def is_stale(snapshot, version, stamp: str | None = None) -> bool:
    """Whether cases changed since ``snapshot`` was counted, or its window moved on (a
    window asked for and not counted yet is always stale)."""
    from . import monitoring

    if snapshot.stamp == ASKED:
        return True

    if snapshot.since != monitoring.window_start(snapshot.days):
        return True
    return snapshot.stamp != (stamp if stamp is not None else monitoring.stamp_of(version))


def ask(version, days: int):
    """The window of ``days`` asked for: a row without figures that the next count of the
    version's stale windows fills in (an existing row is left as it is)."""
    from . import monitoring
    from .models import MonitoringSnapshot

    values = {"since": monitoring.window_start(days), "stamp": ASKED}
    try:
        with transaction.atomic():
            snapshot, _created = MonitoringSnapshot.objects.get_or_create(
                version=version, days=days, defaults=values
            )
    except IntegrityError:  # asked or counted at the same time elsewhere
        snapshot = MonitoringSnapshot.objects.get(version=version, days=days)
    return snapshot


def shown(service, version, days: int) -> Stored:
    """The figures for the service page, never counted here: the stored ones, and the
    background count enqueued when they are stale; a window never counted for the version
    is asked for (:func:`ask`) and shown as being counted, with the count enqueued at once."""
    from . import monitoring_alerts
    from .models import MonitoringSnapshot

    snapshot = MonitoringSnapshot.objects.filter(version=version, days=days).first()
    if snapshot is None or snapshot.stamp == ASKED:
        snapshot = ask(version, days)
        if snapshot.stamp == ASKED:
            monitoring_alerts.schedule(service.pk, at_once=True)
            return _stored(snapshot, True)
    stale = is_stale(snapshot, version)
    if stale:
        monitoring_alerts.schedule(service.pk)
    return _stored(snapshot, stale)


def fresh(version, days: int) -> Stored:
    """The figures as they are now: the stored ones, counted again first if stale."""
    from .models import MonitoringSnapshot

    snapshot = MonitoringSnapshot.objects.filter(version=version, days=days).first()
    if snapshot is None or is_stale(snapshot, version):
        snapshot = count(version, days)
    return _stored(snapshot, False)


def refresh(service, days: int) -> Stored | None:
    """The background job's count: every stale window of the active version counted again
    and stored (``days`` always); returns the figures of ``days``."""
    from . import monitoring
    from .models import MonitoringSnapshot

    version = service.active_version
    if version is None:
        _outcomes_counted(service, changed=False)
        return None
    stamp = monitoring.stamp_of(version)
    snapshots = {s.days: s for s in MonitoringSnapshot.objects.filter(version=version)}
    result = None
    changed = False
    for window in sorted(set(snapshots) | {days}):
        snapshot = snapshots.get(window)
        if snapshot is None or is_stale(snapshot, version, stamp):
            snapshot = count(version, window)
            changed = True
        if window == days:
            result = _stored(snapshot, False)
    _outcomes_counted(service, changed=changed)
    return result


def outcomes_shown(service) -> int | None:
    """The service's cases with an outcome for its page, never counted here: as stored;
    None while never counted (asked for, and the background count enqueued at once)."""
    from . import monitoring_alerts
    from .models import OutcomeCount

    stored = OutcomeCount.objects.filter(service=service).first() or _outcomes_row(service)
    if stored.count is None:
        monitoring_alerts.schedule(service.pk, at_once=True)
    return stored.count


def add_outcome(service_id: int) -> None:
    """One more case of the service with an outcome: call it in the transaction that
    records the outcome (it waits for a count under way, which then did not see it)."""
    from .models import OutcomeCount

    # None + 1 stays None (not counted yet), but still waits for the count's lock
    OutcomeCount.objects.filter(service_id=service_id).update(count=F("count") + 1)


def count_outcomes(service) -> int:
    """Count the service's cases with an outcome and store the number (the background
    job, a purge). The stored row is locked while counting: an outcome recorded meanwhile
    adds its one after the count, which did not see it."""
    from .models import OutcomeCount
    from .rebuild import with_outcome

    # the row must exist (committed) before counting, or a recorded outcome adds to nothing
    _outcomes_row(service)
    with transaction.atomic():
        stored = OutcomeCount.objects.select_for_update().get(service=service)
        stored.count = with_outcome(service).count()
        stored.counted_at = timezone.now()
        stored.save(update_fields=["count", "counted_at"])
    return stored.count


def _outcomes_row(service):
    from .models import OutcomeCount

    try:
        with transaction.atomic():
            stored, _created = OutcomeCount.objects.get_or_create(service=service)
    except IntegrityError:  # asked or counted at the same time elsewhere
        stored = OutcomeCount.objects.get(service=service)
    return stored


def _outcomes_counted(service, *, changed: bool) -> None:
    """The job's count of the outcomes: when cases changed, or never counted."""
    from .models import OutcomeCount

    stored = OutcomeCount.objects.filter(service=service).first()
    if changed or stored is None or stored.count is None:
        count_outcomes(service)


def rename(scenario, old: str, new: str) -> int:
    """An erased person's pseudonym replaced in the stored figures of the scenario's
    services (what a recount of the renamed cases gives). Returns the rows changed."""
    from .models import MonitoringSnapshot
    from .personal_data import rename as renamed

    changed = 0
    for snapshot in MonitoringSnapshot.objects.filter(version__service__scenario=scenario):
        values = {
            name: renamed(getattr(snapshot, name), old, new)
            for name in ("figures", "drift", "fairness")
        }
        if any(values[name] != getattr(snapshot, name) for name in values):
            MonitoringSnapshot.objects.filter(pk=snapshot.pk).update(**values)
            changed += 1
    return changed
