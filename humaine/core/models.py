"""The foundation's own data: the hub's identity, the audit trail, API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .action_registry import label_of
from .i18n import localized


class Hub(models.Model):
    """The one installation's identity, edited by the hub admin in the application."""

    CACHE_KEY = "humaine:hub"

    name = models.CharField(_("name"), max_length=200, default="HUMAINE")
    short_name = models.CharField(_("short name"), max_length=40, default="HUMAINE")
    tagline_de = models.CharField(_("tagline (German)"), max_length=300, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=300, blank=True)
    about_de = models.TextField(_("about the hub (German)"), blank=True)
    about_en = models.TextField(_("about the hub (English)"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True, default="Deutschland")
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="hub/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg", "webp"])],
    )
    imprint_de = models.TextField(_("legal notice (German)"), blank=True)
    imprint_en = models.TextField(_("legal notice (English)"), blank=True)
    privacy_de = models.TextField(_("privacy policy (German)"), blank=True)
    privacy_en = models.TextField(_("privacy policy (English)"), blank=True)
    inquiry_privacy_de = models.TextField(_("privacy notice for inquiries (German)"), blank=True)
    inquiry_privacy_en = models.TextField(_("privacy notice for inquiries (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hub")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    @classmethod
    def current(cls) -> "Hub":
        """Return the hub, cached; an unsaved default until the admin sets it up."""
        hub = cache.get(cls.CACHE_KEY)
        if hub is None:
            hub = cls.objects.order_by("pk").first() or cls()
            cache.set(cls.CACHE_KEY, hub, 300)
        return hub

    @property
    def address_lines(self) -> list[str]:
        lines = [self.name, self.street, f"{self.postal_code} {self.city}".strip(), self.country]
        return [line for line in lines if line]

    @property
    def tagline(self) -> str:
        return localized(self, "tagline")

    @property
    def about(self) -> str:
        return localized(self, "about")

    @property
    def imprint(self) -> str:
        return localized(self, "imprint")

    @property
    def privacy(self) -> str:
        return localized(self, "privacy")

    @property
    def inquiry_privacy(self) -> str:
        return localized(self, "inquiry_privacy")


class AuditEvent(models.Model):
    """One change: who did what to which object, when, with the values before and after."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the trail stays readable after an account is deleted or erased.
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
        )

    @property
    def action_label(self) -> str:
        """What people read for the action, in the active language."""
        return label_of(self.action)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal token for machine clients; only its hash is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Optional: after this the token no longer authenticates.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple["ApiToken", str]:
        """Create a token; the plain key is returned once and never stored."""
        key = "hm_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[: cls.PREFIX_LENGTH],
            key_hash=cls.hash_key(key),
            expires_at=expires_at,
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class RateCounter(models.Model):
    """Hits of one client (hashed) in one rate-limit window, when no atomic cache is set up.

    ``core.ratelimit`` counts with a single ``UPDATE ... SET count = count + 1``, so parallel
    requests never lose a hit; rows of ended windows are deleted as new windows start.
    """

    key = models.CharField(max_length=80, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class JobWorker(models.Model):
    """A running job worker. It renews ``seen_at`` every few seconds: its lease.

    A job marked running whose worker's lease ran out is taken back and run again
    (``core.jobs.reclaim_abandoned``); a worker that stops cleanly deletes its row.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("job worker")
        verbose_name_plural = _("job workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class JobEffect(models.Model):
    """An outside effect of a job (an email sent), recorded once per key.

    ``core.jobs.run_once`` writes the row in the same transaction as it does the effect,
    so a retry or a second "run again" finds it and does not repeat the effect.
    """

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("job effect")
        verbose_name_plural = _("job effects")

    def __str__(self) -> str:
        return self.key


class Progress(models.Model):
    """The progress of one long job as the person who asked sees it (``core.progress``).

    ``kind`` names the job (``"matching.rebuild"``); ``details`` holds its parameters and,
    under ``counts``, what it counted besides ``done`` of ``total``; the partial
    ``core/_progress.html`` shows it and polls until the job has ended.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    ENDED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.TextField(_("message"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancel_requested_at = models.DateTimeField(_("cancel requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job progress")
        verbose_name_plural = _("job progress")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="progress_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return 0 if not self.total else min(100, round(100 * self.done / self.total))

    @property
    def has_ended(self) -> bool:
        return self.status in self.ENDED

    @property
    def counts(self) -> dict[str, int]:
        """What the job counted while it ran (e.g. ``{"embedded": 12}``)."""
        return dict((self.details or {}).get("counts") or {})
