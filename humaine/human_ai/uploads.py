"""Uploads of data sets: streamed to disk, hashed and limited on the way, sniffed after.

The web process never holds an uploaded data set in memory: :class:`DataUploadHandler`
writes each chunk of the request body to a temporary file as it arrives (Django reads
multipart bodies in 64 KiB chunks), counts and hashes it, and drops the file as soon as it
grows past the configured limit. :func:`sniff` then reads the file's first and last bytes
to tell what it really is, whatever its name claims.

A view sets the handler before anything reads ``request.POST``::

    request.upload_handlers = [DataUploadHandler(request, limit=settings.HUMAN_AI_MAX_UPLOAD_BYTES)]

and reads the problems of refused files from ``upload_errors(request)``.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

__all__ = [
    "CSV",
    "PARQUET",
    "XLSX",
    "DataUploadHandler",
    "UploadProblem",
    "kind_from_name",
    "sniff",
    "upload_errors",
]

CSV, PARQUET, XLSX = "csv", "parquet", "xlsx"
KINDS = {CSV: "CSV", PARQUET: "Parquet", XLSX: "Excel (XLSX)"}
EXTENSIONS = {".csv": CSV, ".txt": CSV, ".tsv": CSV, ".parquet": PARQUET, ".pq": PARQUET}
EXTENSIONS[".xlsx"] = XLSX
# Bytes of the file's start kept while streaming, for sniffing without reopening it.
HEAD_BYTES = 64 * 1024
_ERRORS_ATTR = "_human_ai_upload_errors"


class UploadProblem(ValueError):
    """An upload that cannot be used, with a message for the person who sent it."""


def upload_errors(request) -> dict[str, str]:
    """``{field name: message}`` for files the handler refused (too large)."""
    return getattr(request, _ERRORS_ATTR, {})


class DataUploadHandler(FileUploadHandler):
    """Write uploaded files chunk by chunk to temporary files, at most ``limit`` bytes each.

    The returned file is a :class:`TemporaryUploadedFile` (so the file-system storage moves
    it into place instead of copying) with two extra attributes: ``sha256`` and ``head``
    (its first bytes).
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *args):
        super().new_file(field_name, file_name, content_type, content_length, charset, *args)
        self.file = TemporaryUploadedFile(file_name, content_type, 0, charset, *args[:1])
        self.digest = hashlib.sha256()
        self.head = b""
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        if len(self.head) < HEAD_BYTES:
            self.head += raw_data[: HEAD_BYTES - len(self.head)]
        self.digest.update(raw_data)
        self.file.write(raw_data)
        return None

    def _refuse(self):
        self.file.close()
        errors = getattr(self.request, _ERRORS_ATTR, None)
        if errors is None:
            errors = {}
            if self.request is not None:
                setattr(self.request, _ERRORS_ATTR, errors)
        errors[self.field_name] = _(
            "The file is larger than %(limit)s MB, the most this hub accepts for a data set. "
            "Leave out columns you do not need, or save it as Parquet, which is smaller."
        ) % {"limit": f"{self.limit / 1_000_000:g}"}
        raise SkipFile

    def file_complete(self, file_size: int):
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self.digest.hexdigest()
        self.file.head = self.head
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()


@dataclass(frozen=True)
class Sniffed:
    kind: str
    encoding: str = ""


def kind_from_name(name: str) -> str:
    """The kind a file name claims; :class:`UploadProblem` for a kind we do not read."""
    suffix = Path(name or "").suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
        raise UploadProblem(
            _("%(suffix)s files are not read here: save the sheet as Excel workbook (.xlsx).")
            % {"suffix": suffix}
        )
    raise UploadProblem(
        _("Upload a CSV, Parquet or Excel (.xlsx) file; %(name)s is none of these.")
        % {"name": Path(name or "?").name}
    )


def _text_encoding(head: bytes) -> str | None:
    """The encoding the start of a text file reads in, or None when it is not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            # A multi-byte character cut at the end of the head is fine.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _actual_kind(path: Path, head: bytes) -> Sniffed:
    if head.startswith(b"PAR1"):
        with open(path, "rb") as handle:
            handle.seek(-4, 2)
            if handle.read(4) == b"PAR1":
                return Sniffed(PARQUET)
        return Sniffed("broken-parquet")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return Sniffed("broken-zip")
        if "xl/workbook.xml" in names:
            return Sniffed(XLSX)
        if "content.xml" in names:
            return Sniffed("ods")
        return Sniffed("zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Sniffed("xls")
    encoding = _text_encoding(head)
    if encoding is None:
        return Sniffed("binary")
    return Sniffed(CSV, encoding)


def _describe(kind: str) -> str:
    what = {
        "broken-parquet": _("a damaged or incomplete Parquet file"),
        "broken-zip": _("a damaged ZIP archive"),
        "ods": _("an OpenDocument spreadsheet"),
        "zip": _("a ZIP archive"),
        "xls": _("an old Excel workbook (.xls)"),
        "binary": _("a binary file, not text"),
    }
    return what.get(kind) or KINDS.get(kind, kind)


def sniff(path: Path | str, name: str, head: bytes | None = None) -> Sniffed:
    """What the file at ``path`` is; :class:`UploadProblem` unless it is what ``name`` claims.

    Parameters
    ----------
    path
        The file on disk (a temporary upload).
    name
        The name it was uploaded with (its suffix is the claim).
    head
        Its first bytes, if already read.
    """
    claimed = kind_from_name(name)
    path = Path(path)
    if head is None:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    if not head:
        raise UploadProblem(_("The file is empty."))
    actual = _actual_kind(path, head)
    if actual.kind == claimed:
        return actual
    raise UploadProblem(
        _("%(name)s is called a %(claimed)s file, but it is %(actual)s.")
        % {"name": Path(name).name, "claimed": KINDS[claimed], "actual": _describe(actual.kind)}
    )
