"""The scenarios' figures for the hub (by phase at a period's end) and the hook through
which other apps add the AI's own figures to a scenario's outcomes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from humaine.core import figures as core_figures
from humaine.scenarios.models import PhaseChange
from humaine.scenarios.outcome_sources import (
    OUTCOME_SOURCES,
    OutcomeFigure,
    OutcomeSource,
)

from .conftest import make_scenario

pytestmark = pytest.mark.django_db


def _figure(key, start, end):
    return next(f for f in core_figures.hub_figures(start, end) if f.key == key)


def test_scenarios_by_phase_follow_the_gate_history_to_the_periods_end(cast, world):
    other = make_scenario(cast, title="Zweites Szenario")
    now = timezone.now()
    PhaseChange.objects.create(
        scenario=other, from_phase="orientation", to_phase="analysis", actor_label="x"
    )
    with translation.override("en"):
        today = _figure("scenarios.by_phase", now - timedelta(days=1), now + timedelta(days=1))
    assert today.value == 2
    assert today.by == {"Orientation": 1, "Analysis": 1}
    # a day before the scenarios were started there were none
    with translation.override("de"):
        before = _figure("scenarios.by_phase", now - timedelta(days=3), now - timedelta(days=2))
    assert before.value == 0 and before.by == {}
    # the move happens after the end of an earlier period: then it was still in orientation
    PhaseChange.objects.filter(scenario=other).update(created_at=now + timedelta(days=5))
    with translation.override("de"):
        earlier = _figure("scenarios.by_phase", now - timedelta(days=1), now + timedelta(days=1))
    assert earlier.by == {"Orientierung": 2}


def test_the_hubs_dashboard_shows_scenarios_by_phase(cast, world, client_for):
    page = client_for(cast.staff).get(reverse("transfer:figures")).content.decode()
    assert "nach Phase" in page


def _team_figures(scenario, user):
    if scenario.title != "KI in der Kfz-Schadenprüfung":
        return []
    return [
        OutcomeFigure("Genauigkeit des Teams", "91 %", note="n = 1.200 Fälle", direction="better"),
        OutcomeFigure("Von Menschen entschieden", "18 %"),
    ]


def test_other_apps_add_the_ais_figures_to_the_outcomes_and_the_report(cast, world, client_for):
    source = OutcomeSource("toy_team", title="Team-Kennzahlen", figures=_team_figures)
    client = client_for(world.council_user)
    outcomes = reverse("scenarios:outcomes", args=[world.scenario.pk])
    assert "Genauigkeit des Teams" not in client.get(outcomes).content.decode()
    with OUTCOME_SOURCES.registered(source):
        page = client.get(outcomes).content.decode()
        report = client.get(reverse("scenarios:report", args=[world.scenario.pk])).content
        other = make_scenario(cast, title="Anderes")
        empty = client_for(cast.staff).get(reverse("scenarios:outcomes", args=[other.pk]))
    assert "Team-Kennzahlen" in page and "Genauigkeit des Teams" in page and "91 %" in page
    assert "n = 1.200 Fälle" in page and "besser" in page
    assert "Genauigkeit des Teams" in report.decode()
    assert "Team-Kennzahlen" not in empty.content.decode()


def test_a_stranger_sees_no_outcomes_even_with_a_source_registered(cast, world, client_for):
    source = OutcomeSource("toy_team", title="Team-Kennzahlen", figures=_team_figures)
    with OUTCOME_SOURCES.registered(source):
        response = client_for(cast.other_member).get(
            reverse("scenarios:outcomes", args=[world.scenario.pk])
        )
    assert response.status_code == 404


def test_an_outcome_figure_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        OutcomeFigure("x", "1", direction="much better")


def test_a_case_study_drafted_from_a_scenario_offers_the_ais_figures(cast, world):
    from humaine.transfer.scenario_source import facts

    source = OutcomeSource("toy_team", title="Team-Kennzahlen", figures=_team_figures)
    with OUTCOME_SOURCES.registered(source):
        drafted = facts(cast.staff, str(world.scenario.pk))
    assert any("Genauigkeit des Teams" in o.label and "91 %" in o.value for o in drafted.outcomes)


TOY = OutcomeSource("toy_team", title="Team-Kennzahlen", figures=_team_figures)


@pytest.mark.parametrize("source", [TOY, *OUTCOME_SOURCES.all()], ids=lambda s: s.name)
def test_every_outcome_source_keeps_the_contract(source, cast, world):
    assert str(source.title)
    for user in (cast.staff, world.council_user):
        figures = source.figures(world.scenario, user)
        assert isinstance(figures, list)
        for figure in figures:
            assert isinstance(figure, OutcomeFigure) and str(figure.label) and figure.value
    # a scenario without anything of the source's has no figures of it
    assert source.figures(make_scenario(cast, title="Leer"), cast.staff) == []
