"""Pages of deployed teams: services and their versions, tokens, absences, the records
export, and the worklist where each person decides the cases routed to them."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from . import access as rules
from . import (
    availability,
    deployment,
    monitoring,
    monitoring_alerts,
    monitoring_store,
    rebuild_views,
    records,
    worklist,
)
from .forms import kind_label
from .models import (
    Absence,
    PersonLink,
    Run,
    Service,
    ServiceCase,
    ServiceThresholds,
    ServiceToken,
    ThresholdCrossing,
)
from .service_forms import (
    AbsenceForm,
    DecisionForm,
    DeployForm,
    LimitsForm,
    OutcomeForm,
    PeriodForm,
    ServiceForm,
    SuggestionForm,
    TokenForm,
)
from .services import TeamError
from .views import _page

RECENT_CASES = 50


def _deployable(scenario):
    runs = Run.objects.filter(scenario=scenario, status=Run.Status.DONE).select_related("dataset")
    return [r for r in runs if "team/metadata.json" in (r.files or [])]


def _run_of(scenario, value) -> Run:
    run = next((r for r in _deployable(scenario) if str(r.pk) == str(value)), None)
    if run is None:
        raise TeamError(_("Choose a finished run of this scenario."), field="run")
    return run


# --------------------------------------------------------------------------- services


@login_required
@require_http_methods(["GET", "POST"])
def services(request, pk):
    """The scenario's services, and a new one from a finished run."""
    access = rules.team_access(request.user, pk)
    runs = _deployable(access.scenario)
    form = ServiceForm(request.POST or None, runs=runs)
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            try:
                service = deployment.create_service(
                    access.scenario,
                    title=form.cleaned_data["title"],
                    run=_run_of(access.scenario, form.cleaned_data["run"]),
                    actor=request.user,
                )
            except TeamError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("The run is deployed as a service."))
                return redirect(service.get_absolute_url())
    context = {
        "services": Service.objects.filter(scenario=access.scenario).prefetch_related("versions"),
        "form": form if runs else None,
    }
    return _page(request, "human_ai/services.html", access, context, 400 if form.errors else 200)


def _inputs(run: Run | None) -> dict | None:
    """The inputs a case must carry and the decisions, as the run's build recorded them."""
    if run is None:
        return None
    result = run.result or {}
    columns = {name: kind_label(kind) for name, kind in (result.get("features") or {}).items()}
    return {"columns": columns, "classes": result.get("classes") or []}


def _window(request) -> int:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        days = 0
    return days if days in monitoring.WINDOWS else monitoring_alerts.window_days()


def _monitoring(access, service, version, days: int) -> dict:
    """The monitoring part of the service page: the figures as last counted (stored per
    version and window; stale ones, and a window never counted, are counted in the
    background, never here), drift, fairness by group, limits and their crossings."""
    if version is not None:
        state = monitoring_store.shown(service, version, days).as_state()
    else:
        state = {
            "figures": monitoring.Figures(),
            "drift": {"reference": False, "n": 0, "features": []},
            "fairness": {"columns": [], "not_carried": []},
            "since": monitoring.window_start(days),
            "counted_at": None,
            "stale": False,
            "pending": False,
        }
    figures = state["figures"]
    shown = [p for p in figures.persons if access.may_see_person(p.pseudonym)]
    limits = ServiceThresholds.objects.filter(service=service).first()
    crossings = [
        {
            "label": monitoring_alerts.FIGURES.get(c.figure, (c.figure,))[0],
            "subject": c.subject,
            "value": c.value,
            "limit": c.limit,
            "started_at": c.started_at,
            "hidden": c.figure == "person_share" and not access.sees_every_person,
        }
        for c in ThresholdCrossing.objects.filter(service=service, ended_at__isnull=True)
    ]
    return {
        "figures": figures,
        "person_loads": shown,
        "loads_withheld": len(shown) < len(figures.persons),
        "drift": state["drift"],
        "fairness": state["fairness"],
        "monitoring_days": days,
        "monitoring_windows": monitoring.WINDOWS,
        "monitoring_since": state["since"],
        "monitoring_counted_at": state["counted_at"],
        "monitoring_stale": state["stale"],
        "monitoring_pending": state["pending"],
        "crossings": crossings,
        "limits_form": LimitsForm(instance=limits) if access.can_edit else None,
    }


