"""The human-AI teams' test cast: Acme's scenario with a small generated data set."""

import io

import pytest

from humaine.human_ai import synthetic
from humaine.scenarios import services as scenario_services

from .factories import CLAIMS_FEATURES, build_claims_team, make_finished_run


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    settings.DATA_DIR = tmp_path / "data"
    settings.HUMAN_AI_BOOTSTRAP = 5
    return tmp_path / "private"


@pytest.fixture
def scenario(cast):
    return scenario_services.start_scenario(
        actor=cast.staff,
        title="Kfz-Schäden mit KI",
        goal="Sachbearbeitung entlasten.",
        work_process="Kfz-Schadenprüfung",
        organisation=cast.acme,
        sector=cast.sectors["insurance"],
    )


def claims_csv(n=300, seed=3) -> bytes:
    frame = synthetic.make("insurance", n, seed=seed)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


FEATURES = CLAIMS_FEATURES


def claims_mapping_data(**overrides) -> dict:
    data = {
        "target": "berechtigt",
        "id": "fall_nr",
        "features": FEATURES,
        "humans": list(synthetic.PERSONS["insurance"]),
        "groups": ["region"],
        "time": "",
        "cost": "",
        "min_person_cases": "5",
    }
    return data | overrides


# ------------------------------------------------------------------ a deployed team

TEAM_PERSONS = [f"P-00000000000{i}" for i in range(5)]


@pytest.fixture
def ready(cast, scenario, run_jobs):
    """The scenario's uploaded and mapped claims data set, checked by the real job worker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from humaine.human_ai import services
    from humaine.human_ai.mapping import Mapping
    from humaine.human_ai.models import DataSet

    dataset = services.upload_dataset(
        scenario, cases=SimpleUploadedFile("faelle.csv", claims_csv()), actor=cast.staff
    )
    services.save_mapping(dataset, Mapping.from_dict(claims_mapping_data()), actor=cast.staff)
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.READY, dataset.problems
    return dataset


@pytest.fixture(scope="session")
def built_team(tmp_path_factory):
    """A team built once per test process from the claims data (persons as pseudonyms),
    exactly as a run's job builds it: the output folder of ``fitting.build``."""
    folder = tmp_path_factory.mktemp("built-team")
    return build_claims_team(folder, TEAM_PERSONS, n_cases=300)


@pytest.fixture
def finished_run(scenario, built_team, cast):
    """A finished run of ``scenario`` whose outputs are the built team's, in storage."""
    folder, result = built_team
    return make_finished_run(scenario, folder, result, title="Schäden 2025", persons=TEAM_PERSONS)


@pytest.fixture
def service(finished_run, cast):
    from humaine.human_ai import deployment, engine, monitoring_alerts, routing_api

    # a run's or service's id may come again in the next test's database
    engine.forget_teams()
    routing_api.forget_versions()
    monitoring_alerts.forget_scheduled()
    return deployment.create_service(
        finished_run.scenario, title="Kfz-Schäden", run=finished_run, actor=cast.staff
    )


def counted(service, *windows: int) -> None:
    """Count and store the service's figures of these windows (default: 30 days) as the
    background job does; the service page never counts, it shows what is stored."""
    from humaine.human_ai import monitoring_store

    for days in windows or (30,):
        monitoring_store.refresh(service, days)


def claim(reference="S-1", **overrides) -> dict:
    data = {"schadenart": "Glas", "fahrzeugalter": 3, "altersgruppe": "40-64", "vorschaeden": 0}
    return {"id": reference, "data": data | overrides}
