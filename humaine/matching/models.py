"""Stored embeddings and their index version (rebuilds report in ``core.Progress``)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Embedding(models.Model):
    """The vectors of one indexed text: an expert profile, an inquiry, a method.

    ``object_id`` is the text's object key as text (a primary key, or a catalogue id for
    methods), so a new kind of indexed text (scenarios) needs no schema change. ``whole`` is
    row 0 of ``vectors`` (the whole text) on its own: the first-stage index, loaded into
    memory as one float32 matrix per kind (``humaine.matching.store``).
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.CharField(_("object"), max_length=64)
    encoder = models.CharField(_("encoder"), max_length=100)
    fingerprint = models.CharField(_("fingerprint"), max_length=32)
    dim = models.PositiveSmallIntegerField()
    whole = models.BinaryField()
    vectors = models.BinaryField()
    segments = models.JSONField(default=list)
    language = models.JSONField(default=dict)
    # the index version (IndexState.revision) that wrote this row
    revision = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("embedding")
        verbose_name_plural = _("embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "encoder", "object_id"], name="unique_embedding_per_encoder"
            )
        ]
        indexes = [models.Index(fields=["kind", "encoder", "revision"], name="embedding_rev_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.encoder})"

    def record(self) -> dict:
        """The stored vectors in the form ``ranking.EmbeddedText.from_record`` reads."""
        return {
            "vectors": bytes(self.vectors),
            "dim": self.dim,
            "segments": self.segments,
            "language": self.language,
        }


def _new_epoch() -> str:
    return secrets.token_hex(8)


class IndexState(models.Model):
    """A version counter per kind of indexed text, so every process sees when to reload.

    ``revision`` grows with every stored embedding; ``generation`` grows when embeddings
    are removed (then a process reloads the whole matrix instead of the new rows).
    """

    kind = models.CharField(max_length=20, primary_key=True)
    revision = models.BigIntegerField(default=0)
    generation = models.BigIntegerField(default=0)
    # new for every new row: a restored or rolled-back database is never mistaken as current
    epoch = models.CharField(max_length=32, default=_new_epoch)

    class Meta:
        verbose_name = _("index state")
        verbose_name_plural = _("index states")

    def __str__(self) -> str:
        return f"{self.kind}: {self.revision}/{self.generation}"


class ExpertRelationship(models.Model):
    """A business relationship an expert declared: a client they advise, a vendor they
    work with, or a product they have a stake in. Matching flags conflicts of interest
    from them (``humaine.matching.conflicts``)."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("client")
        VENDOR = "vendor", _("vendor")
        PRODUCT = "product", _("product")

    expert = models.ForeignKey(
        "contact.Expert", on_delete=models.CASCADE, related_name="relationships"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("organisation or product"), max_length=200)

    class Meta:
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "kind", "name"], name="unique_expert_relationship"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class ConflictOverride(models.Model):
    """Staff's recorded decision that an expert may work on an inquiry despite a conflict
    of interest; the conflicts stay shown, with the decision and its reason."""

    inquiry = models.ForeignKey(
        "contact.Inquiry", on_delete=models.CASCADE, related_name="conflict_overrides"
    )
    expert = models.ForeignKey(
        "contact.Expert", on_delete=models.CASCADE, related_name="conflict_overrides"
    )
    reason = models.TextField(_("reason"))
    # the conflicts as shown when it was decided: [{"code": ..., "text": ...}]
    conflicts = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest override")
        verbose_name_plural = _("conflict of interest overrides")
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "expert"], name="unique_conflict_override")
        ]

    def __str__(self) -> str:
        return f"{self.expert} / {self.inquiry}"


class InquiryTeamSettings(models.Model):
    """An inquiry's own hours per month for each kind of place in its team (where they
    differ from the hub's): e.g. a longer consultation for a hard legal question."""

    inquiry = models.OneToOneField(
        "contact.Inquiry", on_delete=models.CASCADE, related_name="team_settings"
    )
    # {"core": 6, "consultation": 4}
    slot_hours = models.JSONField(_("hours per month per kind of place"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("team settings of an inquiry")
        verbose_name_plural = _("team settings of inquiries")

    def __str__(self) -> str:
        return str(self.inquiry)
