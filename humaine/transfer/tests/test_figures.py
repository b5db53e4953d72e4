"""The hub's figures: a dashboard for any period, exports for the funder, a public summary."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from humaine.transfer.tests.factories import make_entry, make_event, register


def test_staff_see_every_apps_figures_for_a_period_with_charts(cast, client):
    event = make_event(days=5)
    register(event)
    client.force_login(cast.staff)
    page = client.get("/staff/figures/", {"start": "2024-01-01", "end": "2030-12-31"})
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("contact.inquiries", "check.checks", "transfer.events", "transfer.registrations"):
        assert f'data-figure="{key}"' in html, key
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html


def test_a_reversed_period_gets_a_clear_message_not_an_error(cast, client):
    client.force_login(cast.staff)
    page = client.get("/staff/figures/", {"start": "2026-06-30", "end": "2026-01-01"})
    assert page.status_code == 400
    assert "endet vor seinem Beginn" in page.content.decode()
    export = client.get("/staff/figures/export.csv", {"start": "2026-06-30", "end": "2026-01-01"})
    assert export.status_code == 400
    api = client.get("/api/v1/figures", {"start": "2026-06-30", "end": "2026-01-01"})
    assert api.status_code == 422
    assert client.get("/staff/figures/", {"start": "kaputt", "end": ""}).status_code == 400


def test_exports_for_a_quarter(cast, client, renders, settings):
    settings.LOW_PRIORITY_NICE = 19
    make_entry(cast.staff)
    client.force_login(cast.staff)
    period = {"start": "2026-01-01", "end": "2026-03-31"}
    csv_text = client.get("/staff/figures/export.csv", period).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Schlüssel,Kennzahl")
    assert "contact.inquiries" in csv_text
    xlsx = client.get("/staff/figures/export.xlsx", period)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value.startswith("Kennzahlen")
    assert any(row[0] == "transfer.events" for row in sheet.iter_rows(values_only=True))
    pdf = client.get("/staff/figures/export.pdf", period)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kennzahlen" in text
    [(thread, nice)] = renders  # in the low-priority thread (check.pdf.write_pdf)
    assert thread.startswith("humaine-low-priority") and nice in (19, None)
    assert client.get("/staff/figures/export.doc", period).status_code == 404


def test_figures_are_for_staff_the_public_page_for_everyone(cast, client):
    assert client.get("/staff/figures/").status_code == 302
    assert (
        client.get("/api/v1/figures", {"start": "2026-01-01", "end": "2026-02-01"}).status_code
        == 401
    )
    client.force_login(cast.member)
    assert client.get("/staff/figures/").status_code == 403
    assert client.get("/staff/figures/export.csv").status_code == 403
    assert (
        client.get("/api/v1/figures", {"start": "2026-01-01", "end": "2026-02-01"}).status_code
        == 403
    )
    client.logout()
    page = client.get("/figures/")
    assert page.status_code == 200 and 'data-figure="transfer.events"' in page.content.decode()
