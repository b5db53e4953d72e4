"""Organisations, people, experts and the inquiries companies bring to the hub."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine import policy
from humaine.core import tokens
from humaine.core.i18n import localized


class Sector(models.Model):
    """A sector the hub serves; adding one is data (admin), not code."""

    slug = models.SlugField(_("key"), unique=True)
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    VERY_LARGE = "1000+", _("1,000 or more employees")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hub staff see every organisation; a member the organisations they belong to."""
        if policy.is_staff(user):
            return self.all()
        return self.filter(pk__in=policy.organisation_ids(user))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        UNIVERSITY = "university", _("university")
        INSTITUTE = "institute", _("institute")
        LAW_FIRM = "law_firm", _("law firm")
        CONSULTANCY = "consultancy", _("consultancy")
        TRANSFER_OFFICE = "transfer_office", _("transfer office")
        TRAINING_PROVIDER = "training_provider", _("training provider")
        # earlier, coarser kinds (kept: existing organisations use them)
        RESEARCH = "research", _("research institute")
        TRANSFER = "transfer", _("transfer partner")
        HUB = "hub", _("the hub")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT
    )
    # what it does within its sector, e.g. "motor insurance" or "acute hospital": two
    # companies of one sector and segment compete; a vendor's segment is what it sells
    segment = models.CharField(_("market segment"), max_length=200, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Ties a user account to an organisation with a role.

    In a company or institute the role is ``member``; in the hub's own organisation
    ``staff`` makes a transfer specialist and ``admin`` a hub admin.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        STAFF = "staff", _("transfer staff")
        ADMIN = "admin", _("hub admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class PersonQuerySet(models.QuerySet):
    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def visible_to(self, user):
        """People's records (personal data) are for hub staff only."""
        return self.all() if policy.is_staff(user) else self.none()

    def matching(self, text: str):
        """People whose name or email address contains every word of ``text`` (ignoring
        case): "muster erika" finds Erika Muster, "@acme" everyone at Acme."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(email__icontains=word))
        return queryset


class Person(models.Model):
    """Someone the hub knows, with or without an account. Personal data lives here."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Discipline(models.TextChoices):
    WORK_SCIENCE = "work_science", _("work science")
    COMPUTER_SCIENCE = "computer_science", _("neuroinformatics / computer science")
    ENGINEERING = "engineering", _("engineering")
    PSYCHOLOGY = "psychology", _("psychology")
    SOCIAL_SCIENCE = "social_science", _("social science")
    LAW = "law", _("law")
    TRANSFER = "transfer", _("transfer")


class ExpertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The network's active experts: visible to hub staff and to experts themselves."""
        if policy.is_staff(user) or policy.is_expert(user):
            return self.filter(active=True)
        return self.none()


class Expert(models.Model):
    """A person's profile as researcher or specialist."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="expert")
    disciplines = models.JSONField(_("disciplines"), default=list, blank=True)
    topics = models.TextField(_("topics"), blank=True)
    methods = models.TextField(_("methods"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors of experience"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity_hours = models.PositiveIntegerField(
        _("capacity (hours per month)"), default=8, validators=[MaxValueValidator(200)]
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["person__name"]

    def __str__(self) -> str:
        return self.person.name

    @property
    def employer(self) -> Organisation | None:
        return self.person.organisation


class InquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Inquiries ``user`` may open: staff all, members their organisation's, experts
        those whose team they are on."""
        if policy.is_staff(user):
            return self.all()
        condition = models.Q(pk__in=[])
        organisations = policy.organisation_ids(user)
        if organisations:
            condition |= models.Q(organisation_id__in=organisations)
        expert = policy.expert_id(user)
        if expert is not None:
            teams = Assignment.objects.filter(expert_id=expert, active=True, inquiry__isnull=False)
            condition |= models.Q(pk__in=teams.values("inquiry_id"))
        if not organisations and expert is None:
            return self.none()
        return self.filter(condition)

    def filtered(self, *, status=None, sector=None, assignee=None, q=None, user=None):
        """The filters of the triage queue and of ``GET /api/v1/inquiries``, newest first.

        ``status``: a status, ``"open"`` (every status but declined and closed) or ``None``
        (all); ``sector``: a slug; ``assignee``: a user, ``"me"`` (``user``), ``"none"``
        (nobody responsible) or ``None``; ``q``: words searched in the full-text index.
        """
        from humaine.core import fulltext

        from .search import INQUIRY_INDEX

        queryset = self
        if status == "open":
            queryset = queryset.open()
        elif status:
            queryset = queryset.filter(status=status)
        if sector:
            queryset = queryset.filter(sector__slug=sector)
        if assignee == "me":
            queryset = queryset.filter(assignee=user)
        elif assignee == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif assignee is not None:
            queryset = queryset.filter(assignee=assignee)
        if q:
            queryset = fulltext.filter_matching(queryset, INQUIRY_INDEX, q)
        return queryset.order_by("-created_at", "-pk")

    def for_queue(self):
        """Rows for the triage queue, with what each row shows loaded in one query."""
        return self.select_related("organisation", "sector", "assignee", "contact")

    def open(self):
        return self.exclude(status__in=Inquiry.CLOSED_STATUSES)


class Inquiry(tokens.PrivateLink):
    """A company's first contact: the case in its own words; its contact follows it
    through the status link (``token()``)."""

    TOKEN_SALT = "humaine.inquiry.status"  # noqa: S105 - a salt, not a secret

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGE = "triage", _("in triage")
        MATCHED = "matched", _("matched")
        SCENARIO = "scenario", _("scenario started")
        DECLINED = "declined", _("declined")
        CLOSED = "closed", _("closed")

    # Which status may follow which; declined and closed can be reopened into triage.
    TRANSITIONS = {
        Status.NEW: {Status.TRIAGE, Status.DECLINED, Status.CLOSED},
        Status.TRIAGE: {Status.MATCHED, Status.DECLINED, Status.CLOSED},
        Status.MATCHED: {Status.SCENARIO, Status.TRIAGE, Status.DECLINED, Status.CLOSED},
        Status.SCENARIO: {Status.CLOSED},
        Status.DECLINED: {Status.TRIAGE},
        Status.CLOSED: {Status.TRIAGE},
    }
    CLOSED_STATUSES = (Status.DECLINED, Status.CLOSED)

    class WorksCouncil(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNKNOWN = "unknown", _("don't know")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    # The organisation's name as the inquirer wrote it.
    organisation_name = models.CharField(_("organisation"), max_length=200)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices)
    contact = models.ForeignKey(
        Person, verbose_name=_("contact person"), on_delete=models.PROTECT, related_name="inquiries"
    )
    work_process = models.CharField(_("work process concerned"), max_length=300)
    problem = models.TextField(_("problem or goal"))
    data_available = models.TextField(_("data that exists"), blank=True)
    employees_affected = models.PositiveIntegerField(
        _("employees affected"), validators=[MinValueValidator(0), MaxValueValidator(10_000_000)]
    )
    works_council = models.CharField(
        _("works council"), max_length=10, choices=WorksCouncil.choices
    )
    language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
    )
    # The status link (core.tokens.PrivateLink) stops working at this time, unless the
    # hub writes again.
    token_expires_at = models.DateTimeField(_("status link valid until"))
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="inquiry_queue_idx"),
            models.Index(fields=["status", "-created_at"], name="inquiry_status_idx"),
            models.Index(fields=["sector", "-created_at"], name="inquiry_sector_idx"),
            models.Index(fields=["assignee", "-created_at"], name="inquiry_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.work_process}"

    def get_absolute_url(self) -> str:
        return reverse("contact:inquiry_detail", args=[self.pk])

    def new_token(self) -> str:
        """Set a fresh status token and return it (the old link stops working)."""
        token = super().new_token()
        self.extend_token()
        return token

    def status_url(self) -> str:
        return settings.SITE_URL + reverse("contact:status", args=[self.token()])

    def extend_token(self) -> None:
        self.token_expires_at = timezone.now() + timedelta(days=settings.INQUIRY_TOKEN_DAYS)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.Status(self.status), set())

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES


class InquiryNote(models.Model):
    """An internal note of hub staff; never shown outside the hub."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.inquiry.reference} note {self.pk}"


class InquiryMessage(models.Model):
    """A message between the hub and the inquirer, shown on the status page."""

    class Direction(models.TextChoices):
        TO_INQUIRER = "out", _("from the hub")
        FROM_INQUIRER = "in", _("from the inquirer")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.inquiry.reference} message {self.pk}"


class Assignment(models.Model):
    """Puts an expert on an inquiry's team (later also on a scenario's)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="assignments")
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role in the team"), max_length=200, blank=True)
    hours_per_month = models.PositiveIntegerField(_("hours per month"), default=4)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "inquiry"],
                condition=models.Q(active=True),
                name="unique_active_inquiry_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} on {self.inquiry}"
