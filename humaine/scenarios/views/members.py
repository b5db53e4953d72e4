"""Members and roles: invitations by one-time link, joining without an account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.core.tokens import hash_token, plausible

from .. import access as rules
from .. import services
from ..forms import AddMemberForm, GroupForm, InviteForm, JoinForm
from ..models import Member
from .common import page, status_of


def _add_form(access, data=None) -> AddMemberForm | None:
    if not access.can_manage_members:
        return None
    candidates = rules.member_candidates(access.user, access.scenario)
    return AddMemberForm(data, scenario=access.scenario, candidates=candidates)


def _members_page(request, access, form=None, invited=None, status=200, add_form=None):
    members = access.scenario.members.filter(active=True).select_related("person", "user", "group")
    context = {
        "members": members,
        "form": form or InviteForm(scenario=access.scenario),
        "add_form": add_form or _add_form(access),
        "invited": invited,
    }
    return page(request, "scenarios/members.html", access, "members", context, status=status)


def _add_account(request, access):
    form = _add_form(access, request.POST)
    if not form.is_valid():
        return _members_page(request, access, add_form=form, status=400)
    try:
        member = services.add_member(
            access.scenario,
            user=form.cleaned_data["account"],
            role=form.cleaned_data["role"],
            group=form.cleaned_data["group"],
            actor=request.user,
        )
    except services.ScenarioError as error:
        form.add_error(None, str(error))
        return _members_page(request, access, add_form=form, status=400)
    messages.success(request, _("%(name)s has been added.") % {"name": member.display_name})
    return redirect("scenarios:members", pk=access.scenario.pk)


@login_required
@require_http_methods(["GET", "POST"])
def members(request, pk):
    access = rules.access_for(request.user, pk)
    if request.method == "GET":
        return _members_page(request, access)
    policy.require(access.can_manage_members)
    if request.POST.get("form") == "add":
        return _add_account(request, access)
    form = InviteForm(request.POST, scenario=access.scenario)
    if not form.is_valid():
        return _members_page(request, access, form, status=400)
    try:
        invited = services.invite_member(access.scenario, actor=request.user, **form.cleaned_data)
    except services.ScenarioError as error:
        form.add_error(None, str(error))
        return _members_page(request, access, form, status=400)
    link = request.build_absolute_uri(reverse("scenarios:join", args=[invited.token]))
    messages.success(request, _("%(name)s is invited.") % {"name": invited.member.display_name})
    return _members_page(request, access, invited={"member": invited.member, "link": link})


def _member(access, member_pk, active_only: bool = True) -> Member:
    members = (
        access.scenario.members.filter(active=True) if active_only else access.scenario.members
    )
    try:
        return members.get(pk=int(member_pk))
    except (Member.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@login_required
@require_POST
def remove(request, pk, member_pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_manage_members)
    # Removing someone already removed is no error (a second click, a stale page).
    services.remove_member(_member(access, member_pk, active_only=False), actor=request.user)
    messages.success(request, _("The member has been removed."))
    return redirect("scenarios:members", pk=pk)


@login_required
@require_POST
def renew(request, pk, member_pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_manage_members)
    try:
        invited = services.renew_invitation(_member(access, member_pk), actor=request.user)
    except services.ScenarioError as error:
        messages.error(request, str(error))
        return redirect("scenarios:members", pk=pk)
    link = request.build_absolute_uri(reverse("scenarios:join", args=[invited.token]))
    return _members_page(request, access, invited={"member": invited.member, "link": link})


def _invitation(token: str) -> Member:
    if not plausible(token):
        raise Http404
    member = (
        Member.objects.select_related("scenario", "scenario__organisation")
        .filter(token_hash=hash_token(token), active=True)
        .first()
    )
    if member is None:
        raise Http404
    return member


@require_http_methods(["GET", "POST"])
def join(request, token):
    """Accept an invitation: logged in, or by creating an account on the spot."""
    try:
        member = _invitation(token)
    except Http404:
        return render(request, "scenarios/join_invalid.html", status=404)
    form = JoinForm(request.POST or None) if not request.user.is_authenticated else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if request.user.is_authenticated:
                member = services.join(member, user=request.user)
            else:
                member = services.join(member, **form.cleaned_data)
                login(request, member.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        except services.ScenarioError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Welcome to the scenario."))
            if member.role == rules.EMPLOYEE:
                return redirect("scenarios:my_surveys")
            return redirect(member.scenario)
    expired = member.invitation_expires_at is None or member.invitation_expires_at < timezone.now()
    context = {"member": member, "form": form, "error": error, "expired": expired}
    status = 400 if error or (form is not None and form.errors) else 200
    return render(request, "scenarios/join.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def groups(request, pk):
    access = rules.access_for(request.user, pk)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            try:
                services.save_group(access.scenario, actor=request.user, **form.cleaned_data)
            except services.ScenarioError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, _("The group has been saved."))
                return redirect("scenarios:groups", pk=pk)
    items = access.scenario.groups.all()
    return page(
        request,
        "scenarios/groups.html",
        access,
        "groups",
        {"groups": items, "form": form},
        status=status_of(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk, group_pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_edit)
    try:
        group = access.scenario.groups.get(pk=int(group_pk))
    except (ValueError, TypeError, access.scenario.groups.model.DoesNotExist):
        raise Http404 from None
    initial = {"name": group.name, "description": group.description, "headcount": group.headcount}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_group(
                access.scenario, actor=request.user, group=group, **form.cleaned_data
            )
        except services.ScenarioError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("scenarios:groups", pk=pk)
    return page(
        request,
        "scenarios/group_edit.html",
        access,
        "groups",
        {"group": group, "form": form},
        status=status_of(form),
    )
