"""Each user's path through the contact point in a real Chromium, with axe-core checks."""

import re

import pytest
from playwright.sync_api import expect

from humaine.contact.models import Inquiry
from humaine.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def fill_inquiry_form(page) -> None:
    page.fill("#id_organisation", "Gießerei Beispiel GmbH")
    page.select_option("#id_sector", "industry")
    page.select_option("#id_size_band", "50-249")
    page.fill("#id_contact_name", "Jörg Prüfer")
    page.fill("#id_email", "joerg@giesserei.example")
    page.fill("#id_work_process", "Sichtprüfung von Gussteilen")
    page.fill("#id_problem", "Am Schichtende übersehen wir seltene Lunker in Gussteilen.")
    page.fill("#id_employees_affected", "14")
    page.check("input[name=works_council][value=yes]")
    page.select_option("#id_language", "de")
    page.check("#id_consent")


def test_inquiry_from_visitor_through_triage_back_to_the_status_page(cast, new_page, axe_check):
    visitor = new_page("de-DE")
    visitor.goto("/")
    assert visitor.locator("html").get_attribute("lang") == "de"
    axe_check(visitor, "home page")

    visitor.click("nav a[href='/inquiry/']")
    axe_check(visitor, "inquiry form")
    visitor.click("form.stacked button[type=submit]")
    assert visitor.locator("#form-errors").is_visible()
    assert visitor.locator("#id_email").get_attribute("aria-invalid") == "true"
    axe_check(visitor, "inquiry form with errors")
    assert Inquiry.objects.count() == 2  # the cast's two; nothing saved

    fill_inquiry_form(visitor)
    visitor.click("form.stacked button[type=submit]")
    visitor.wait_for_url("**/inquiry/sent/")
    inquiry = Inquiry.objects.get(organisation_name="Gießerei Beispiel GmbH")
    assert inquiry.reference in visitor.inner_text("main")
    visitor.click(".status-link a")
    visitor.wait_for_url(re.compile(r"/status/[0-9a-f]{43}/$"))
    status_url = visitor.url
    assert "Sichtprüfung von Gussteilen" in visitor.inner_text("main")
    axe_check(visitor, "status page")

    staff = new_page("de-DE")
    log_in(staff, "staff")
    staff.goto("/staff/inquiries/")
    axe_check(staff, "triage queue")
    staff.fill("#id_q", "Lunker")
    staff.click("form.filters button[type=submit]")
    # htmx swaps the rows in place: wait until only the match is left.
    expect(staff.locator("#queue tbody tr")).to_have_count(1)
    # blurring the field (change) and submitting both ask htmx; click once none is in flight
    expect(staff.locator("form.filters")).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    staff.locator(f"#queue a:text-is('{inquiry.reference}')").click()
    staff.wait_for_url(f"**/inquiries/{inquiry.pk}/")
    staff.select_option("#id_assignee", str(cast.staff.pk))
    staff.click("form[action$='/assign/'] button[type=submit]")
    staff.wait_for_load_state()
    staff.fill("form[action$='/messages/'] textarea", "Guten Tag, wir rufen Sie morgen an.")
    staff.click("form[action$='/messages/'] button[type=submit]")
    staff.wait_for_load_state()
    inquiry.refresh_from_db()
    assert inquiry.assignee == cast.staff
    assert inquiry.status == Inquiry.Status.TRIAGE

    visitor.goto(status_url)
    assert "Guten Tag, wir rufen Sie morgen an." in visitor.inner_text("main")


def test_member_gets_404_for_another_organisations_inquiry_in_page_and_api(cast, new_page):
    page = new_page("de-DE")
    log_in(page, "member")
    own = page.goto(f"/inquiries/{cast.acme_inquiry.pk}/")
    assert own.status == 200
    other = page.goto(f"/inquiries/{cast.globex_inquiry.pk}/")
    assert other.status == 404
    assert "Globex" not in page.content()
    api = page.request.get(f"/api/v1/inquiries/{cast.globex_inquiry.pk}")
    assert api.status == 404
    listing = page.request.get("/api/v1/inquiries").json()
    assert [item["reference"] for item in listing["items"]] == [cast.acme_inquiry.reference]
