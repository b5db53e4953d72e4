"""Phones and keyboards: the busiest pages fit a 375 px screen, the focus can be seen."""

import pytest

from humaine.check import services as check_services
from humaine.check.profile import CaseProfile
from humaine.check.questionnaire import answers_for_profile
from humaine.check.tests.conftest import REFERENCE_CASES
from humaine.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 375, "height": 740}
PAGE_WIDTH_JS = "() => document.documentElement.scrollWidth"


def phone_page(new_page):
    page = new_page("de-DE")
    page.set_viewport_size(PHONE)
    return page


def log_in(page, live_server, user) -> None:
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def test_the_triage_queue_fits_a_phone(cast, new_page, live_server, axe_check):
    for number in range(6):
        f.make_inquiry(
            cast.acme,
            organisation_name="Westfälische Provinzial-Versicherungsgesellschaft AG",
            work_process=f"Automatisierte Vorprüfung von Kfz-Schadensmeldungen mit Fotos {number}",
            assignee=cast.staff,
        )
    page = phone_page(new_page)
    log_in(page, live_server, cast.staff)
    page.goto("/staff/inquiries/")
    assert page.evaluate(PAGE_WIDTH_JS) <= PHONE["width"], page.evaluate(WIDE_JS)
    # every row's reference, status and organisation are there to read, not cut off
    first = page.locator("#queue tbody tr").first
    assert first.locator("a").first.is_visible()
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    axe_check(page, "triage queue on a phone")


def test_the_check_result_fits_a_phone(cast, new_page, axe_check):
    case = next(c for c in REFERENCE_CASES if c["id"] == "hr-cv-screening-deployer")
    created = check_services.start_check(
        title="Vorauswahl von Bewerbungen mit sehr langem Titel für ein kleines Telefon",
        owner_role="manager",
        respondents=[("employee_rep", "Betriebsrat der Hauptverwaltung")],
    )
    answers = answers_for_profile(CaseProfile.model_validate(case["profile"]))
    check_services.save_answers(created.respondent, answers)
    page = phone_page(new_page)
    page.goto(f"/check/r/{created.token}/result/")
    assert page.locator("#risk-label").is_visible()
    assert page.evaluate(PAGE_WIDTH_JS) <= PHONE["width"], page.evaluate(WIDE_JS)
    axe_check(page, "check result on a phone")


def contrast(rgb_a: tuple, rgb_b: tuple) -> float:
    def luminance(rgb):
        parts = []
        for value in rgb:
            c = value / 255
            parts.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    light, dark = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_keyboard_focus_is_seen_on_white(cast, new_page):
    page = new_page("de-DE")
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
    )
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2
    rgb = tuple(int(x) for x in style[2].split("(")[1].split(")")[0].split(",")[:3])
    assert contrast(rgb, (255, 255, 255)) >= 3
    assert contrast(rgb, (0xF2, 0xF5, 0xF8)) >= 3  # the header's tint


WIDE_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 376)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 15)"""
