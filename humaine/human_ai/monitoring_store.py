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

An erasure renames the person's pseudonym in the stored figures at once
(``personal_data``), exactly as a recount of the renamed cases would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

__all__ = ["ASKED", "Stored", "ask", "count", "fresh", "is_stale", "refresh", "rename", "shown"]

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
        return None
    stamp = monitoring.stamp_of(version)
    snapshots = {s.days: s for s in MonitoringSnapshot.objects.filter(version=version)}
    result = None
    for window in sorted(set(snapshots) | {days}):
        snapshot = snapshots.get(window)
        if snapshot is None or is_stale(snapshot, version, stamp):
            snapshot = count(version, window)
        if window == days:
            result = _stored(snapshot, False)
    return result


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
