"""Background jobs of matching. They take keys and call the store or a service."""

import threading

from django.db import transaction

from humaine.core.jobs import job


@job
def refresh_embeddings(kind: str, pks: list[int]) -> str:
    """Re-embed the documents whose text changed since their vectors were computed."""
    from . import store

    result = store.refresh_objects(kind, pks)
    return f"embedded {result.embedded}, unchanged {result.unchanged}, removed {result.removed}"


@job
def refresh_method_embeddings() -> str:
    from . import store

    result = store.refresh_methods()
    return f"embedded {result.embedded}, unchanged {result.unchanged}, removed {result.removed}"


@job
def rebuild_indexes(progress_id: int) -> str:
    from humaine.core import progress

    from . import services

    with progress.tracking(progress_id) as report:
        services.rebuild_indexes(report, force=bool(report.progress.details.get("force")))
    counts = report.progress.counts
    return (
        f"{report.progress.done} texts, {counts.get('embedded', 0)} embedded, "
        f"{counts.get('removed', 0)} removed"
    )


_methods_requested = threading.Event()


def ensure_method_embeddings() -> None:
    """Enqueue embedding the methods once per process when none are stored yet."""
    if not _methods_requested.is_set():
        _methods_requested.set()
        transaction.on_commit(lambda: refresh_method_embeddings.enqueue())


_encoder_checked = threading.Event()


def ensure_current_encoder() -> None:
    """Once per process, when the expert index is empty: queue a rebuild if the stored
    vectors are of another encoder than the hub's (``services.rebuild_if_encoder_changed``)."""
    if not _encoder_checked.is_set():
        _encoder_checked.set()
        from . import services

        services.rebuild_if_encoder_changed()
