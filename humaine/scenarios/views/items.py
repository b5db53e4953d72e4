"""Milestones, decisions, files with versions, and comments on any kind of item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from .. import access as rules
from .. import services
from ..forms import (
    CommentForm,
    DecisionForm,
    FileForm,
    MilestoneForm,
    RetireFileForm,
    VersionForm,
)
from ..kinds import get_kind, item_of
from ..models import Comment, FileVersion, ScenarioFile
from .common import page, status_of


def _comments(scenario, kind: str, item):
    return Comment.objects.filter(scenario=scenario, kind=kind, object_id=item.pk)


def _item_page(request, access, kind, item, template, context, status=200):
    context = {
        "item": item,
        "kind": get_kind(kind),
        "comments": _comments(access.scenario, kind, item),
        "comment_form": context.pop("comment_form", None) or CommentForm(),
        **context,
    }
    return page(request, template, access, "items", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def items(request, pk):
    """The item lists with forms to add a milestone, a decision and a file."""
    access = rules.access_for(request.user, pk)
    scenario = access.scenario
    which = request.POST.get("form") if request.method == "POST" else None
    post, files = (request.POST, request.FILES) if which else (None, None)
    milestone_form = MilestoneForm(post if which == "milestone" else None, scenario=scenario)
    decision_form = DecisionForm(post if which == "decision" else None, scenario=scenario)
    file_form = FileForm(post if which == "file" else None, files if which == "file" else None)
    if which:
        policy.require(access.can_edit)
        done = _add(request, scenario, which, milestone_form, decision_form, file_form)
        if done:
            return redirect("scenarios:items", pk=pk)
    context = {
        "milestones": scenario.milestones.select_related("owner__person", "owner__user"),
        "decisions": scenario.decisions.all(),
        "files": scenario.files.filter(retired_at__isnull=True).prefetch_related("versions"),
        "milestone_form": milestone_form,
        "decision_form": decision_form,
        "file_form": file_form,
    }
    status = status_of(milestone_form, decision_form, file_form)
    return page(request, "scenarios/items.html", access, "items", context, status=status)


def _add(request, scenario, which, milestone_form, decision_form, file_form) -> bool:
    form = {"milestone": milestone_form, "decision": decision_form, "file": file_form}.get(which)
    if form is None or not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    try:
        if which == "milestone":
            services.save_milestone(scenario, actor=request.user, **data)
        elif which == "decision":
            services.record_decision(scenario, actor=request.user, **data)
        else:
            upload = data.pop("upload")
            services.upload_file(scenario, upload, actor=request.user, **data)
    except services.ScenarioError as error:
        form.add_error("upload" if which == "file" else None, str(error))
        return False
    messages.success(request, _("Saved."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def milestone(request, pk, item_pk):
    access = rules.access_for(request.user, pk)
    item = item_of(access.scenario, "milestone", item_pk)
    fields = ["title", "due_on", "owner", "phase", "done_on", "description"]
    form = MilestoneForm(
        request.POST or None,
        scenario=access.scenario,
        initial={f: getattr(item, f) for f in fields},
    )
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            services.save_milestone(
                access.scenario, actor=request.user, milestone=item, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect("scenarios:milestone", pk=pk, item_pk=item.pk)
    return _item_page(
        request,
        access,
        "milestone",
        item,
        "scenarios/items/milestone.html",
        {"form": form},
        status=status_of(form),
    )


@login_required
def decision(request, pk, item_pk):
    access = rules.access_for(request.user, pk)
    item = item_of(access.scenario, "decision", item_pk)
    return _item_page(
        request,
        access,
        "decision",
        item,
        "scenarios/items/decision.html",
        {"evidence": item.evidence.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_detail(request, pk, item_pk):
    access = rules.access_for(request.user, pk)
    item = item_of(access.scenario, "file", item_pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        policy.require(access.can_edit)
        if form.is_valid():
            try:
                services.upload_file(
                    access.scenario,
                    form.cleaned_data["upload"],
                    actor=request.user,
                    file=item,
                    note=form.cleaned_data["note"],
                )
            except services.ScenarioError as error:
                form.add_error("upload", str(error))
            else:
                messages.success(request, _("The new version has been stored."))
                return redirect("scenarios:file", pk=pk, item_pk=item.pk)
    return _item_page(
        request,
        access,
        "file",
        item,
        "scenarios/items/file.html",
        {"form": form, "versions": item.versions.all(), "retire_form": RetireFileForm()},
        status=status_of(form),
    )


@login_required
@require_POST
def file_retire(request, pk, item_pk):
    """Retire the file, or one version (``version``): its stored content is deleted."""
    access = rules.access_for(request.user, pk)
    try:  # a retired file too: retiring it again says so instead of "not found"
        item = access.scenario.files.get(pk=int(item_pk))
    except (ScenarioFile.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None
    policy.require(access.can_edit)
    if item.is_retired:
        messages.error(request, _("This file is retired already."))
        return redirect("scenarios:items", pk=pk)
    form = RetireFileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long (at most 300 characters)."))
        return redirect("scenarios:file", pk=pk, item_pk=item.pk)
    number, reason = form.cleaned_data["version"], form.cleaned_data["reason"]
    try:
        if number:
            services.retire_version(
                access.scenario, item, number, reason=reason, actor=request.user
            )
        else:
            services.retire_file(access.scenario, item, reason=reason, actor=request.user)
    except services.ScenarioError as error:
        messages.error(request, str(error))
        return redirect("scenarios:file", pk=pk, item_pk=item.pk)
    if number:
        messages.success(
            request, _("Version %(n)s is retired and its content deleted.") % {"n": number}
        )
        return redirect("scenarios:file", pk=pk, item_pk=item.pk)
    messages.success(request, _("The file is retired and its content deleted."))
    return redirect("scenarios:items", pk=pk)


@login_required
def download(request, pk, item_pk, number):
    """Serve one version through the access rules; never a public address."""
    access = rules.access_for(request.user, pk)
    item = item_of(access.scenario, "file", item_pk)
    try:
        version = item.versions.get(number=int(number), retired_at__isnull=True)
    except (FileVersion.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    try:
        handle = version.content.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type="application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def comment(request, pk, kind, item_pk):
    access = rules.access_for(request.user, pk)
    entry = get_kind(kind)
    if not entry.commentable or not entry.visible(access):
        raise Http404
    item = item_of(access.scenario, kind, item_pk)
    policy.require(access.can_comment)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            access.scenario,
            kind=kind,
            item=item,
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(request, _("Your comment has been added."))
    else:
        messages.error(request, _("The comment is empty or too long."))
    return redirect(entry.url(access.scenario.pk, item.pk))
