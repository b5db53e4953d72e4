"""A new run from a service's own recorded cases, compared with the active version.

A service in use keeps every routed case (:class:`~humaine.human_ai.models.ServiceCase`):
its inputs, the final decision and who made it, and, once known, the outcome. Those with
an outcome are a data set of their own: the inputs are the features (those of the active
version's team), the outcome is the target, each final decision a person recorded is
that person's decision (a long decisions table; persons are already pseudonyms), and the
time a case was routed is the time column, so the held-out cases are the latest ones.

:func:`start_rebuild` (in the web request) only counts the cases with an outcome, makes
the data set (status "being checked") and queues a background job
(:func:`humaine.human_ai.tasks.rebuild_dataset`, leased and taken back when its worker dies,
like every job). The job (:func:`check_recorded`) reads the records, runs the engine's
data checks, stores the prepared tables and, when they pass, queues a build as the usual
background job (``build_run``) with the active version's settings and that version as the
**baseline**: the build evaluates the new team and the baseline's team on the same
held-out cases (``comparison.json``). The data set's page shows the job's progress and,
after it, the problems (too few cases, one outcome only, ...) or the run.
:func:`deploy_rebuilt` replaces the active version with the new run only when the editor
confirms, and only while the version it was compared with is still the active one.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.core import progress as core_progress
from humaine.scenarios import services as scenario_services

from . import services
from .mapping import DECISION_COLUMNS, Mapping
from .models import DataSet, Run, ServiceCase, ServiceVersion
from .prepare import MIN_CASES, Prepared, check
from .problems import Problem
from .services import TeamError

__all__ = [
    "check_recorded",
    "comparison",
    "deploy_rebuilt",
    "min_cases",
    "recorded_table",
    "start_rebuild",
    "with_outcome",
]

# Pseudonyms given at an erasure (pseudonyms.erased_pseudonym) lead to no one: their
# decisions stay in the records but do not make a person of the new team.
ERASED_PREFIX = "X-"


def min_cases() -> int:
    """How many routed cases with an outcome a new run needs (at least the data checks')."""
    return max(int(settings.HUMAN_AI_REBUILD_MIN_CASES), MIN_CASES)


def with_outcome(service):
    return ServiceCase.objects.filter(service=service).exclude(outcome="")


def _free(name: str, taken: set[str]) -> str:
    while name in taken:
        name = f"_{name}"
    return name


def recorded_table(service, team) -> tuple[pd.DataFrame, pd.DataFrame, Mapping, list[str]]:
    """The service's cases with an outcome as the engine's tables: cases (id, the team's
    features, routed time, outcome), the final decisions per person (long), the mapping
    and the persons."""
    features = {str(k): str(v) for k, v in team.feature_types_.items()}
    taken = set(features)
    case_col = _free("case", taken)
    time_col = _free("routed_at", taken | {case_col})
    target = _free("outcome", taken | {case_col, time_col})
    # outcomes and decisions as the team's classes (a 1 recorded as "1" is the class 1)
    classes = {str(c): c.item() if hasattr(c, "item") else c for c in team.classes_}
    cases = list(
        with_outcome(service)
        .order_by("created_at", "pk")
        .values("pk", "inputs", "outcome", "decision", "decided_by", "person", "created_at")
    )
    # a person's decision: the one the person the case went to recorded (not the AI's)
    for case in cases:
        case["by_person"] = bool(case["person"]) and case["decided_by"] == case["person"]
    labels = {c["outcome"] for c in cases} | {c["decision"] for c in cases if c["by_person"]}
    as_class = (lambda v: classes[v]) if labels <= set(classes) else (lambda v: v)
    rows = []
    decisions = []
    for case in cases:
        inputs = case["inputs"] or {}
        row = {case_col: str(case["pk"])}
        row |= {column: inputs.get(column) for column in features}
        row[time_col] = case["created_at"]
        row[target] = as_class(case["outcome"])
        rows.append(row)
        person = case["decided_by"]
        if case["by_person"] and case["decision"] and not person.startswith(ERASED_PREFIX):
            decisions.append((str(case["pk"]), person, as_class(case["decision"])))
    frame = pd.DataFrame(rows, columns=[case_col, *features, time_col, target])
    # UTC without a zone: the engine reads a time column as plain datetimes
    frame[time_col] = pd.to_datetime(frame[time_col], utc=True).dt.tz_convert(None)
    for column, kind in features.items():
        if kind == "numeric":
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    long = pd.DataFrame(decisions, columns=list(DECISION_COLUMNS))
    persons = sorted(set(long["person"]))
    mapping = Mapping(
        target=target,
        id=case_col,
        features=list(features),
        text_features=[c for c, kind in features.items() if kind == "text"],
        decisions=dict(zip(("case", "person", "decision"), DECISION_COLUMNS)),
        time=time_col,
        min_person_cases=_min_person_cases(service),
    )
    return frame, long, mapping, persons


def _min_person_cases(service) -> int:
    version = service.active_version
    if version is None:
        return 10
    return int(Mapping.from_dict(version.run.dataset.mapping).min_person_cases)


def _preview(frame: pd.DataFrame) -> dict:
    """The data set page's preview of the cases table (as of an uploaded Parquet file)."""
    import tempfile
    from pathlib import Path

    from . import tables

    with tempfile.TemporaryDirectory(prefix="humaine-rebuild-") as folder:
        path = Path(folder) / "cases.parquet"
        frame.head(tables.SAMPLE_ROWS).to_parquet(path, index=False)
        preview = tables.preview(path, "parquet").to_dict()
    preview["n_rows"] = len(frame)
    return preview


def _waiting_preview(count: int) -> dict:
    """The preview of a data set whose records are still to be read: no columns yet."""
    return {"kind": "service", "columns": [], "rows": [], "n_rows": count, "n_rows_exact": True}


def _digest(frame: pd.DataFrame, decisions: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for table in (frame, decisions):
        digest.update(",".join(map(str, table.columns)).encode())
        digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _too_few(count: int, needed: int) -> str:
    return _(
        "Only %(count)s routed cases have an outcome; a new run needs at least "
        "%(needed)s (record outcomes through the API or on the cases' pages)."
    ) % {"count": count, "needed": needed}


def start_rebuild(service, *, actor) -> DataSet:
    """Make the data set of the service's recorded cases with an outcome and queue the
    job that reads and checks them and then queues a run compared with the active version.

    Returns the :class:`DataSet` (being checked; its page shows the job's progress).
    :class:`TeamError` when there is no active version or too few cases have an outcome.
    """
    from . import tasks

    version = service.active_version
    if version is None:
        raise TeamError(_("The service has no active version to compare a new run with."))
    count, needed = with_outcome(service).count(), min_cases()
    if count < needed:
        raise TeamError(_too_few(count, needed))
    today = timezone.localdate().isoformat()
    with transaction.atomic():
        dataset = DataSet.objects.create(
            scenario=service.scenario,
            service=service,
            title=_("%(service)s: recorded cases until %(day)s")
            % {"service": service.title, "day": today},
            cases_name=_("recorded cases of the service"),
            cases_kind="service",
            cases_size=count,
            cases_sha256="",
            cases_preview=_waiting_preview(count),
            status=DataSet.Status.CHECKING,
            created_by=services._user(actor),
        )
        record = core_progress.create(
            services.CHECK_JOB, actor=actor, total=3, dataset=dataset.pk, version=version.pk
        )
        DataSet.objects.filter(pk=dataset.pk).update(check_progress=record)
        dataset.check_progress = record
        scenario_services.log(
            actor,
            "service.rebuild_started",
            dataset,
            service.scenario,
            kind="dataset",
            verb="rebuild_started",
            label=f"{service.title} v{version.number}: {dataset.title}",
            cases=count,
            service=service.pk,
        )
        transaction.on_commit(
            lambda: tasks.rebuild_dataset.enqueue(record.pk, dataset.pk, version.pk)
        )
    return dataset


def check_recorded(dataset_id: int, version_id: int, reporter=None) -> DataSet:
    """The job's half: read the service's records, check them, store the prepared tables
    and, when they pass, queue the run compared with ``version`` (one transaction: a job
    taken back after its worker died finds either nothing done or everything)."""
    from . import routing_api

    dataset = DataSet.objects.select_related("service", "scenario", "created_by").get(pk=dataset_id)
    service = dataset.service
    version = ServiceVersion.objects.select_related("run").filter(pk=version_id).first()
    if reporter:
        reporter.update(done=1, message="read")
    if service is None or version is None or version.service_id != service.pk:
        prepared = Prepared(problems=[Problem("rebuild_gone")])
        frame = decisions = None
    else:
        count, needed = with_outcome(service).count(), min_cases()
        if count < needed:
            # outcomes purged or erased since the request
            prepared = Prepared(
                problems=[Problem("too_few_recorded", count=count, params={"minimum": needed})]
            )
            frame = decisions = None
        else:
            team = routing_api.team_of(version.run)
            frame, decisions, mapping, persons = recorded_table(service, team)
            if reporter:
                reporter.update(done=2, message="check")
            prepared = Prepared(cases=frame, decisions=decisions, persons=persons)
            check(prepared, mapping)
            dataset.mapping = mapping.to_dict()
            dataset.cases_size = len(frame)
            dataset.cases_sha256 = _digest(frame, decisions)
            dataset.cases_preview = _preview(frame)
    actor = dataset.created_by
    with transaction.atomic():
        dataset.save(update_fields=["mapping", "cases_size", "cases_sha256", "cases_preview"])
        services._store_check(dataset, prepared)
        if dataset.is_ready:
            active = version.run
            run = services.start_run(
                dataset,
                method=active.method,
                capacity=active.capacity,
                audit=active.audit,
                person_capacity=active.person_capacity,
                actor=actor,
            )
            # the build job starts after the commit: it finds the baseline set
            Run.objects.filter(pk=run.pk).update(baseline=version)
    if reporter:
        reporter.update(done=3, message="done")
    return dataset


def comparison(run: Run) -> dict | None:
    """The stored comparison of a rebuilt run with its baseline (None if there is none)."""
    if run.baseline_id is None or "comparison.json" not in (run.files or []):
        return None
    try:
        with services.open_output(run, "comparison.json") as handle:
            return json.load(handle)
    except (FileNotFoundError, ValueError):
        return None


def rows(figures: dict) -> list[dict]:
    """(label, new, active, difference) rows of a comparison for its table."""
    new, active = figures.get("new") or {}, figures.get("active") or {}

    def value(block, *keys):
        for key in keys:
            block = (block or {}).get(key)
        return block

    out = []
    for label, keys in (
        (_("team accuracy"), ("team", "accuracy")),
        (_("share decided by people"), ("team", "human_share")),
        (_("AI alone"), ("ai", "accuracy")),
        (_("current practice (the persons' own decisions)"), ("current_practice", "accuracy")),
        (_("the best possible combination (oracle)"), ("oracle", "accuracy")),
    ):
        out.append(_row(label, value(new, *keys), value(active, *keys)))
    for method in sorted(set(new.get("methods") or {}) | set(active.get("methods") or {})):
        label = _("method %(method)s") % {"method": method}
        out.append(
            _row(
                label,
                value(new, "methods", method, "accuracy"),
                value(active, "methods", method, "accuracy"),
            )
        )
    return out


def _pct(value) -> str:
    return "–" if value is None else f"{100 * float(value):.1f} %"


def _row(label, new, active) -> dict:
    difference = None if new is None or active is None else float(new) - float(active)
    return {
        "label": label,
        "new": _pct(new),
        "active": _pct(active),
        "difference": "–"
        if difference is None
        else _("%(value)s percentage points") % {"value": f"{100 * difference:+.1f}"},
        "better": difference is not None and difference > 0,
    }


@transaction.atomic
def deploy_rebuilt(run: Run, *, confirm: bool, actor) -> ServiceVersion:
    """Replace the active version of the service the run was compared for with ``run``,
    when the editor confirms and that version is still active."""
    from . import deployment

    run = Run.objects.select_related("baseline__service").get(pk=run.pk)
    if run.baseline_id is None:
        raise TeamError(_("This run was not built from a service's recorded cases."))
    service = run.baseline.service
    active = service.active_version
    if active is None or active.pk != run.baseline_id:
        raise TeamError(
            _(
                "The service's active version changed since this run was compared with it; "
                "build a new run from the recorded cases to compare again."
            )
        )
    if not confirm:
        raise TeamError(_("Confirm that this run replaces the active version."), field="confirm")
    return deployment.deploy(service, run, actor=actor)
