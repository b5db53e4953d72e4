"""A run's job survives its worker being killed; a cancelled run can be built again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from humaine.core.models import Progress
from humaine.human_ai import services
from humaine.human_ai.models import Run

pytestmark = pytest.mark.slow


def _build_jobs():
    return DBTaskResult.objects.filter(task_path__endswith="build_run").order_by("enqueued_at")


def test_a_build_whose_worker_was_killed_is_taken_back_and_finishes(
    cast, ready, run_jobs, settings
):
    settings.JOB_RETRY_DELAY_SECONDS = 0
    run = services.start_run(ready, method="combine", actor=cast.staff)
    # a worker took the job, reported four steps and was killed
    DBTaskResult.objects.filter(pk=_build_jobs().get().pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=10), worker_ids=["killed"]
    )
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)
    Progress.objects.filter(pk=run.progress_id).update(status="running", done=4)
    run_jobs()
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    first, second = _build_jobs()
    assert first.status == "FAILED" and first.exception_class_path.endswith("Abandoned")
    assert second.status == "SUCCESSFUL"
    assert run.progress.status == "done" and run.files


def test_a_cancelled_run_stops_and_can_be_built_again(cast, ready, run_jobs):
    run = services.start_run(ready, method="combine", actor=cast.staff)
    services.cancel_run(run, actor=cast.staff)
    run_jobs()
    run.refresh_from_db()
    assert run.status == Run.Status.CANCELLED and not run.files
    assert run.progress.status == "cancelled"
    with pytest.raises(services.TeamError):
        services.cancel_run(run, actor=cast.staff)
    services.retry_run(run, actor=cast.staff)
    run_jobs()
    run.refresh_from_db()
    assert run.status == Run.Status.DONE and run.evaluation["team"]["accuracy"] > 0.5
    with pytest.raises(services.TeamError):
        services.retry_run(run, actor=cast.staff)
