"""Who may use the foundation's pages: the hub's settings, background jobs, API tokens,
the progress of long jobs."""

from django.http import Http404

from humaine import policy

from .models import Progress


def can_edit_hub(user) -> bool:
    return policy.is_hub_admin(user)


def can_view_jobs(user) -> bool:
    return policy.is_staff(user)


def can_use_api_tokens(user) -> bool:
    return policy.is_authenticated(user)


def can_view_progress(user, progress: Progress) -> bool:
    """Whoever asked for the job, and hub staff (or what the job's kind says)."""
    from .progress import JOB_KINDS

    kind = JOB_KINDS.get(progress.kind)
    if kind is not None and kind.can_view is not None:
        return kind.can_view(user, progress)
    asked = policy.is_authenticated(user) and progress.requested_by_id == user.pk
    return asked or policy.is_staff(user)


def get_progress_for_user(user, pk) -> Progress:
    try:
        progress = Progress.objects.select_related("requested_by").get(pk=int(pk))
    except (Progress.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_progress(user, progress):
        raise Http404
    return progress
