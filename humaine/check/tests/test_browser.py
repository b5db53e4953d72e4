"""Two actors answer an HR check with opposite views, in a real Chromium with axe-core."""

import pytest
from pypdf import PdfReader

from humaine.check.profile import CaseProfile
from humaine.check.questionnaire import answers_for_profile
from humaine.conftest import RENDERED_DOWNLOAD_MS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RADIO_NAMES = "els => [...new Set(els.filter(e => e.type === 'radio').map(e => e.name))]"


def answer_page(page, answers: dict, view: str | None) -> None:
    """Fill the profile ``answers`` shown, and give every other question the ``view``."""
    for name, value in answers.items():
        if page.locator(f'[name="{name}"]').count() == 0:
            continue
        if isinstance(value, list):
            for item in value or ["__none__"]:
                page.check(f'input[name="{name}"][value="{item}"]')
        elif page.locator(f'input[type=radio][name="{name}"]').count():
            page.check(f'input[name="{name}"][value="{value}"]')
        else:
            page.fill(f'[name="{name}"]', str(value))
    if view is None:
        return
    scale = "5" if view == "yes" else "1"
    for name in page.eval_on_selector_all("form.questions input", RADIO_NAMES):
        if name.startswith("P-"):
            continue
        for value in (view, scale):
            choice = page.locator(f'input[name="{name}"][value="{value}"]')
            if choice.count():
                choice.check()
                break


def walk(page, answers: dict, view: str, axe_check=None) -> None:
    page.click("a.button:has-text('geführten Weg')")
    first = True
    while "/phase/" in page.url:
        if first and axe_check is not None:
            axe_check(page, "guided questionnaire")
        first = False
        answer_page(page, answers, view)
        last = page.locator("button[value=next]").count() == 0
        page.click("button[value=finish]" if last else "button[value=next]")
        page.wait_for_load_state()
    # the last page's "Speichern und abschließen" has submitted the answers
    assert page.locator("text=Meine Antworten abschicken").count() == 0


def test_two_actors_disagree_on_cv_screening_and_the_result_shows_it(
    cast, new_page, axe_check, reference_cases
):
    case = next(c for c in reference_cases if c["id"] == "hr-cv-screening-deployer")
    profile_answers = answers_for_profile(CaseProfile.model_validate(case["profile"]))

    owner = new_page("de-DE")
    owner.goto("/")
    owner.click("nav a[href='/check/']")
    axe_check(owner, "check start page")
    owner.fill("#id_title", "Vorauswahl von Bewerbungen")
    owner.select_option("#id_owner_role", "manager")
    owner.click("form.stacked button[type=submit]")
    owner.wait_for_url("**/check/started/")
    result_link = owner.get_attribute("#result-link", "href")
    answer_link = owner.get_attribute("#answer-link", "href")

    owner.goto(result_link)
    owner.select_option("#id_role", "employee_rep")
    owner.fill("#id_label", "Betriebsrat")
    owner.click("form[action$='/invite/'] button[type=submit]")
    owner.wait_for_load_state()
    rep_link = owner.get_attribute("#invitation-link", "href")

    manager = new_page("de-DE")
    manager.goto(answer_link)
    walk(manager, profile_answers, "yes", axe_check)
    assert "abgeschickt" in manager.inner_text("main")

    rep = new_page("de-DE")
    rep.goto(rep_link)
    walk(rep, {}, "no")

    owner.goto(result_link + "result/")
    assert owner.inner_text("#risk-label") == "Hochrisiko-KI-System"
    assert owner.locator("#disagreement-note").is_visible()
    assert owner.locator("table.scores tr.disagreement").count() >= 1
    assert "stark (" in owner.inner_text("table.scores")
    assert owner.locator("figure.radar svg[role=img]").count() == 1
    axe_check(owner, "result page")

    with owner.expect_download(timeout=RENDERED_DOWNLOAD_MS) as download:
        owner.click("#result-pdf", timeout=RENDERED_DOWNLOAD_MS)
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Hochrisiko-KI-System" in text
    assert "Interessenvertretung" in text


def test_the_function_groups_follow_the_sector_chosen_on_the_same_page_at_once(
    standalone, new_page
):
    page = new_page("de-DE")
    page.goto(f"/check/answer/{standalone.respondent_token}/phase/development/")
    legends = page.locator("#question-P-FUNCTIONS fieldset.option-group legend")
    badges = page.locator("#question-P-FUNCTIONS fieldset.option-group legend .badge")

    def titles():
        return [text.split(" typisch")[0].strip() for text in legends.all_inner_texts()]

    page.check('input[name="P-SECTOR"][value="insurance"]')  # not saved: no new page
    assert titles()[0] == "Versicherung, Leistungen und Finanzen"
    assert badges.count() == 1 and "typisch für Ihre Branche" in legends.first.inner_text()
    page.check('input[name="P-SECTOR"][value="industry"]')
    live = titles()
    assert live[0] == "Produktion, Technik und Infrastruktur"
    assert badges.count() == 1 and "typisch für Ihre Branche" in legends.first.inner_text()
    # the same order the server gives once the answer is saved
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert titles() == live


def test_the_functions_are_searched_in_their_groups_and_the_ticked_ones_submitted(
    standalone, new_page, axe_check
):
    page = new_page("de-DE")
    url = f"/check/answer/{standalone.respondent_token}/phase/development/"
    page.goto(url)
    page.check('input[name="P-SECTOR"][value="insurance"]')
    page.click("button[value=save]")
    page.wait_for_load_state()
    groups = page.locator("#question-P-FUNCTIONS fieldset.option-group legend")
    assert groups.first.inner_text().startswith("Versicherung, Leistungen und Finanzen")
    axe_check(page, "guided questionnaire with the grouped functions")

    search = page.get_by_label("Liste durchsuchen")
    claims = page.locator('input[name="P-FUNCTIONS"][value="claims_assessment"]')
    police = page.locator('input[name="P-FUNCTIONS"][value="law_enforcement_polygraph"]')
    authorities = page.locator("#id_P-FUNCTIONS_group_authorities")
    search.fill("schaden")
    assert claims.is_visible()
    assert not police.is_visible() and not authorities.is_visible()
    claims.check()
    search.fill("lügendetektor")
    assert police.is_visible() and authorities.is_visible()
    assert claims.is_visible()  # ticked stays in view
    assert not page.locator('input[value="customer_service"]').is_visible()
    search.fill("xyzzy")
    assert page.get_by_text("Nichts in der Liste passt zur Suche.").is_visible()
    search.press("Enter")  # the search box does not submit the form
    assert page.url.endswith(url)
    search.fill("")
    assert page.locator('input[value="customer_service"]').is_visible()
    assert not page.get_by_text("Nichts in der Liste passt zur Suche.").is_visible()
    page.click("button[value=save]")
    page.wait_for_load_state()
    standalone.respondent.refresh_from_db()
    assert standalone.respondent.answers["P-FUNCTIONS"] == ["claims_assessment"]
