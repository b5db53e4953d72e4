"""A check of one case, its respondents and their answers.

The catalogue, the classification and the rules live in plain Python next to this file;
these models only store what people entered: the case, who answers in which role, the
answers (question id -> answer), an optional explicit case profile and edited documents.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Inquiry, Language
from humaine.core import tokens

from .catalogue import default_catalogue


class CheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Checks on inquiries ``user`` may open, and the standalone checks they started
        while logged in (a standalone check is otherwise opened by its private link)."""
        condition = models.Q(inquiry__in=Inquiry.objects.visible_to(user))
        if getattr(user, "is_authenticated", False):
            condition |= models.Q(inquiry__isnull=True, created_by=user)
        return self.filter(condition)

    def for_inquiry(self, inquiry: Inquiry):
        return self.filter(inquiry=inquiry).order_by("-created_at", "-pk")


class Check(tokens.PrivateLink):
    """One human-centred AI check of a case.

    Standalone (no inquiry) checks are opened through their private result link; a check
    attached to an inquiry is visible to whoever may see the inquiry. (Application
    scenarios will add their own nullable reference here.)
    """

    TOKEN_SALT = "humaine.check.result"  # noqa: S105 - a salt, not a secret
    DOCUMENTS = ("worker_notice", "codetermination_steps", "works_agreement")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("case description"), blank=True)
    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checks",
    )
    # An explicit case profile (CaseProfile as JSON); without it the profile comes from
    # the answers to the profile questions.
    profile = models.JSONField(_("case profile"), null=True, blank=True)
    date_set = models.CharField(_("application dates of the AI Act"), max_length=30)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    # Respondents see the result once they have submitted, unless the owner turns it off.
    respondents_see_result = models.BooleanField(
        _("respondents see the result after submitting"), default=True
    )
    # Edited documents: {kind: {language: {"text": ..., "saved_at": ...}}}.
    documents = models.JSONField(_("edited documents"), default=dict, blank=True)
    # Where to email the private link; cleared once the email is sent.
    notify_email = models.EmailField(_("email for the private link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("AI check")
        verbose_name_plural = _("AI checks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("check:overview", kwargs={"pk": self.pk})

    def result_url(self) -> str:
        """The private link to the check (standalone checks only)."""
        return settings.SITE_URL + reverse("check:overview", kwargs={"token": self.token()})

    def edited_document(self, kind: str, language: str) -> dict | None:
        return (self.documents.get(kind) or {}).get(language)


class Respondent(tokens.PrivateLink):
    """Someone who answers the check in one role, through a private invitation link.

    Only a label the owner chose identifies them; no account and no name are needed.
    """

    TOKEN_SALT = "humaine.check.respondent"  # noqa: S105 - a salt, not a secret

    ai_check = models.ForeignKey(
        Check, verbose_name=_("AI check"), on_delete=models.CASCADE, related_name="respondents"
    )
    role = models.CharField(_("role"), max_length=30)
    label = models.CharField(_("label"), max_length=100)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    # Question id -> answer in the normal form of humaine.check.questionnaire.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Where to email the invitation; cleared once the email is sent.
    invite_email = models.EmailField(_("email for the invitation"), blank=True)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    last_saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the owner revoked the invitation; its link opens nothing since.
    revoked_at = models.DateTimeField(_("invitation revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.role})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def sees_result(self) -> bool:
        """A respondent who submitted sees the result, unless the owner turned it off."""
        return self.is_submitted and not self.is_revoked and self.ai_check.respondents_see_result

    @property
    def role_title(self):
        return default_catalogue().get("roles", self.role).title

    def invitation_url(self) -> str:
        return settings.SITE_URL + reverse("check:respond", args=[self.token()])
