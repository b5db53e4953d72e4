"""The scenario list, starting a scenario, the workspace and its activity feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from humaine import policy
from humaine.contact import access as contact_access
from humaine.core.audit import trail_for

from .. import access as rules
from .. import services
from ..forms import NewScenarioForm, ScenarioForm
from ..kinds import kinds
from ..models import Activity, Scenario
from ..process_model import default_process_model
from ..selectors import gate_status
from .common import page, status_of

FEED_SIZE = 15


@login_required
def scenario_list(request):
    scenarios = (
        rules.scenarios_visible_to(request.user)
        .select_related("organisation", "sector")
        .order_by("-created_at")[:200]
    )
    mine = rules.my_survey_memberships(request.user).exists()
    return render(
        request,
        "scenarios/list.html",
        {
            "scenarios": scenarios,
            "can_start": rules.can_start_scenario(request.user),
            "has_surveys": mine,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    policy.require(rules.can_start_scenario(request.user))
    form = NewScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.start_scenario(actor=request.user, **form.cleaned_data)
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The scenario has been started."))
            return redirect(scenario)
    return render(request, "scenarios/new.html", {"form": form}, status=status_of(form))


@login_required
@require_http_methods(["GET", "POST"])
def start_from_inquiry(request, pk):
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(rules.can_start_scenario(request.user))
    existing = Scenario.objects.filter(inquiry=inquiry).first()
    initial = {
        "title": inquiry.work_process,
        "goal": inquiry.problem,
        "work_process": inquiry.work_process,
    }
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            scenario = services.start_scenario(
                actor=request.user, inquiry=inquiry, **form.cleaned_data
            )
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The scenario has been started from the inquiry."))
            return redirect(scenario)
    context = {
        "form": form,
        "inquiry": inquiry,
        "existing": existing,
        "team": inquiry.assignments.filter(active=True).select_related("expert__person"),
        "checks": inquiry.checks.all(),
    }
    return render(request, "scenarios/start_from_inquiry.html", context, status=status_of(form))


def _sections(scenario, access):
    out = []
    for kind in kinds():
        if kind.section_template and kind.visible(access):
            items = list(kind.items(scenario)[: kind.section_size])
            out.append({"kind": kind, "items": items})
    return out


@login_required
def workspace(request, pk):
    access = rules.access_for(request.user, pk)
    scenario = access.scenario
    model = default_process_model()
    position = model.position(scenario.phase)
    phases = [
        {"phase": p, "state": "done" if i < position else "current" if i == position else "open"}
        for i, p in enumerate(model.phases)
    ]
    context = {
        "phases": phases,
        "phase": scenario.phase_entry,
        "gate": gate_status(scenario),
        "sections": _sections(scenario, access),
        "feed": scenario.activities.all()[:FEED_SIZE],
        "counts": {
            "members": scenario.members.filter(active=True).count(),
            "groups": scenario.groups.count(),
            "surveys": scenario.surveys.count(),
        },
    }
    return page(request, "scenarios/workspace.html", access, "workspace", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_edit)
    scenario = access.scenario
    initial = {f: getattr(scenario, f) for f in ("title", "goal", "work_process", "people")}
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_scenario(scenario, form.cleaned_data, actor=request.user)
        messages.success(request, _("Saved."))
        return redirect(scenario)
    return page(
        request, "scenarios/edit.html", access, "workspace", {"form": form}, status=status_of(form)
    )


@login_required
def activity(request, pk):
    access = rules.access_for(request.user, pk)
    feed = Activity.objects.filter(scenario=access.scenario)[:300]
    trail = trail_for(access.scenario)[:300] if policy.is_staff(request.user) else None
    return page(
        request, "scenarios/activity.html", access, "activity", {"feed": feed, "trail": trail}
    )


@login_required
def item_url(request, pk, kind, item_pk):
    """Follow a feed line to its item (404 when the item is gone or hidden)."""
    access = rules.access_for(request.user, pk)
    from ..kinds import get_kind, item_of

    item = item_of(access.scenario, kind, item_pk)
    kind_entry = get_kind(kind)
    if not kind_entry.visible(access):
        raise Http404
    return redirect(kind_entry.url(access.scenario.pk, item.pk))
