"""Staff open an inquiry in a real Chromium, see the proposed team and accept it."""

import pytest

from humaine.contact.models import Assignment, Inquiry
from humaine.matching.tests.conftest import index_everything
from humaine.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_staff_see_the_proposed_team_and_accept_it(cast, pool, new_page, axe_check):
    index_everything()
    page = new_page("de-DE")
    page.goto("/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(cast.acme_inquiry.get_absolute_url())
    # the panel arrives through htmx in place of the link to it
    team = page.locator("#matching-panel form.team-form")
    team.wait_for()
    assert page.locator("#matching-panel fieldset").count() >= 2
    assert "Dr. Carla Code" in page.inner_text("#matching-panel")
    axe_check(page, "inquiry with matching panel")

    page.click("#matching-panel form.team-form button[type=submit]")
    page.wait_for_url(f"**{cast.acme_inquiry.get_absolute_url()}")
    assert Assignment.objects.filter(inquiry=cast.acme_inquiry, active=True).count() >= 2
    cast.acme_inquiry.refresh_from_db()
    assert cast.acme_inquiry.status == Inquiry.Status.MATCHED
    text = page.inner_text("main")
    for assignment in Assignment.objects.filter(inquiry=cast.acme_inquiry, active=True):
        assert assignment.expert.person.name in text
    axe_check(page, "inquiry with its team")

    # the panel now shows the accepted team; replacing it asks first
    accepted = page.locator("#matching-panel .accepted-team")
    accepted.wait_for()
    assert "Übernommenes Team" in page.inner_text("#matching-panel")
    button = page.locator("#matching-panel form.team-form button[type=submit]")
    assert "ersetzen" in button.inner_text()
    team_before = set(
        Assignment.objects.filter(inquiry=cast.acme_inquiry, active=True).values_list("pk")
    )
    button.click()
    page.wait_for_load_state()
    # the same choice again: nothing to replace
    assert "bereits das Team" in page.inner_text("main")
    assert (
        set(Assignment.objects.filter(inquiry=cast.acme_inquiry, active=True).values_list("pk"))
        == team_before
    )
    axe_check(page, "inquiry after accepting the same team again")
