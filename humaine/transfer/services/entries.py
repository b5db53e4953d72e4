"""Operations on knowledge-base entries: drafts, review, publication, consent, use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from humaine.core import audit

from .. import markup
from ..models import (
    CASE_FIELDS,
    CONFIDENTIAL_CASE_FIELDS,
    Entry,
    EntryAttachment,
    EntryDiscipline,
    EntryUsage,
    EntryVersion,
)

TEXT_FIELDS = [
    f"{name}_{lang}"
    for name in ("title", "summary", "problem", "body", "evidence")
    for lang in ("de", "en")
] + ["sources"]
VERSION_FIELDS = ["maturity", *TEXT_FIELDS, "case_fields"]
ENTRY_AUDIT_FIELDS = ["visibility", "maturity", "recommendation_ids", "released_fields"]


class EntryError(ValueError):
    """An operation the entry's state does not allow; the message says why."""


@dataclass
class EntryData:
    """What an editor submits: the version's texts and the entry's classification."""

    texts: dict = field(default_factory=dict)  # VERSION_FIELDS
    sectors: list | None = None  # Sector objects
    disciplines: list[str] | None = None
    recommendation_ids: list[str] | None = None
    visibility: str | None = None


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "entry"
    slug, number = base, 1
    while Entry.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _apply_classification(entry: Entry, data: EntryData) -> None:
    if data.sectors is not None:
        entry.sectors.set(data.sectors)
    if data.disciplines is not None:
        entry.disciplines.all().delete()
        EntryDiscipline.objects.bulk_create(
            EntryDiscipline(entry=entry, code=code) for code in dict.fromkeys(data.disciplines)
        )
    changed = []
    if data.recommendation_ids is not None:
        entry.recommendation_ids = list(dict.fromkeys(data.recommendation_ids))
        changed.append("recommendation_ids")
    if data.visibility is not None:
        entry.visibility = data.visibility
        changed.append("visibility")
    if changed:
        entry.save(update_fields=[*changed, "updated_at"])


CLASSIFICATION_KEYS = ("sectors", "disciplines", "recommendation_ids", "visibility")


def _classification_of(data: EntryData) -> dict:
    """The classification ``data`` sets, as JSON (sectors by slug)."""
    out: dict = {}
    if data.sectors is not None:
        out["sectors"] = sorted({sector.slug for sector in data.sectors})
    if data.disciplines is not None:
        out["disciplines"] = sorted(set(data.disciplines))
    if data.recommendation_ids is not None:
        out["recommendation_ids"] = list(dict.fromkeys(data.recommendation_ids))
    if data.visibility is not None:
        out["visibility"] = data.visibility
    return out


def current_classification(entry: Entry) -> dict:
    return {
        "sectors": sorted(entry.sectors.values_list("slug", flat=True)),
        "disciplines": sorted(entry.discipline_codes),
        "recommendation_ids": list(entry.recommendation_ids or []),
        "visibility": entry.visibility,
    }


def _data_of(classification: dict) -> EntryData:
    from humaine.contact.models import Sector

    sectors = classification.get("sectors")
    return EntryData(
        sectors=list(Sector.objects.filter(slug__in=sectors)) if sectors is not None else None,
        disciplines=classification.get("disciplines"),
        recommendation_ids=classification.get("recommendation_ids"),
        visibility=classification.get("visibility"),
    )


def _set_texts(version: EntryVersion, texts: dict) -> None:
    for name in VERSION_FIELDS:
        if name in texts:
            setattr(version, name, texts[name])
    version.search_text = search_text(version)


