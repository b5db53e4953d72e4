"""A data scientist deploys a run and makes a token; a person works through their worklist.
Chromium with axe-core."""

import pytest

from humaine.human_ai.models import PersonLink, ServiceCase
from humaine.tests import factories as f

from .test_browser import log_in
from .test_service_pages import route_cases

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]


def test_deploy_a_run_make_a_token_and_work_through_the_worklist(
    cast, scenario, finished_run, new_page, axe_check
):
    page = new_page("de-DE")
    log_in(page, "staff")
    page.goto(finished_run.get_absolute_url())
    page.click("text=Als Dienst einsetzen")
    axe_check(page, "services of a scenario")
    page.fill("#id_title", "Kfz-Schäden")
    page.click("#service-form button[type=submit]")
    page.wait_for_url("**/teams/services/*/")
    service = scenario.team_services.get()
    assert "schadenart" in page.content()
    axe_check(page, "a service")
    page.fill("#id_name", "Schadensystem")
    page.click("#token-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#new-token code").inner_text().startswith("hs_")
    axe_check(page, "a service with its new token")

    cases = route_cases(service, 2)
    pseudonym = cases[0].person
    mine = [c for c in cases if c.person == pseudonym]
    f.make_user("sachbearbeiterin")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="sachbearbeiterin")
    PersonLink.objects.create(scenario=scenario, pseudonym=pseudonym, user=user)

    clerk = new_page("de-DE")
    log_in(clerk, "sachbearbeiterin")
    clerk.goto("/teams/worklist/")
    axe_check(clerk, "worklist")
    for case in mine:
        clerk.click(f"text={case.reference}")
        clerk.wait_for_url("**/teams/worklist/*/")
        assert clerk.locator("#ai-hidden").is_visible()
        axe_check(clerk, "a case in the worklist")
        clerk.select_option("#id_decision", "nein")
        clerk.click("#decision-form button[type=submit]")
        clerk.wait_for_load_state()
        assert clerk.locator("#decision-recorded").is_visible()
        assert clerk.locator("#ai-suggestion").is_visible()
        clerk.goto("/teams/worklist/")
    assert "Keine offenen Fälle." in clerk.content()
    assert all(
        c.decision == "nein" and c.decided_by == pseudonym
        for c in ServiceCase.objects.filter(pk__in=[c.pk for c in mine])
    )


def test_compare_a_rebuilt_run_and_replace_the_active_version(
    cast, scenario, finished_run, new_page, axe_check
):
    """The comparison of a run built from the recorded cases, and its confirmed deploy."""
    import json

    from django.core.files.base import ContentFile

    from humaine.human_ai import deployment, fitting
    from humaine.human_ai.models import Run
    from humaine.scenarios.storage import private_storage

    service = deployment.create_service(
        scenario, title="Kfz-Schäden", run=finished_run, actor=cast.staff
    )
    rebuilt = Run.objects.create(
        scenario=scenario,
        dataset=finished_run.dataset,
        number=2,
        method="combine",
        status=Run.Status.DONE,
        result=finished_run.result,
        evaluation=finished_run.evaluation,
        baseline=service.active_version,
    )
    storage = private_storage()
    for relative in finished_run.files:
        with storage.open(f"{finished_run.storage_prefix}/{relative}", "rb") as handle:
            storage.save(f"{rebuilt.storage_prefix}/{relative}", ContentFile(handle.read()))
    figures = fitting.headline_figures(finished_run.evaluation)
    comparison = {"n_cases": finished_run.evaluation["n_cases"], "new": figures}
    comparison |= {"active": figures, "error": ""}
    storage.save(
        f"{rebuilt.storage_prefix}/comparison.json", ContentFile(json.dumps(comparison).encode())
    )
    rebuilt.files = [*finished_run.files, "comparison.json"]
    rebuilt.save(update_fields=["files"])

    page = new_page("de-DE")
    log_in(page, "staff")
    page.goto(service.get_absolute_url())
    assert page.locator("#rebuild-form").is_visible()
    axe_check(page, "a service with its rebuild panel")
    page.goto(rebuilt.get_absolute_url())
    assert page.locator("#comparison-table").is_visible()
    axe_check(page, "a rebuilt run compared with the active version")
    page.check("#replace-confirm")
    page.click("#replace-form button[type=submit]")
    page.wait_for_url("**/teams/services/*/")
    assert service.active_version.run == rebuilt
