"""Pages of matching: the triage panel, accepting a team, expert profiles, the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.contact import access as contact_access
from humaine.contact.models import Expert
from humaine.core.models import Progress
from humaine.core.views import progress_context

from . import access, services
from .forms import ExpertProfileForm, ImportForm, TeamForm
from .importer import COLUMNS, plan_import
from .matches import MatchInput, annotate_load, find_matches, free_hours, pick


def _outcome(request, inquiry):
    return find_matches(MatchInput.for_inquiry(inquiry), request.user)


@login_required
def panel(request, pk):
    """Similar cases, methods and (for staff) the proposed team of one inquiry.

    Loaded into the inquiry's page by htmx; without JavaScript the page links here and
    this renders as a page of its own.
    """
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_view_matches(request.user, inquiry))
    outcome = _outcome(request, inquiry)
    context = {
        "inquiry": inquiry,
        "outcome": outcome,
        "team_form": TeamForm(outcome.team) if outcome.team else None,
        "can_accept": access.can_accept_team(request.user, inquiry) and inquiry.is_open,
        "accepted": _accepted_team(inquiry) if outcome.team else [],
    }
    template = "matching/_panel.html" if request.htmx else "matching/panel_page.html"
    return render(request, template, context)


def _accepted_team(inquiry):
    return list(
        inquiry.assignments.filter(active=True)
        .select_related("expert__person__organisation")
        .order_by("created_at", "pk")
    )


@login_required
@require_POST
def accept_team(request, pk):
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_accept_team(request.user, inquiry))
    outcome = _outcome(request, inquiry)
    form = TeamForm(outcome.team, request.POST)
    if not outcome.team or not outcome.team.slots:
        messages.error(request, _("There is no team to accept."))
        return redirect(inquiry)
    if not form.is_valid():
        messages.error(request, form.refusal())
        return redirect(reverse("matching:panel", args=[inquiry.pk]))
    change = services.team_change(inquiry, form.members())
    if change.unchanged:
        messages.info(request, _("This is already the inquiry's team; nothing changed."))
        return redirect(inquiry)
    if change.replaces and request.POST.get("confirm") != "replace":
        # an accepted team is replaced only after staff saw who leaves and who joins
        choice = [(name, form.cleaned_data[name]) for name in form.fields]
        context = {"inquiry": inquiry, "change": change, "choice": choice}
        return render(request, "matching/replace_team.html", context)
    try:
        services.accept_team(
            inquiry,
            form.members(),
            actor=request.user,
            roles=form.roles(),
            slots=form.slot_kinds(),
            replace_accepted=request.POST.get("confirm") == "replace",
        )
    except services.TeamError as error:
        messages.error(request, str(error))
        return redirect(reverse("matching:panel", args=[inquiry.pk]))
    messages.success(request, _("Team accepted; the experts' load is updated."))
    return redirect(inquiry)


@login_required
@require_POST
def override_conflict(request, pk, expert_pk):
    """Allow an expert despite a conflict of interest, with the reason staff give."""
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_accept_team(request.user, inquiry))
    expert = get_object_or_404(Expert, pk=expert_pk)
    try:
        services.override_conflict(
            inquiry, expert, reason=request.POST.get("reason", ""), actor=request.user
        )
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Recorded: %(name)s may be proposed.") % {"name": expert})
    return redirect(reverse("matching:panel", args=[inquiry.pk]))


@login_required
def my_profile(request):
    expert_id = policy.expert_id(request.user)
    if expert_id is None:
        messages.info(request, _("You have no expert profile yet; the hub's staff can create one."))
        return redirect("core:dashboard")
    return redirect("matching:expert_profile", pk=expert_id)


@login_required
@require_http_methods(["GET", "POST"])
def expert_profile(request, pk):
    expert = contact_access.get_expert_for_user(request.user, pk)
    form = ExpertProfileForm.for_expert(expert, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.update_expert_profile(expert, form.cleaned_data, actor=request.user)
        messages.success(request, _("Profile saved. Matching uses it within a minute."))
        return redirect("matching:expert_profile", pk=expert.pk)
    assignments = expert.assignments.filter(active=True).select_related("inquiry")
    expert = annotate_load(Expert.objects.filter(pk=expert.pk)).select_related(
        "person__organisation"
    )[0]
    return render(
        request,
        "matching/expert_profile.html",
        {
            "expert": expert,
            "form": form,
            "assignments": assignments,
            "free_hours": free_hours(expert),
            "own": policy.expert_id(request.user) == expert.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_experts(request):
    policy.require(access.can_import_experts(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    applied = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = plan_import(upload.read(), upload.name)
        if plan.ok and not form.cleaned_data["dry_run"]:
            applied = services.import_experts(plan, actor=request.user)
            messages.success(request, _("Import done."))
    return render(
        request,
        "matching/import.html",
        {"form": form, "plan": plan, "applied": applied, "pick": pick, "columns": COLUMNS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """The matching index: its last rebuild's progress, and a button to rebuild it."""
    policy.require(access.can_rebuild_matching(request.user))
    if request.method == "POST":
        services.request_rebuild(actor=request.user, force=request.POST.get("force") == "on")
        messages.success(request, _("The rebuild is queued; its progress shows below."))
        return redirect("matching:index")
    last = Progress.objects.filter(kind=services.REBUILD).select_related("requested_by").first()
    context = {"rebuild": progress_context(last) if last else None}
    return render(request, "matching/index.html", context)
