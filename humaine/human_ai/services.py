"""Operations on data sets and team runs, each atomic and in the audit trail.

Views and the API call these; background jobs (:mod:`humaine.human_ai.tasks`) call the
``check_now`` and ``build_now`` halves. Bad input raises :class:`TeamError` with a message
in the user's language, and nothing is saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.core import progress as core_progress
from humaine.core.models import Progress
from humaine.scenarios import services as scenario_services
from humaine.scenarios.storage import private_storage

from . import pseudonyms, tables, uploads
from .mapping import Mapping
from .models import DataSet, PersonLink, Run, ScenarioKey
from .problems import Problem, from_data_error

CHECK_JOB = "human_ai.check"
BUILD_JOB = "human_ai.build"
METHODS = (
    "auto",
    "ai_only",
    "confidence_threshold",
    "compare_confidence",
    "combine",
    "learned_ce",
    "learned_ova",
)


class TeamError(ValueError):
    """An operation cannot be done; the message says why, in the user's language."""

    def __init__(self, message, problems: list[Problem] | None = None, field: str = ""):
        super().__init__(str(message))
        self.problems = problems or []
        self.field = field


def _log(actor, action, obj, scenario, *, verb, label, **details) -> None:
    scenario_services.log(
        actor, action, obj, scenario, kind="dataset", verb=verb, label=label, **details
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# ------------------------------------------------------------------------------- keys


def scenario_key(scenario) -> ScenarioKey:
    """The scenario's pseudonymisation key (made on first use)."""
    key, _created = ScenarioKey.objects.get_or_create(
        scenario=scenario, defaults={"key": pseudonyms.new_key()}
    )
    return key


@transaction.atomic
def set_works_agreement(scenario, reference: str, *, actor) -> ScenarioKey:
    """Record (or clear, with an empty reference) the works agreement on per-person figures."""
    key = ScenarioKey.objects.select_for_update().get(pk=scenario_key(scenario).pk)
    before = {"works_agreement": key.works_agreement}
    key.works_agreement = reference.strip()[:300]
    key.works_agreement_set_at = timezone.now() if key.works_agreement else None
    key.save(update_fields=["works_agreement", "works_agreement_set_at"])
    label = key.works_agreement or _("no works agreement")
    scenario_services.log(
        actor,
        "works_agreement.recorded",
        key,
        scenario,
        kind="dataset",
        verb="works_agreement",
        label=label,
        before=before,
        after={"works_agreement": key.works_agreement},
    )
    return key


@transaction.atomic
def link_person(scenario, *, user, identifier: str, actor) -> PersonLink:
    """Tie ``user`` to the pseudonym of ``identifier`` (as the company's files name them)."""
    identifier = (identifier or "").strip()
    if not identifier:
        raise TeamError(_("Give the person's identifier as the data set names them."), field="id")
    pseudonym = pseudonyms.pseudonym(bytes(scenario_key(scenario).key), identifier)
    link, _created = PersonLink.objects.update_or_create(
        scenario=scenario, pseudonym=pseudonym, defaults={"user": user}
    )
    scenario_services.log(
        actor,
        "person_link.created",
        link,
        scenario,
        kind="dataset",
        verb="person_linked",
        # the pseudonym stays out of the trail: with the account it would outlive an erasure
        label=_("an account linked to its pseudonym"),
        user=user.pk,
    )
    return link


# ---------------------------------------------------------------------------- uploads


@contextlib.contextmanager
def _local_upload(uploaded) -> Iterator[Path]:
    """A path on disk for an uploaded file (a temporary upload already has one)."""
    if hasattr(uploaded, "temporary_file_path"):
        yield Path(uploaded.temporary_file_path())
        return
    suffix = Path(uploaded.name or "").suffix
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="humaine-upload-") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
        handle.flush()
        uploaded.seek(0)
        yield Path(handle.name)


