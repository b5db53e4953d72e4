"""Who may see and do what in the knowledge base, at events, in the network and the figures.

Roles come from :mod:`humaine.policy`. Each rule is written once as a queryset (for lists)
and checked against its one-object predicate by ``tests/test_access.py``.

- A **published** entry is visible by its visibility: ``public`` to everyone,
  ``members`` to the network (members of a current network organisation, experts and
  staff), ``staff`` to hub staff. Drafts and versions under review are seen only by their
  editors (staff, and the expert who created the entry).
- Events are public once published; registrations are seen only by hub staff, and by the
  person who registered through their private cancellation link.
- Each network organisation's members edit its profile; staff edit every profile.
- The hub's figures are for staff; the public page shows a few headline counts.
"""

from django.db.models import QuerySet
from django.http import Http404

from humaine import policy
from humaine.core.tokens import hash_token, plausible
from humaine.policy import Rule

from .models import (
    Entry,
    EntryAttachment,
    EntryVersion,
    Event,
    NetworkMember,
    Registration,
    Visibility,
)


def is_network_member(user) -> bool:
    """Members of a current network organisation, experts and staff."""
    if policy.is_staff(user) or policy.is_expert(user):
        return True
    ids = policy.organisation_ids(user)
    return bool(ids) and NetworkMember.objects.current().filter(organisation_id__in=ids).exists()


def _visibilities(user) -> list[str]:
    if policy.is_staff(user):
        return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.STAFF]
    if is_network_member(user):
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


# Entries -----------------------------------------------------------------------------------


def entries_visible_to(user) -> QuerySet[Entry]:
    """Published entries ``user`` may read."""
    return Entry.objects.published().filter(visibility__in=_visibilities(user))


def can_view_entry(user, entry: Entry) -> bool:
    return entry.is_published and entry.visibility in _visibilities(user)


def get_entry_for_user(user, slug) -> Entry:
    """The published entry if ``user`` may read it; 404 otherwise (drafts included)."""
    entry = Entry.objects.select_related("published_version", "organisation").filter(slug=slug)
    entry = entry.first() if isinstance(slug, str) and len(slug) <= 120 else None
    if entry is None or not can_view_entry(user, entry):
        raise Http404
    return entry


def can_author_entries(user) -> bool:
    """Start entries: hub staff and the network's experts."""
    return policy.is_staff(user) or policy.is_expert(user)


def entries_editable_by(user) -> QuerySet[Entry]:
    if policy.is_staff(user):
        return Entry.objects.all()
    if policy.is_expert(user):
        return Entry.objects.filter(created_by=user).exclude(kind="case_study")
    return Entry.objects.none()


def can_edit_entry(user, entry: Entry) -> bool:
    if policy.is_staff(user):
        return True
    return (
        policy.is_expert(user)
        and entry.created_by_id == getattr(user, "pk", None)
        and not entry.is_case_study
    )


def get_entry_for_editor(user, pk) -> Entry:
    """An entry to edit (drafts too): staff, or the expert who created it; 404 otherwise."""
    try:
        entry = Entry.objects.select_related("published_version", "organisation").get(pk=int(pk))
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_edit_entry(user, entry):
        raise Http404
    return entry


def can_review_version(user, version: EntryVersion) -> bool:
    """Approve or return a version in review: hub staff other than its author (and other
    than whoever added or removed a file waiting for it)."""
    return (
        policy.is_staff(user)
        and version.status == EntryVersion.Status.IN_REVIEW
        and version.author_id != getattr(user, "pk", None)
        and not EntryAttachment.objects.filter(entry_id=version.entry_id)
        .exclude(change=EntryAttachment.Change.NONE)
        .filter(change_by_id=getattr(user, "pk", None))
        .exists()
    )


def can_download_attachment(user, attachment: EntryAttachment) -> bool:
    """The entry's editors get every file (also one waiting for review); readers of the
    published entry get its shown files, not one waiting to be added."""
    if can_edit_entry(user, attachment.entry):
        return True
    return attachment.change != EntryAttachment.Change.ADD and can_view_entry(
        user, attachment.entry
    )


def can_manage_case_studies(user) -> bool:
    """Draft case studies from scenarios and record a company's consent: hub staff."""
    return policy.is_staff(user)


def can_set_visibility(user, entry: Entry | None = None) -> bool:
    return policy.is_staff(user)


# Events and registrations ------------------------------------------------------------------


def can_manage_events(user) -> bool:
    return policy.is_staff(user)


def events_visible_to(user) -> QuerySet[Event]:
    if can_manage_events(user):
        return Event.objects.all()
    return Event.objects.published()


def can_view_event(user, event: Event) -> bool:
    return event.published or can_manage_events(user)


def get_event_for_user(user, slug) -> Event:
    event = Event.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    if event is None or not can_view_event(user, event):
        raise Http404
    return event


def get_managed_event(user, slug) -> Event:
    """An event to manage (registrations, check-in): hub staff; 404 for anyone else."""
    if not can_manage_events(user):
        raise Http404
    return get_event_for_user(user, slug)


def registrations_visible_to(user) -> QuerySet[Registration]:
    if can_manage_events(user):
        return Registration.objects.all()
    return Registration.objects.none()


def can_view_registration(user, registration: Registration) -> bool:
    return can_manage_events(user)


def get_registration_by_token(token: str) -> Registration:
    """The registration of a cancellation link; 404 when the token is wrong."""
    if not plausible(token):
        raise Http404
    registration = (
        Registration.objects.select_related("event").filter(token_hash=hash_token(token)).first()
    )
    if registration is None or registration.is_erased:
        raise Http404
    return registration


# The network -------------------------------------------------------------------------------


def members_visible_to(user) -> QuerySet[NetworkMember]:
    """The public directory: listed current members; staff see every record."""
    if policy.is_staff(user):
        return NetworkMember.objects.all()
    return NetworkMember.objects.listed()


def can_view_member(user, member: NetworkMember) -> bool:
    if policy.is_staff(user):
        return True
    return member.listed and member.left_at is None


def members_editable_by(user) -> QuerySet[NetworkMember]:
    if policy.is_staff(user):
        return NetworkMember.objects.all()
    return NetworkMember.objects.current().filter(organisation_id__in=policy.organisation_ids(user))


def can_edit_member(user, member: NetworkMember) -> bool:
    if policy.is_staff(user):
        return True
    return member.organisation_id in policy.organisation_ids(user)


def get_member_for_editor(user, pk) -> NetworkMember:
    try:
        member = NetworkMember.objects.select_related("organisation").get(pk=int(pk))
    except (NetworkMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_edit_member(user, member):
        raise Http404
    return member


def can_manage_network(user) -> bool:
    """Add organisations to the network, end memberships: hub staff."""
    return policy.is_staff(user)


# Figures -----------------------------------------------------------------------------------


def can_view_figures(user) -> bool:
    return policy.is_staff(user)


RULES = [
    Rule("transfer.entries", "transfer.entry", entries_visible_to, can_view_entry),
    Rule("transfer.editable_entries", "transfer.entry", entries_editable_by, can_edit_entry),
    Rule("transfer.events", "transfer.event", events_visible_to, can_view_event),
    Rule("transfer.registrations", "transfer.registration", registrations_visible_to,
         can_view_registration),
    Rule("transfer.network_members", "transfer.networkmember", members_visible_to, can_view_member),
    Rule("transfer.editable_network_members", "transfer.networkmember", members_editable_by,
         can_edit_member),
]  # fmt: skip
