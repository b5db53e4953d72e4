"""Background jobs of the contact point. They take ids and call services or mail."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from humaine.core.jobs import job, run_once
from humaine.core.models import Hub


@job
def send_inquiry_confirmation(inquiry_id: int) -> str:
    from .models import Inquiry

    inquiry = Inquiry.objects.select_related("contact").get(pk=inquiry_id)
    if not inquiry.contact.email:
        return "no address"
    with translation.override(inquiry.language):
        subject = render_to_string(
            "contact/email/confirmation_subject.txt", {"inquiry": inquiry, "hub": Hub.current()}
        )
        body = render_to_string(
            "contact/email/confirmation.txt", {"inquiry": inquiry, "hub": Hub.current()}
        )
    sent = run_once(
        f"contact.inquiry_confirmation:{inquiry.pk}",
        lambda: send_mail(" ".join(subject.split()), body, None, [inquiry.contact.email]),
    )
    return "sent" if sent else "already sent"


@job
def email_message(message_id: int) -> str:
    from .models import InquiryMessage

    message = InquiryMessage.objects.select_related("inquiry__contact").get(pk=message_id)
    inquiry = message.inquiry
    if message.emailed_at is not None or not inquiry.contact.email:
        return "skipped"
    with translation.override(inquiry.language):
        subject = render_to_string(
            "contact/email/message_subject.txt", {"inquiry": inquiry, "hub": Hub.current()}
        )
        body = render_to_string(
            "contact/email/message.txt",
            {"inquiry": inquiry, "message": message, "hub": Hub.current()},
        )

    def send():
        send_mail(" ".join(subject.split()), body, None, [inquiry.contact.email])
        message.emailed_at = timezone.now()
        message.save(update_fields=["emailed_at"])

    return "sent" if run_once(f"contact.message:{message.pk}", send) else "already sent"
