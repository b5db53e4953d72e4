"""Pages of a new run built from a service's recorded cases: start it from the service's
page, read its comparison with the active version on the run's page, and replace the
active version with it once the editor confirms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy

from . import access as rules
from . import monitoring_store, rebuild
from .models import DataSet, Run
from .services import TeamError


def service_panel(service) -> dict:
    """What the service's page shows of rebuilding: cases with an outcome (as stored,
    never counted here; None while being counted), the minimum, the runs built from the
    records so far, the records' checks that are still running or found problems."""
    runs = (
        Run.objects.filter(dataset__service=service)
        .select_related("dataset", "baseline")
        .order_by("-created_at", "-pk")[:10]
    )
    # data sets of the records still being checked, or that did not pass their checks
    checks = (
        DataSet.objects.filter(service=service)
        .exclude(status=DataSet.Status.READY)
        .order_by("-created_at", "-pk")[:5]
    )
    return {
        "count": monitoring_store.outcomes_shown(service),
        "needed": rebuild.min_cases(),
        "runs": list(runs),
        "checks": list(checks),
    }


def run_context(run: Run, access) -> dict:
    """The comparison block of a run built from a service's records."""
    if run.baseline_id is None:
        return {}
    version = run.baseline
    service = version.service
    active = service.active_version
    figures = rebuild.comparison(run) if run.status == Run.Status.DONE else None
    block = {
        "service": service,
        "version": version,
        "figures": figures,
        "rows": rebuild.rows(figures) if figures and figures.get("active") else [],
        "replaced": active is not None and active.run_id == run.pk,
        "still_active": active is not None and active.pk == version.pk,
    }
    block["can_replace"] = bool(
        access.can_edit and figures and block["still_active"] and run.status == Run.Status.DONE
    )
    return {"comparison": block}


@login_required
@require_POST
def service_rebuild(request, pk, service_pk):
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    try:
        dataset = rebuild.start_rebuild(the_service, actor=request.user)
    except TeamError as error:
        messages.error(request, str(error))
        return redirect(the_service.get_absolute_url())
    messages.success(
        request,
        _(
            "The recorded cases are read and checked in the background. When they pass, the "
            "new run starts; its page compares it with the active version when it has "
            "finished."
        ),
    )
    return redirect(dataset.get_absolute_url())


@login_required
@require_POST
def run_replace(request, pk, run_pk):
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    policy.require(access.can_edit)
    try:
        version = rebuild.deploy_rebuilt(
            the_run, confirm=request.POST.get("confirm") == "on", actor=request.user
        )
    except TeamError as error:
        messages.error(request, str(error))
        return redirect(the_run.get_absolute_url())
    messages.success(
        request,
        _("The run is now version %(number)s of the service; the version before is kept.")
        % {"number": version.number},
    )
    return redirect(version.service.get_absolute_url())
