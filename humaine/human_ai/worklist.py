"""The people's side of a deployed team: the cases routed to them, their final decisions,
and the true outcomes once they are known.

A person sees the cases routed to their pseudonyms (through
:class:`~humaine.human_ai.models.PersonLink`) and records one final decision per case; a
second decision is refused with a clear message, and a case routed to someone else is not
found for them. Outcomes come from the machine client (API) or from the scenario's editors.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.core import audit

from . import monitoring_alerts, monitoring_store
from .models import PersonLink, ServiceCase
from .services import TeamError

__all__ = [
    "cases_for",
    "classes_of",
    "get_case_for_person",
    "open_cases_for",
    "record_decision",
    "record_outcome",
]


def cases_for(user):
    """Every case routed to ``user`` (as one of their pseudonyms), newest first."""
    links = PersonLink.objects.filter(user=user) if user.is_authenticated else None
    if links is None:
        return ServiceCase.objects.none()
    mine = links.filter(scenario_id=OuterRef("service__scenario_id"), pseudonym=OuterRef("person"))
    return (
        ServiceCase.objects.exclude(person="")
        .filter(Exists(mine))
        .select_related("service", "service__scenario")
    )


def open_cases_for(user):
    """The cases still waiting for ``user``'s decision, oldest first (an audit case's AI
    decision, ``decided_by="ai"``, leaves it open for its person)."""
    return cases_for(user).exclude(decided_by=F("person")).order_by("created_at")


def get_case_for_person(user, pk) -> ServiceCase:
    """The case ``pk`` if it was routed to ``user``; 404 otherwise (forged ids too)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    case = cases_for(user).select_related("version__run").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def classes_of(case: ServiceCase) -> list[str]:
    """The decisions the case's team knows (its classes)."""
    return [str(c) for c in (case.version.run.result or {}).get("classes") or []]


def decided_by_person(case: ServiceCase) -> bool:
    return bool(case.person) and case.decided_by == case.person


@transaction.atomic
def record_decision(case: ServiceCase, decision: str, *, actor) -> ServiceCase:
    """The person's final decision on ``case`` (once)."""
    case = ServiceCase.objects.select_for_update().select_related("version__run").get(pk=case.pk)
    if decided_by_person(case):
        raise TeamError(_("Your decision on this case is already recorded."), field="decision")
    classes = classes_of(case)
    if decision not in classes:
        raise TeamError(_("Choose one of the decisions offered."), field="decision")
    case.decision = decision
    case.decided_by = case.person
    case.decided_at = timezone.now()
    case.save(update_fields=["decision", "decided_by", "decided_at"])
    audit.record(
        actor,
        "service_case.decided",
        case,
        agrees_with_ai=decision == case.ai_decision,
        audit_case=case.audit,
    )
    monitoring_alerts.schedule(case.service_id)  # limits checked in the background
    return case


@transaction.atomic
def record_outcome(case: ServiceCase, outcome: str, *, actor, actor_name=None) -> ServiceCase:
    """The true outcome of ``case`` (once; the same outcome again changes nothing)."""
    case = ServiceCase.objects.select_for_update().select_related("version__run").get(pk=case.pk)
    classes = classes_of(case)
    if outcome not in classes:
        raise TeamError(
            _("The outcome must be one of: %(classes)s.") % {"classes": ", ".join(classes)},
            field="outcome",
        )
    if case.outcome:
        if case.outcome == outcome:
            return case
        raise TeamError(
            _("A different outcome is already recorded for this case."), field="outcome"
        )
    case.outcome = outcome
    case.outcome_at = timezone.now()
    case.save(update_fields=["outcome", "outcome_at"])
    audit.record(actor, "service_case.outcome_recorded", case, actor_name=actor_name)
    monitoring_store.add_outcome(case.service_id)  # the count the service's page shows
    monitoring_alerts.schedule(case.service_id)  # limits checked in the background
    return case
