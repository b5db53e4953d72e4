"""Search the whole database for a text, the way an auditor would after an erasure.

``find_everywhere("Erika Muster", "erika@example.org")`` looks at every text, JSON and
file-name column of every table of every installed app (the job queue's arguments and
results, the audit trail, matching's stored segments, ...), at the decoded session
store and into every stored file (the private storage of scenario documents and human-AI
uploads and results, and the media storage: text, CSV, HTML, JSON, the text of PDFs, the
cells of XLSX and other zipped office files) and into the cache (e.g. a check's cached
PDFs), and returns where each text was found. Every later app's tables are covered
without registering anything: only their personal-data section has to erase what it holds.

    identity = Identity.of(person)        # before the erasure
    services.erase_person(person, actor=staff)
    assert_person_gone(identity)          # name, email and phone: nowhere
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

# A file field stores the file's name, which often carries a person's name.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


@dataclass(frozen=True)
class Leak:
    table: str
    column: str
    pk: object
    needle: str

    def __str__(self) -> str:
        return f"{self.needle!r} in {self.table}.{self.column} (pk {self.pk})"


def text_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete text or JSON column of every installed model."""
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                columns.append((model, field))
    return columns


def _forms(needle: str) -> set[str]:
    # JSON columns store non-ASCII text escaped on some databases ("ü" as "\u00fc").
    return {needle, json.dumps(needle)[1:-1]}


def _search_column(model, field, needle: str) -> list[Leak]:
    found = []
    queryset = model._default_manager.all()
    for form in _forms(needle):
        if isinstance(field, models.JSONField):
            matches = queryset.annotate(_as_text=Cast(field.name, models.TextField())).filter(
                _as_text__icontains=form
            )
        else:
            matches = queryset.filter(**{f"{field.name}__icontains": form})
        found += [
            Leak(model._meta.db_table, field.column, pk, needle)
            for pk in matches.values_list("pk", flat=True)[:20]
        ]
    return found


def _search_sessions(needle: str) -> list[Leak]:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    found = []
    forms = {form.lower() for form in _forms(needle)}
    for session in Session.objects.all():
        data = json.dumps(SessionStore().decode(session.session_data), default=str).lower()
        if any(form in data for form in forms):
            found.append(Leak("django_session", "session_data (decoded)", session.pk, needle))
    return found


# Where uploads and results are stored (scenario files, human-AI data sets and reports).
FILE_STORAGES = ("private", "default")


# Copies a machine keeps of stored files (e.g. a human-AI run's saved team, fetched for
# routing), under ``DATA_DIR``.
LOCAL_FOLDERS = ("cache",)


def stored_files():
    """(storage alias, storage, name) of every file in the ``FILE_STORAGES`` and in the
    machine's local copies (``DATA_DIR/cache``, alias ``local 'cache'``)."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages

    places = [(alias, storages[alias]) for alias in FILE_STORAGES]
    places += [
        (f"local {folder!r}", FileSystemStorage(location=str(settings.DATA_DIR / folder)))
        for folder in LOCAL_FOLDERS
    ]
    for alias, storage in places:
        folders = [""]
        while folders:
            folder = folders.pop()
            try:
                subfolders, files = storage.listdir(folder)
            except FileNotFoundError:  # nothing stored yet
                continue
            folders += [f"{folder}/{sub}" if folder else sub for sub in subfolders]
            for name in files:
                yield alias, storage, f"{folder}/{name}" if folder else name


def file_text(name: str, content: bytes) -> str:
    """What a reader of the file sees: the text of a PDF, the XML of a zipped office file
    (XLSX, DOCX, ODS: cells and paragraphs), the bytes decoded otherwise (CSV, HTML, ...)."""
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(content))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception:  # not a PDF after all (a test's stand-in): search its bytes
            text = ""
        return text + "\n" + content.decode("latin-1")
    if content.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "\n".join(
                    archive.read(member).decode("utf-8", "replace")
                    for member in archive.namelist()
                    if member.endswith((".xml", ".txt", ".csv", ".json"))
                )
        except zipfile.BadZipFile:
            pass
    for encoding in ("utf-8", "utf-16"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _search_files(needles: tuple[str, ...]) -> list[Leak]:
    found = []
    for alias, storage, name in stored_files():
        with storage.open(name, "rb") as handle:
            text = file_text(name, handle.read()).lower()
        for needle in needles:
            if any(form.lower() in text for form in _forms(needle)):
                found.append(Leak(f"storage {alias!r}", name, "-", needle))
    return found


def _cached_values():
    """(key, value) of everything in the default cache, where its backend can be listed
    (the database cache of the tests and of installations without Redis; local memory)."""
    import base64
    import pickle

    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.locmem import LocMemCache
    from django.db import connection

    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key, value FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
        for key, value in rows:
            yield key, pickle.loads(base64.b64decode(value.encode()))  # noqa: S301
    elif isinstance(cache, LocMemCache):
        for key, value in list(cache._cache.items()):
            yield key, pickle.loads(value)  # noqa: S301


def _search_cache(needles: tuple[str, ...]) -> list[Leak]:
    found = []
    for key, value in _cached_values():
        binary = isinstance(value, bytes)
        text = (file_text(key, value) if binary else json.dumps(value, default=str)).lower()
        for needle in needles:
            if any(form.lower() in text for form in _forms(needle)):
                found.append(Leak("cache", key, "-", needle))
    return found


def find_everywhere(*needles: str) -> list[Leak]:
    """Where each of ``needles`` (case-insensitive) is stored; empty when nowhere."""
    leaks: list[Leak] = []
    needles = tuple(n for n in needles if n)
    for model, field in text_columns():
        for needle in needles:
            leaks += _search_column(model, field, needle)
    if apps.is_installed("django.contrib.sessions"):
        for needle in needles:
            leaks += _search_sessions(needle)
    leaks += _search_files(needles)
    leaks += _search_cache(needles)
    return sorted(set(leaks), key=str)


def assert_nowhere(*needles: str) -> None:
    leaks = find_everywhere(*needles)
    assert not leaks, "still stored after erasure:\n" + "\n".join(f"  {leak}" for leak in leaks)


@dataclass(frozen=True)
class Identity:
    """What identifies a person to an auditor: name, email and phone, as they were."""

    name: str
    email: str
    phone: str

    @classmethod
    def of(cls, person) -> Identity:
        return cls(person.name, person.email, person.phone)

    def needles(self) -> tuple[str, ...]:
        return tuple(text for text in (self.name, self.email, self.phone) if text)


def assert_person_gone(identity: Identity, *more: str) -> None:
    """No table, no session and no stored file holds the person's name, email or phone
    (nor ``more``)."""
    assert identity.needles(), "an identity without name, email or phone finds nothing"
    assert_nowhere(*identity.needles(), *more)


def sessions_text() -> str:
    """Everything the session store holds, decoded, as one text (to search in a test)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    return "\n".join(
        json.dumps(SessionStore().decode(session.session_data), ensure_ascii=False)
        for session in Session.objects.all()
    )
