"""Pages of the foundation: dashboard, health check, jobs, hub settings, API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from humaine import policy

from . import access, jobs, navigation, services
from .forms import ApiTokenForm, HubForm
from .models import ApiToken, Hub, JobWorker


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        job_status = jobs.health()["status"]
    except Exception:  # noqa: BLE001 - the web tier is healthy; /healthz/jobs tells more
        job_status = "unknown"
    return JsonResponse({"status": "ok", "database": "ok", "jobs": job_status})


@never_cache
def healthz_jobs(request):
    """For the operator's monitoring: 503 when no worker is alive or jobs wait too long."""
    try:
        health = jobs.health()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "problems": ["database unreachable"]}, status=503)
    return JsonResponse(health, status=200 if health["status"] == "ok" else 503)


@login_required
def dashboard(request):
    """The overview cards a user may see; a role with a start page (staff) lands there."""
    start = navigation.start_page(request.user)
    if start:
        return redirect(start)
    return render(request, "core/dashboard.html", {"cards": navigation.cards_for(request.user)})


@login_required
def job_list(request):
    policy.require(access.can_view_jobs(request.user))
    failed = DBTaskResult.objects.failed().order_by("-finished_at")[:50]
    recent = DBTaskResult.objects.order_by("-enqueued_at")[:50]
    context = {
        "failed": failed,
        "abandoned": jobs.abandoned(),
        "recent": recent,
        "health": jobs.health(),
        "workers": JobWorker.objects.order_by("started_at"),
    }
    return render(request, "core/jobs.html", context)


@login_required
@require_POST
def job_rerun(request, pk):
    policy.require(access.can_view_jobs(request.user))
    result = get_object_or_404(DBTaskResult, pk=pk)
    if result.status not in ("FAILED", "RUNNING"):
        messages.error(request, _("Only failed or stuck jobs can be run again."))
        return redirect("core:jobs")
    if jobs.is_running_on_live_worker(result):
        messages.error(request, _("This job is still running on a live worker."))
        return redirect("core:jobs")
    jobs.rerun(result)
    messages.success(request, _("The job has been queued again."))
    return redirect("core:jobs")


@login_required
def hub_settings(request):
    policy.require(access.can_edit_hub(request.user))
    hub = Hub.objects.order_by("pk").first() or Hub()
    form = HubForm(request.POST or None, request.FILES or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        services.save_hub(form.save(commit=False), actor=request.user)
        messages.success(request, _("The hub's details have been saved."))
        return redirect("core:hub_settings")
    return render(
        request, "core/hub_settings.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def api_tokens(request):
    policy.require(access.can_use_api_tokens(request.user))
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_api_token(
            request.user, form.cleaned_data["name"], form.expires_at()
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    # Only one's own tokens: someone else's id is simply not found.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token, actor=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("core:api_tokens")


@login_required
def progress(request, pk):
    """A long job's progress: the partial that polls itself (htmx), or a page of its own."""
    record = access.get_progress_for_user(request.user, pk)
    template = "core/_progress.html" if request.htmx else "core/progress.html"
    return render(request, template, progress_context(record))


def progress_context(record) -> dict:
    from .progress import JOB_KINDS

    kind = JOB_KINDS.get(record.kind)
    labels = dict(kind.counts) if kind else {}
    counts = [(labels.get(key, key), value) for key, value in record.counts.items()]
    steps = dict(kind.steps) if kind else {}
    return {
        "progress": record,
        "label": kind.label if kind else record.kind,
        "counts": counts,
        "message": steps.get(record.message, record.message),
    }


def hub_logo(request):
    """Serve the hub's logo from storage, whatever the deployment's media setup."""
    from django.http import FileResponse, Http404

    hub = Hub.current()
    if not hub.logo:
        raise Http404
    try:
        response = FileResponse(hub.logo.open("rb"))
    except FileNotFoundError:
        raise Http404 from None
    # An SVG opened directly must not run scripts.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
