"""A data scientist uploads, maps, builds and reads the report; a manager of the company sees
aggregated figures only. Chromium with axe-core."""

import pytest
from django.utils import translation

from humaine.human_ai.models import DataSet, Run
from humaine.tests.factories import PASSWORD

from .conftest import claims_csv

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_upload_map_build_and_read_the_report(
    cast, scenario, new_page, axe_check, run_jobs, tmp_path
):
    source = tmp_path / "schaeden.csv"
    source.write_bytes(claims_csv(400, seed=8))
    page = new_page("de-DE")
    log_in(page, "staff")
    page.goto(f"/scenarios/{scenario.pk}/teams/")
    axe_check(page, "teams of a scenario")
    page.click("text=Einen Datensatz hochladen")
    axe_check(page, "upload")
    page.fill("#id_title", "Kfz-Schäden 2025")
    page.set_input_files("#id_cases", str(source))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/teams/data/*/")
    assert "Erkannte Spalten" in page.content() and "schadenart" in page.content()
    axe_check(page, "data set with preview and mapping")
    # the guess maps the decision columns and the target; the data scientist adjusts it
    assert page.locator("#id_target").input_value() == "berechtigt"
    page.fill("#id_min_person_cases", "5")
    page.click("#mapping-form button[type=submit]")
    page.wait_for_load_state()
    run_jobs()
    dataset = DataSet.objects.get(scenario=scenario)
    assert dataset.status == DataSet.Status.READY, dataset.problems
    page.reload()
    assert "Die Prüfungen sind bestanden" in page.content()
    page.select_option("#id_method", "combine")
    page.click("#run-form button[type=submit]")
    page.wait_for_url("**/teams/runs/*/")
    run_jobs()
    page.reload()
    run = Run.objects.get(scenario=scenario)
    assert run.status == Run.Status.DONE, run.error
    assert page.locator("svg.chart").count() >= 4
    with translation.override("de"):
        assert page.locator("#run-status").inner_text() == str(Run.Status.DONE.label)
    axe_check(page, "run report")

    manager = new_page("de-DE")
    log_in(manager, "member")
    manager.goto(run.get_absolute_url())
    assert manager.locator("#persons-withheld").is_visible()
    assert not any(p in manager.content() for p in run.evaluation["persons"])
    axe_check(manager, "run report, aggregated")
