"""Real paths in Chromium with axe-core: inquiry to scenario, the works council at the gate,
employees answering on a phone, results shown and withheld."""

import pytest

from humaine.scenarios import services
from humaine.scenarios.models import Member, Scenario
from humaine.tests.factories import PASSWORD

from .conftest import make_scenario, make_survey, open_wave

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
TLX = ("MENTAL", "PHYSICAL", "TEMPORAL", "PERFORMANCE", "EFFORT", "FRUSTRATION")


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_staff_start_a_scenario_and_the_works_council_takes_a_position(cast, new_page, axe_check):
    staff = new_page("de-DE")
    log_in(staff, "staff")
    staff.goto(cast.acme_inquiry.get_absolute_url())
    staff.click("#start-scenario-link")
    staff.fill("#id_title", "KI-Vorprüfung Kfz")
    staff.click("#start-scenario")
    staff.wait_for_url("**/scenarios/*/")
    scenario = Scenario.objects.get(inquiry=cast.acme_inquiry)
    axe_check(staff, "workspace")
    # The scenario is in its analysis phase and the check flags § 90 BetrVG.
    services.start_check(scenario, actor=cast.staff)
    Scenario.objects.filter(pk=scenario.pk).update(phase="analysis")

    staff.goto(f"/scenarios/{scenario.pk}/members/")
    staff.select_option("#id_role", "works_council")
    staff.fill("#id_name", "Betriebsrat Acme")
    staff.click("#invite-form button[type=submit]")
    link = staff.get_attribute("#invitation-link", "href")

    council = new_page("de-DE")
    council.goto(link)
    council.fill("#id_username", "br-acme")
    council.fill("#id_password", "Mitbestimmung 2026!")
    council.click("#join-form button[type=submit]")
    council.wait_for_url(f"**/scenarios/{scenario.pk}/")
    council.goto(f"/scenarios/{scenario.pk}/process/")
    assert council.locator("#codetermination-note").is_visible()
    assert council.locator("#gate-role-works_council").is_visible()
    council.check("input[name=position][value=conditions]")
    council.fill("#id_statement", "Nur mit Betriebsvereinbarung.")
    council.click("#position-form button[type=submit]")
    council.wait_for_load_state()
    assert "stimmt unter Bedingungen zu" in council.inner_text("#gate-role-works_council")
    axe_check(council, "process and gates")
    assert Member.objects.get(scenario=scenario, role="works_council").user.username == "br-acme"


def answer_on_phone(new_page, url, value, axe_check=None):
    page = new_page("de-DE")
    page.set_viewport_size(PHONE)
    page.goto(url)
    if axe_check is not None:
        axe_check(page, "survey on a phone")
    for item in ("TRU-1", "TRU-2", "TRU-3"):
        page.check(f'input[name="item_{item}"][value="{value}"]')
    page.check(f'input[name="item_TRU-4"][value="{6 - value}"]')
    for name in TLX:
        page.select_option(f'select[name="item_TLX-{name}"]', str(20 + 10 * value))
    page.click("#submit-answers")
    page.wait_for_url("**/s/answered/")
    page.context.close()


def links(wave, group, n):
    issued = services.issue_invitations(wave, group, count=n, actor=None)
    return [f"/s/{i.token}/" for i in issued]


def test_six_answers_show_results_and_four_are_withheld_with_a_reason(cast, new_page, axe_check):
    scenario = make_scenario(cast)
    north = services.save_group(scenario, actor=cast.staff, name="Team Nord", headcount=14)
    south = services.save_group(scenario, actor=cast.staff, name="Team Süd", headcount=6)
    big = make_survey(scenario, [north], cast.staff)
    small = make_survey(scenario, [south], cast.staff)
    big_wave, small_wave = open_wave(big, cast.staff), open_wave(small, cast.staff)
    for index, url in enumerate(links(big_wave, north, 6)):
        answer_on_phone(new_page, url, 3 + index % 3, axe_check if index == 0 else None)
    for url in links(small_wave, south, 4):
        answer_on_phone(new_page, url, 4)

    staff = new_page("de-DE")
    log_in(staff, "staff")
    for survey, wave in ((big, big_wave), (small, small_wave)):
        staff.goto(f"/scenarios/{scenario.pk}/surveys/{survey.pk}/")
        staff.click(f"#close-wave-{wave.pk}")
        staff.wait_for_load_state()
    staff.goto(f"/scenarios/{scenario.pk}/surveys/{big.pk}/results/")
    trust = staff.locator("section[data-scale=trust] table.scale-table")
    assert trust.locator("td[data-n='6']").count() >= 1
    assert trust.locator("td.mean").count() >= 1
    axe_check(staff, "results")
    staff.goto(f"/scenarios/{scenario.pk}/surveys/{small.pk}/results/")
    withheld = staff.locator("section[data-scale=trust] td.withheld").first
    assert "Weniger als 5 Antworten" in withheld.inner_text()
    assert staff.locator("td.mean").count() == 0
