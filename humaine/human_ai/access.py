"""Who may see and do what with a scenario's data sets and team runs.

A data set and its runs are visible exactly to those who see the scenario
(``humaine.scenarios.access``): hub staff, members of its organisation, people with a role
in it other than affected employee. Everyone else gets 404, forged ids included. Within,
the scenario's editors (staff, lead, manager, expert) upload, map and build, deploy runs
as services, manage their tokens, record absences and export the records of routed cases.
A service's cases are seen in the worklist only by the person each was routed to
(``humaine.human_ai.worklist``).

Per-person figures (each person's accuracy and workload) are personal data about
performance: hub staff see them, a person sees their own (through :class:`PersonLink`),
and the rest of the scenario sees them only when the scenario records a works agreement
that allows it; otherwise the company sees aggregates.
"""

from __future__ import annotations

from functools import cached_property

from django.http import Http404

from humaine import policy
from humaine.scenarios.access import ScenarioAccess, access_for, scenarios_visible_to

from .models import DataSet, PersonLink, Run, ScenarioKey, Service

__all__ = [
    "TeamAccess",
    "can_view_dataset",
    "can_view_run",
    "can_view_service",
    "datasets_visible_to",
    "get_dataset_for_user",
    "get_run_for_user",
    "get_service_for_user",
    "runs_visible_to",
    "services_visible_to",
    "team_access",
]


def datasets_visible_to(user):
    return DataSet.objects.filter(scenario__in=scenarios_visible_to(user))


def runs_visible_to(user):
    return Run.objects.filter(scenario__in=scenarios_visible_to(user))


def services_visible_to(user):
    return Service.objects.filter(scenario__in=scenarios_visible_to(user))


def can_view_service(user, service: Service) -> bool:
    return services_visible_to(user).filter(pk=service.pk).exists()


def can_view_dataset(user, dataset: DataSet) -> bool:
    return datasets_visible_to(user).filter(pk=dataset.pk).exists()


def can_view_run(user, run: Run) -> bool:
    return runs_visible_to(user).filter(pk=run.pk).exists()


class TeamAccess:
    """The user's rights on the human-AI teams of one scenario they can see."""

    def __init__(self, scenario_access: ScenarioAccess):
        self.scenario_access = scenario_access
        self.user = scenario_access.user
        self.scenario = scenario_access.scenario

    @property
    def can_edit(self) -> bool:
        """Upload, map, build, cancel and re-run."""
        return self.scenario_access.can_edit

    @property
    def can_export_records(self) -> bool:
        """Export the records of routed cases (a scenario's editors: staff, lead, manager,
        expert)."""
        return self.scenario_access.can_edit

    @property
    def can_manage(self) -> bool:
        """Record the works agreement and link accounts to pseudonyms: hub staff."""
        return policy.is_staff(self.user)

    @cached_property
    def works_agreement(self) -> str:
        keys = ScenarioKey.objects.filter(scenario=self.scenario)
        return keys.values_list("works_agreement", flat=True).first() or ""

    @cached_property
    def own_pseudonyms(self) -> frozenset[str]:
        if not getattr(self.user, "is_authenticated", False):
            return frozenset()
        links = PersonLink.objects.filter(scenario=self.scenario, user=self.user)
        return frozenset(links.values_list("pseudonym", flat=True))

    @property
    def sees_every_person(self) -> bool:
        return policy.is_staff(self.user) or bool(self.works_agreement)

    def may_see_person(self, pseudonym: str) -> bool:
        return self.sees_every_person or pseudonym in self.own_pseudonyms


def team_access(user, scenario_pk) -> TeamAccess:
    """The scenario's team rights for ``user``; 404 when the scenario is hidden."""
    return TeamAccess(access_for(user, scenario_pk))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def get_dataset_for_user(user, scenario_pk, pk) -> tuple[TeamAccess, DataSet]:
    access = team_access(user, scenario_pk)
    dataset = DataSet.objects.filter(scenario=access.scenario, pk=_int(pk)).first()
    if dataset is None:
        raise Http404
    return access, dataset


def get_run_for_user(user, scenario_pk, pk) -> tuple[TeamAccess, Run]:
    access = team_access(user, scenario_pk)
    run = (
        Run.objects.select_related("dataset", "progress")
        .filter(scenario=access.scenario, pk=_int(pk))
        .first()
    )
    if run is None:
        raise Http404
    return access, run


def get_service_for_user(user, scenario_pk, pk) -> tuple[TeamAccess, Service]:
    access = team_access(user, scenario_pk)
    service = Service.objects.filter(scenario=access.scenario, pk=_int(pk)).first()
    if service is None:
        raise Http404
    return access, service


def my_links(user):
    """The pseudonyms of ``user`` in every scenario (for "My figures")."""
    if not getattr(user, "is_authenticated", False):
        return PersonLink.objects.none()
    return PersonLink.objects.filter(user=user).select_related("scenario")