def _sha256(uploaded) -> str:
    known = getattr(uploaded, "sha256", None)
    if known:
        return known
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _inspect(uploaded, field: str) -> tuple[str, dict, str]:
    """Kind, preview and checksum of an upload; :class:`TeamError` when it is unusable."""
    limit = settings.HUMAN_AI_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise TeamError(
            _("The file is larger than %(limit)s MB, the most this hub accepts for a data set.")
            % {"limit": f"{limit / 1_000_000:g}"},
            field=field,
        )
    try:
        with _local_upload(uploaded) as path:
            sniffed = uploads.sniff(path, uploaded.name, getattr(uploaded, "head", None))
            options = {"encoding": sniffed.encoding} if sniffed.encoding else {}
            preview = tables.preview(path, sniffed.kind, read_options=options)
    except uploads.UploadProblem as problem:
        raise TeamError(problem, field=field) from None
    except Exception as exc:  # noqa: BLE001 - the reader's errors become the user's message
        raise TeamError(from_data_error(exc).message, field=field) from None
    if not preview.columns:
        raise TeamError(_("The file has no columns."), field=field)
    return sniffed.kind, preview.to_dict(), _sha256(uploaded)


def upload_dataset(scenario, *, cases, decisions=None, title: str = "", actor) -> DataSet:
    """Check the uploads (kind, size, readable sample), store them and make the data set.

    The stored files are removed again if anything after storing fails: nothing is
    half-saved.
    """
    cases_kind, cases_preview, cases_sha = _inspect(cases, "cases")
    decisions_info = _inspect(decisions, "decisions") if decisions else None
    dataset = DataSet(
        scenario=scenario,
        title=(title or Path(cases.name).stem)[:200],
        cases_name=Path(cases.name).name[:255],
        cases_kind=cases_kind,
        cases_size=cases.size,
        cases_sha256=cases_sha,
        cases_preview=cases_preview,
        created_by=_user(actor),
    )
    stored = []
    try:
        dataset.cases_file.save(cases.name, cases, save=False)
        stored.append(dataset.cases_file.name)
        if decisions_info:
            kind, preview, sha = decisions_info
            dataset.decisions_name = Path(decisions.name).name[:255]
            dataset.decisions_kind, dataset.decisions_preview = kind, preview
            dataset.decisions_size, dataset.decisions_sha256 = decisions.size, sha
            dataset.decisions_file.save(decisions.name, decisions, save=False)
            stored.append(dataset.decisions_file.name)
        with transaction.atomic():
            dataset.save()
            _flag_codetermination(scenario, actor)
            _log(
                actor,
                "dataset.uploaded",
                dataset,
                scenario,
                verb="uploaded",
                label=dataset.title,
                size=dataset.cases_size,
                sha256=dataset.cases_sha256,
            )
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise
    return dataset


def _flag_codetermination(scenario, actor) -> None:
    """The first data set: the scenario's check must review BetrVG §87(1) no. 6."""
    key = scenario_key(scenario)
    if key.codetermination_review_at is not None:
        return
    key.codetermination_review_at = timezone.now()
    key.save(update_fields=["codetermination_review_at"])
    scenario_services.log(
        actor,
        "codetermination_review.requested",
        key,
        scenario,
        kind="dataset",
        verb="codetermination_review",
        label=_("BetrVG §87(1) no. 6: review the check (people's decisions are analysed)"),
        flag="betrvg_87_1_6",
    )


# ---------------------------------------------------------------------------- mapping


def mapping_problems(dataset: DataSet, mapping: Mapping) -> list[Problem]:
    decisions = dataset.decisions
    return mapping.problems(dataset.preview.names, decisions.names if decisions else None)


def save_mapping(dataset: DataSet, mapping: Mapping, *, actor) -> Progress:
    """Keep the mapping and queue the data checks; :class:`TeamError` if it does not fit."""
    if dataset.from_service:
        raise TeamError(_("A data set built from a service's recorded cases keeps its mapping."))
    if not dataset.cases_file:
        raise TeamError(
            _("The uploaded file was deleted when a person's data was erased; upload it again.")
        )
    problems = mapping_problems(dataset, mapping)
    if mapping.decisions and not dataset.decisions_file:
        problems.append(Problem("decisions_file_missing"))
    if problems:
        raise TeamError(_("The mapping does not fit the table."), problems=problems)
    from . import tasks

    mapping.read_options = {**dataset.preview.read_options, **mapping.read_options}
    with transaction.atomic():
        dataset = DataSet.objects.select_for_update().get(pk=dataset.pk)
        record = core_progress.create(CHECK_JOB, actor=actor, total=3, dataset=dataset.pk)
        dataset.mapping = mapping.to_dict()
        dataset.status = DataSet.Status.CHECKING
        dataset.problems, dataset.notes = [], []
        dataset.check_progress = record
        dataset.save(update_fields=["mapping", "status", "problems", "notes", "check_progress"])
        _log(
            actor,
            "mapping.saved",
            dataset,
            dataset.scenario,
            verb="mapped",
            label=dataset.title,
            mapping=mapping.to_dict(),
        )
        transaction.on_commit(lambda: tasks.check_dataset.enqueue(record.pk, dataset.pk))
    return record


