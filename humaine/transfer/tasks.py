"""Background jobs of transfer: emails to people who registered for an event. They take ids."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from humaine.core.jobs import job
from humaine.core.models import Hub

SUBJECTS = {
    "confirmed": "transfer/email/confirmed_subject.txt",
    "waitlisted": "transfer/email/waitlisted_subject.txt",
    "promoted": "transfer/email/promoted_subject.txt",
    "reminder": "transfer/email/reminder_subject.txt",
}


def _send(registration, what: str) -> None:
    from .calendar import event_ics

    context = {
        "registration": registration,
        "event": registration.event,
        "hub": Hub.current(),
        "what": what,
    }
    with translation.override(registration.language):
        subject = " ".join(render_to_string(SUBJECTS[what], context).split())
        body = render_to_string("transfer/email/registration.txt", context)
        ics = event_ics(registration.event) if what != "waitlisted" else None
    message = EmailMessage(subject, body, None, [registration.email])
    if ics:
        message.attach(f"{registration.event.slug}.ics", ics, "text/calendar")
    message.send()


@job
def send_registration_email(registration_id: int, what: str) -> str:
    """Confirm a place ("confirmed"), the waiting list ("waitlisted") or a move up ("promoted")."""
    from .models import Registration

    registration = Registration.objects.select_related("event").get(pk=registration_id)
    if registration.is_erased or not registration.email:
        return "erased"
    if what == "promoted" and registration.status != Registration.Status.CONFIRMED:
        return "no longer confirmed"
    _send(registration, what)
    return "sent"


@job
def send_event_reminder(registration_id: int) -> str:
    """Remind a confirmed participant shortly before the event (moved events wait longer)."""
    from .models import Registration

    registration = Registration.objects.select_related("event").get(pk=registration_id)
    event = registration.event
    now = timezone.now()
    if (
        registration.status != Registration.Status.CONFIRMED
        or registration.reminded_at
        or registration.is_erased
        or now >= event.starts_at
    ):
        return "skipped"
    remind_at = event.starts_at - timedelta(hours=settings.TRANSFER_REMINDER_HOURS)
    if now < remind_at:
        # the event moved to a later date after this reminder was planned
        send_event_reminder.using(run_after=remind_at).enqueue(registration_id)
        return "rescheduled"
    _send(registration, "reminder")
    registration.reminded_at = now
    registration.save(update_fields=["reminded_at"])
    return "sent"