def _service_context(access, service, *, days=None, **extra):
    version = service.active_version
    cases = ServiceCase.objects.filter(service=service)
    run = version.run if version else None
    context = {
        "service": service,
        "version": version,
        "versions": service.versions.select_related("run", "run__dataset", "deployed_by"),
        "schema": _inputs(run),
        "recent": cases.select_related("version")[:RECENT_CASES],
        "tokens": service.tokens.all() if access.can_edit else [],
        "deploy_form": DeployForm(runs=_deployable(service.scenario)) if access.can_edit else None,
        "suggestion_form": SuggestionForm(initial={"show_suggestion": service.show_suggestion}),
        "token_form": TokenForm(),
        "rebuild": rebuild_views.service_panel(service),
        "api_url": f"/api/v1/services/{service.pk}/cases",
    }
    context |= _monitoring(access, service, version, days or monitoring_alerts.window_days())
    return context | extra


@login_required
def service(request, pk, service_pk):
    """A service: its active version and earlier ones, inputs, tokens, figures, recent cases."""
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    context = _service_context(access, the_service, days=_window(request))
    return _page(request, "human_ai/service.html", access, context)


@login_required
@require_POST
def service_limits(request, pk, service_pk):
    """The limits of the service's figures (the scenario's editors)."""
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    limits = ServiceThresholds.objects.filter(service=the_service).first()
    form = LimitsForm(request.POST, instance=limits)
    if form.is_valid():
        deployment.set_limits(the_service, form, actor=request.user)
        messages.success(request, _("The limits are saved; they are checked in the background."))
        return redirect(f"{the_service.get_absolute_url()}#limits-heading")
    context = _service_context(access, the_service, limits_form=form)
    return _page(request, "human_ai/service.html", access, context, 400)


@login_required
@require_POST
def service_deploy(request, pk, service_pk):
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    form = DeployForm(request.POST, runs=_deployable(access.scenario))
    try:
        if not form.is_valid():
            raise TeamError(_("Choose a finished run of this scenario."), field="run")
        deployment.deploy(
            the_service, _run_of(access.scenario, form.cleaned_data["run"]), actor=request.user
        )
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The run is now the service's active version."))
    return redirect(the_service.get_absolute_url())


@login_required
@require_POST
def service_settings(request, pk, service_pk):
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        deployment.set_show_suggestion(
            the_service, form.cleaned_data["show_suggestion"], actor=request.user
        )
        messages.success(request, _("Saved."))
    return redirect(the_service.get_absolute_url())


