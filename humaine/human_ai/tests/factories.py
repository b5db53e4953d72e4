"""Plain makers for the human-AI teams' tests and benches: a team built from generated
claims as a run's job builds it, and a finished run of a scenario that holds its files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from humaine.human_ai import synthetic

CLAIMS_FEATURES = ["schadenart", "fahrzeugalter", "altersgruppe", "vorschaeden"]


def build_claims_team(folder: Path, persons: list[str], *, n_cases: int, seed: int = 3):
    """A team built by ``fitting.build`` from ``n_cases`` generated claims, the generator's
    persons renamed to ``persons`` (pseudonyms): its output folder and result."""
    from humaine.human_ai import fitting

    frame = synthetic.make("insurance", n_cases, seed=seed)
    frame = frame.rename(columns=dict(zip(synthetic.PERSONS["insurance"], persons)))
    frame.to_parquet(folder / "cases.parquet")
    result = fitting.build(
        fitting.BuildSpec(
            cases=str(folder / "cases.parquet"),
            out=str(folder / "out"),
            load={
                "target": "berechtigt",
                "id": "fall_nr",
                "features": CLAIMS_FEATURES,
                "humans": persons,
                "min_person_cases": 5,
            },
            team={"method": "combine", "capacity": 0.3, "audit": 0.05},
            n_bootstrap=5,
        )
    )
    return folder / "out", result


def make_finished_run(scenario, out: Path, result, *, title: str, persons, mapping=None):
    """A finished run of ``scenario`` (on a data set marked checked) whose outputs are the
    built team's in ``out``, copied into storage."""
    from django.core.files import File

    from humaine.human_ai.models import DataSet, Run, ScenarioKey
    from humaine.human_ai.pseudonyms import new_key
    from humaine.scenarios.storage import private_storage

    ScenarioKey.objects.get_or_create(scenario=scenario, defaults={"key": new_key()})
    dataset = DataSet.objects.create(
        scenario=scenario,
        title=title,
        cases_name="faelle.csv",
        cases_kind="csv",
        cases_sha256="0" * 64,
        status=DataSet.Status.READY,
        persons=list(persons),
        mapping=mapping or {},
    )
    run = Run.objects.create(
        scenario=scenario,
        dataset=dataset,
        method="combine",
        status=Run.Status.DONE,
        result=dataclasses.asdict(result),
        evaluation=json.loads((out / "evaluation.json").read_text()),
    )
    files = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        with open(path, "rb") as handle:
            private_storage().save(f"{run.storage_prefix}/{relative}", File(handle))
        files.append(relative)
    run.files = files
    run.save(update_fields=["files"])
    return run
