"""Who may see and do what in application scenarios.

A scenario is visible to hub staff, to members of its organisation, and to the people on
it with a role (experts of its team, the works council, ...), but not to an affected
employee, who sees only the surveys of their own group. Everyone else gets a 404, forged
ids included. Each rule is written once, as a queryset; the one-object checks ask the
same queryset, so a list and a page can never disagree.

Within a visible scenario a user holds *scenario roles*: the process model's roles of
their active memberships, ``staff`` for hub staff, and ``company`` for members of the
scenario's organisation without a role of their own.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q, QuerySet
from django.http import Http404

from humaine import policy

from .models import Member, Scenario, Survey

EMPLOYEE = "employee"
REPRESENTATIVES = "works_council"
# Roles that work on the scenario: add and change items, run surveys.
EDITORS = {"staff", "lead", "manager", "expert"}
MANAGERS = {"staff", "lead"}
SURVEY_MANAGERS = {"staff", "lead", "expert"}


def _is_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def scenarios_visible_to(user) -> QuerySet[Scenario]:
    """Scenarios ``user`` may open: staff all; members of the organisation theirs; people
    with a role other than affected employee the ones they are on."""
    if not _is_user(user):
        return Scenario.objects.none()
    if policy.is_staff(user):
        return Scenario.objects.all()
    condition = Q(organisation_id__in=policy.organisation_ids(user))
    roles = Member.objects.filter(user=user, active=True).exclude(role=EMPLOYEE)
    condition |= Q(pk__in=roles.values("scenario_id"))
    return Scenario.objects.filter(condition)


def get_scenario_for_user(user, pk) -> Scenario:
    """The scenario if ``user`` may see it; otherwise 404, forged ids included."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    scenario = (
        scenarios_visible_to(user)
        .select_related("organisation", "sector", "inquiry", "contact")
        .filter(pk=pk)
        .first()
    )
    if scenario is None:
        raise Http404
    return scenario


def can_view_scenario(user, scenario: Scenario) -> bool:
    return scenarios_visible_to(user).filter(pk=scenario.pk).exists()


def can_start_scenario(user) -> bool:
    """Start a scenario, from an inquiry or from scratch: hub staff."""
    return policy.is_staff(user)


class ScenarioAccess:
    """What one user may do in one scenario they can see (computed once per request)."""

    def __init__(self, user, scenario: Scenario):
        self.user = user
        self.scenario = scenario

    @cached_property
    def members(self) -> list[Member]:
        if not _is_user(self.user):
            return []
        return list(self.scenario.members.filter(user=self.user, active=True))

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = {m.role for m in self.members}
        if policy.is_staff(self.user):
            roles.add("staff")
        if self.scenario.organisation_id in policy.organisation_ids(self.user):
            roles.add("company")
        return frozenset(roles)

    def member_for(self, role: str) -> Member | None:
        return next((m for m in self.members if m.role == role), None)

    def holds(self, role: str) -> bool:
        return role in self.roles

    @property
    def can_edit(self) -> bool:
        return bool(self.roles & EDITORS)

    @property
    def can_manage_members(self) -> bool:
        return bool(self.roles & MANAGERS)

    @property
    def can_move_phase(self) -> bool:
        return bool(self.roles & MANAGERS)

    @property
    def can_manage_surveys(self) -> bool:
        return bool(self.roles & SURVEY_MANAGERS)

    @property
    def can_comment(self) -> bool:
        return True

    @property
    def can_view_results(self) -> bool:
        return True

    @property
    def can_manage_literacy(self) -> bool:
        return bool(self.roles & MANAGERS)

    @property
    def can_start_check(self) -> bool:
        return bool(self.roles & EDITORS)


def member_candidates(user, scenario: Scenario) -> QuerySet:
    """Accounts ``user`` may add to ``scenario`` directly: the people of the scenario's
    organisation; for hub staff also the hub's staff and the network's active experts.
    Nobody else learns which accounts exist."""
    from django.contrib.auth import get_user_model

    condition = Q(memberships__organisation=scenario.organisation)
    if policy.is_staff(user):
        condition |= Q(memberships__organisation__kind="hub") | Q(person__expert__active=True)
    ids = get_user_model().objects.filter(condition, is_active=True).values("pk")
    return (
        get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")
    )


def access_for(user, pk) -> ScenarioAccess:
    """The scenario behind ``pk`` with the user's rights in it; 404 when it is hidden."""
    return ScenarioAccess(user, get_scenario_for_user(user, pk))


def get_survey_for_user(user, scenario_pk, survey_pk) -> tuple[ScenarioAccess, Survey]:
    access = access_for(user, scenario_pk)
    try:
        survey = access.scenario.surveys.get(pk=int(survey_pk))
    except (Survey.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    return access, survey


def my_survey_memberships(user) -> QuerySet[Member]:
    """The affected-employee roles of ``user``: the surveys of their groups are theirs."""
    if not _is_user(user):
        return Member.objects.none()
    return Member.objects.filter(user=user, active=True, role=EMPLOYEE, group__isnull=False)
