"""Operations on events and registrations: capacity, waiting list, attendance, erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from humaine.core import audit
from humaine.core.reach import normalised_email

from ..models import Event, Registration, retention_cutoff

EVENT_FIELDS = [
    "kind", "title_de", "title_en", "description_de", "description_en", "starts_at", "ends_at",
    "venue", "accessibility_de", "accessibility_en", "capacity", "registration_closes_at",
    "published",
]  # fmt: skip
VISITOR = "visitor (event registration)"


class RegistrationError(ValueError):
    """A registration or cancellation that cannot be made; the message says why."""

    code = "invalid"


class RegistrationClosed(RegistrationError):
    code = "closed"


class AlreadyRegistered(RegistrationError):
    code = "duplicate"


class LinkExpired(RegistrationError):
    code = "expired"


class EventError(ValueError):
    """Event data that does not fit together; the message says why."""


@dataclass
class RegistrationResult:
    registration: Registration
    token: str

    @property
    def waitlisted(self) -> bool:
        return self.registration.status == Registration.Status.WAITLISTED


def _unique_slug(title: str, starts_at) -> str:
    base = f"{slugify(title)[:90] or 'event'}-{starts_at:%Y-%m-%d}"
    slug, number = base, 1
    while Event.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _validate(data: dict, confirmed: int = 0) -> None:
    if data["ends_at"] < data["starts_at"]:
        raise EventError(_("The event cannot end before it starts."))
    closes = data.get("registration_closes_at")
    if closes and closes > data["starts_at"]:
        raise EventError(_("Registration must close before the event starts."))
    if data["capacity"] < 1:
        raise EventError(_("An event needs at least one place."))
    if data["capacity"] < confirmed:
        raise EventError(
            _("%(n)d people are registered already; the event needs at least that many places.")
            % {"n": confirmed}
        )


@transaction.atomic
def create_event(user, data: dict) -> Event:
    _validate(data)
    event = Event(slug=_unique_slug(data["title_de"], data["starts_at"]), created_by=user)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.save()
    audit.record(user, "event.created", event, after=audit.snapshot(event, EVENT_FIELDS))
    return event


@transaction.atomic
def update_event(user, event: Event, data: dict) -> Event:
    """Change an event; more places move people up from the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    merged = {name: data.get(name, getattr(event, name)) for name in EVENT_FIELDS}
    _validate(merged, event.registrations.confirmed().count())
    before = audit.snapshot(event, EVENT_FIELDS)
    for name, value in merged.items():
        setattr(event, name, value)
    event.save()
    audit.record(
        user, "event.updated", event, before=before, after=audit.snapshot(event, EVENT_FIELDS)
    )
    fill_places(event, user)
    return event


def person_for(email: str, user=None):
    """The contact point's person a registration belongs to: the account's person, else
    the one (not erased) with this address, compared normalised; None when there is none."""
    from humaine.contact.models import Person

    if getattr(user, "is_authenticated", False):
        own = Person.objects.filter(user=user).order_by("pk").first()
        if own is not None:
            return own
    address = normalised_email(email)
    if not address:
        return None
    return Person.objects.not_erased().filter(email__iexact=address).order_by("pk").first()


