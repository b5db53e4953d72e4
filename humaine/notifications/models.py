"""Notifications in the hub and each person's choice of emails."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees only their own notifications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def about(self, object_type: str, object_ids):
        return self.filter(object_type=object_type, object_id__in=[str(pk) for pk in object_ids])


class Notification(models.Model):
    """Something that happened, told to one user (``kinds.Kind`` says how it reads)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    # the object it is about, as "app_label.model_name" and its primary key
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # what the text needs besides the object: no personal data, no confidential text
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["object_type", "object_id"], name="notification_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preferences(models.Model):
    """Which emails one person wants: a user's (with the language of their emails), or,
    for people without an account, an email address's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    address = models.EmailField(_("email address"), blank=True)
    language = models.CharField(
        _("language of emails"),
        max_length=2,
        choices=[("de", _("German")), ("en", _("English"))],
        default="de",
    )
    # kind -> True (email me) / False (do not); kinds not in it follow their default
    emails = models.JSONField(_("emails"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["address"],
                condition=~models.Q(address=""),
                name="unique_notification_address",
            ),
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(address=""))
                | (models.Q(user__isnull=True) & ~models.Q(address="")),
                name="notification_preferences_of_user_or_address",
            ),
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id or 'an address'}"

    def wants(self, kind) -> bool:
        return bool(self.emails.get(kind.name, kind.email_default))
