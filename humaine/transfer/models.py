"""Transfer and network: the knowledge base, events, the network's members, usage counts."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.contact.models import Discipline, Language, Organisation, Sector
from humaine.core import tokens
from humaine.core.models import localized

# Knowledge base ----------------------------------------------------------------------------


class Kind(models.TextChoices):
    CASE_STUDY = "case_study", _("case study")
    METHOD = "method", _("method")
    GUIDELINE = "guideline", _("guideline")
    TEMPLATE = "template", _("template")
    LEARNING = "learning_material", _("learning material")


class Maturity(models.IntegerChoices):
    """The five steps of the HUMAINE toolbox, from an idea to a tested method."""

    FOUNDED = 1, _("scientifically founded")
    SPECIFIED = 2, _("developed and specified")
    TRIED = 3, _("first tried in practice")
    EVALUATED = 4, _("evaluated and improved")
    READY = 5, _("ready for practical use")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("network members")
    STAFF = "staff", _("hub staff")


# The parts of a case study; each is shown only when the company released it.
CASE_FIELDS = {
    "organisation": _("Company"),
    "goal": _("Goal"),
    "approach": _("Approach"),
    "methods": _("Methods used"),
    "outcomes": _("Outcomes"),
    "lessons": _("Lessons learned"),
}
# Left out of a draft's release unless staff tick them: they name or measure the company.
CONFIDENTIAL_CASE_FIELDS = ("organisation", "outcomes")


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_version__isnull=False)

    def for_list(self):
        return self.select_related("published_version").prefetch_related("sectors", "disciplines")


class Entry(models.Model):
    """A knowledge-base entry: its identity, classification and who may see it.

    Its texts live in :class:`EntryVersion` rows; ``published_version`` is the one readers
    see (none: never published, so invisible outside the editors).
    """

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    # the published version's maturity, kept here for filters and facets
    maturity = models.PositiveSmallIntegerField(
        _("maturity"), choices=Maturity.choices, null=True, blank=True
    )
    # the check's recommendations whose method this entry describes (one toolbox)
    recommendation_ids = models.JSONField(_("check recommendations"), default=list, blank=True)
    published_version = models.ForeignKey(
        "EntryVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # A case study: the company it is about, where it came from, and its recorded consent.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    scenario_ref = models.CharField(_("drafted from scenario"), max_length=64, blank=True)
    released_fields = models.JSONField(_("fields the company released"), default=list, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_by = models.CharField(_("consent given by"), max_length=200, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_note = models.TextField(_("consent note"), blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge-base entry")
        verbose_name_plural = _("knowledge-base entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "visibility"], name="entry_kind_vis_idx")]

    def __str__(self) -> str:
        version = self.published_version or self.versions.order_by("-number").first()
        return version.title if version else self.slug

    def get_absolute_url(self) -> str:
        return reverse("transfer:entry", args=[self.slug])

    @property
    def is_case_study(self) -> bool:
        return self.kind == Kind.CASE_STUDY

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def discipline_codes(self) -> list[str]:
        return [d.code for d in self.disciplines.all()]

    def latest_version(self):
        return self.versions.order_by("-number").first()


class EntryDiscipline(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="disciplines")
    code = models.CharField(_("discipline"), max_length=30, choices=Discipline.choices)

    class Meta:
        verbose_name = _("discipline of an entry")
        verbose_name_plural = _("disciplines of entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="unique_entry_discipline")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class EntryVersion(models.Model):
    """One version of an entry's texts, in German and English, with its review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    maturity = models.PositiveSmallIntegerField(
        _("maturity"), choices=Maturity.choices, default=Maturity.FOUNDED
    )
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_de = models.TextField(_("summary (German)"), max_length=1000, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=1000, blank=True)
    problem_de = models.TextField(_("problem addressed (German)"), max_length=2000, blank=True)
    problem_en = models.TextField(_("problem addressed (English)"), max_length=2000, blank=True)
    body_de = models.TextField(_("text (German, Markdown)"), max_length=100_000, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), max_length=100_000, blank=True)
    evidence_de = models.TextField(_("evidence (German, Markdown)"), max_length=10_000, blank=True)
    evidence_en = models.TextField(_("evidence (English, Markdown)"), max_length=10_000, blank=True)
    sources = models.TextField(_("sources (Markdown)"), max_length=10_000, blank=True)
    # a case study's parts: {field: {"de": text, "en": text}} (models.CASE_FIELDS)
    case_fields = models.JSONField(_("case study fields"), default=dict, blank=True)
    # Changes to the published entry's classification (sectors, disciplines, the check's
    # recommendations, visibility) that wait for this version's review; applied when it
    # is approved: {"sectors": [slugs], "disciplines": [...], ...}.
    classification = models.JSONField(default=dict, blank=True)
    # what readers may see, as plain text in both languages: the full-text index's column
    search_text = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("version of an entry")
        verbose_name_plural = _("versions of entries")
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="unique_entry_version"),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status__in=["draft", "in_review"]),
                name="one_open_version_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def title(self) -> str:
        return localized(self, "title") or self.title_en

    @property
    def summary(self) -> str:
        return localized(self, "summary") or self.summary_en

    def text_in(self, field: str, language: str) -> str:
        """The field in ``language``, else in the other language."""
        other = "en" if language == "de" else "de"
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_{other}", "")

    @property
    def languages(self) -> list[str]:
        return [lang for lang in ("de", "en") if getattr(self, f"title_{lang}")]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)


