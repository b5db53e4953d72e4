"""Who may see notifications: each user only their own."""

from django.http import Http404

from humaine import policy
from humaine.policy import Rule

from .models import Notification


def notifications_visible_to(user):
    return Notification.objects.visible_to(user)


def can_view_notification(user, notification: Notification) -> bool:
    return policy.is_authenticated(user) and notification.recipient_id == user.pk


def can_choose_emails(user) -> bool:
    return policy.is_authenticated(user)


def get_notification_for_user(user, pk) -> Notification:
    """The user's own notification; 404 for anyone else's and for forged ids."""
    try:
        notification = Notification.objects.get(pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can_view_notification(user, notification):
        raise Http404
    return notification


RULES = [
    Rule(
        "notifications",
        "notifications.notification",
        notifications_visible_to,
        can_view_notification,
    )
]
