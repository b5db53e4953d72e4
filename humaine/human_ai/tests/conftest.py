"""The human-AI teams' test cast: Acme's scenario with a small generated data set."""

import io

import pytest

from humaine.human_ai import synthetic
from humaine.scenarios import services as scenario_services


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


FEATURES = ["schadenart", "fahrzeugalter", "altersgruppe", "vorschaeden"]


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
