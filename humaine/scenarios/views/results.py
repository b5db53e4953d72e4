"""Survey results, outcome monitoring, the scenario's report (HTML and PDF)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from humaine import policy
from humaine.check.pdf import fresh_pdf_response

from .. import access as rules
from ..library import current_library
from ..outcome_sources import ai_figures
from ..presentation import export_rows, outcome_view, results_view
from ..selectors import gate_status, lang
from .common import page

EXPORT_FIELDS = [
    "scale",
    "wave",
    "wave_kind",
    "group",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "sd",
    "alpha",
    "distribution",
    "withheld",
]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def results(request, pk, survey_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    policy.require(access.can_view_results)
    wave, group = _int(request.GET.get("wave")), _int(request.GET.get("group"))
    scale = request.GET.get("scale") or None
    view = results_view(survey, lang(), wave=wave, group=group, scale=scale)
    context = view | {
        "survey": survey,
        "filters": {"wave": wave, "group": group, "scale": scale},
        "all_waves": [w for w in survey.waves.all() if w.is_closed],
        "all_groups": survey.groups.all(),
        "all_scales": [
            (s, current_library().scale(s).title.get(lang()))
            for s in survey.items
            if current_library().has_scale(s)
        ],
        "open_waves": [w for w in survey.waves.all() if not w.is_closed],
    }
    return page(request, "scenarios/results.html", access, "surveys", context)


@login_required
def results_csv(request, pk, survey_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    policy.require(access.can_view_results)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(survey.title) or "survey"
    response["Content-Disposition"] = f'attachment; filename="{name}-results.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(export_rows(survey, lang()))
    return response


@login_required
def outcomes(request, pk):
    access = rules.access_for(request.user, pk)
    return page(
        request,
        "scenarios/outcomes.html",
        access,
        "outcomes",
        outcome_view(access.scenario, lang())
        | {"target_form": _target_form(access), "ai": ai_figures(access.scenario, request.user)},
    )


def _target_form(access, data=None):
    from ..forms import TargetForm

    return TargetForm(data, scenario=access.scenario) if access.can_edit else None


@login_required
def target_add(request, pk):
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .. import services

    access = rules.access_for(request.user, pk)
    policy.require(access.can_edit and request.method == "POST")
    form = _target_form(access, request.POST)
    if form.is_valid():
        try:
            services.save_target(access.scenario, actor=request.user, **form.cleaned_data)
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The target has been set."))
            return redirect("scenarios:outcomes", pk=pk)
    context = outcome_view(access.scenario, lang()) | {
        "target_form": form,
        "ai": ai_figures(access.scenario, request.user),
    }
    return page(request, "scenarios/outcomes.html", access, "outcomes", context, status=400)


def _report_context(access):
    scenario = access.scenario
    surveys = [
        {"survey": s, "view": results_view(s, lang())}
        for s in scenario.surveys.prefetch_related("groups", "waves")
    ]
    return {
        "gate": gate_status(scenario),
        "changes": scenario.phase_changes.all(),
        "decisions": scenario.decisions.all(),
        "milestones": scenario.milestones.all(),
        "surveys": surveys,
        "outcome": outcome_view(scenario, lang()),
        "ai": ai_figures(scenario, access.user),
        "checks": scenario.checks.select_related("ai_check"),
        "generated_at": timezone.now(),
    }


@login_required
def report(request, pk):
    access = rules.access_for(request.user, pk)
    return page(request, "scenarios/report.html", access, "report", _report_context(access))


@login_required
def report_pdf(request, pk):
    access = rules.access_for(request.user, pk)
    context = _report_context(access) | {"scenario": access.scenario, "lang": lang()}
    name = slugify(access.scenario.title) or "scenario"
    # not cached (it says when it was made); a render place, at low priority (check.pdf)
    return fresh_pdf_response("scenarios/report_pdf.html", context, f"{name}-report.pdf", request)