@transaction.atomic
def create_entry(user, kind: str, data: EntryData, *, organisation=None) -> Entry:
    """Start an entry with its first version as a draft by ``user``."""
    texts = data.texts
    title = texts.get("title_de") or texts.get("title_en") or ""
    if not title.strip():
        raise EntryError(_("Give the entry a title in German or English."))
    entry = Entry.objects.create(
        slug=_unique_slug(title),
        kind=kind,
        created_by=user,
        organisation=organisation,
        visibility=data.visibility or Entry._meta.get_field("visibility").default,
    )
    version = EntryVersion(entry=entry, number=1, author=user)
    _set_texts(version, texts)
    version.save()
    classification = EntryData(
        sectors=data.sectors,
        disciplines=data.disciplines,
        recommendation_ids=data.recommendation_ids,
    )
    _apply_classification(entry, classification)
    audit.record(user, "entry.created", entry, kind=kind, version=1)
    return entry


def files_changed_by(entry: Entry, user) -> bool:
    """Whether ``user`` asked for a file change waiting for the entry's next review."""
    return (
        entry.attachments.exclude(change=EntryAttachment.Change.NONE)
        .filter(change_by_id=getattr(user, "pk", None))
        .exists()
    )


def open_version(entry: Entry) -> EntryVersion | None:
    return entry.versions.filter(
        status__in=[EntryVersion.Status.DRAFT, EntryVersion.Status.IN_REVIEW]
    ).first()


@transaction.atomic
def save_draft(user, entry: Entry, data: EntryData) -> EntryVersion:
    """Save the texts into the entry's draft; start one from the published text if none.

    A version in review goes back to draft when it is edited (its review starts again).
    Once the entry is published, a change of its classification (sectors, disciplines,
    recommendations, visibility) waits in the draft like its texts, and takes effect only
    when someone other than the author approves the version.
    """
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    version = open_version(entry)
    if version is None:
        latest = entry.latest_version()
        version = EntryVersion(
            entry=entry, number=(latest.number + 1) if latest else 1, author=user
        )
        if entry.published_version_id:
            source = entry.published_version
            for name in VERSION_FIELDS:
                setattr(version, name, getattr(source, name))
    before = audit.snapshot(version, VERSION_FIELDS) if version.pk else {}
    _set_texts(version, data.texts)
    if not (version.title_de.strip() or version.title_en.strip()):
        raise EntryError(_("Give the entry a title in German or English."))
    version.status = EntryVersion.Status.DRAFT
    version.author = version.author or user
    if entry.published_version_id:
        current = current_classification(entry)
        wanted = (version.classification or {}) | _classification_of(data)
        version.classification = {k: v for k, v in wanted.items() if current.get(k) != v}
        version.save()
    else:
        version.save()
        _apply_classification(entry, data)
    audit.record(
        user,
        "entry.draft_saved",
        entry,
        before=before,
        after=audit.snapshot(version, VERSION_FIELDS),
        version=version.number,
        classification_waiting=version.classification,
    )
    return version


@transaction.atomic
def submit_for_review(user, version: EntryVersion) -> EntryVersion:
    version = EntryVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != EntryVersion.Status.DRAFT:
        raise EntryError(_("Only a draft can be submitted for review."))
    version.status = EntryVersion.Status.IN_REVIEW
    version.submitted_at = timezone.now()
    version.author = user
    version.save(update_fields=["status", "submitted_at", "author"])
    audit.record(user, "entry.submitted", version.entry, version=version.number)
    return version


@transaction.atomic
def return_version(user, version: EntryVersion, note: str) -> EntryVersion:
    """Send a version in review back to its author as a draft, with the reviewer's note."""
    version = EntryVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != EntryVersion.Status.IN_REVIEW:
        raise EntryError(_("This version is not in review."))
    version.status = EntryVersion.Status.DRAFT
    version.reviewer = user
    version.review_note = note
    version.save(update_fields=["status", "reviewer", "review_note"])
    audit.record(user, "entry.returned", version.entry, version=version.number, note=note)
    return version