@contextlib.contextmanager
def local_copy(field) -> Iterator[Path | None]:
    """A path on this machine for a stored file (a copy when the storage is remote)."""
    if not field:
        yield None
        return
    try:
        yield Path(field.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(field.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="humaine-data-") as handle:
        with field.open("rb") as source:
            shutil.copyfileobj(source, handle, 1024 * 1024)
        handle.flush()
        yield Path(handle.name)


def check_now(dataset_id: int, reporter=None) -> DataSet:
    """Read the whole table, pseudonymise it and run the engine's data checks."""
    from .prepare import prepare

    dataset = DataSet.objects.select_related("scenario").get(pk=dataset_id)
    key = bytes(scenario_key(dataset.scenario).key)
    mapping = dataset.column_mapping
    if reporter:
        reporter.update(done=1, message="read")
    with local_copy(dataset.cases_file) as cases, local_copy(dataset.decisions_file) as decisions:
        prepared = prepare(
            cases, dataset.cases_kind, mapping, key, decisions, dataset.decisions_kind or None
        )
    if reporter:
        reporter.update(done=2, message="check")
    _store_check(dataset, prepared)
    if reporter:
        reporter.update(done=3, message="done")
    return dataset


def _save_parquet(frame, name: str) -> str:
    with tempfile.TemporaryDirectory(prefix="humaine-prepared-") as folder:
        path = Path(folder) / "table.parquet"
        frame.to_parquet(path, index=False)
        private_storage().delete(name)
        with open(path, "rb") as handle:
            return private_storage().save(name, File(handle))


def _store_check(dataset: DataSet, prepared) -> None:
    old = [dataset.prepared_cases.name, dataset.prepared_decisions.name]
    if prepared.ok:
        base = f"human_ai/{dataset.scenario_id}/prepared/{dataset.pk}"
        dataset.prepared_cases.name = _save_parquet(prepared.cases, f"{base}/cases.parquet")
        dataset.prepared_decisions.name = (
            _save_parquet(prepared.decisions, f"{base}/decisions.parquet")
            if prepared.decisions is not None
            else ""
        )
        dataset.status = DataSet.Status.READY
    else:
        dataset.prepared_cases.name = dataset.prepared_decisions.name = ""
        dataset.status = DataSet.Status.PROBLEMS
        for name in old:
            if name:
                private_storage().delete(name)
    dataset.problems = [p.to_dict() for p in prepared.problems]
    dataset.notes = [str(n)[:500] for n in prepared.notes][:20]
    dataset.summary = prepared.summary
    dataset.persons = list(prepared.persons)
    dataset.save(
        update_fields=[
            "prepared_cases",
            "prepared_decisions",
            "status",
            "problems",
            "notes",
            "summary",
            "persons",
        ]
    )


# ------------------------------------------------------------------------------- runs


def _number(value, low: float, high: float, field: str, *, optional=False) -> float | None:
    if value in (None, "") and optional:
        return None
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        number = float("nan")
    if not (low <= number <= high):
        raise TeamError(
            _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return number


def start_run(
    dataset: DataSet, *, method="auto", capacity=0.3, audit=0.05, person_capacity=None, actor
) -> Run:
    """Queue a build of a team from a checked data set."""
    if not dataset.is_ready:
        raise TeamError(_("The data set must pass its checks before a team is built from it."))
    if method not in METHODS:
        raise TeamError(_("Choose one of the methods offered."), field="method")
    capacity = _number(capacity, 0.0, 1.0, "capacity")
    audit = _number(audit, 0.0, 0.5, "audit")
    person_capacity = _number(person_capacity, 0.01, 1.0, "person_capacity", optional=True)
    from . import tasks

    with transaction.atomic():
        last = dataset.runs.order_by("-number").values_list("number", flat=True).first() or 0
        record = core_progress.create(BUILD_JOB, actor=actor, total=10, dataset=dataset.pk)
        run = Run.objects.create(
            scenario=dataset.scenario,
            dataset=dataset,
            number=last + 1,
            method=method,
            capacity=capacity,
            audit=audit,
            person_capacity=person_capacity,
            progress=record,
            created_by=_user(actor),
        )
        record.details = {**record.details, "run": run.pk}
        record.save(update_fields=["details"])
        _log(
            actor,
            "team_run.started",
            run,
            dataset.scenario,
            verb="run_started",
            label=str(run),
            method=method,
            capacity=capacity,
            audit=audit,
            person_capacity=person_capacity,
        )
        transaction.on_commit(lambda: tasks.build_run.enqueue(run.pk))
    return run


def cancel_run(run: Run, *, actor) -> None:
    if run.has_ended:
        raise TeamError(_("This run has already ended."))
    with transaction.atomic():
        if run.progress_id:
            core_progress.request_cancel(run.progress)
        if run.status == Run.Status.QUEUED:
            # not started yet: the job will find it cancelled and do nothing
            Run.objects.filter(pk=run.pk).update(
                status=Run.Status.CANCELLED, finished_at=timezone.now()
            )
            if run.progress_id:
                Progress.objects.filter(pk=run.progress_id).update(
                    status=Progress.Status.CANCELLED, finished_at=timezone.now()
                )
        _log(actor, "team_run.cancelled", run, run.scenario, verb="cancelled", label=str(run))


def retry_run(run: Run, *, actor) -> Run:
    """Build a failed or cancelled run again (same settings, same run)."""
    if not run.can_retry:
        raise TeamError(_("Only a failed or cancelled run can be built again."))
    from . import tasks

    with transaction.atomic():
        record = core_progress.create(BUILD_JOB, actor=actor, total=10, run=run.pk)
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.QUEUED, progress=record, error={}, finished_at=None
        )
        _log(actor, "team_run.retried", run, run.scenario, verb="retried", label=str(run))
        transaction.on_commit(lambda: tasks.build_run.enqueue(run.pk))
    run.refresh_from_db()
    return run


def _store_outputs(run: Run, folder: Path) -> list[str]:
    storage = private_storage()
    names = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        name = f"{run.storage_prefix}/{relative}"
        storage.delete(name)
        with open(path, "rb") as handle:
            storage.save(name, File(handle))
        names.append(relative)
    return names


def build_now(run_id: int, reporter, *, in_process: bool = False, n_bootstrap=None) -> Run:
    """Build the run's team in a child process; record how it ended.

    ``in_process`` builds in this process instead (the demo data's loader: no process to
    start, nothing to cancel); the engine's own errors then propagate. ``n_bootstrap``
    replaces ``HUMAN_AI_BOOTSTRAP`` (the resamples of the figures' intervals).
    """
    from . import engine, fitting

    run = Run.objects.select_related("dataset", "baseline__run").get(pk=run_id)
    dataset = run.dataset
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)
    mapping = dataset.column_mapping
    team = {"capacity": run.capacity, "audit": run.audit, "method": run.method}
    if run.person_capacity:
        team["person_capacity"] = run.person_capacity
    load = mapping.load_options(dataset.persons if mapping.humans else None)
    with (
        tempfile.TemporaryDirectory(prefix="humaine-run-") as folder,
        local_copy(dataset.prepared_cases) as cases,
        local_copy(dataset.prepared_decisions) as decisions,
    ):
        spec = fitting.BuildSpec(
            cases=str(cases),
            decisions=str(decisions) if decisions else None,
            out=str(Path(folder) / "out"),
            load=load,
            team=team,
            n_bootstrap=n_bootstrap or settings.HUMAN_AI_BOOTSTRAP,
            title=dataset.title,
            baseline=str(run_folder(run.baseline.run) / "team") if run.baseline_id else None,
        )
        if in_process:
            result = fitting.build(
                spec,
                lambda step, message="": reporter.update(
                    done=fitting.STEPS.index(step) + 1, total=len(fitting.STEPS), message=step
                ),
            )
            outcome = engine.BuildOutcome("done", result=dataclasses.asdict(result))
        else:
            outcome = engine.run_build(
                spec,
                on_progress=lambda step, n, total, message: reporter.update(
                    done=n, total=total, message=step
                ),
                should_cancel=lambda: reporter.cancel_requested,
            )
        files = _store_outputs(run, Path(spec.out)) if outcome.status == "done" else []
    return _record_outcome(run, outcome, files, reporter)


