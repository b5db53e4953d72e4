"""Every page of a scenario renders for the people who may see it (a smoke walk)."""

import pytest
from django.urls import reverse

from humaine.scenarios import services

from .conftest import make_survey, open_wave, plant, trust

pytestmark = pytest.mark.django_db


def test_staff_walks_every_page_of_a_scenario(cast, world, client_for):
    scenario = world.scenario
    survey = make_survey(scenario, [world.north, world.south], cast.staff)
    wave = open_wave(survey, cast.staff)
    plant(wave, world.north, [trust(4)] * 6)
    services.close_wave(wave, actor=cast.staff)
    client = client_for(cast.staff)
    pk = scenario.pk
    names = [
        "workspace",
        "edit",
        "activity",
        "process",
        "members",
        "groups",
        "items",
        "checks",
        "surveys",
        "outcomes",
        "report",
        "literacy",
    ]
    for name in names:
        response = client.get(reverse(f"scenarios:{name}", args=[pk]))
        assert response.status_code == 200, name
    for url in [
        reverse("scenarios:list"),
        reverse("scenarios:new"),
        reverse("scenarios:instruments"),
        reverse("scenarios:survey", args=[pk, survey.pk]),
        reverse("scenarios:results", args=[pk, survey.pk]),
        reverse("scenarios:results_csv", args=[pk, survey.pk]),
        reverse("scenarios:literacy_export", args=[pk]),
        reverse("scenarios:start_from_inquiry", args=[cast.acme_inquiry.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("scenarios:report_pdf", args=[pk])).content.startswith(b"%PDF")
    link = services.start_check(scenario, actor=cast.staff)
    page = client.get(reverse("scenarios:check", args=[pk, link.ai_check.pk]))
    assert page.status_code == 200 and "/check/answer/" not in page.content.decode()
    assert (
        client_for(world.council_user)
        .get(reverse("scenarios:check", args=[pk, link.ai_check.pk]))
        .status_code
        == 200
    )


def test_the_report_pdf_is_made_in_a_render_place_at_low_priority(
    cast, world, client_for, renders, settings
):
    from django.core.cache import cache

    settings.LOW_PRIORITY_NICE = 19
    settings.PDF_RENDERS_AT_ONCE = 1
    client = client_for(cast.staff)
    url = reverse("scenarios:report_pdf", args=[world.scenario.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('-report.pdf"')
    [(thread, nice)] = renders
    assert thread.startswith("humaine-low-priority") and nice in (19, None)
    cache.add("slot:check.pdf:0", 1)  # another process is rendering a PDF
    busy = client.get(url)
    assert busy.status_code == 429 and busy["Retry-After"] == "5"
    assert "Gerade werden andere PDFs erstellt." in busy.content.decode()
    assert len(renders) == 1
