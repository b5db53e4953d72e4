"""Background jobs of the contact point. They take ids and call services or mail."""

from django.utils import timezone

from humaine.core import mail
from humaine.core.jobs import job


@job
def send_inquiry_confirmation(inquiry_id: int) -> str:
    from .models import Inquiry

    inquiry = Inquiry.objects.select_related("contact").get(pk=inquiry_id)
    if not inquiry.contact.email:
        return "no address"
    sent = mail.send(
        "contact/email/confirmation",
        to=inquiry.contact.email,
        language=inquiry.language,
        context={"inquiry": inquiry},
        key=f"contact.inquiry_confirmation:{inquiry.pk}",
    )
    return "sent" if sent else "already sent"


@job
def email_message(message_id: int) -> str:
    from .models import InquiryMessage

    message = InquiryMessage.objects.select_related("inquiry__contact").get(pk=message_id)
    inquiry = message.inquiry
    if message.emailed_at is not None or not inquiry.contact.email:
        return "skipped"

    def mark_emailed():
        message.emailed_at = timezone.now()
        message.save(update_fields=["emailed_at"])

    sent = mail.send(
        "contact/email/message",
        to=inquiry.contact.email,
        language=inquiry.language,
        context={"inquiry": inquiry, "message": message},
        key=f"contact.message:{message.pk}",
        after=mark_emailed,
    )
    return "sent" if sent else "already sent"


STATUS_ACTIONS = ("inquiry.status_changed", "inquiry.assignee_changed")


@job
def email_status_change(inquiry_id: int, event_id: int) -> str:
    """Tell the inquirer their inquiry's new status, unless it changed again since (that
    change's own job tells) or they chose not to hear of it."""
    from humaine.core.models import AuditEvent
    from humaine.notifications.services import wants_email_at

    from .models import Inquiry
    from .notifications import STATUS

    inquiry = Inquiry.objects.select_related("contact").get(pk=inquiry_id)
    event = AuditEvent.objects.get(pk=event_id)
    status = event.changes.get("fields", {}).get("status", {}).get("after")
    later = AuditEvent.objects.filter(
        object_type=event.object_type,
        object_id=event.object_id,
        action__in=STATUS_ACTIONS,
        pk__gt=event.pk,
    )
    if status != inquiry.status or any("status" in e.changes.get("fields", {}) for e in later):
        return "changed again"
    address = inquiry.contact.email
    if not address or inquiry.contact.is_erased:
        return "no address"
    if not wants_email_at(address, STATUS):
        return "not wanted"
    sent = mail.send(
        "contact/email/status_changed",
        to=address,
        language=inquiry.language,
        context={"inquiry": inquiry},
        key=f"contact.status_changed:{event.pk}",
    )
    return "sent" if sent else "already sent"
