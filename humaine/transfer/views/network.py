"""The network: the public directory, a member's profile, and each member editing its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from .. import access, services
from ..forms import DirectoryForm, MemberProfileForm, NewMemberForm, StaffMemberForm
from ..models import NetworkMember


def directory(request):
    form = DirectoryForm(request.GET or None)
    members = access.members_visible_to(request.user).filter(left_at__isnull=True)
    members = members.select_related("organisation__sector")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            members = members.filter(kind=data["kind"])
        if data["sector"]:
            members = members.filter(organisation__sector__slug=data["sector"])
        if data["organisation_kind"]:
            members = members.filter(organisation__kind=data["organisation_kind"])
        if data["q"]:
            text = Q()
            for field in (
                "organisation__name",
                "offers_de",
                "offers_en",
                "seeks_de",
                "seeks_en",
                "description_de",
                "description_en",
            ):
                text |= Q(**{f"{field}__icontains": data["q"]})
            members = members.filter(text)
    return render(
        request,
        "transfer/directory.html",
        {
            "form": form,
            "members": members.order_by("organisation__name")[:500],
            "editable": access.members_editable_by(request.user).values_list("pk", flat=True),
            "may_manage": access.can_manage_network(request.user),
        },
    )


def member_detail(request, pk):
    member = (
        NetworkMember.objects.select_related("organisation__sector").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if member is None or not access.can_view_member(request.user, member):
        raise Http404
    return render(
        request,
        "transfer/member.html",
        {"member": member, "may_edit": access.can_edit_member(request.user, member)},
    )


@login_required
def my_profile(request):
    """A member's way to its organisation's profile (the first, when it has several)."""
    member = access.members_editable_by(request.user).order_by("pk").first()
    if member is None or policy.is_staff(request.user):
        messages.info(request, _("Your organisation has no profile in the network."))
        return redirect("transfer:directory")
    return redirect("transfer:member_edit", member.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = access.get_member_for_editor(request.user, pk)
    staff = access.can_manage_network(request.user)
    form_class = StaffMemberForm if staff else MemberProfileForm
    form = form_class(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.update_member_profile(request.user, member, form.cleaned_data, staff=staff)
        messages.success(request, _("The profile is saved."))
        return redirect("transfer:member", member.pk)
    if form.errors:
        member.refresh_from_db()
    return render(
        request,
        "transfer/member_form.html",
        {"form": form, "member": member},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request):
    policy.require(access.can_manage_network(request.user))
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_network_member(request.user, data["organisation"], data)
        except services.NetworkError as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(request, _("The organisation is in the network now."))
            return redirect("transfer:member", member.pk)
    return render(
        request,
        "transfer/member_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_leave(request, pk):
    member = access.get_member_for_editor(request.user, pk)
    policy.require(access.can_manage_network(request.user))
    services.end_membership(request.user, member)
    messages.success(request, _("The membership has ended."))
    return redirect("transfer:directory")
