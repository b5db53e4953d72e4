"""Keep the stored embeddings in step with the texts they were computed from.

Saving an object of a registered kind (``sources.KINDS``: experts, inquiries, and what
other apps register) enqueues a refresh job after the commit (the job compares
fingerprints, so a save that changed nothing costs one query). Saves that name their
``update_fields`` without a text field enqueue nothing. Deleting removes the vectors.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import sources

_local = threading.local()
# Texts per job that re-embeds them, and per batch (one transaction) of an index rebuild.
BATCH_SIZE = 200


def schedule_refresh(kind: str, pk: int) -> None:
    """Re-embed one indexed text after the current transaction commits."""
    collected = getattr(_local, "collected", None)
    if collected is not None:
        collected.setdefault(kind, set()).add(pk)
        return
    transaction.on_commit(lambda: _enqueue(kind, [pk]))


def _enqueue(kind: str, pks: list[int]) -> None:
    from . import tasks

    for start in range(0, len(pks), BATCH_SIZE):
        tasks.refresh_embeddings.enqueue(kind, pks[start : start + BATCH_SIZE])


@contextmanager
def refresh_in_batches():
    """Collect the refreshes of many saves (an import) into a few jobs of many texts."""
    outer = getattr(_local, "collected", None) is None
    if outer:
        _local.collected = {}
    try:
        yield
        if outer:
            batches = [(kind, sorted(pks)) for kind, pks in _local.collected.items()]
            transaction.on_commit(lambda: [_enqueue(kind, pks) for kind, pks in batches])
    finally:
        if outer:
            _local.collected = None


def _text_changed(kind, update_fields) -> bool:
    if update_fields is None:
        return True
    return bool(set(update_fields) & set(kind.text_fields))


# One receiver for every model: a kind registered later (scenarios) is covered too. The
# lookup is a short loop over the registered kinds; most saves find none and return.
@receiver(post_save, dispatch_uid="humaine.matching.text_saved")
def text_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    kind = sources.kind_of_model(sender)
    if kind is not None and not raw and _text_changed(kind, update_fields):
        schedule_refresh(kind.kind, instance.pk)


@receiver(post_delete, dispatch_uid="humaine.matching.text_deleted")
def text_deleted(sender, instance, **kwargs) -> None:
    kind = sources.kind_of_model(sender)
    if kind is not None:
        from . import store

        store.remove(kind.kind, [str(instance.pk)])
