"""Data sets, column mappings, pseudonym keys and team runs of a scenario.

- :class:`ScenarioKey`: the scenario's pseudonymisation key (never leaves the hub), the
  works agreement that may allow per-person figures for the company, and when the
  scenario was flagged for its BetrVG §87(1) no. 6 review.
- :class:`DataSet`: an uploaded cases table (and optionally a long decisions file), its
  preview, the user's column mapping and the result of the data checks.
- :class:`Run`: one build of a team from a checked data set, as a background job with
  ``core.Progress``; its outputs (the saved team, figures, reports) in private storage.
- :class:`PersonLink`: which account is which pseudonym (so a person sees their figures).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humaine.core.models import Progress
from humaine.scenarios.models import Scenario
from humaine.scenarios.storage import private_storage

from .mapping import Mapping
from .problems import Problem
from .tables import Preview


def upload_path(instance, filename: str) -> str:
    """A random name under the scenario's folder; the original name is kept in the row."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"human_ai/{instance.scenario_id}/{secrets.token_hex(16)}.{suffix[:10]}"


class ScenarioKey(models.Model):
    """What the human-AI teams keep per scenario."""

    scenario = models.OneToOneField(Scenario, on_delete=models.CASCADE, related_name="team_key")
    # HMAC key of the persons' pseudonyms; no export, report, model or API answer holds it.
    key = models.BinaryField(editable=False)
    works_agreement = models.CharField(
        _("works agreement"),
        max_length=300,
        blank=True,
        help_text=_(
            "Reference of the works agreement that allows the company to see per-person "
            "figures (empty: the company sees them only aggregated)."
        ),
    )
    works_agreement_set_at = models.DateTimeField(null=True, blank=True)
    codetermination_review_at = models.DateTimeField(
        _("flagged for BetrVG §87(1) no. 6 review"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("pseudonymisation key")
        verbose_name_plural = _("pseudonymisation keys")

    def __str__(self) -> str:
        return f"key of {self.scenario}"


class DataSetQuerySet(models.QuerySet):
    def of(self, scenario):
        return self.filter(scenario=scenario)


class DataSet(models.Model):
    """An uploaded table of historical cases with the people's decisions."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("to be mapped")
        CHECKING = "checking", _("being checked")
        PROBLEMS = "problems", _("has problems")
        READY = "ready", _("ready")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="datasets")
    title = models.CharField(_("title"), max_length=200)
    # Emptied when a person's data is erased (the raw file names the people).
    cases_file = models.FileField(
        storage=private_storage, upload_to=upload_path, max_length=300, blank=True
    )
    cases_name = models.CharField(max_length=255)
    cases_kind = models.CharField(max_length=10)
    cases_size = models.PositiveBigIntegerField(default=0)
    cases_sha256 = models.CharField(max_length=64)
    cases_preview = models.JSONField(default=dict)
    decisions_file = models.FileField(
        storage=private_storage, upload_to=upload_path, max_length=300, blank=True
    )
    decisions_name = models.CharField(max_length=255, blank=True)
    decisions_kind = models.CharField(max_length=10, blank=True)
    decisions_size = models.PositiveBigIntegerField(default=0)
    decisions_sha256 = models.CharField(max_length=64, blank=True)
    decisions_preview = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    # What the last check found: problems (codes with column and rows), the engine's notes,
    # counts of the prepared data (cases, classes, persons).
    problems = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    persons = models.JSONField(default=list, blank=True)
    check_progress = models.ForeignKey(
        Progress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The pseudonymised tables the engine reads (Parquet), written by the check.
    prepared_cases = models.FileField(storage=private_storage, max_length=300, blank=True)
    prepared_decisions = models.FileField(storage=private_storage, max_length=300, blank=True)
    # Built from a service's recorded cases (not uploaded): the service it came from.
    service = models.ForeignKey(
        "Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rebuilt_datasets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DataSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("human_ai:dataset", args=[self.scenario_id, self.pk])

    @property
    def preview(self) -> Preview:
        return Preview.from_dict(self.cases_preview)

    @property
    def decisions(self) -> Preview | None:
        return Preview.from_dict(self.decisions_preview) if self.decisions_preview else None

    @property
    def column_mapping(self) -> Mapping:
        return Mapping.from_dict(self.mapping)

    @property
    def problem_list(self) -> list[Problem]:
        return [Problem.from_dict(p) for p in self.problems]

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def from_service(self) -> bool:
        return self.service_id is not None or self.cases_kind == "service"


class Run(models.Model):
    """One build of a team from a data set: a background job, then its figures."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        DATA_ERROR = "data_error", _("bad data")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    ENDED = (Status.DONE, Status.DATA_ERROR, Status.FAILED, Status.CANCELLED)

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="team_runs")
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(default=1)
    method = models.CharField(_("method"), max_length=40, default="auto")
    capacity = models.FloatField(_("capacity"), default=0.3)
    audit = models.FloatField(_("audit share"), default=0.05)
    person_capacity = models.FloatField(_("limit per person"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.ForeignKey(
        Progress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the build said: chosen method and reason, persons, classes, sizes; the held-out
    # figures (teaming's Evaluation.to_dict()); the problem of a data error or crash.
    result = models.JSONField(default=dict, blank=True)
    evaluation = models.JSONField(default=dict, blank=True)
    error = models.JSONField(default=dict, blank=True)
    # Files of the output folder in private storage, relative to ``storage_prefix``.
    files = models.JSONField(default=list, blank=True)
    # A run built from a service's recorded cases is compared with the version that was
    # active then, on the same held-out cases (``comparison.json`` among its files).
    baseline = models.ForeignKey(
        "ServiceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challengers",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team run")
        verbose_name_plural = _("team runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="unique_run_number")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("human_ai:run", args=[self.scenario_id, self.pk])

    @property
    def storage_prefix(self) -> str:
        return f"human_ai/{self.scenario_id}/runs/{self.pk}"

    @property
    def has_ended(self) -> bool:
        return self.status in self.ENDED

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.CANCELLED)


class PersonLink(models.Model):
    """An account's pseudonym in a scenario: that person sees their own figures."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="team_persons")
    pseudonym = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_pseudonyms"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person in a team")
        verbose_name_plural = _("persons in teams")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "pseudonym"], name="unique_team_pseudonym")
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} in {self.scenario_id}"


# --------------------------------------------------------------------------- services


class Service(models.Model):
    """A team in daily use: one active version (a finished run) at a time, earlier ones kept.

    Machine clients post cases with a :class:`ServiceToken`; each case is routed by the
    active version's team and kept as a :class:`ServiceCase` (the records of EU AI Act
    Art. 12 and 26(6)).
    """

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="team_services")
    title = models.CharField(_("title"), max_length=200)
    show_suggestion = models.BooleanField(
        _("show the AI's suggestion before the person decides"),
        default=False,
        help_text=_(
            "Showing it invites people to follow the AI without checking (automation bias); "
            "by default a person sees it only after recording their decision."
        ),
    )
    # The streaming router's running counts of the active version (teaming's
    # StreamState.to_dict()): capacity holds over the window across processes.
    stream_state = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("team service")
        verbose_name_plural = _("team services")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("human_ai:service", args=[self.scenario_id, self.pk])

    @property
    def active_version(self) -> ServiceVersion | None:
        return (
            self.versions.filter(retired_at__isnull=True)
            .select_related("run", "run__dataset")
            .first()
        )


class ServiceVersion(models.Model):
    """One deployment of a run in a service; retired when the next one replaces it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="deployments")
    number = models.PositiveIntegerField(default=1)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deployed_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="unique_service_version"),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_version_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class ServiceTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ServiceToken(models.Model):
    """A machine client's token for one service; only its hash is stored."""

    PREFIX = "hs_"
    PREFIX_LENGTH = 8

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("service token")
        verbose_name_plural = _("service tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CaseRequest(models.Model):
    """The first answer to a request with an ``Idempotency-Key``: a repeat gets it again."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requests")
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "key"], name="unique_case_request_key")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.key}"


class ServiceCase(models.Model):
    """One routed case as kept for the records: inputs, the AI's output, who it went to,
    whether it was an audit case, the final decision and the outcome, with their times."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cases")
    version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="cases")
    request = models.ForeignKey(
        CaseRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    reference = models.CharField(_("case reference"), max_length=100)
    inputs = models.JSONField(default=dict)
    ai_decision = models.CharField(_("AI's decision"), max_length=200)
    ai_confidence = models.FloatField(_("AI's confidence"))
    # the pseudonym of the person it went to; empty: the AI decides
    person = models.CharField(_("person"), max_length=20, blank=True, db_index=True)
    audit = models.BooleanField(_("audit case"), default=False)
    explanation = models.JSONField(default=dict)
    decision = models.CharField(_("final decision"), max_length=200, blank=True)
    decided_by = models.CharField(max_length=20, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("routed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("routed case")
        verbose_name_plural = _("routed cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "-created_at"]),
            # the monitoring's window of a version, and the marks that say it changed
            models.Index(fields=["version", "created_at"], name="case_version_created_idx"),
            models.Index(fields=["version", "decided_at"], name="case_version_decided_idx"),
            models.Index(fields=["version", "outcome_at"], name="case_version_outcome_idx"),
            # the background count of a service's cases with an outcome (``OutcomeCount``)
            models.Index(
                fields=["service"], condition=~Q(outcome=""), name="case_service_outcome_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.reference}"

    @property
    def goes_to_person(self) -> bool:
        return bool(self.person)

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class Absence(models.Model):
    """A person of a scenario's teams is away (on leave): routing gives them no case then.

    Without dates the absence holds until it is removed ("present" again); a removed
    absence is kept (``removed_at``) and no longer counts."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="team_absences")
    pseudonym = models.CharField(max_length=20, db_index=True)
    starts = models.DateField(_("from"), null=True, blank=True)
    ends = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["pseudonym", "starts", "pk"]

    def __str__(self) -> str:
        # no pseudonym: the label goes into the audit trail, which outlives an erasure
        return f"absence {self.pk}: {self.starts or '…'}–{self.ends or '…'}"

    def covers(self, day) -> bool:
        return (self.starts is None or self.starts <= day) and (
            self.ends is None or day <= self.ends
        )


# ------------------------------------------------------------------------- monitoring


class MonitoringReference(models.Model):
    """The training data's distribution of each input of a deployed version, computed once:
    bins and shares of a number, shares of a category's values (``monitoring_drift``)."""

    version = models.OneToOneField(
        ServiceVersion, on_delete=models.CASCADE, related_name="monitoring_reference"
    )
    # {"column": {"kind": "numeric", "edges": [...], "shares": [...], "missing": f}, ...}
    features = models.JSONField(default=dict)
    # where it came from: "profile" (the run's training rows) or "prepared" (the data set)
    source = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reference of the inputs")
        verbose_name_plural = _("references of the inputs")

    def __str__(self) -> str:
        return f"reference of {self.version_id}"


class MonitoringSnapshot(models.Model):
    """The monitoring figures of a version over a window, as last counted (``monitoring``):
    the page shows them with the time they were counted; the background job counts them
    again when cases changed. Per-person parts name pseudonyms: an erasure renames them."""

    version = models.ForeignKey(
        ServiceVersion, on_delete=models.CASCADE, related_name="monitoring_snapshots"
    )
    days = models.PositiveSmallIntegerField()
    since = models.DateTimeField()  # the window's start when counted
    counted_at = models.DateTimeField(default=timezone.now)
    # what the cases looked like when counted (``monitoring.stamp_of``)
    stamp = models.CharField(max_length=200)
    figures = models.JSONField(default=dict)
    drift = models.JSONField(default=dict)
    fairness = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("counted monitoring figures")
        verbose_name_plural = _("counted monitoring figures")
        constraints = [
            models.UniqueConstraint(fields=["version", "days"], name="snapshot_version_days")
        ]

    def __str__(self) -> str:
        return f"figures of {self.version_id} over {self.days} days"


class OutcomeCount(models.Model):
    """How many of a service's routed cases have an outcome, as last counted: its page shows
    it for a new run from the records (``monitoring_store``). Each recorded outcome adds one
    in its own transaction; the background job counts again. ``count`` is None while asked
    for and not counted yet."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, primary_key=True, related_name="outcome_count"
    )
    count = models.PositiveIntegerField(null=True)
    counted_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("counted outcomes")
        verbose_name_plural = _("counted outcomes")

    def __str__(self) -> str:
        return f"outcomes of {self.service_id}"


class ServiceThresholds(models.Model):
    """Limits of a service's figures in use; empty means no limit. A figure that crosses
    one tells the scenario's editors (in the hub and by email) once per crossing."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="thresholds")
    min_cases = models.PositiveIntegerField(
        _("least cases before limits apply"),
        default=50,
        help_text=_("Figures of fewer routed cases in the window are not compared."),
    )
    min_agreement = models.FloatField(
        _("least agreement of people with the AI"), null=True, blank=True
    )
    max_drift = models.FloatField(
        _("largest drift of an input (PSI)"),
        null=True,
        blank=True,
        help_text=_("Population stability index per input: below 0.1 stable, above 0.25 large."),
    )
    max_human_share = models.FloatField(
        _("largest share of cases decided by people"), null=True, blank=True
    )
    max_person_share = models.FloatField(
        _("largest share of all cases for one person"), null=True, blank=True
    )
    min_ai_accuracy = models.FloatField(
        _("least AI accuracy measured on known outcomes"), null=True, blank=True
    )
    max_fairness_gap = models.FloatField(
        _("largest gap in accuracy between groups"),
        null=True,
        blank=True,
        help_text=_("Difference of the final decisions' accuracy between the groups shown."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("limits of a service")
        verbose_name_plural = _("limits of services")

    def __str__(self) -> str:
        return f"limits of {self.service_id}"


class ThresholdCrossing(models.Model):
    """A figure of a service beyond its limit, from when it was found until it came back."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="crossings")
    version = models.ForeignKey(
        ServiceVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # agreement, drift, human_share, person_share, ai_accuracy, fairness_gap
    figure = models.CharField(max_length=30)
    # the input (drift) or group column (fairness gap) it is about; never a pseudonym
    subject = models.CharField(max_length=200, blank=True)
    value = models.FloatField()
    limit = models.FloatField()
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("limit crossed")
        verbose_name_plural = _("limits crossed")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "figure", "subject"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_crossing_per_figure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.figure}:{self.subject}"


class ServiceSummary(models.Model):
    """The weekly summary of a service, sent once per week."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="summaries")
    week = models.DateField()  # the Monday the summarised week starts
    figures = models.JSONField(default=dict)  # aggregates only, never per person
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("weekly summary")
        verbose_name_plural = _("weekly summaries")
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["service", "week"], name="one_summary_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.week}"
