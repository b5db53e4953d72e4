"""Background jobs of transfer: emails to people who registered for an event. They take ids."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from humaine.core import mail
from humaine.core.jobs import job


def _send(registration, what: str, after=None) -> bool:
    """Send the ``what`` email of ``registration`` once (a rerun of its job sends nothing)."""
    from .calendar import event_ics

    attachments = []
    if what != "waitlisted":
        ics = event_ics(registration.event)
        attachments.append((f"{registration.event.slug}.ics", ics, "text/calendar"))
    return mail.send(
        f"transfer/email/{what}",
        to=registration.email,
        language=registration.language,
        context={"registration": registration, "event": registration.event},
        key=f"transfer.registration:{registration.pk}:{what}",
        after=after,
        attachments=attachments,
    )


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

    def remembered():
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])

    _send(registration, "reminder", after=remembered)
    return "sent"