@login_required
@require_POST
def token_new(request, pk, service_pk):
    """A new token, shown on this page once (only its hash is kept)."""
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    form = TokenForm(request.POST)
    new_key = ""
    if form.is_valid():
        _token, new_key = deployment.issue_token(
            the_service, name=form.cleaned_data["name"], actor=request.user
        )
    context = _service_context(access, the_service, token_form=form, new_key=new_key)
    status = 200 if new_key else 400
    response = _page(request, "human_ai/service.html", access, context, status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk, service_pk, token_pk):
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    policy.require(access.can_edit)
    token = ServiceToken.objects.filter(service=the_service, pk=token_pk).first()
    if token is None:
        raise Http404
    try:
        deployment.revoke_token(token, actor=request.user)
        messages.success(request, _("The token has been revoked."))
    except TeamError as error:
        messages.error(request, str(error))
    return redirect(the_service.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def service_case(request, pk, service_pk, case_pk):
    """A routed case as recorded; the scenario's editors record its outcome here."""
    access, the_service = rules.get_service_for_user(request.user, pk, service_pk)
    case = (
        ServiceCase.objects.filter(service=the_service, pk=case_pk)
        .select_related("version__run")
        .first()
    )
    if case is None:
        raise Http404
    form = OutcomeForm(request.POST or None, classes=worklist.classes_of(case))
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            try:
                worklist.record_outcome(case, form.cleaned_data["outcome"], actor=request.user)
            except TeamError as error:
                form.add_error("outcome", str(error))
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect("human_ai:service_case", pk, the_service.pk, case.pk)
    context = {
        "service": the_service,
        "case": case,
        "person_shown": not case.person or access.may_see_person(case.person),
        "explanation": _explanation(case),
        "form": form if access.can_edit and not case.outcome else None,
    }
    return _page(
        request, "human_ai/service_case.html", access, context, 400 if form.errors else 200
    )


def _language() -> str:
    return "de" if (get_language() or "de").startswith("de") else "en"


def _explanation(case: ServiceCase) -> str:
    return case.explanation.get(_language(), "")


def _routing_sentence(data: dict) -> str:
    """Why the case came to the person, without the AI's suggestion."""
    return data.get(f"text_{_language()}", "")


# --------------------------------------------------------------------------- absences


def _team_persons(scenario) -> list[str]:
    """The persons of the scenario's active service versions (as the teams know them)."""
    names: list[str] = []
    for service in Service.objects.filter(scenario=scenario):
        version = service.active_version
        if version is not None:
            names.extend(
                p for p in (version.run.result or {}).get("persons") or [] if p not in names
            )
    return names


@login_required
@require_http_methods(["GET", "POST"])
def absences(request, pk):
    """Who of the teams is away; an absent person gets no case while away."""
    access = rules.team_access(request.user, pk)
    policy.require(access.can_edit)
    persons = _team_persons(access.scenario)
    labels = _person_labels(access, persons)
    form = AbsenceForm(request.POST or None, persons=persons, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            availability.record_absence(
                access.scenario,
                persons=persons,
                actor=request.user,
                **form.cleaned_data,
            )
        except TeamError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The absence is recorded."))
            return redirect("human_ai:absences", pk)
    away = availability.unavailable_on(access.scenario)
    context = {
        "form": form,
        "absences": [
            {"absence": a, "label": labels.get(a.pseudonym, a.pseudonym)}
            for a in availability.absent_persons(access.scenario)
        ],
        "persons": [{"label": labels.get(p, p), "away": p in away} for p in persons],
    }
    return _page(request, "human_ai/absences.html", access, context, 400 if form.errors else 200)


def _person_labels(access, persons) -> dict[str, str]:
    """Each pseudonym, with the linked account's name for those who may see the person."""
    linked = dict(
        PersonLink.objects.filter(scenario=access.scenario, pseudonym__in=persons).values_list(
            "pseudonym", "user__username"
        )
    )
    out = {}
    for p in persons:
        name = linked.get(p) if access.may_see_person(p) else None
        out[p] = f"{p} ({name})" if name else p
    return out


@login_required
@require_POST
def absence_remove(request, pk, absence_pk):
    access = rules.team_access(request.user, pk)
    policy.require(access.can_edit)
    absence = Absence.objects.filter(scenario=access.scenario, pk=absence_pk).first()
    if absence is None:
        raise Http404
    availability.remove_absence(absence, actor=request.user)
    messages.success(request, _("The person is present again."))
    return redirect("human_ai:absences", pk)


# ---------------------------------------------------------------------------- records


class _Echo:
    def write(self, value):
        return value


@login_required
def records_export(request, pk):
    """The scenario's routed cases of a period as CSV (GET with ``start`` and ``end``)."""
    access = rules.team_access(request.user, pk)
    policy.require(access.can_export_records)
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else None
    form = PeriodForm(data, initial={"start": today - datetime.timedelta(days=30), "end": today})
    if data is None or not form.is_valid():
        status = 400 if data is not None else 200
        context = {"form": form, "retention_days": records.retention_days()}
        return _page(request, "human_ai/records.html", access, context, status)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    cases = records.cases_of(access.scenario, start, end)
    records.log_export(request.user, access.scenario, start, end, cases.count())
    writer = csv.writer(_Echo())
    rows = records.export_rows(cases, may_see_person=access.may_see_person)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="routed-cases-{access.scenario.pk}-{start}-{end}.csv"'
    )
    return response


# ---------------------------------------------------------------------------- worklist


@login_required
def my_worklist(request):
    """The cases routed to me: open ones first (oldest first), then the ones I decided."""
    open_cases = list(worklist.open_cases_for(request.user)[:200])
    done = worklist.cases_for(request.user).filter(decided_by=F("person"))[:50]
    return render(
        request, "human_ai/worklist.html", {"open_cases": open_cases, "done_cases": list(done)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def worklist_case(request, case_pk):
    """One case routed to me: its data and explanation; I record the final decision once."""
    case = worklist.get_case_for_person(request.user, case_pk)
    decided = worklist.decided_by_person(case)
    form = DecisionForm(request.POST or None, classes=worklist.classes_of(case))
    status = 200
    if request.method == "POST":
        if decided:
            messages.error(request, _("Your decision on this case is already recorded."))
            return redirect("human_ai:worklist_case", case.pk)
        if form.is_valid():
            try:
                worklist.record_decision(case, form.cleaned_data["decision"], actor=request.user)
            except TeamError as error:
                form.add_error("decision", str(error))
            else:
                messages.success(request, _("Your decision is recorded."))
                return redirect("human_ai:worklist_case", case.pk)
        status = 400
    # the AI's suggestion (and its reasons) only once decided, unless the service shows it
    show_ai = decided or case.service.show_suggestion
    data = case.explanation.get("data") or {}
    context = {
        "case": case,
        "decided": decided,
        "form": None if decided else form,
        "show_ai": show_ai,
        "explanation": _explanation(case) if show_ai else _routing_sentence(data),
        "reasons": data.get("top_features") if show_ai else [],
    }
    return render(request, "human_ai/worklist_case.html", context, status=status)
