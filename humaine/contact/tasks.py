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
