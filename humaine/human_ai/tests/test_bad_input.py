"""Bad input gets a clear message in the user's language, and nothing is half-saved."""

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from humaine.human_ai import services, synthetic
from humaine.human_ai.mapping import Mapping
from humaine.human_ai.models import DataSet, Run
from humaine.scenarios.storage import private_storage

from .conftest import FEATURES, claims_csv, claims_mapping_data


def _stored_files() -> list:
    try:
        _folders, files = private_storage().listdir("human_ai")
    except FileNotFoundError:
        return []
    return files


def _post_upload(client, scenario, cases, decisions=None):
    data = {"title": "x", "cases": cases}
    if decisions is not None:
        data["decisions"] = decisions
    return client.post(reverse("human_ai:upload", args=[scenario.pk]), data)


def test_a_file_that_is_not_what_its_name_claims_is_refused(cast, client_for, scenario):
    client = client_for(cast.staff)
    response = _post_upload(client, scenario, SimpleUploadedFile("faelle.xlsx", claims_csv(50)))
    assert response.status_code == 400
    assert "faelle.xlsx" in response.content.decode() and "Excel" in response.content.decode()
    assert not DataSet.objects.filter(scenario=scenario).exists() and not private_storage().exists(
        "human_ai"
    )


def test_an_unknown_file_type_is_refused_in_english_too(cast, client_for, scenario):
    client = client_for(cast.staff)
    with translation.override("en"):
        url = reverse("human_ai:upload", args=[scenario.pk])
    response = client.post(url, {"cases": SimpleUploadedFile("faelle.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "Upload a CSV, Parquet or Excel (.xlsx) file" in response.content.decode()
    assert not DataSet.objects.filter(scenario=scenario).exists()


def test_a_file_over_the_limit_is_stopped_while_it_streams(cast, client_for, scenario, settings):
    settings.HUMAN_AI_MAX_UPLOAD_BYTES = 10_000
    client = client_for(cast.staff)
    response = _post_upload(client, scenario, SimpleUploadedFile("faelle.csv", claims_csv(400)))
    assert response.status_code == 400
    assert "0.01 MB" in response.content.decode()
    assert not DataSet.objects.filter(scenario=scenario).exists() and _stored_files() == []


def _uploaded(cast, scenario, content=None, decisions=None):
    return services.upload_dataset(
        scenario,
        cases=SimpleUploadedFile("faelle.csv", content or claims_csv()),
        decisions=decisions,
        actor=cast.staff,
    )


def test_a_mapping_that_names_a_missing_column_changes_nothing(cast, client_for, scenario):
    dataset = _uploaded(cast, scenario)
    mapping = Mapping.from_dict(claims_mapping_data(features=[*FEATURES, "gibt_es_nicht"]))
    with pytest.raises(services.TeamError) as error:
        services.save_mapping(dataset, mapping, actor=cast.staff)
    assert [p.code for p in error.value.problems] == ["missing_column"]
    assert "gibt_es_nicht" in error.value.problems[0].message
    dataset.refresh_from_db()
    assert dataset.mapping == {} and dataset.status == DataSet.Status.UPLOADED
    # the form offers only the table's columns: a forged one is a field error
    response = client_for(cast.staff).post(
        dataset.get_absolute_url(), claims_mapping_data(target="gibt_es_nicht")
    )
    assert response.status_code == 400 and "gibt_es_nicht" in response.content.decode()


def _one_class_csv() -> bytes:
    frame = synthetic.make("insurance", 120, seed=5)
    frame["berechtigt"] = "ja"
    for person in synthetic.PERSONS["insurance"]:
        frame[person] = frame[person].where(frame[person].isna(), "ja")
    return frame.to_csv(index=False).encode()


def test_a_target_with_one_class_is_a_problem_next_to_its_column(
    cast, client_for, scenario, run_jobs
):
    dataset = _uploaded(cast, scenario, _one_class_csv())
    client = client_for(cast.staff)
    client.post(dataset.get_absolute_url(), claims_mapping_data())
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.PROBLEMS
    assert [p["code"] for p in dataset.problems] == ["one_class"]
    assert not dataset.prepared_cases
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "hat nur einen Wert" in page and 'class="has-error"' in page
    response = client.post(
        reverse("human_ai:run_new", args=[scenario.pk, dataset.pk]),
        {"method": "auto", "capacity": "0.3", "audit": "0.05"},
        follow=True,
    )
    assert "muss seine Prüfung bestehen" in response.content.decode()
    assert not Run.objects.filter(scenario=scenario).exists()


def test_decisions_for_unknown_cases_are_named(cast, client_for, scenario, run_jobs):
    frame = synthetic.make("insurance", 200, seed=6)
    long = synthetic.long_decisions(frame, "insurance")
    long.loc[long.index[:3], "fall_nr"] = [900001, 900002, 900003]
    cases = frame.drop(columns=list(synthetic.PERSONS["insurance"]))
    buffer = io.StringIO()
    long.to_csv(buffer, index=False)
    dataset = _uploaded(
        cast,
        scenario,
        cases.to_csv(index=False).encode(),
        decisions=SimpleUploadedFile("entscheidungen.csv", buffer.getvalue().encode()),
    )
    data = claims_mapping_data(humans=[])
    data |= {
        "decisions_case": "fall_nr",
        "decisions_person": "bearbeiter",
        "decisions_decision": "entscheidung",
    }
    client = client_for(cast.staff)
    assert client.post(dataset.get_absolute_url(), data).status_code == 302
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.PROBLEMS
    assert [p["code"] for p in dataset.problems] == ["unknown_cases"]
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "900001" in page and "Entscheidungsdatei" in page
    # the ids are cases the decisions name, not rows of a file
    assert "(Fälle: 900001" in page and "Zeilen: 900001" not in page


def test_run_settings_out_of_range_are_refused(cast, scenario):
    dataset = _uploaded(cast, scenario)
    DataSet.objects.filter(pk=dataset.pk).update(status=DataSet.Status.READY)
    dataset.refresh_from_db()
    for bad in ({"capacity": 1.5}, {"audit": -0.1}, {"method": "pickle"}, {"capacity": "viel"}):
        with pytest.raises(services.TeamError):
            services.start_run(dataset, actor=cast.staff, **bad)
    assert not Run.objects.filter(scenario=scenario).exists()


def test_parquet_and_excel_upload_with_their_columns(cast, scenario, tmp_path):
    frame = pd.DataFrame(
        {"fall_nr": [1, 2, 3], "betrag": [1.5, 2.5, 3.0], "ok": ["ja", "nein", "ja"]}
    )
    frame.to_parquet(tmp_path / "t.parquet")
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    for name in ("t.parquet", "t.xlsx"):
        content = (tmp_path / name).read_bytes()
        dataset = services.upload_dataset(
            scenario, cases=SimpleUploadedFile(name, content), actor=cast.staff
        )
        assert dataset.preview.names == ["fall_nr", "betrag", "ok"]
        assert dataset.cases_kind == name.split(".")[1]
