"""The demo data of the human-AI teams: a team in use in every demo scenario."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from humaine.core.demo import DEMO_PASSWORD
from humaine.human_ai import demo as team_demo
from humaine.human_ai import synthetic, worklist
from humaine.human_ai.models import DataSet, PersonLink, Run, Service


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=StringIO())


def test_every_demo_scenario_has_a_checked_data_set_a_finished_run_and_a_service(demo):
    sectors = set()
    for service in Service.objects.select_related("scenario__sector"):
        sectors.add(service.scenario.sector.slug)
        run = service.active_version.run
        assert run.status == Run.Status.DONE and "team/metadata.json" in run.files
        assert run.evaluation and run.result["method"] == "combine"
        assert run.dataset.status == DataSet.Status.READY
        assert run.dataset.summary["n_persons"] == len(
            synthetic.PERSONS[service.scenario.sector.slug]
        )
        cases = service.cases.all()
        assert cases.count() == team_demo.SERVICE_CASES
        # people decide a share, the AI the rest; most older cases know their outcome
        to_people = cases.exclude(person="")
        assert 0 < to_people.count() < cases.count()
        assert to_people.filter(decided_by__startswith="P-").exists()
        assert cases.exclude(outcome="").count() > cases.count() // 2
        # the cases arrived over the last weeks, not all at once
        first, last = cases.order_by("created_at")[0], cases.order_by("-created_at")[0]
        assert (last.created_at - first.created_at).days >= team_demo.DAYS - 2
        # every decision and outcome is one the team knows
        classes = set(run.result["classes"])
        assert set(cases.exclude(decision="").values_list("decision", flat=True)) <= classes
        assert set(cases.exclude(outcome="").values_list("outcome", flat=True)) <= classes
    assert sectors == {"insurance", "health", "industry"}


def test_each_demo_person_has_open_cases_in_their_worklist(demo, client):
    users = get_user_model().objects
    for username, _name, _person in (plan.account for plan in team_demo.PLANS.values()):
        user = users.get(username=username)
        assert PersonLink.objects.filter(user=user).exists(), username
        waiting = worklist.open_cases_for(user)
        assert waiting.exists(), username
        assert client.login(username=username, password=DEMO_PASSWORD)
        page = client.get("/teams/worklist/")
        assert page.status_code == 200
        assert waiting.first().reference in page.content.decode()
        case = client.get(f"/teams/worklist/{waiting.first().pk}/")
        assert case.status_code == 200
        client.logout()


def test_the_demo_pages_of_a_team_render_for_staff(demo, client):
    assert client.login(username="staff", password=DEMO_PASSWORD)
    for service in Service.objects.all():
        run = service.active_version.run
        for url in (
            run.dataset.get_absolute_url(),
            run.get_absolute_url(),
            service.get_absolute_url(),
        ):
            assert client.get(url).status_code == 200, url