def _record_outcome(run: Run, outcome, files: list[str], reporter) -> Run:
    import json

    values = {"finished_at": timezone.now(), "files": files}
    if outcome.status == "done":
        with private_storage().open(f"{run.storage_prefix}/evaluation.json", "rb") as handle:
            evaluation = json.load(handle)
        values |= {"status": Run.Status.DONE, "result": outcome.result, "evaluation": evaluation}
        reporter.finish("done")
    elif outcome.status == "cancelled":
        values["status"] = Run.Status.CANCELLED
        reporter.finish("cancelled", status=Progress.Status.CANCELLED)
    elif outcome.status == "data_error":
        problem = from_data_error(_Error(outcome.error))
        values |= {"status": Run.Status.DATA_ERROR, "error": problem.to_dict()}
        reporter.finish(outcome.error.get("message", "")[:2000], status=Progress.Status.FAILED)
    else:
        values |= {"status": Run.Status.FAILED, "error": {"message": outcome.error.get("message")}}
        reporter.finish(str(outcome.error.get("message", ""))[:2000], Progress.Status.FAILED)
    Run.objects.filter(pk=run.pk).update(**values)
    run.refresh_from_db()
    return run


class _Error(Exception):
    """The engine's DataError as it crossed the process boundary."""

    def __init__(self, detail: dict):
        super().__init__(detail.get("message", ""))
        self.column = detail.get("column")
        self.rows = detail.get("rows") or []


