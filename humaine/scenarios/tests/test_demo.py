"""The demo: three scenarios, one per sector, in different phases, with visible results."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from humaine.scenarios.models import Scenario
from humaine.scenarios.results import survey_results

pytestmark = pytest.mark.django_db


def test_demo_scenarios_show_results_a_withheld_group_and_a_change(client):
    call_command("load_demo_data", stdout=StringIO())
    scenarios = list(Scenario.objects.select_related("sector"))
    assert {s.sector.slug for s in scenarios} == {"industry", "health", "insurance"}
    assert len({s.phase for s in scenarios}) == 3
    insurance = next(s for s in scenarios if s.sector.slug == "insurance")
    survey = insurance.surveys.get()
    results = survey_results(survey)
    workload = results.scale("workload")
    reasons = {c.reason for block in workload.waves for c in block.cells}
    assert None in reasons and "too_few" in reasons
    changes = [c for c in workload.waves[1].changes if c.shown]
    assert changes and any(c.change.paired for c in changes)
    assert any(c.change.difference < 0 for c in changes)
    client.login(username="betriebsrat", password="humaine-demo")
    page = client.get(reverse("scenarios:results", args=[insurance.pk, survey.pk]))
    assert page.status_code == 200 and "Gutachterteam" in page.content.decode()