@transaction.atomic
def approve_version(user, version: EntryVersion) -> Entry:
    """Publish a reviewed version; the version published before is kept as superseded.

    The caller has checked that ``user`` may review it (someone other than its author). A
    case study is published only after its company's recorded consent.
    """
    version = EntryVersion.objects.select_for_update().select_related("entry").get(pk=version.pk)
    entry = Entry.objects.select_for_update().get(pk=version.entry_id)
    if version.status != EntryVersion.Status.IN_REVIEW:
        raise EntryError(_("This version is not in review."))
    if version.author_id == getattr(user, "pk", None):
        raise EntryError(_("A version is reviewed by someone other than its author."))
    if files_changed_by(entry, user):
        raise EntryError(_("You added or removed files of this version: someone else reviews it."))
    if entry.is_case_study and not entry.has_consent:
        raise EntryError(_("Record the company's consent before publishing this case study."))
    before = audit.snapshot(entry, ENTRY_AUDIT_FIELDS)
    now = timezone.now()
    entry.versions.filter(status=EntryVersion.Status.PUBLISHED).update(
        status=EntryVersion.Status.SUPERSEDED
    )
    version.status = EntryVersion.Status.PUBLISHED
    version.reviewer = user
    version.published_at = now
    version.search_text = search_text(version)
    version.save(update_fields=["status", "reviewer", "published_at", "search_text"])
    entry.published_version = version
    entry.maturity = version.maturity
    entry.first_published_at = entry.first_published_at or now
    entry.save(update_fields=["published_version", "maturity", "first_published_at", "updated_at"])
    classification_before = current_classification(entry)
    if version.classification:
        _apply_classification(entry, _data_of(version.classification))
    files = _apply_file_changes(entry)
    audit.record(
        user,
        "entry.published",
        entry,
        before=before | {"classification": classification_before},
        after=audit.snapshot(entry, ENTRY_AUDIT_FIELDS)
        | {"classification": current_classification(entry)},
        version=version.number,
        **files,
    )
    _refresh_index(entry)
    return entry


@transaction.atomic
def unpublish_entry(user, entry: Entry) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.published_version_id is None:
        return entry
    entry.versions.filter(status=EntryVersion.Status.PUBLISHED).update(
        status=EntryVersion.Status.SUPERSEDED
    )
    entry.published_version = None
    entry.save(update_fields=["published_version", "updated_at"])
    audit.record(user, "entry.unpublished", entry)
    _refresh_index(entry)
    return entry


