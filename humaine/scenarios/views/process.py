"""The process model in the scenario: phases, deliverables, the gate and its positions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy
from humaine.check.catalogue import default_catalogue

from .. import access as rules
from .. import services
from ..forms import PositionForm
from ..process_model import default_process_model
from ..selectors import codetermination_flags, gate_status
from .common import page


def _phase_rows(scenario):
    model, catalogue = default_process_model(), default_catalogue()
    done = set(scenario.deliverables.values_list("phase", "key"))
    position = model.position(scenario.phase)
    rows = []
    for index, phase in enumerate(model.phases):
        rows.append(
            {
                "phase": phase,
                "state": "done" if index < position else "current" if index == position else "open",
                "methods": [catalogue.get("recommendations", m) for m in phase.methods],
                "deliverables": [(d, (phase.id, d.id) in done) for d in phase.deliverables],
            }
        )
    return rows


def _page(request, access, form=None, status=200):
    scenario = access.scenario
    flags = codetermination_flags(scenario)
    gate = gate_status(scenario, flags)
    own_roles = [r for r in gate.roles if access.holds(r)]
    context = {
        "rows": _phase_rows(scenario),
        "gate": gate,
        "flags": flags,
        "own_roles": own_roles,
        "form": form or (PositionForm(roles=own_roles) if own_roles else None),
        "changes": scenario.phase_changes.all(),
    }
    return page(request, "scenarios/process.html", access, "process", context, status=status)


@login_required
def process(request, pk):
    return _page(request, rules.access_for(request.user, pk))


@login_required
@require_POST
def position(request, pk):
    access = rules.access_for(request.user, pk)
    gate = gate_status(access.scenario)
    form = PositionForm(request.POST, roles=gate.roles)
    if not form.is_valid():
        return _page(request, access, form, status=400)
    try:
        services.record_position(
            access.scenario, access=access, actor=request.user, **form.cleaned_data
        )
    except services.ScenarioError as error:
        form.add_error(None, str(error))
        return _page(request, access, form, status=403)
    messages.success(request, _("The position has been recorded."))
    return redirect("scenarios:process", pk=pk)


@login_required
@require_POST
def advance(request, pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_move_phase)
    try:
        services.advance_phase(access.scenario, actor=request.user)
    except services.ScenarioError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The scenario has moved to the next phase."))
    return redirect("scenarios:process", pk=pk)


@login_required
@require_POST
def deliverable(request, pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_edit)
    try:
        services.set_deliverable(
            access.scenario,
            phase=request.POST.get("phase", ""),
            key=request.POST.get("key", ""),
            done=request.POST.get("done") == "1",
            actor=request.user,
        )
    except services.ScenarioError as error:
        messages.error(request, str(error))
    return redirect("scenarios:process", pk=pk)
