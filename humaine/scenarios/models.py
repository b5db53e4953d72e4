"""Application scenarios: the workspace, its people, its items and its surveys.

The process model and the instrument library are data (``process_model.py``,
``instruments.py``); these models store what people do with them. Survey responses hold
no link to a person, an invitation or an exact time (see :class:`Response`).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.check.models import Check
from humaine.contact.models import Expert, Inquiry, Language, Organisation, Person, Sector
from humaine.core import tokens

from .process_model import default_process_model
from .storage import private_storage, upload_path


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "de").startswith("en") else "de"


class _Token(models.Model):
    """A private link's token: an HMAC of a nonce under SECRET_KEY; only its hash is
    looked up, so a copy of the database alone opens no link."""

    TOKEN_SALT = ""

    token_nonce = models.CharField(max_length=32, editable=False, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)

    class Meta:
        abstract = True

    def new_token(self) -> str:
        self.token_nonce = tokens.new_nonce()
        self.token_hash = tokens.hash_token(self.token())
        return self.token()

    def token(self) -> str:
        return tokens.token_for(self.TOKEN_SALT, self.token_nonce)


# ------------------------------------------------------------------------------ scenario


class Scenario(models.Model):
    """One application scenario: a concrete case worked on with a company."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    work_process = models.CharField(_("work process concerned"), max_length=300)
    people = models.TextField(_("the people who work in it"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT)
    inquiry = models.OneToOneField(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenario",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phase = models.CharField(_("phase"), max_length=40, default="orientation")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application scenario")
        verbose_name_plural = _("application scenarios")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scenarios:workspace", args=[self.pk])

    @property
    def phase_entry(self):
        return default_process_model().phase(self.phase)

    @property
    def phase_title(self) -> str:
        return self.phase_entry.title.get(_lang())


class StakeholderGroup(models.Model):
    """A named group of affected employees, to which surveys go."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "name"], name="unique_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Member(_Token):
    """Someone on the scenario with a role of the process model.

    A member is a user, or a person invited by email who joins through a one-time link
    (creating an account if they have none). ``group`` ties an affected employee to the
    stakeholder group whose surveys they see.
    """

    TOKEN_SALT = "humaine.scenarios.member"  # noqa: S105 - a salt, not a secret

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scenario_memberships",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenario_roles"
    )
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenario_roles"
    )
    group = models.ForeignKey(
        StakeholderGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    # Where the invitation goes; cleared once the email is sent.
    invite_email = models.EmailField(_("email for the invitation"), blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invitation_expires_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scenario member")
        verbose_name_plural = _("scenario members")
        ordering = ["role", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "user", "role"],
                condition=models.Q(active=True, user__isnull=False),
                name="unique_active_member_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role_title})"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.person_id:
            return self.person.name
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return "—"

    @property
    def role_title(self) -> str:
        model = default_process_model()
        return model.role(self.role).title.get(_lang()) if model.has_role(self.role) else self.role

    @property
    def is_pending(self) -> bool:
        return self.user_id is None and self.joined_at is None

    def issue_invitation(self) -> str:
        self.invited_at = timezone.now()
        self.invitation_expires_at = self.invited_at + timedelta(
            days=settings.SCENARIO_INVITATION_DAYS
        )
        return self.new_token()

    def invitation_url(self) -> str:
        return settings.SITE_URL + reverse("scenarios:join", args=[self.token()])


# ------------------------------------------------------------------------------ process


class GatePosition(models.Model):
    """A role's position on the gate of a phase: agree, agree with conditions, object."""

    class Position(models.TextChoices):
        AGREE = "agree", _("agrees")
        CONDITIONS = "conditions", _("agrees with conditions")
        OBJECT = "object", _("objects")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="positions")
    phase = models.CharField(max_length=40)
    role = models.CharField(max_length=30)
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    statement = models.TextField(_("statement"), blank=True)
    member = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scenario", "phase", "role", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.phase}/{self.role}: {self.position}"

    @property
    def agrees(self) -> bool:
        return self.position in (self.Position.AGREE, self.Position.CONDITIONS)


