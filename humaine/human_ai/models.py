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
