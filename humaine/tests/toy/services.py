"""Remarks: each operation whole, atomic and audited."""

from django.db import transaction

from humaine.core import audit, progress

from .models import Remark

WORD_COUNT = "toy.word_count"


@transaction.atomic
def add_remark(inquiry, text: str, *, author, actor) -> Remark:
    remark = Remark.objects.create(inquiry=inquiry, author=author, text=text.strip())
    audit.record(actor, "remark.added", remark, inquiry=inquiry.reference)
    return remark


@transaction.atomic
def request_word_count(inquiry, *, actor):
    """Queue the job that counts the words of the inquiry's remarks; return its progress."""
    from . import tasks

    record = progress.create(WORD_COUNT, actor=actor, inquiry=inquiry.pk)
    transaction.on_commit(lambda: tasks.count_words.enqueue(record.pk, inquiry.pk))
    return record