@transaction.atomic
def register_for_event(event: Event, data: dict, *, user=None, now=None) -> RegistrationResult:
    """Register a person: a place while there is one, otherwise the waiting list.

    ``data``: name, email, organisation_name, accessibility_needs, language. The event's
    row is locked, so two people never get the last place.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_open(now):
        raise RegistrationClosed(_("Registration for this event is closed."))
    email = normalised_email(data["email"])
    if event.registrations.active().filter(email=email).exists():
        raise AlreadyRegistered(
            _(
                "This email address is registered for this event already. The confirmation "
                "email has a link to cancel; write to the hub to change the registration."
            )
        )
    has_place = event.registrations.confirmed().count() < event.capacity
    registration = Registration(
        event=event,
        status=Registration.Status.CONFIRMED if has_place else Registration.Status.WAITLISTED,
        name=data["name"].strip(),
        email=email,
        organisation_name=data.get("organisation_name", "").strip(),
        accessibility_needs=data.get("accessibility_needs", "").strip(),
        language=data.get("language") or "de",
        user=user if getattr(user, "is_authenticated", False) else None,
        person=person_for(email, user),
        created_at=now,
    )
    token = registration.new_token()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise AlreadyRegistered(
            _("This email address is registered for this event already.")
        ) from None
    audit.record(
        user,
        "registration.created",
        registration,
        actor_name=None if registration.user else VISITOR,
        status=registration.status,
    )
    _after_commit(registration.pk, "confirmed" if has_place else "waitlisted")
    if has_place:
        _schedule_reminder(registration, event)
    return RegistrationResult(registration, token)


@transaction.atomic
def cancel_registration(registration: Registration, *, user=None, now=None) -> list[Registration]:
    """Cancel a registration; the first on the waiting list takes a freed place.

    Returns the registrations moved up. Through the private link (no ``user`` of staff) a
    cancellation is possible until the event starts.
    """
    from .. import access

    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationError(_("This registration was cancelled already."))
    if now >= event.starts_at and not access.can_manage_events(user):
        raise LinkExpired(_("The event has started, so this cancellation link no longer works."))
    had_place = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    audit.record(
        user,
        "registration.cancelled",
        registration,
        actor_name=None if getattr(user, "is_authenticated", False) else VISITOR,
    )
    return fill_places(event, user) if had_place else []


def fill_places(event: Event, user=None) -> list[Registration]:
    """Move people up from the waiting list while places are free (inside a transaction)."""
    free = event.capacity - event.registrations.confirmed().count()
    if free <= 0:
        return []
    moved = list(event.registrations.waiting().select_for_update()[:free])
    now = timezone.now()
    for registration in moved:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        audit.record(
            user,
            "registration.promoted",
            registration,
            actor_name=None if getattr(user, "is_authenticated", False) else "waiting list",
        )
        _after_commit(registration.pk, "promoted")
        _schedule_reminder(registration, event)
    return moved


@transaction.atomic
def record_attendance(user, event: Event, attended_ids) -> int:
    """Mark who came (confirmed registrations in ``attended_ids``) and who did not."""
    attended_ids = {int(pk) for pk in attended_ids}
    confirmed = event.registrations.confirmed()
    before = sorted(confirmed.filter(attended=True).values_list("pk", flat=True))
    confirmed.filter(pk__in=attended_ids).update(attended=True)
    confirmed.exclude(pk__in=attended_ids).update(attended=False)
    after = sorted(confirmed.filter(attended=True).values_list("pk", flat=True))
    audit.record(
        user,
        "event.attendance_recorded",
        event,
        before={"attended": before},
        after={"attended": after},
    )
    return len(after)


@transaction.atomic
def erase_past_registrations(now=None) -> int:
    """Blank the personal data of registrations for events that ended before the cutoff.

    Status and attendance stay (the hub's figures count them); names, addresses,
    organisations and accessibility needs go, and the cancellation links stop working.
    """
    now = now or timezone.now()
    erased = 0
    events = Event.objects.filter(
        ends_at__lt=retention_cutoff(now), registrations__erased_at__isnull=True
    ).distinct()
    for event in events:
        count = event.registrations.filter(erased_at__isnull=True).update(
            name="",
            email="",
            organisation_name="",
            accessibility_needs="",
            user=None,
            person=None,
            erased_at=now,
        )
        audit.record(None, "event.registrations_erased", event, actor_name="retention", count=count)
        erased += count
    return erased


def _after_commit(registration_id: int, what: str) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.send_registration_email.enqueue(registration_id, what))


def _schedule_reminder(registration: Registration, event: Event) -> None:
    from .. import tasks

    remind_at = event.starts_at - timedelta(hours=settings.TRANSFER_REMINDER_HOURS)
    if remind_at <= timezone.now():
        return
    pk = registration.pk
    transaction.on_commit(lambda: tasks.send_event_reminder.using(run_after=remind_at).enqueue(pk))
