"""Telling people what happened: in the hub and, as each chose, by email."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from humaine.core import audit

from .kinds import KINDS, Kind
from .models import Notification, Preferences

ADDRESS_KINDS_ONLY = "a kind for accounts has no address preferences"


def _label(obj: Model | None) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")


def notify(kind: str, recipients: Iterable, obj: Model | None = None, **params) -> list:
    """Tell each of ``recipients`` (users) about ``obj``; email those who want it.

    Call it inside the operation's transaction: the notifications are stored with it,
    and the emails are enqueued once it commits. Inactive users and duplicates are
    skipped. Returns the notifications created.
    """
    registered = KINDS[kind]
    object_type, object_id = _label(obj)
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=registered.name,
            object_type=object_type,
            object_id=object_id,
            params=params,
        )
        for user in users.values()
    )
    emailed = [n.pk for n in created if n.recipient.email and wants_email(n.recipient, registered)]
    if emailed:
        from . import tasks

        transaction.on_commit(lambda: [tasks.email_notification.enqueue(pk) for pk in emailed])
    return created


def preferences_of(user) -> Preferences:
    """The user's preferences (unsaved defaults until they choose)."""
    found = Preferences.objects.filter(user=user).first()
    return found or Preferences(user=user)


def wants_email(user, kind: Kind) -> bool:
    return preferences_of(user).wants(kind)


def wants_email_at(address: str, kind: str) -> bool:
    """Whether the person at ``address`` (without an account) wants emails of ``kind``."""
    registered = KINDS[kind]
    found = Preferences.objects.filter(address=address.strip().lower()).first()
    return found.wants(registered) if found else registered.email_default


@transaction.atomic
def save_preferences(user, *, language: str, emails: dict[str, bool]) -> Preferences:
    """Save which emails ``user`` wants (of the kinds they may receive) and in which
    language. Audited."""
    allowed = {kind.name for kind in KINDS if kind.accounts and kind.audience(user)}
    preferences, _created = Preferences.objects.select_for_update().get_or_create(user=user)
    before = {"language": preferences.language, "emails": dict(preferences.emails)}
    preferences.language = language
    preferences.emails = {name: bool(value) for name, value in emails.items() if name in allowed}
    preferences.save(update_fields=["language", "emails", "updated_at"])
    after = {"language": preferences.language, "emails": preferences.emails}
    if after != before:
        audit.record(
            user, "notification_preferences.changed", preferences, before=before, after=after
        )
    return preferences


@transaction.atomic
def choose_email_at(address: str, kind: str, wanted: bool, *, actor_name: str) -> Preferences:
    """Record whether the person at ``address`` (without an account) wants emails of
    ``kind`` (a kind with ``accounts=False``). Audited without the address."""
    registered = KINDS[kind]
    if registered.accounts:
        raise ValueError(ADDRESS_KINDS_ONLY)
    address = address.strip().lower()
    preferences, _created = Preferences.objects.select_for_update().get_or_create(address=address)
    before = preferences.wants(registered)
    preferences.emails = {**preferences.emails, registered.name: bool(wanted)}
    preferences.save(update_fields=["emails", "updated_at"])
    if before != bool(wanted):
        audit.record(
            None,
            "notification_preferences.changed",
            preferences,
            actor_name=actor_name,
            before={registered.name: before},
            after={registered.name: bool(wanted)},
        )
    return preferences


def mark_read(user, notifications=None) -> int:
    """Mark ``user``'s notifications read (a queryset of them, or all); how many were."""
    queryset = Notification.objects.visible_to(user).unread()
    if notifications is not None:
        queryset = queryset.filter(pk__in=notifications.values("pk"))
    return queryset.update(read_at=timezone.now())


def mark_read_about(user, obj: Model) -> int:
    """Mark ``user``'s notifications about ``obj`` read (they opened its page)."""
    object_type, object_id = _label(obj)
    return mark_read(user, Notification.objects.about(object_type, [object_id]))


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def unread_about(user, model: type[Model], ids, kinds: Iterable[str] = ()) -> set[int]:
    """Of the objects ``ids`` of ``model``, those ``user`` has unread notifications about
    (of ``kinds``, or of any kind)."""
    queryset = Notification.objects.visible_to(user).unread().about(model._meta.label_lower, ids)
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    return {int(pk) for pk in queryset.values_list("object_id", flat=True).distinct()}
