"""Keep the stored embeddings in step with the texts they were computed from.

Saving an expert's or an inquiry's text enqueues a refresh job after the commit (the job
compares fingerprints, so a save that changed nothing costs one query). Saves that name
their ``update_fields`` without a text field enqueue nothing. Deleting removes the vectors.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from humaine.contact.models import Expert, Inquiry

from . import sources

_local = threading.local()
BATCH = 200


def schedule_refresh(kind: str, pk: int) -> None:
    """Re-embed one document after the current transaction commits."""
    collected = getattr(_local, "collected", None)
    if collected is not None:
        collected.setdefault(kind, set()).add(pk)
        return
    transaction.on_commit(lambda: _enqueue(kind, [pk]))


def _enqueue(kind: str, pks: list[int]) -> None:
    from . import tasks

    for start in range(0, len(pks), BATCH):
        tasks.refresh_embeddings.enqueue(kind, pks[start : start + BATCH])


@contextmanager
def refresh_in_batches():
    """Collect the refreshes of many saves (an import) into a few jobs of many documents."""
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


def _text_changed(kind: str, update_fields) -> bool:
    if update_fields is None:
        return True
    return bool(set(update_fields) & set(sources.KINDS[kind].text_fields))


@receiver(post_save, sender=Expert, dispatch_uid="humaine.matching.expert_saved")
def expert_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if not raw and _text_changed("expert", update_fields):
        schedule_refresh("expert", instance.pk)


@receiver(post_save, sender=Inquiry, dispatch_uid="humaine.matching.inquiry_saved")
def inquiry_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if not raw and _text_changed("inquiry", update_fields):
        schedule_refresh("inquiry", instance.pk)


@receiver(post_delete, sender=Expert, dispatch_uid="humaine.matching.expert_deleted")
@receiver(post_delete, sender=Inquiry, dispatch_uid="humaine.matching.inquiry_deleted")
def document_deleted(sender, instance, **kwargs) -> None:
    from . import store

    kind = "expert" if sender is Expert else "inquiry"
    store.remove(kind, [str(instance.pk)])
