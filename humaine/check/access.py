"""Who may see and do what in the check.

A standalone check is opened through its private link (whoever holds it owns the check)
or by the logged-in user who created it; a check attached to an inquiry by whoever may
see the inquiry. Respondents open only their own page, through their invitation link.
The list is ``Check.objects.visible_to(user)``; :func:`can_view_check` says the same for
one check (the access matrix test checks that they agree).
"""

from __future__ import annotations

from django.http import Http404

from humaine import policy
from humaine.contact import access as contact_access
from humaine.policy import Rule

from .models import Check, Respondent


def can_start_check(user, inquiry) -> bool:
    """Start a check on an inquiry: hub staff and members of the inquiry's organisation."""
    return policy.is_staff(user) or inquiry.organisation_id in policy.organisation_ids(user)


def checks_visible_to(user):
    return Check.objects.visible_to(user)


def can_view_check(user, check: Check) -> bool:
    if check.inquiry_id is not None:
        return contact_access.can_view_inquiry(user, check.inquiry)
    return policy.is_authenticated(user) and check.created_by_id == user.pk


def can_manage_check(user, check: Check) -> bool:
    """Invite respondents, set the case profile, edit the documents."""
    if check.inquiry_id is not None:
        return can_start_check(user, check.inquiry)
    return can_view_check(user, check)


def get_check_for_user(user, pk) -> Check:
    """Return the check if ``user`` may see it; otherwise 404, forged ids included."""
    try:
        check = Check.objects.select_related("inquiry").get(pk=int(pk))
    except (Check.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_check(user, check):
        raise Http404
    return check


def get_check_by_result_token(token: str) -> Check:
    """Return the standalone check of a private link; 404 when the token is wrong."""
    try:
        return Check.by_token(token, Check.objects.select_related("inquiry"))
    except Check.DoesNotExist:
        raise Http404 from None


def get_respondent_by_token(token: str) -> Respondent:
    """Return the respondent of an invitation link; 404 when the token is wrong."""
    try:
        return Respondent.by_token(token, Respondent.objects.select_related("ai_check"))
    except Respondent.DoesNotExist:
        raise Http404 from None


def get_respondent_of_check(check: Check, pk) -> Respondent:
    """Return a respondent of ``check``; 404 for another check's respondent or a forged id."""
    try:
        return check.respondents.get(pk=int(pk))
    except (Respondent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


RULES = [Rule("checks", "check.check", checks_visible_to, can_view_check)]
