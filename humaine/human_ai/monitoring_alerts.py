"""Limits of a service's figures, and telling the scenario's editors and responsible hub
staff when one is crossed.

The scenario's editors set limits on the service page (:class:`ServiceThresholds`). A
background job (:func:`humaine.human_ai.tasks.check_service_limits`, enqueued after routing,
at most once per ``HUMAN_AI_MONITORING_DELAY_SECONDS``, and by ``manage.py
check_service_limits``) compares the figures of the monitoring window with them. A figure
beyond its limit opens a :class:`ThresholdCrossing` and tells the scenario's editors and the
hub staff responsible for the scenario and its company (:func:`recipients`) once, in
the hub and by email (``humaine.notifications``); while it stays beyond, nothing more is
sent; once it is back within, the crossing ends, and the next crossing tells them again.

Notices name the figure, the input or group column, the value and the limit, never a
person: the largest share of one person is given in figures only to those who see every
person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.notifications.kinds import Kind

__all__ = [
    "FIGURES",
    "KINDS",
    "LIMIT_CROSSED",
    "WEEKLY_SUMMARY",
    "Crossed",
    "crossed",
    "evaluate",
    "recipients",
    "schedule",
    "started",
    "window_days",
]

LIMIT_CROSSED = "human_ai.limit_crossed"
WEEKLY_SUMMARY = "human_ai.weekly_summary"

# figure -> (its label, whether the limit is a least value)
FIGURES = {
    "agreement": (_("agreement of people with the AI"), True),
    "drift": (_("drift of an input (PSI)"), False),
    "human_share": (_("share of cases decided by people"), False),
    "person_share": (_("share of all cases for one person"), False),
    "ai_accuracy": (_("AI accuracy measured on known outcomes"), True),
    "fairness_gap": (_("gap in the final decisions' accuracy between groups"), False),
}
LIMIT_FIELDS = {
    "agreement": "min_agreement",
    "drift": "max_drift",
    "human_share": "max_human_share",
    "person_share": "max_person_share",
    "ai_accuracy": "min_ai_accuracy",
    "fairness_gap": "max_fairness_gap",
}


def window_days() -> int:
    return int(getattr(settings, "HUMAN_AI_MONITORING_DAYS", 30))


# ------------------------------------------------------------------------ who is told


def _editors_somewhere(user) -> bool:
    from humaine.scenarios.access import EDITORS
    from humaine.scenarios.models import Member

    if policy.is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Member.objects.filter(user=user, active=True, role__in=EDITORS).exists()


def _responsible_staff(service) -> list:
    """The hub staff responsible for the service's scenario and company: who started the
    scenario, who created the service and deployed its active version, whoever is
    assigned to the scenario's inquiry or to an open inquiry of the same organisation
    (the transfer specialist in charge of that company); while nobody is, every hub
    staff member (as for an inquirer's reply, ``contact.services``)."""
    from humaine.contact.models import Inquiry
    from humaine.contact.selectors import staff_users

    scenario = service.scenario
    version = service.active_version
    candidates = [
        scenario.created_by,
        service.created_by,
        version.deployed_by if version else None,
    ]
    ended = [Inquiry.Status.DECLINED, Inquiry.Status.CLOSED]
    inquiries = Inquiry.objects.filter(assignee__isnull=False).select_related("assignee")
    if scenario.inquiry_id:
        candidates += [i.assignee for i in inquiries.filter(pk=scenario.inquiry_id)]
    candidates += [
        i.assignee
        for i in inquiries.filter(organisation_id=scenario.organisation_id).exclude(
            status__in=ended
        )
    ]
    staff = {u.pk: u for u in candidates if u is not None and u.is_active and policy.is_staff(u)}
    return list(staff.values()) or list(staff_users())


def recipients(service) -> list:
    """Who is told of a crossed limit and sent the weekly summary (aggregates only): the
    scenario's editors with an account (active members in an editing role, the
    scenario's own staff among them) and the hub staff responsible for the scenario and
    its company (:func:`_responsible_staff`); only those who can open the service."""
    from humaine.scenarios.access import EDITORS
    from humaine.scenarios.models import Member

    from .access import can_view_service

    members = Member.objects.filter(
        scenario_id=service.scenario_id, active=True, role__in=EDITORS, user__isnull=False
    ).select_related("user")
    users = {m.user.pk: m.user for m in members}
    for user in _responsible_staff(service):
        users.setdefault(user.pk, user)
    return [u for u in users.values() if u.is_active and can_view_service(u, service)]


def _service_of(notification):
    from .models import Service

    if notification.object_type != "human_ai.service":
        return None
    return Service.objects.filter(pk=notification.object_id).first()


def _link(notification) -> str:
    service = _service_of(notification)
    if service is None:
        return ""
    return reverse("human_ai:service", args=[service.scenario_id, service.pk])


def _number(value) -> str:
    return "–" if value is None else f"{float(value):.3f}"


def _sees_every_person(user, service) -> bool:
    from humaine.scenarios.access import ScenarioAccess

    from .access import TeamAccess

    return TeamAccess(ScenarioAccess(user, service.scenario)).sees_every_person


def _crossed_text(notification) -> str:
    params = notification.params
    service = _service_of(notification)
    title = service.title if service else gettext("a service")
    figure = params.get("figure", "")
    label, _least = FIGURES.get(figure, (figure, False))
    subject = params.get("subject") or ""
    values = {
        "service": title,
        "figure": str(label),
        "subject": subject,
        "value": _number(params.get("value")),
        "limit": _number(params.get("limit")),
    }
    if figure == "person_share" and not (
        service and _sees_every_person(notification.recipient, service)
    ):
        return (
            gettext("%(service)s: one person's share of all cases is above the limit %(limit)s.")
            % values
        )
    if subject:
        return (
            gettext("%(service)s: %(figure)s of “%(subject)s” is %(value)s (limit %(limit)s).")
            % values
        )
    return gettext("%(service)s: %(figure)s is %(value)s (limit %(limit)s).") % values


def _summary_text(notification) -> str:
    params = notification.params
    service = _service_of(notification)
    values = {
        "service": service.title if service else gettext("a service"),
        "week": params.get("week", ""),
        "cases": params.get("n_cases", 0),
        "human_share": _number(params.get("human_share")),
        "agreement": _number(params.get("agreement")),
        "ai_accuracy": _number(params.get("ai_accuracy_measured")),
        "crossed": params.get("crossed", 0),
        "versions": ", ".join(str(v.get("number")) for v in params.get("versions") or []),
    }
    if not values["versions"]:
        values["versions"] = str(params.get("version", "–"))
    return (
        gettext(
            "%(service)s, week of %(week)s: %(cases)s cases (versions %(versions)s), share "
            "decided by people %(human_share)s, agreement with the AI %(agreement)s, AI "
            "accuracy measured %(ai_accuracy)s, limits crossed %(crossed)s."
        )
        % values
    )


KINDS = [
    Kind(
        LIMIT_CROSSED,
        label=_("a figure of a team service crosses its limit"),
        text=_crossed_text,
        link=_link,
        audience=_editors_somewhere,
        order=60,
    ),
    Kind(
        WEEKLY_SUMMARY,
        label=_("the weekly summary of a team service"),
        text=_summary_text,
        link=_link,
        audience=_editors_somewhere,
        email_template="human_ai/email/weekly_summary",
        order=61,
    ),
]


# ------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Crossed:
    figure: str
    subject: str
    value: float
    limit: float


def _beyond(value, limit, least: bool) -> bool:
    if value is None or limit is None:
        return False
    return value < limit - 1e-9 if least else value > limit + 1e-9


def crossed(limits, figures, drift: dict, fairness: dict) -> list[Crossed]:
    """The figures beyond ``limits`` (a :class:`ServiceThresholds`)."""
    found: list[Crossed] = []
    if figures.n_cases < (limits.min_cases or 0) or not figures.n_cases:
        return found

    def check(figure, value, subject=""):
        limit = getattr(limits, LIMIT_FIELDS[figure])
        if _beyond(value, limit, FIGURES[figure][1]):
            found.append(Crossed(figure, subject, round(float(value), 6), float(limit)))

    check("agreement", figures.agreement)
    check("human_share", figures.human_share)
    if figures.persons:
        check("person_share", max(p.share for p in figures.persons))
    check("ai_accuracy", figures.ai_accuracy_measured)
    for feature in drift.get("features") or []:
        check("drift", feature["psi"], feature["column"])
    for column in fairness.get("columns") or []:
        check("fairness_gap", column["gap"], column["column"])
    return found


def current(service, version, days: int | None = None) -> dict:
    """The monitoring of ``version`` over the window as it is now: figures, drift and
    fairness (the stored ones, counted again first if cases changed since)."""
    from . import monitoring_store

    return monitoring_store.fresh(version, days or window_days()).as_state()


def evaluate(service, state: dict | None = None) -> dict[str, list]:
    """Compare the service's figures (``state``, as :func:`current` gives them; default:
    counted now if stale) with its limits; open and tell new crossings, end the ones that
    are back within. Returns the keys opened and ended."""
    from humaine.notifications import services as notifications

    from .models import Service, ServiceThresholds, ThresholdCrossing

    opened: list = []
    ended: list = []
    limits = ServiceThresholds.objects.filter(service=service).first()
    version = service.active_version
    now = timezone.now()
    found: list[Crossed] = []
    if limits is not None and version is not None:
        if state is None or state.get("days") != window_days():
            state = current(service, version)
        found = crossed(limits, state["figures"], state["drift"], state["fairness"])
    keys = {(c.figure, c.subject): c for c in found}
    with transaction.atomic():
        # one evaluation of a service at a time
        Service.objects.select_for_update().filter(pk=service.pk).first()
        open_rows = ThresholdCrossing.objects.filter(service=service, ended_at__isnull=True)
        for row in open_rows:
            if (row.figure, row.subject) not in keys:
                row.ended_at = now
                row.save(update_fields=["ended_at"])
                ended.append((row.figure, row.subject))
        still = {(r.figure, r.subject) for r in open_rows if r.ended_at is None}
        to_tell = recipients(service) if set(keys) - still else []
        for key, c in keys.items():
            if key in still:
                continue
            try:
                with transaction.atomic():
                    ThresholdCrossing.objects.create(
                        service=service,
                        version=version,
                        figure=c.figure,
                        subject=c.subject,
                        value=c.value,
                        limit=c.limit,
                        started_at=now,
                    )
            except IntegrityError:  # found by a parallel evaluation
                continue
            notifications.notify(
                LIMIT_CROSSED,
                to_tell,
                service,
                figure=c.figure,
                subject=c.subject,
                value=c.value,
                limit=c.limit,
            )
            opened.append(key)
    return {"opened": opened, "ended": ended}


def _scheduled_key(service_id: int) -> str:
    return f"human_ai:monitoring:scheduled:{service_id}"


# service id -> when the job this process saw enqueued runs (a Unix time): until then a
# routed case is counted by it, so routing asks the cache nothing (a database cache costs
# a transaction of several queries per request)
_DUE: dict[int, float] = {}


def started(service_id: int) -> None:
    """The job is counting now: a change from here on enqueues the next one (an early job,
    ``at_once``, would otherwise hold back the next for the rest of the delay)."""
    from django.core.cache import cache

    cache.delete(_scheduled_key(service_id))
    _DUE.pop(service_id, None)


def forget_scheduled() -> None:
    """Forget the jobs this process saw enqueued (tests: ids come again)."""
    _DUE.clear()


def schedule(service_id: int, *, at_once: bool = False) -> bool:
    """Enqueue the background job that counts the service's figures again and checks its
    limits on them, after routing, decisions, outcomes or a page that showed stale figures,
    at most once per delay (the job then sees every batch routed meanwhile). True if one
    was enqueued.

    ``at_once``: a page asked for a window never counted; the job runs as soon as a worker
    is free instead of after the delay, unless one is enqueued already (which counts the
    asked window too).

    The cache holds when the enqueued job runs; a process that has seen it asks the cache
    nothing more until then (the job cannot start earlier, so it sees the change)."""
    from django.core.cache import cache

    from . import tasks

    delay = int(getattr(settings, "HUMAN_AI_MONITORING_DELAY_SECONDS", 60))
    now = timezone.now()
    if delay and not at_once and _DUE.get(service_id, 0.0) > now.timestamp():
        return False
    run_after = now + datetime.timedelta(seconds=0 if at_once else delay)
    if delay and not cache.add(_scheduled_key(service_id), run_after.timestamp(), delay):
        due = cache.get(_scheduled_key(service_id))
        if isinstance(due, int | float):
            _DUE[service_id] = float(due)
        return False

    def enqueue() -> None:
        _DUE[service_id] = run_after.timestamp()
        tasks.check_service_limits.using(run_after=run_after).enqueue(service_id)

    transaction.on_commit(enqueue)
    return True
