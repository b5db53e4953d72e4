"""Background jobs of the human-AI teams: data checks (of an upload, or of a service's
recorded cases) and team builds. They take ids.

A job that finds its work already done (a retry after a worker died just after it
finished, say) does nothing; a job whose worker was killed is taken back by another
worker (``core.jobs``) and starts again from the beginning (the build's child process
died with its worker).
"""

from humaine.core import progress
from humaine.core.jobs import job


@job(max_attempts=1)
def check_dataset(progress_id: int, dataset_id: int) -> str:
    from . import services

    return _check(progress_id, dataset_id, lambda report: services.check_now(dataset_id, report))


@job(max_attempts=1)
def rebuild_dataset(progress_id: int, dataset_id: int, version_id: int) -> str:
    """Read a service's recorded cases into a data set, check it, and queue the run
    compared with the version (``rebuild.check_recorded``)."""
    from . import rebuild

    return _check(
        progress_id,
        dataset_id,
        lambda report: rebuild.check_recorded(dataset_id, version_id, report),
    )


def _check(progress_id: int, dataset_id: int, check) -> str:
    """Run ``check(report)`` on a data set still being checked under its progress record;
    an error of the engine becomes the data set's problem. Returns its status."""
    from .models import DataSet
    from .problems import Problem

    dataset = DataSet.objects.filter(pk=dataset_id).first()
    if dataset is None or dataset.check_progress_id != progress_id:
        return "superseded"
    if dataset.status != DataSet.Status.CHECKING:
        # checked already (in-process, or just before a worker died; a rebuild's data set
        # and its run are saved together): only close the record
        with progress.tracking(progress_id) as report:
            report.finish("done")
        return dataset.status
    with progress.tracking(progress_id) as report:
        try:
            dataset = check(report)
        except Exception as exc:
            problem = Problem("engine", detail=f"{type(exc).__name__}: {exc}"[:500])
            DataSet.objects.filter(pk=dataset_id).update(
                status=DataSet.Status.PROBLEMS, problems=[problem.to_dict()]
            )
            raise
    return dataset.status


@job(max_attempts=1)
def build_run(run_id: int) -> str:
    from . import services
    from .models import Run

    run = Run.objects.filter(pk=run_id).first()
    if run is None or run.has_ended or run.progress_id is None:
        return "nothing to do"
    with progress.tracking(run.progress_id) as report:
        if report.cancel_requested:
            Run.objects.filter(pk=run_id).update(status=Run.Status.CANCELLED)
            report.finish("cancelled", status=progress.Progress.Status.CANCELLED)
            return "cancelled"
        try:
            run = services.build_now(run_id, report)
        except Exception as exc:
            Run.objects.filter(pk=run_id).update(
                status=Run.Status.FAILED, error={"message": f"{type(exc).__name__}: {exc}"[:2000]}
            )
            raise
    return run.status


@job(max_attempts=3)
def check_service_limits(service_id: int) -> str:
    """Count a service's figures again where cases changed (stored for its page), then
    compare those same figures with its limits; tell the editors of new crossings."""
    from . import monitoring_alerts, monitoring_store
    from .models import Service

    monitoring_alerts.started(service_id)
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        return "gone"
    stored = monitoring_store.refresh(service, monitoring_alerts.window_days())
    result = monitoring_alerts.evaluate(service, stored.as_state() if stored else None)
    return f"{len(result['opened'])} crossed, {len(result['ended'])} back within"
