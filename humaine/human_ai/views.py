"""Pages of the human-AI teams: upload, mapping and checks, runs, reports, comparison."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.core.views import progress_context
from humaine.scenarios.views.common import page

from . import access as rules
from . import report, services, uploads
from .forms import (
    ROLE_LABELS,
    MappingForm,
    PersonLinkForm,
    RunForm,
    UploadForm,
    WorksAgreementForm,
    kind_label,
)
from .models import DataSet, Run, ScenarioKey
from .problems import Problem
from .tables import suggest_decision_columns, suggest_mapping


def _page(request, template, access, context=None, status=200):
    base = {"team": access}
    return page(request, template, access.scenario_access, "items", base | (context or {}), status)


def _error(form, error: services.TeamError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


# ------------------------------------------------------------------------------ lists


@login_required
def datasets(request, pk):
    """The scenario's data sets, its settings for per-person figures, and the upload form."""
    access = rules.team_access(request.user, pk)
    key = ScenarioKey.objects.filter(scenario=access.scenario).first()
    context = {
        "datasets": DataSet.objects.of(access.scenario).prefetch_related("runs"),
        "key": key,
        "upload_form": UploadForm(),
        "agreement_form": WorksAgreementForm(
            initial={"works_agreement": key.works_agreement if key else ""}
        ),
        "link_form": _link_form(access) if access.can_manage else None,
        "max_bytes": settings.HUMAN_AI_MAX_UPLOAD_BYTES,
    }
    return _page(request, "human_ai/datasets.html", access, context)


def _link_form(access, data=None):
    users = (
        get_user_model()
        .objects.filter(
            scenario_memberships__scenario=access.scenario, scenario_memberships__active=True
        )
        .distinct()
    )
    return PersonLinkForm(data, users=users)


