"""Emails of notifications, sent by the job worker."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from humaine.core import mail
from humaine.core.jobs import job


@job
def email_notification(notification_id: int) -> str:
    """Email one notification to its recipient, unless they no longer want it."""
    from .kinds import KINDS
    from .models import Notification
    from .services import preferences_of

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return "skipped"
    kind = KINDS.get(notification.kind)
    user = notification.recipient
    preferences = preferences_of(user)
    if kind is None or not user.is_active or not user.email or not preferences.wants(kind):
        return "not wanted"
    if notification.is_read:
        # seen in the hub before the email went out
        return "already read"

    def mark_emailed():
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])

    with translation.override(preferences.language):
        context = {
            "notification": notification,
            "text": kind.text(notification) if kind.text else str(kind.label),
            "url": settings.SITE_URL + kind.link(notification) if kind.link else "",
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        }
    sent = mail.send(
        kind.email_template,
        to=user.email,
        language=preferences.language,
        context=context,
        key=f"notifications.email:{notification.pk}",
        after=mark_emailed,
    )
    return "sent" if sent else "already sent"
