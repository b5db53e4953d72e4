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
