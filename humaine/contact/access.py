"""Who may see and do what at the contact point: inquiries, people, organisations, experts.

The lists are QuerySet methods next to the models (``Inquiry.objects.visible_to(user)``);
the predicates for one object here say the same, and ``humaine/tests/test_access_matrix``
checks that they agree on every object of the test cast. Roles come from
:func:`grant`, registered as the hub's role source.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from humaine import policy
from humaine.policy import Grant, Role, RoleSource, Rule

from .models import Expert, Inquiry, Membership, Organisation, Person

# Roles ------------------------------------------------------------------------------------


def grant(user) -> Grant:
    """Roles from memberships (hub staff and admins, company members) and expert profiles."""
    roles: set[Role] = set()
    organisations: set[int] = set()
    for organisation_id, kind, role in Membership.objects.filter(user=user).values_list(
        "organisation_id", "organisation__kind", "role"
    ):
        if kind == Organisation.Kind.HUB and role == Membership.Role.ADMIN:
            roles |= {Role.ADMIN, Role.STAFF}
        elif kind == Organisation.Kind.HUB and role == Membership.Role.STAFF:
            roles.add(Role.STAFF)
        elif kind != Organisation.Kind.HUB:
            roles.add(Role.MEMBER)
            organisations.add(organisation_id)
    expert = (
        Expert.objects.filter(person__user=user, active=True).values_list("pk", flat=True).first()
    )
    if expert is not None:
        roles.add(Role.EXPERT)
    return Grant(frozenset(roles), frozenset(organisations), expert)


ROLES = RoleSource("contact", grant)


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# Inquiries --------------------------------------------------------------------------------


def inquiries_visible_to(user):
    return Inquiry.objects.visible_to(user)


def can_view_inquiry(user, inquiry: Inquiry) -> bool:
    if policy.is_staff(user):
        return True
    if inquiry.organisation_id in policy.organisation_ids(user):
        return True
    expert = policy.expert_id(user)
    return expert is not None and inquiry.assignments.filter(expert_id=expert, active=True).exists()


def get_inquiry_for_user(user, pk) -> Inquiry:
    """Return the inquiry if ``user`` may see it; otherwise 404, forged ids included."""
    inquiry = _get(Inquiry.objects.select_related("organisation", "sector", "contact"), pk)
    if not can_view_inquiry(user, inquiry):
        raise Http404
    return inquiry


def get_inquiry_by_token(token: str) -> Inquiry:
    """Return the inquiry of a status link; 404 when the token is wrong or expired."""
    try:
        inquiry = Inquiry.by_token(
            token, Inquiry.objects.select_related("organisation", "sector", "contact")
        )
    except Inquiry.DoesNotExist:
        raise Http404 from None
    if inquiry.token_expires_at < timezone.now():
        raise Http404
    return inquiry


def can_manage_inquiry(user, inquiry: Inquiry | None = None) -> bool:
    """Triage: change status, make someone responsible, write notes and messages."""
    return policy.is_staff(user)


def can_view_triage_queue(user) -> bool:
    return policy.is_staff(user)


# People, organisations, experts -----------------------------------------------------------


def can_manage_personal_data(user) -> bool:
    """Find, export and erase a person's data (GDPR art. 15 and 17)."""
    return policy.is_staff(user)


def can_view_person(user, person: Person) -> bool:
    return can_manage_personal_data(user)


def get_person_for_user(user, pk) -> Person:
    """Return a person's record for hub staff; 404 for anyone else and for forged ids."""
    if not can_manage_personal_data(user):
        raise Http404
    return _get(Person.objects.select_related("organisation"), pk)


def organisations_visible_to(user):
    return Organisation.objects.visible_to(user)


def can_view_organisation(user, organisation: Organisation) -> bool:
    return policy.is_staff(user) or organisation.pk in policy.organisation_ids(user)


def experts_visible_to(user):
    return Expert.objects.visible_to(user)


def can_view_expert(user, expert: Expert) -> bool:
    return expert.active and (policy.is_staff(user) or policy.is_expert(user))


def can_edit_expert(user, expert: Expert) -> bool:
    return policy.is_staff(user) or policy.expert_id(user) == expert.pk


def get_expert_for_user(user, pk) -> Expert:
    """Return an expert profile to edit: the expert themself or staff; 404 for anyone else."""
    expert = _get(Expert.objects.select_related("person__organisation"), pk)
    if not can_edit_expert(user, expert):
        raise Http404
    return expert


RULES = [
    Rule("inquiries", "contact.inquiry", inquiries_visible_to, can_view_inquiry),
    Rule("organisations", "contact.organisation", organisations_visible_to, can_view_organisation),
    Rule("people", "contact.person", Person.objects.visible_to, can_view_person),
    Rule("experts", "contact.expert", experts_visible_to, can_view_expert),
]
