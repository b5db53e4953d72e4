"""A file stored for an entry whose saving does not commit does not stay behind: deleted at
once when the service's own writes fail, and by ``delete_orphan_files`` when the
transaction is rolled back further out (or the process died before the commit)."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from humaine.transfer import services
from humaine.transfer.models import EntryAttachment
from humaine.transfer.services import entries
from humaine.transfer.tests.factories import make_entry

pytestmark = pytest.mark.django_db


def upload(name="vorlage.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 Vorlage", content_type="application/pdf")


def stored():
    storage = EntryAttachment._meta.get_field("file").storage
    return storage, sorted(entries._stored_names(storage, entries.ATTACHMENT_FOLDER))


def age(storage, name, hours):
    then = time.time() - hours * 3600
    os.utime(storage.path(name), (then, then))


def test_when_saving_the_attachment_fails_its_file_is_deleted(cast, monkeypatch):
    entry = make_entry(cast.staff, cast.admin, publish=False)

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit trail could not be written")

    monkeypatch.setattr(entries.audit, "record", audit_fails)
    with pytest.raises(RuntimeError):
        services.add_attachment(cast.staff, entry, upload(), "Vorlage")
    assert not EntryAttachment.objects.exists()
    assert stored()[1] == []


def test_a_file_whose_transaction_rolls_back_further_out_is_swept_once_it_is_old(cast):
    entry = make_entry(cast.staff, cast.admin, publish=False)
    kept = services.add_attachment(cast.staff, entry, upload("bleibt.pdf"), "Bleibt")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_attachment(cast.staff, entry, upload("weg.pdf"), "Weg")
        raise RuntimeError("something later in the same transaction failed")
    storage, names = stored()
    assert len(names) == 2  # the rolled-back one is still stored
    (orphan,) = [name for name in names if name != kept.file.name]
    # a young file may belong to a transaction still under way: left alone
    assert services.delete_orphan_files() == []
    for name in names:
        age(storage, name, hours=2)
    out = StringIO()
    call_command("delete_orphan_files", stdout=out)
    assert "deleted 1 files" in out.getvalue()
    assert stored()[1] == [kept.file.name]
    assert not storage.exists(orphan)
    assert kept.file.read() == b"%PDF-1.4 Vorlage"