class PhaseChange(models.Model):
    """The scenario moved on: from which phase to which, who, and the gate as it stood."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=40)
    to_phase = models.CharField(max_length=40)
    gate = models.JSONField(default=dict)
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_phase} -> {self.to_phase}"


class Deliverable(models.Model):
    """A deliverable of the process model marked as done (optionally with its file)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="deliverables")
    phase = models.CharField(max_length=40)
    key = models.CharField(max_length=60)
    file = models.ForeignKey(
        "ScenarioFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_by_label = models.CharField(max_length=200)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "phase", "key"], name="unique_deliverable_done"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase}/{self.key}"


# ------------------------------------------------------------------------------ items


class Milestone(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        Member,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ScenarioFile(models.Model):
    """A file uploaded to a scenario; its content lives in versions.

    Retiring a file (or one of its versions) deletes the stored content at once; the row
    stays, hidden from every list and page, so the audit trail and the decisions that
    cite it still say what it was (name, size, checksum, who uploaded and who retired).
    """

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by_label = models.CharField(max_length=200, blank=True)
    retire_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def latest(self):
        """The newest version that is not retired."""
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            kept = [v for v in versions if v.retired_at is None]
            return max(kept, key=lambda v: v.number, default=None)
        return self.versions.filter(retired_at__isnull=True).order_by("-number").first()


class FileVersion(models.Model):
    """One version of a file, stored privately and served only through the access rules."""

    file = models.ForeignKey(ScenarioFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.FileField(storage=private_storage, upload_to=upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_label = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Retired: the stored content is deleted, the row stays for the trail.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="unique_file_version")
        ]

    def __str__(self) -> str:
        return f"{self.file} v{self.number}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Decision(models.Model):
    """An entry of the decision log."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("what was decided"), max_length=300)
    decided_by = models.CharField(_("decided by"), max_length=300)
    decided_on = models.DateField(_("decided on"))
    alternatives = models.TextField(_("alternatives considered"), blank=True)
    reasons = models.TextField(_("reasons"))
    phase = models.CharField(_("phase"), max_length=40, blank=True)
    evidence = models.ManyToManyField(
        ScenarioFile, verbose_name=_("evidence"), blank=True, related_name="decisions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment on one item of the scenario (of any registered kind)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["scenario", "kind", "object_id"])]

    def __str__(self) -> str:
        # Not the text: the audit trail keeps this label, and a comment is personal data.
        return f"comment {self.pk} on {self.kind} {self.object_id}"


class Activity(models.Model):
    """One line of the scenario's activity feed (the audit trail holds the details)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True)
    verb = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scenario", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.label}"


class ScenarioCheck(models.Model):
    """A check of the scenario (started in it, or brought along from its inquiry)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="checks")
    ai_check = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="scenario_links")
    phase = models.CharField(max_length=40, blank=True)
    based_on = models.ForeignKey(
        Check, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "ai_check"], name="unique_scenario_check")
        ]

    def __str__(self) -> str:
        return f"{self.scenario} / {self.ai_check}"


# ------------------------------------------------------------------------------ surveys


class InstrumentItem(models.Model):
    """An item staff added to the instrument library (merged with the YAML files).

    A retired item stays in the library (surveys that ask it and their results keep it,
    with its texts, source and licence) but is not put into new surveys.
    """

    item_id = models.CharField(_("item id"), max_length=40, unique=True)
    scale = models.CharField(_("scale"), max_length=40)
    source = models.CharField(_("source"), max_length=40, default="humaine")
    text_de = models.CharField(_("text (German)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500)
    reverse = models.BooleanField(_("reverse-keyed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the item last changed: the cached library is rebuilt when this moves.
    changed_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("instrument item")
        verbose_name_plural = _("instrument items")
        ordering = ["scale", "item_id"]

    def __str__(self) -> str:
        return self.item_id

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def as_entry(self) -> dict:
        return {
            "id": self.item_id,
            "scale": self.scale,
            "source": self.source,
            "reverse": self.reverse,
            "text": {"de": self.text_de, "en": self.text_en},
        }


class Survey(models.Model):
    """An instrument (chosen scales and open questions) sent to stakeholder groups in waves.

    ``items`` fixes the item ids per scale when the survey is created, so every wave asks
    the same and later additions to the library do not change it.
    """

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    items = models.JSONField(default=dict)
    open_questions = models.JSONField(default=list, blank=True)
    groups = models.ManyToManyField(StakeholderGroup, related_name="surveys")
    ask_code = models.BooleanField(_("ask for a self-generated code"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scale_ids(self) -> list[str]:
        return list(self.items)

    @property
    def item_ids(self) -> list[str]:
        return [item for ids in self.items.values() for item in ids]


class Wave(models.Model):
    """One round of a survey: the baseline before the change, or a follow-up after it.

    Results of a wave appear only once it is closed, and a closed wave takes no answers:
    otherwise watching the figures change would reveal each new answer.
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline")
        FOLLOW_UP = "follow_up", _("follow-up")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    remind_after_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=7)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"],
                condition=models.Q(kind="baseline"),
                name="one_baseline_per_survey",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_open_on(self, day) -> bool:
        return not self.is_closed and self.opens_on <= day <= self.closes_on


class Invitation(_Token):
    """A one-time link to answer a wave, for one person of one group.

    Once used it is only marked used: no time, and nothing ties it to the response.
    """

    TOKEN_SALT = "humaine.scenarios.survey"  # noqa: S105 - a salt, not a secret

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    # Kept for reminders until the wave closes, then cleared.
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.GERMAN)
    used = models.BooleanField(default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    def answer_url(self) -> str:
        return settings.SITE_URL + reverse("scenarios:answer", args=[self.token()])


class Response(models.Model):
    """One anonymous answer to a wave.

    It holds the group (needed for group results), the day (never the time), the answers
    and optionally the keyed hash of the self-generated code. There is no foreign key to
    a person, member or invitation, and the key is random, so not even the order in which
    answers came is kept.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField()
    answers = models.JSONField(default=dict)
    texts = models.JSONField(default=dict, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["wave", "group"])]

    def __str__(self) -> str:
        return "response"


class Target(models.Model):
    """An outcome the scenario agreed on, e.g. "workload must not rise"."""

    class Kind(models.TextChoices):
        NOT_WORSE = "not_worse", _("must not get worse")
        IMPROVE = "improve", _("must improve")
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="targets")
    scale = models.CharField(_("scale"), max_length=40)
    group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("target"), max_length=12, choices=Kind.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["scale", "pk"]

    def __str__(self) -> str:
        from .library import current_library

        library = current_library()
        scale = (
            library.scale(self.scale).title.get(_lang())
            if library.has_scale(self.scale)
            else self.scale
        )
        value = "" if self.value is None else f"{self.value:g}"
        return f"{scale}: {self.get_kind_display()} {value}".strip()


# ------------------------------------------------------------------------------ literacy


class LiteracyRequirement(models.Model):
    """What the people of one role learn about the system (EU AI Act Art. 4), by when."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="literacy")
    role = models.CharField(_("role"), max_length=30)
    topic = models.CharField(_("topic"), max_length=40)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "role", "topic"], name="unique_literacy_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.topic}"


class LiteracyEvidence(models.Model):
    """Evidence that one member learnt one topic: attendance, a certificate, a self-check."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("attendance")
        CERTIFICATE = "certificate", _("certificate")
        SELF_CHECK = "self_check", _("self-check")

    requirement = models.ForeignKey(
        LiteracyRequirement, on_delete=models.CASCADE, related_name="evidence"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="literacy_evidence")
    kind = models.CharField(_("evidence"), max_length=12, choices=Kind.choices)
    completed_on = models.DateField(_("completed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("self-check score (%)"), null=True, blank=True)
    certificate = models.FileField(
        storage=private_storage, upload_to=upload_path, max_length=300, blank=True
    )
    recorded_by_label = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"evidence {self.pk} ({self.requirement})"