def _upload_handlers(request):
    return [uploads.DataUploadHandler(request, limit=settings.HUMAN_AI_MAX_UPLOAD_BYTES)]


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    """Upload a data set: the files stream to disk in chunks, never whole into memory, and
    stop at the size limit (``BadInputMiddleware`` sets these upload handlers first)."""
    access = rules.team_access(request.user, pk)
    policy.require(access.can_edit)
    form = UploadForm(request.POST or None, request.FILES or None)
    refused = uploads.upload_errors(request) if request.method == "POST" else {}
    for field, message in refused.items():
        form.add_error(field if field in form.fields else None, message)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            dataset = services.upload_dataset(
                access.scenario,
                cases=form.cleaned_data["cases"],
                decisions=form.cleaned_data.get("decisions"),
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except services.TeamError as error:
            _error(form, error)
        else:
            messages.success(request, _("Uploaded. Check the columns and map them."))
            return redirect("human_ai:dataset", pk=access.scenario.pk, dataset_pk=dataset.pk)
    status = 400 if form.errors else 200
    context = {"upload_form": form, "max_bytes": settings.HUMAN_AI_MAX_UPLOAD_BYTES}
    return _page(request, "human_ai/upload.html", access, context, status)


upload.upload_handlers = _upload_handlers


@login_required
@require_POST
def works_agreement(request, pk):
    access = rules.team_access(request.user, pk)
    policy.require(access.can_manage)
    form = WorksAgreementForm(request.POST)
    if form.is_valid():
        services.set_works_agreement(
            access.scenario, form.cleaned_data["works_agreement"], actor=request.user
        )
        messages.success(request, _("Saved."))
    return redirect("human_ai:datasets", pk=pk)


@login_required
@require_POST
def link_person(request, pk):
    access = rules.team_access(request.user, pk)
    policy.require(access.can_manage)
    form = _link_form(access, request.POST)
    if form.is_valid():
        user = get_user_model().objects.get(pk=form.cleaned_data["user"])
        try:
            services.link_person(
                access.scenario,
                user=user,
                identifier=form.cleaned_data["identifier"],
                actor=request.user,
            )
            messages.success(request, _("The account is linked to its pseudonym."))
        except services.TeamError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose an account and give the identifier."))
    return redirect("human_ai:datasets", pk=pk)


# ---------------------------------------------------------------------------- data set


def _columns(dataset: DataSet, problems: list[Problem]):
    """Each detected column with its role in the mapping and the problems about it."""
    mapping = dataset.column_mapping
    roles: dict[str, list[str]] = {}
    for role, column in dict.fromkeys(mapping.roles()):
        roles.setdefault(column, []).append(str(ROLE_LABELS.get(role, role)))
    rows = []
    for column in dataset.preview.columns:
        mine = [p for p in problems if p.column == column.name and p.source == "cases"]
        rows.append(
            {
                "column": column,
                "kind": kind_label(column.kind),
                "roles": roles.get(column.name, []),
                "problems": mine,
            }
        )
    return rows


def _mapping_form(dataset: DataSet, data=None) -> MappingForm:
    decisions = dataset.decisions
    mapping = dataset.column_mapping if dataset.mapping else None
    if mapping is None:
        guess = suggest_mapping(dataset.preview.columns)
        mapping = services.Mapping.from_dict(guess)
        if decisions:
            mapping.decisions = suggest_decision_columns(decisions.columns)
            mapping.humans = []
    return MappingForm(
        data,
        columns=dataset.preview.names,
        decision_columns=decisions.names if decisions else None,
        initial_mapping=mapping,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dataset(request, pk, dataset_pk):
    """A data set: preview, detected columns, mapping, checks, runs and a new run."""
    access, data_set = rules.get_dataset_for_user(request.user, pk, dataset_pk)
    form = _mapping_form(data_set, request.POST if request.method == "POST" else None)
    problems = data_set.problem_list
    status = 200
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            try:
                services.save_mapping(data_set, form.mapping(), actor=request.user)
            except services.TeamError as error:
                problems = error.problems
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The data checks run now."))
                return redirect("human_ai:dataset", pk=pk, dataset_pk=data_set.pk)
        status = 400
    context = {
        "dataset": data_set,
        "form": form,
        "problems": problems,
        "other_problems": [p for p in problems if not p.column or p.source != "cases"],
        "columns": _columns(data_set, problems),
        "preview": data_set.preview,
        "decisions_preview": data_set.decisions,
        "runs": data_set.runs.select_related("progress"),
        "run_form": RunForm(),
        **_progress(data_set.check_progress),
    }
    return _page(request, "human_ai/dataset.html", access, context, status)


def _progress(record) -> dict:
    if record is None:
        return {}
    context = progress_context(record)
    return {"check": context.pop("progress"), **context}


# -------------------------------------------------------------------------------- runs


@login_required
@require_POST
def run_new(request, pk, dataset_pk):
    access, data_set = rules.get_dataset_for_user(request.user, pk, dataset_pk)
    policy.require(access.can_edit)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_run(data_set, actor=request.user, **form.cleaned_data)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            return redirect("human_ai:run", pk=pk, run_pk=run.pk)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("human_ai:dataset", pk=pk, dataset_pk=data_set.pk)


@login_required
def run(request, pk, run_pk):
    """A run: its progress while it builds, then its report with plots."""
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    shown, withheld = report.persons(the_run, access)
    context = {"run": the_run, "persons": shown, "withheld": withheld}
    if the_run.progress_id:
        context |= {"progress": the_run.progress, **progress_context(the_run.progress)}
    if the_run.status == Run.Status.DONE:
        context |= {
            "headline": report.headline(the_run),
            "method_reason": report.method_reason(the_run),
            "aggregate": report.aggregate(the_run),
            "coverage_chart": report.coverage_chart(the_run),
            "calibration_chart": report.calibration_chart(the_run),
            "workload_chart": report.workload_chart(shown, the_run.person_capacity)
            if shown
            else "",
            "groups": report.groups(the_run),
            "deployment_message": _deployment_message(the_run, access),
        }
    if the_run.status == Run.Status.DATA_ERROR and the_run.error:
        context["problem"] = Problem.from_dict(the_run.error)
    from . import rebuild_views

    context |= rebuild_views.run_context(the_run, access)
    return _page(request, "human_ai/run.html", access, context)


def _deployment_message(run, access) -> str:
    deployment = (run.evaluation or {}).get("deployment") or {}
    if not access.sees_every_person:
        return ""
    key = "message_de" if (get_language() or "de").startswith("de") else "message_en"
    return deployment.get(key) or ""


@login_required
@require_POST
def run_cancel(request, pk, run_pk):
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    policy.require(access.can_edit)
    try:
        services.cancel_run(the_run, actor=request.user)
        messages.success(request, _("The run is being stopped."))
    except services.TeamError as error:
        messages.error(request, str(error))
    return redirect("human_ai:run", pk=pk, run_pk=the_run.pk)


@login_required
@require_POST
def run_retry(request, pk, run_pk):
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    policy.require(access.can_edit)
    try:
        services.retry_run(the_run, actor=request.user)
        messages.success(request, _("The run is queued again."))
    except services.TeamError as error:
        messages.error(request, str(error))
    return redirect("human_ai:run", pk=pk, run_pk=the_run.pk)


@login_required
def compare(request, pk, dataset_pk):
    """The finished runs of a data set side by side."""
    access, data_set = rules.get_dataset_for_user(request.user, pk, dataset_pk)
    runs = list(data_set.runs.filter(status=Run.Status.DONE).order_by("number"))
    columns = report.comparison(runs)
    names = sorted({p for c in columns for p in c["persons"]})
    persons = [
        {"label": p, "values": [(c["persons"].get(p) or {}).get("accuracy") for c in columns]}
        for p in names
        if access.may_see_person(p)
    ]
    context = {
        "dataset": data_set,
        "columns": columns,
        "persons": persons,
        "withheld": len(persons) < len(names),
    }
    return _page(request, "human_ai/compare.html", access, context)


DOWNLOADS = {
    "report": ("report_aggregate.html", "text/html", "report.html"),
    "report_full": ("report.html", "text/html", "report-persons.html"),
    "model_card": ("team/MODEL_CARD.md", "text/markdown", "model-card.md"),
    "model_card_de": ("team/MODELLKARTE.md", "text/markdown", "modellkarte.md"),
}
# Files with per-person figures.
PER_PERSON = {"report_full", "model_card", "model_card_de"}


@login_required
def download(request, pk, run_pk, what):
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    if what not in DOWNLOADS:
        raise Http404
    if what in PER_PERSON:
        policy.require(access.sees_every_person)
    relative, content_type, filename = DOWNLOADS[what]
    try:
        handle = services.open_output(the_run, relative)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"run-{the_run.number}-{filename}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# ----------------------------------------------------------------------------- persons


@login_required
def my_figures(request):
    """A person's own figures in every finished run of the scenarios they are linked to."""
    rows = []
    for link in rules.my_links(request.user):
        for the_run in Run.objects.filter(scenario=link.scenario, status=Run.Status.DONE):
            figures = ((the_run.evaluation or {}).get("persons") or {}).get(link.pseudonym)
            if figures:
                rows.append({"scenario": link.scenario, "run": the_run, "figures": figures})
    return render(request, "human_ai/my_figures.html", {"rows": rows})