@transaction.atomic
def set_visibility(user, entry: Entry, visibility: str) -> Entry:
    """Set who may read an entry not yet published. A published entry's visibility changes
    only through a new version and its review (:func:`save_draft`)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.published_version_id and visibility != entry.visibility:
        raise EntryError(
            _(
                "The entry is published: who may read it changes with a new version. Choose "
                "it in the form below, save the draft and submit it; it takes effect once "
                "someone other than the author approves it. To take the entry down at once, "
                "unpublish it."
            )
        )
    before = audit.snapshot(entry, ["visibility"])
    entry.visibility = visibility
    entry.save(update_fields=["visibility", "updated_at"])
    audit.record(
        user,
        "entry.visibility_changed",
        entry,
        before=before,
        after=audit.snapshot(entry, ["visibility"]),
    )
    _refresh_index(entry)
    return entry


def default_release() -> list[str]:
    """The case study fields offered for release: all but those naming or measuring the company."""
    return [name for name in CASE_FIELDS if name not in CONFIDENTIAL_CASE_FIELDS]


@transaction.atomic
def record_consent(user, entry: Entry, *, released: list[str], given_by: str, note: str = ""):
    """Record that the company agreed to publish the case study with ``released`` fields.

    Recording it again replaces the release (a narrower one takes effect on the published
    text at once); ``released=[]`` with an empty ``given_by`` withdraws consent and
    unpublishes.
    """
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_case_study:
        raise EntryError(_("Only case studies need a company's consent."))
    unknown = set(released) - set(CASE_FIELDS)
    if unknown:
        raise EntryError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audit.snapshot(entry, ["released_fields", "consent_at", "consent_by"])
    withdrawn = not given_by.strip()
    entry.released_fields = [] if withdrawn else [n for n in CASE_FIELDS if n in released]
    entry.consent_at = None if withdrawn else timezone.now()
    entry.consent_by = "" if withdrawn else given_by.strip()
    entry.consent_note = note
    entry.consent_recorded_by = user
    entry.save(
        update_fields=[
            "released_fields",
            "consent_at",
            "consent_by",
            "consent_note",
            "consent_recorded_by",
            "updated_at",
        ]
    )
    action = "entry.consent_withdrawn" if withdrawn else "entry.consent_recorded"
    audit.record(
        user,
        action,
        entry,
        before=before,
        after=audit.snapshot(entry, ["released_fields", "consent_at", "consent_by"]),
    )
    for version in entry.versions.all():
        version.search_text = search_text(version, entry)
        version.save(update_fields=["search_text"])
    if withdrawn:
        unpublish_entry(user, entry)
    else:
        _refresh_index(entry)
    return entry


def _version_for_files(user, entry: Entry) -> EntryVersion:
    """The version a published entry's file change waits in: the open one (a version in
    review goes back to draft, its review starts again), else a new draft of the published
    text."""
    version = open_version(entry)
    if version is None:
        source = entry.published_version
        version = EntryVersion(entry=entry, number=entry.latest_version().number + 1, author=user)
        for name in VERSION_FIELDS:
            setattr(version, name, getattr(source, name))
        version.search_text = source.search_text
        version.save()
    elif version.status == EntryVersion.Status.IN_REVIEW:
        version.status = EntryVersion.Status.DRAFT
        version.save(update_fields=["status"])
    return version


def _delete_file_after_commit(attachment: EntryAttachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_attachment(user, entry: Entry, upload, title: str) -> EntryAttachment:
    """Store an uploaded file with the entry (size and type were checked by the form).

    On a published entry the file waits for the next version's review: readers see it
    once someone other than the one who added it approves that version.
    """
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    attachment = EntryAttachment(
        entry=entry,
        title=title or upload.name,
        filename=upload.name[:200],
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        size=upload.size,
        uploaded_by=user,
    )
    details = {}
    if entry.published_version_id:
        version = _version_for_files(user, entry)
        attachment.change, attachment.change_by = EntryAttachment.Change.ADD, user
        details = {"waits_for_version": version.number}
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
        audit.record(user, "entry.attachment_added", entry, attachment=attachment.title, **details)
    except Exception:
        # Nothing of it is saved (the transaction rolls back): neither is the file. A file
        # whose transaction is rolled back further out, or whose process died before the
        # commit, is found by delete_orphan_files.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


ATTACHMENT_FOLDER = "transfer/attachments"


def delete_orphan_files(older_than: dt.timedelta = dt.timedelta(hours=1)) -> list[str]:
    """Delete stored files of entries that no attachment refers to (their transaction was
    rolled back, or their process died before the commit), once they are ``older_than``
    (younger ones may belong to a transaction still under way). Returns their names."""
    storage = EntryAttachment._meta.get_field("file").storage
    known = set(EntryAttachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    deleted = []
    for name in _stored_names(storage, ATTACHMENT_FOLDER):
        if name in known or storage.get_modified_time(name) > cutoff:
            continue
        storage.delete(name)
        deleted.append(name)
    return deleted


def _stored_names(storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    folders, files = storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names += _stored_names(storage, f"{folder}/{sub}")
    return names


@transaction.atomic
def remove_attachment(user, attachment: EntryAttachment) -> None:
    """Remove a file; a published entry's file (not one still waiting to be added) stays for
    readers, marked for removal, until the next version is approved."""
    attachment = EntryAttachment.objects.select_for_update().get(pk=attachment.pk)
    entry = Entry.objects.select_for_update().get(pk=attachment.entry_id)
    if entry.published_version_id and attachment.change != EntryAttachment.Change.ADD:
        version = _version_for_files(user, entry)
        attachment.change, attachment.change_by = EntryAttachment.Change.REMOVE, user
        attachment.save(update_fields=["change", "change_by"])
        audit.record(
            user,
            "entry.attachment_removal_requested",
            entry,
            attachment=attachment.title,
            waits_for_version=version.number,
        )
        return
    _delete_file_after_commit(attachment)
    attachment.delete()
    audit.record(user, "entry.attachment_removed", entry, attachment=attachment.title)


@transaction.atomic
def keep_attachment(user, attachment: EntryAttachment) -> None:
    """Withdraw a file's waiting removal: it stays as it is."""
    attachment = EntryAttachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.change != EntryAttachment.Change.REMOVE:
        return
    attachment.change, attachment.change_by = EntryAttachment.Change.NONE, None
    attachment.save(update_fields=["change", "change_by"])
    audit.record(user, "entry.attachment_kept", attachment.entry, attachment=attachment.title)


