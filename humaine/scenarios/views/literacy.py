"""The AI-literacy plan: who learns what by when, evidence per person, an auditor export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy

from .. import access as rules
from .. import services
from ..forms import EvidenceForm, LiteracyPlanForm
from ..literacy import auditor_rows, plan_status
from ..models import LiteracyEvidence, LiteracyRequirement
from .common import page, status_of


def _page(request, access, plan_form=None, evidence_form=None, evidence_for=None, status=200):
    context = {
        "rows": plan_status(access.scenario, timezone.localdate()),
        "plan_form": plan_form or LiteracyPlanForm(),
        "evidence_form": evidence_form,
        "evidence_for": evidence_for,
    }
    return page(request, "scenarios/literacy.html", access, "literacy", context, status=status)


@login_required
def literacy(request, pk):
    access = rules.access_for(request.user, pk)
    requirement = None
    if request.GET.get("evidence"):
        requirement = _requirement(access, request.GET["evidence"])
    form = EvidenceForm(requirement=requirement) if requirement else None
    return _page(request, access, evidence_form=form, evidence_for=requirement)


def _requirement(access, requirement_pk) -> LiteracyRequirement:
    try:
        return access.scenario.literacy.get(pk=int(requirement_pk))
    except (LiteracyRequirement.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@login_required
@require_POST
def plan(request, pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_manage_literacy)
    form = LiteracyPlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_literacy(access.scenario, actor=request.user, **form.cleaned_data)
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The plan has been updated."))
            return redirect("scenarios:literacy", pk=pk)
    return _page(request, access, plan_form=form, status=status_of(form))


@login_required
@require_POST
def evidence(request, pk, requirement_pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_manage_literacy)
    requirement = _requirement(access, requirement_pk)
    form = EvidenceForm(request.POST, request.FILES, requirement=requirement)
    if form.is_valid():
        try:
            services.record_evidence(requirement, actor=request.user, **form.cleaned_data)
        except services.ScenarioError as error:
            form.add_error("certificate", str(error))
        else:
            messages.success(request, _("The evidence has been recorded."))
            return redirect("scenarios:literacy", pk=pk)
    return _page(request, access, evidence_form=form, evidence_for=requirement, status=400)


@login_required
def certificate(request, pk, evidence_pk):
    access = rules.access_for(request.user, pk)
    try:
        item = LiteracyEvidence.objects.get(
            pk=int(evidence_pk), requirement__scenario=access.scenario
        )
        handle = item.certificate.open("rb")
    except (LiteracyEvidence.DoesNotExist, TypeError, ValueError, FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, content_type="application/octet-stream")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def export(request, pk):
    """For an auditor: who was trained on what, when, with which evidence."""
    access = rules.access_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ai-literacy-{access.scenario.pk}.csv"'
    fields = ["role", "topic", "due_on", "person", "evidence", "completed_on", "score", "note"]
    writer = csv.DictWriter(response, fieldnames=fields)
    writer.writeheader()
    writer.writerows(auditor_rows(access.scenario))
    return response
