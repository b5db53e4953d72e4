"""Who of a scenario's teams is present: absences (on leave, with an optional date range)
set in the hub and respected when cases are routed.

An absence names the person by pseudonym (as the team knows them); without dates it holds
until it is removed. Routing asks :func:`unavailable_on` for the day of the case (the hub's
local day) and gives an absent person no case.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.scenarios import services as scenario_services

from .models import Absence
from .services import TeamError

__all__ = ["absent_persons", "record_absence", "remove_absence", "unavailable_on"]


def unavailable_on(scenario, day: datetime.date | None = None) -> set[str]:
    """The pseudonyms of ``scenario``'s persons (the scenario or its id) who are away on
    ``day`` (default today)."""
    day = day or timezone.localdate()
    scenario_id = getattr(scenario, "pk", scenario)
    # the start is compared here: a query with one condition less (read for every request)
    current = Absence.objects.filter(
        Q(ends__isnull=True) | Q(ends__gte=day), scenario_id=scenario_id, removed_at__isnull=True
    ).values_list("pseudonym", "starts")
    return {pseudonym for pseudonym, starts in current if starts is None or starts <= day}


def absent_persons(scenario):
    """The scenario's recorded absences that have not ended yet, in order."""
    today = timezone.localdate()
    return Absence.objects.filter(scenario=scenario, removed_at__isnull=True).filter(
        Q(ends__isnull=True) | Q(ends__gte=today)
    )


def _log(actor, action, absence, *, verb, label, **details) -> None:
    # the pseudonym stays out of the trail (it would outlive an erasure)
    scenario_services.log(
        actor,
        action,
        absence,
        absence.scenario,
        kind="dataset",
        verb=verb,
        label=label,
        **details,
    )


@transaction.atomic
def record_absence(
    scenario,
    *,
    pseudonym: str,
    persons: list[str],
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    actor,
) -> Absence:
    """Record that ``pseudonym`` (one of the team's ``persons``) is away."""
    if pseudonym not in persons:
        raise TeamError(_("Choose a person of the team."), field="pseudonym")
    if starts and ends and ends < starts:
        raise TeamError(_("The absence cannot end before it starts."), field="ends")
    absence = Absence.objects.create(
        scenario=scenario,
        pseudonym=pseudonym,
        starts=starts,
        ends=ends,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _log(
        actor,
        "absence.recorded",
        absence,
        verb="absence_recorded",
        label=_("absence of a person in the team"),
        starts=starts,
        ends=ends,
    )
    return absence


@transaction.atomic
def remove_absence(absence: Absence, *, actor) -> None:
    """The person is present again (for the dates this absence covered); the absence is
    kept as removed. Removing it again changes nothing."""
    if absence.removed_at is not None:
        return
    absence.removed_at = timezone.now()
    absence.save(update_fields=["removed_at"])
    _log(
        actor,
        "absence.removed",
        absence,
        verb="absence_removed",
        label=_("absence of a person in the team"),
        starts=absence.starts,
        ends=absence.ends,
    )
