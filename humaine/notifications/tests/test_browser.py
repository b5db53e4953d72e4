"""In a real Chromium: an inquirer replies on the status page; the transfer specialist
sees the unread marker in the menu and in the queue, opens the inquiry, and the markers
are gone; the notifications and email pages pass axe-core."""

import pytest

from humaine.contact import services
from humaine.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_reply_shows_as_unread_until_the_specialist_opens_the_inquiry(cast, new_page, axe_check):
    inquiry = services.assign_inquiry(cast.acme_inquiry, cast.staff, actor=cast.staff)
    reference = inquiry.reference

    inquirer = new_page("de-DE")
    inquirer.goto(f"/status/{inquiry.token()}/")
    inquirer.fill("#id_text", "Können wir den Termin auf Donnerstag legen?")
    inquirer.click("main form.stacked button[type=submit]")
    inquirer.wait_for_load_state()
    assert "Ihre Nachricht wurde an das Zentrum gesendet" in inquirer.inner_text("main")
    axe_check(inquirer, "status page with the choice of emails")

    staff = new_page("de-DE")
    log_in(staff, "staff")
    staff.goto("/staff/inquiries/")
    row = staff.locator("table.queue tr", has_text=reference)
    assert row.locator("[data-unread-reply]").inner_text() == "neue Antwort"
    assert staff.locator("table.queue [data-unread-reply]").count() == 1
    badge = staff.locator(".main-nav a", has_text="Mitteilungen").locator(".badge.unread")
    assert badge.inner_text().split()[0] == "1"
    axe_check(staff, "queue with an unread reply")

    staff.goto("/notifications/")
    assert f"Die anfragende Person von {reference}" in staff.inner_text("main")
    axe_check(staff, "notifications with one unread")
    staff.click(f"main .notification.unread a:has-text('{reference}')")
    staff.wait_for_url(f"**{inquiry.get_absolute_url()}")
    assert "Donnerstag" in staff.inner_text("main")

    staff.goto("/staff/inquiries/")
    assert staff.locator("[data-unread-reply]").count() == 0
    assert staff.locator(".main-nav .badge.unread").count() == 0

    staff.goto("/notifications/emails/")
    staff.uncheck("#id_email_contact__reply_received")
    staff.select_option("#id_language", "en")
    staff.click("main form button[type=submit]")
    staff.wait_for_load_state()
    assert "gespeichert" in staff.inner_text("main")
    assert not staff.is_checked("#id_email_contact__reply_received")
    assert staff.is_checked("#id_email_contact__inquiry_assigned")
    axe_check(staff, "choice of emails")