class EntryAttachmentQuerySet(models.QuerySet):
    def shown(self):
        """What readers see: all but files waiting to be added by the next approved version."""
        return self.exclude(change=EntryAttachment.Change.ADD)


class EntryAttachment(models.Model):
    """A file of an entry (a template to download, slides); served through the access rules.

    On a published entry a file is added or removed only with the next approved version:
    ``change`` says what waits for that review (readers see a file waiting to be added only
    once it is approved, and one marked for removal until then).
    """

    class Change(models.TextChoices):
        NONE = "", _("none")
        ADD = "add", _("added once the next version is approved")
        REMOVE = "remove", _("removed once the next version is approved")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="transfer/attachments/%Y/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    change = models.CharField(
        _("waiting for review"), max_length=6, choices=Change.choices, default="", blank=True
    )
    # who asked for the waiting change: they cannot approve the version that applies it
    change_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EntryAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class EntryUsage(models.Model):
    """Views and downloads of one entry on one day (the hub's figures)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("use of an entry")
        verbose_name_plural = _("use of entries")
        constraints = [models.UniqueConstraint(fields=["entry", "day"], name="unique_entry_day")]
        indexes = [models.Index(fields=["day"], name="entry_usage_day_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.day}"


# Events ------------------------------------------------------------------------------------


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    """A workshop, idea lab or fair of the hub, with registration up to a capacity."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        IDEA_LAB = "idea_lab", _("idea lab")
        FAIR = "fair", _("fair")
        TALK = "talk", _("talk")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_de = models.TextField(_("description (German, Markdown)"), max_length=20_000)
    description_en = models.TextField(
        _("description (English, Markdown)"), max_length=20_000, blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300)
    accessibility_de = models.TextField(_("accessibility of the venue (German)"), blank=True)
    accessibility_en = models.TextField(_("accessibility of the venue (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="event_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("transfer:event", args=[self.slug])

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def accessibility(self) -> str:
        return localized(self, "accessibility")

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return self.published and now < closes


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    """One person's registration for an event; personal fields are blanked after the event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    # The contact point's person with this address (linked at registration), so the
    # person's export and erasure find it even after either address changes.
    person = models.ForeignKey(
        "contact.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    token_nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_active_registration_per_email",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_list_idx"),
            models.Index(fields=["created_at"], name="registration_created_idx"),
        ]

    def __str__(self) -> str:
        # no name here: audit labels keep this text after the personal data is erased
        return f"{self.event.slug} #{self.pk}"

    def new_token(self) -> str:
        self.token_nonce = tokens.new_nonce()
        token = self.cancel_token()
        self.token_hash = tokens.hash_token(token)
        return token

    def cancel_token(self) -> str:
        return tokens.token_for("humaine.transfer.registration", self.token_nonce)

    def cancel_url(self) -> str:
        return settings.SITE_URL + reverse("transfer:cancel", args=[self.cancel_token()])

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


# The network -------------------------------------------------------------------------------


class NetworkMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)

    def listed(self):
        return self.current().filter(listed=True)


class NetworkMember(models.Model):
    """An organisation in the hub's network: a member or a partner, what it offers and seeks."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member")
        PARTNER = "partner", _("partner")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="network_member"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    member_since = models.DateField(_("member since"))
    left_at = models.DateField(_("left the network"), null=True, blank=True)
    listed = models.BooleanField(_("shown in the public directory"), default=True)
    description_de = models.TextField(_("about us (German)"), max_length=3000, blank=True)
    description_en = models.TextField(_("about us (English)"), max_length=3000, blank=True)
    offers_de = models.TextField(_("what we offer (German)"), max_length=3000, blank=True)
    offers_en = models.TextField(_("what we offer (English)"), max_length=3000, blank=True)
    seeks_de = models.TextField(_("what we seek (German)"), max_length=3000, blank=True)
    seeks_en = models.TextField(_("what we seek (English)"), max_length=3000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def offers(self) -> str:
        return localized(self, "offers")

    @property
    def seeks(self) -> str:
        return localized(self, "seeks")


def retention_cutoff(now=None):
    """Events that ended before this moment have their registrations' personal data erased."""
    days = settings.TRANSFER_REGISTRATION_RETENTION_DAYS
    return (now or timezone.now()) - timedelta(days=days)