# ------------------------------------------------------------------------- run files


def open_output(run: Run, relative: str):
    """A stored output file of a finished run (``FileNotFoundError`` if it has none)."""
    if run.status != Run.Status.DONE or relative not in run.files:
        raise FileNotFoundError(relative)
    return private_storage().open(f"{run.storage_prefix}/{relative}", "rb")


def team_revision(run: Run) -> int:
    """How often the run's saved team was rewritten (an erasure renames a person in it)."""
    return int((run.result or {}).get("team_revision") or 0)


def team_key(run: Run) -> str:
    """The key of the run's team in a process's cache: a rewritten team is loaded afresh."""
    revision = team_revision(run)
    return f"run-{run.pk}" if not revision else f"run-{run.pk}.{revision}"


def local_folder(run: Run) -> Path:
    """Where this machine keeps its copy of the run's outputs (:func:`run_folder`); a new
    folder for each revision of the team, so no machine keeps using an old copy."""
    return Path(settings.DATA_DIR) / "cache" / "human_ai" / team_key(run)


def run_folder(run: Run) -> Path:
    """The run's outputs on this machine (fetched from storage once), for loading the team.

    Fetched into a folder of its own and renamed into place when complete: web processes
    that ask at the same moment (the first request after a deployment) never read a half
    copied team; the first rename wins, the others' copies go."""
    folder = local_folder(run)
    if _complete(folder, run):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
    try:
        for relative in run.files:
            target = partial / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with open_output(run, relative) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        if folder.exists() and not _complete(folder, run):
            shutil.rmtree(folder, ignore_errors=True)  # a copy left half done
        try:
            partial.rename(folder)
        except OSError:
            if not _complete(folder, run):  # not another process's copy that came first
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def _complete(folder: Path, run: Run) -> bool:
    team = "team/metadata.json" in run.files
    return (folder / "team" / "metadata.json").exists() if team else folder.is_dir()
