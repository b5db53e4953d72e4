"""The human-AI teams' share of a person's data (GDPR art. 15 and 17).

A person's decisions are in the scenario's data sets under a pseudonym; the hub knows
which account it is only through a :class:`~humaine.human_ai.models.PersonLink`. Export
lists the person's pseudonyms and their own figures in every finished run. Erasure gives
the person a fresh pseudonym that no identifier and no key leads to
(:func:`~humaine.human_ai.pseudonyms.erased_pseudonym`) in the stored figures and the
prepared tables and the runs' stored outputs (reports, figures; the saved team renamed
with ``teaming.relabel_persons``, the fresh pseudonym retired from routing), deletes the
uploaded raw files that still name the person, and deletes the link: the figures stay
complete (accuracy, workload, every case), but no longer point to anyone. The cases a
deployed service routed to the person and the decisions they recorded are renamed the same
way (the records and the services' figures stay whole), as are the stored answers to the
services' clients and the person's absences.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from humaine.core.personal_data import Section
from humaine.scenarios.storage import private_storage

from .models import Absence, CaseRequest, DataSet, PersonLink, Run, Service, ServiceCase
from .pseudonyms import erased_pseudonym


def _links(person):
    if not person.user_id:
        return PersonLink.objects.none()
    return PersonLink.objects.filter(user_id=person.user_id).select_related("scenario")


def export(person) -> list[dict[str, Any]]:
    out = []
    for link in _links(person):
        runs = Run.objects.filter(scenario=link.scenario, status=Run.Status.DONE)
        figures = [
            {"run": str(run), "figures": (run.evaluation.get("persons") or {})[link.pseudonym]}
            for run in runs
            if link.pseudonym in (run.evaluation.get("persons") or {})
        ]
        cases = ServiceCase.objects.filter(
            service__scenario=link.scenario, person=link.pseudonym
        ).select_related("service")
        routed = [
            {
                "service": case.service.title,
                "case": case.reference,
                "routed_at": case.created_at.isoformat(),
                "audit": case.audit,
                "decision": case.decision if case.decided_by == link.pseudonym else "",
                "decided_at": case.decided_at.isoformat()
                if case.decided_at and case.decided_by == link.pseudonym
                else None,
            }
            for case in cases
        ]
        absences = [
            {
                "from": a.starts.isoformat() if a.starts else None,
                "until": a.ends.isoformat() if a.ends else None,
            }
            for a in Absence.objects.filter(scenario=link.scenario, pseudonym=link.pseudonym)
        ]
        out.append(
            {
                "scenario": link.scenario.title,
                "pseudonym": link.pseudonym,
                "runs": figures,
                "routed_cases": routed,
                "absences": absences,
            }
        )
    return out


def rename(value: Any, old: str, new: str) -> Any:
    """``value`` (JSON) with every occurrence of ``old`` (keys, values, inside text) as ``new``."""
    if isinstance(value, dict):
        return {rename(k, old, new): rename(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [rename(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def _rewrite_prepared(field, old: str, new: str) -> None:
    if not field:
        return
    with field.open("rb") as handle:
        frame = pd.read_parquet(handle)
    frame = frame.rename(columns={old: new})
    if "person" in frame.columns:
        frame["person"] = frame["person"].replace(old, new)
    storage = private_storage()
    name = field.name
    storage.delete(name)
    from io import BytesIO

    buffer = BytesIO()
    frame.to_parquet(buffer, index=False)
    buffer.seek(0)
    from django.core.files import File

    storage.save(name, File(buffer, name=name))


def _erase_pseudonym(link: PersonLink) -> None:
    old, new = link.pseudonym, erased_pseudonym()
    # the scenario's services are locked first: a request between its turns and its
    # records holds its service's row (routing_api._record), and is recorded before the
    # names are replaced, or sees the team's new revision after and records nothing
    list(Service.objects.select_for_update().filter(scenario=link.scenario).values("pk"))
    for dataset in DataSet.objects.filter(scenario=link.scenario):
        if old not in dataset.persons:
            continue
        dataset.persons = rename(dataset.persons, old, new)
        dataset.summary = rename(dataset.summary, old, new)
        _rewrite_prepared(dataset.prepared_cases, old, new)
        _rewrite_prepared(dataset.prepared_decisions, old, new)
        # the uploaded files name the person (a column, a value): they go
        for field in (dataset.cases_file, dataset.decisions_file):
            if field:
                private_storage().delete(field.name)
        dataset.cases_file.name = ""
        dataset.decisions_file.name = ""
        dataset.save(update_fields=["persons", "summary", "cases_file", "decisions_file"])
    from .report_pdf import forget as forget_pdfs

    for run in Run.objects.filter(scenario=link.scenario):
        forget_pdfs(run)  # cached PDFs of the report name the persons
        run.evaluation = rename(run.evaluation, old, new)
        run.result = rename(run.result, old, new)
        run.save(update_fields=["evaluation", "result"])
        _rewrite_run_files(run, old, new)
    _erase_from_services(link.scenario, old, new)
    link.delete()


def _erase_from_services(scenario, old: str, new: str) -> None:
    """The person's routed cases and decisions under the new pseudonym; the explanations
    and stored answers that name them likewise; their absences go."""
    cases = ServiceCase.objects.filter(service__scenario=scenario)
    cases.filter(person=old).update(person=new)
    cases.filter(decided_by=old).update(decided_by=new)
    # an explanation names every person who could have taken the case
    for case in cases.only("pk", "explanation").iterator(chunk_size=2000):
        renamed = rename(case.explanation, old, new)
        if renamed != case.explanation:
            ServiceCase.objects.filter(pk=case.pk).update(explanation=renamed)
    for request in CaseRequest.objects.filter(service__scenario=scenario).only("pk", "response"):
        renamed = rename(request.response, old, new)
        if renamed != request.response:
            CaseRequest.objects.filter(pk=request.pk).update(response=renamed)
    Absence.objects.filter(scenario=scenario, pseudonym=old).delete()
    # the services' capacity windows count persons by name: start them afresh
    for service in Service.objects.filter(scenario=scenario):
        if old in (service.stream_state or {}).get("persons", []):
            Service.objects.filter(pk=service.pk).update(stream_state={})
    # stored monitoring figures name the old pseudonym: renamed at once, as a recount of
    # the renamed cases would give them; the generation marks every figure to be counted again
    from . import monitoring, monitoring_store

    monitoring_store.rename(scenario, old, new)
    monitoring.changed(Service.objects.filter(scenario=scenario).values_list("pk", flat=True))


TEAM_FOLDER = "team/"


def _rewrite_run_files(run: Run, old: str, new: str) -> None:
    """The run's stored outputs (reports, figures, the team) name the person's pseudonym:
    replace it there too, and drop this machine's copy of them (fetched again when needed).

    The saved team is loaded, renamed with ``teaming.relabel_persons`` (the new pseudonym
    is retired: no case is routed to it any more) and saved again with the engine's safe
    persistence; its revision goes up, so every process loads the new team. The other
    files are text (HTML, JSON, model cards): the pseudonym is replaced in them.
    """
    import shutil

    from django.core.files.base import ContentFile

    from .services import local_folder

    shutil.rmtree(local_folder(run), ignore_errors=True)
    storage = private_storage()
    renamed_team = _rewrite_team(run, old, new)
    for relative in run.files:
        if renamed_team and relative.startswith(TEAM_FOLDER):
            continue
        name = f"{run.storage_prefix}/{relative}"
        try:
            with storage.open(name, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        if old.encode() in content:
            storage.delete(name)
            storage.save(name, ContentFile(content.replace(old.encode(), new.encode())))


def _rewrite_team(run: Run, old: str, new: str) -> bool:
    """Rename ``old`` in the run's saved team (if it has one that knows the person) and
    store it again; True when the team was rewritten."""
    import json
    import tempfile
    from pathlib import Path

    from django.core.files import File

    import teaming
    from teaming.persist import IncompatibleModelError, UntrustedContentError

    from . import engine

    team_files = [r for r in run.files if r.startswith(TEAM_FOLDER)]
    if f"{TEAM_FOLDER}metadata.json" not in team_files:
        return False
    storage = private_storage()
    with tempfile.TemporaryDirectory(prefix="humaine-erase-") as folder:
        source, target = Path(folder) / "old", Path(folder) / "new"
        for relative in team_files:
            path = source / relative[len(TEAM_FOLDER) :]
            path.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(f"{run.storage_prefix}/{relative}", "rb") as handle:
                path.write_bytes(handle.read())
        try:
            team = engine.read_team(source)
        except (IncompatibleModelError, UntrustedContentError):
            # a team this version cannot load (older format): its text files have the
            # pseudonym replaced like the run's other files (the skops files hold no names)
            return False
        if old not in team.persons_:
            return False
        teaming.save_team(teaming.relabel_persons(team, {old: new}, retire=[new]), target)
        # the held-out figures and the model cards written with them, renamed likewise
        before = json.loads((source / "metadata.json").read_text(encoding="utf-8"))
        after = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        after["evaluation"] = rename(before.get("evaluation"), old, new)
        (target / "metadata.json").write_text(
            json.dumps(after, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        for card in ("MODEL_CARD.md", "MODELLKARTE.md"):
            if (source / card).is_file():
                text = (source / card).read_text(encoding="utf-8")
                (target / card).write_text(text.replace(old, new), encoding="utf-8")
        written = sorted(p for p in target.rglob("*") if p.is_file())
        names = [TEAM_FOLDER + p.relative_to(target).as_posix() for p in written]
        for relative in team_files:
            storage.delete(f"{run.storage_prefix}/{relative}")
        for path, relative in zip(written, names):
            with open(path, "rb") as handle:
                storage.save(f"{run.storage_prefix}/{relative}", File(handle))
    files = [r for r in run.files if not r.startswith(TEAM_FOLDER)] + names
    result = {**run.result, "team_revision": int(run.result.get("team_revision") or 0) + 1}
    Run.objects.filter(pk=run.pk).update(files=sorted(files), result=result)
    run.files, run.result = sorted(files), result
    return True


def erase(person, placeholder: str) -> None:
    for link in _links(person):
        _erase_pseudonym(link)


SECTION = Section("human_ai", export=export, erase=erase, order=80)