def _apply_file_changes(entry: Entry) -> dict:
    """Apply the files' changes that waited for the approved version; returns their titles."""
    waiting = list(entry.attachments.exclude(change=EntryAttachment.Change.NONE))
    added = [a.title for a in waiting if a.change == EntryAttachment.Change.ADD]
    removed = [a.title for a in waiting if a.change == EntryAttachment.Change.REMOVE]
    for attachment in waiting:
        if attachment.change == EntryAttachment.Change.REMOVE:
            _delete_file_after_commit(attachment)
            attachment.delete()
    entry.attachments.filter(change=EntryAttachment.Change.ADD).update(
        change=EntryAttachment.Change.NONE, change_by=None
    )
    return {"files_added": added, "files_removed": removed} if waiting else {}


def count_use(entry: Entry, *, views: int = 0, downloads: int = 0) -> None:
    """Add a view or download to today's count (one UPDATE; the row is made once a day)."""
    day = timezone.localdate()
    updated = EntryUsage.objects.filter(entry=entry, day=day).update(
        views=F("views") + views, downloads=F("downloads") + downloads
    )
    if updated:
        return
    try:
        with transaction.atomic():
            EntryUsage.objects.create(entry=entry, day=day, views=views, downloads=downloads)
    except IntegrityError:
        EntryUsage.objects.filter(entry=entry, day=day).update(
            views=F("views") + views, downloads=F("downloads") + downloads
        )


# Texts for search and display --------------------------------------------------------------


def shown_case_fields(entry: Entry, version: EntryVersion) -> list[tuple[str, object, dict]]:
    """``(name, label, {lang: text})`` of the case study fields its company released."""
    if not entry.is_case_study:
        return []
    released = set(entry.released_fields or [])
    fields = version.case_fields or {}
    return [
        (name, label, fields.get(name) or {})
        for name, label in CASE_FIELDS.items()
        if name in released and any((fields.get(name) or {}).values())
    ]


def search_text(version: EntryVersion, entry: Entry | None = None) -> str:
    """What a reader of the version may see, as plain text in both languages."""
    entry = entry or version.entry
    parts = [version.title_de, version.title_en, version.summary_de, version.summary_en]
    if entry.is_case_study:
        for _name, _label, texts in shown_case_fields(entry, version):
            parts += [markup.plain(texts.get("de", "")), markup.plain(texts.get("en", ""))]
    else:
        parts += [version.problem_de, version.problem_en]
        for name in ("body_de", "body_en", "evidence_de", "evidence_en", "sources"):
            parts.append(markup.plain(getattr(version, name)))
    return "\n".join(p.strip() for p in parts if p and p.strip())


def embedding_text(entry: Entry) -> str:
    """What the multilingual encoder reads of a published entry: its short texts."""
    version = entry.published_version
    if version is None:
        return ""
    parts = [version.title_de, version.title_en, version.summary_de, version.summary_en]
    if not entry.is_case_study:
        parts += [version.problem_de, version.problem_en]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _refresh_index(entry: Entry) -> None:
    """Re-embed the entry after the commit (its published text or visibility changed)."""
    from ..search import schedule_refresh

    schedule_refresh(entry.pk)
