"""Who sees what: strangers, other organisations and employees get 404, in pages and API."""

import pytest
from django.urls import reverse

from humaine.scenarios import access as rules
from humaine.scenarios import services
from humaine.tests import factories as f

from .conftest import add_member, make_scenario, make_survey, open_wave

pytestmark = pytest.mark.django_db


def scenario_urls(scenario, survey, file_pk=None):
    pk = scenario.pk
    urls = [
        reverse(f"scenarios:{name}", args=[pk])
        for name in (
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
            "report_pdf",
            "literacy",
            "literacy_export",
        )
    ]
    urls += [
        reverse("scenarios:survey", args=[pk, survey.pk]),
        reverse("scenarios:results", args=[pk, survey.pk]),
        reverse("scenarios:results_csv", args=[pk, survey.pk]),
        f"/api/v1/scenarios/{pk}",
        f"/api/v1/scenarios/{pk}/members",
        f"/api/v1/scenarios/{pk}/milestones",
        f"/api/v1/scenarios/{pk}/decisions",
        f"/api/v1/scenarios/{pk}/surveys",
        f"/api/v1/scenarios/{pk}/surveys/{survey.pk}/results",
    ]
    if file_pk:
        urls += [
            reverse("scenarios:file", args=[pk, file_pk]),
            reverse("scenarios:download", args=[pk, file_pk, 1]),
        ]
    return urls


@pytest.fixture
def setup(cast, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = make_survey(world.scenario, [world.north], cast.staff)
    open_wave(survey, cast.staff)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    version = services.upload_file(world.scenario, upload, actor=cast.staff, title="Plan")
    return survey, version.file


def test_strangers_other_companies_and_employees_get_404_everywhere(cast, world, setup, client):
    survey, file = setup
    outsiders = {
        "other company": cast.other_member,
        "expert not on the team": f.make_expert("Otto Other", user=f.make_user("otto")).person.user,
        "affected employee": world.employee_user,
        "plain account": f.make_user("nobody"),
    }
    for who, user in outsiders.items():
        client.force_login(user)
        for url in scenario_urls(world.scenario, survey, file.pk):
            response = client.get(url)
            assert response.status_code == 404, (who, url, response.status_code)
    client.logout()
    for url in scenario_urls(world.scenario, survey, file.pk):
        response = client.get(url)
        assert response.status_code in (302, 401, 404), url
        if url.startswith("/api/"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302  # to the login page, revealing nothing


def test_people_on_the_scenario_and_the_company_see_it(cast, world, setup, client):
    survey, file = setup
    viewers = [cast.staff, cast.member, world.council_user, world.lead_user, cast.expert_user]
    for user in viewers:
        client.force_login(user)
        for url in scenario_urls(world.scenario, survey, file.pk):
            expected = (200, 403) if url.endswith("/edit/") else (200,)
            assert client.get(url).status_code in expected, (user, url)


def test_an_expert_sees_only_scenarios_whose_team_they_are_on(cast, world):
    other = make_scenario(cast, title="Anderes Szenario", organisation=cast.globex)
    visible = set(rules.scenarios_visible_to(cast.expert_user).values_list("pk", flat=True))
    assert visible == {world.scenario.pk}
    assert other.pk not in visible


def test_the_list_and_the_single_page_agree(cast, world):
    other = make_scenario(cast, title="Globex", organisation=cast.globex)
    users = [
        cast.staff,
        cast.member,
        cast.other_member,
        world.council_user,
        world.employee_user,
        cast.expert_user,
        f.make_user("x"),
    ]
    for user in users:
        listed = set(rules.scenarios_visible_to(user).values_list("pk", flat=True))
        for scenario in (world.scenario, other):
            assert (scenario.pk in listed) == rules.can_view_scenario(user, scenario)


def test_forged_and_foreign_ids_give_404(cast, world, setup, client_for):
    survey, file = setup
    other = make_scenario(cast, title="Globex", organisation=cast.globex)
    other_survey = make_survey(
        other, [services.save_group(other, actor=cast.staff, name="G", headcount=9)], cast.staff
    )
    client = client_for(cast.member)
    for url in [
        f"/scenarios/{world.scenario.pk}/surveys/{other_survey.pk}/results/",
        f"/scenarios/{world.scenario.pk}/files/999999/",
        f"/scenarios/{world.scenario.pk}/milestones/999999/",
        f"/api/v1/scenarios/{world.scenario.pk}/surveys/{other_survey.pk}/results",
        "/api/v1/scenarios/abc",
    ]:
        assert client.get(url).status_code == 404, url


def test_forbidden_actions_are_403(cast, world, client_for):
    client = client_for(world.council_user)
    pk = world.scenario.pk
    assert (
        client.post(
            reverse("scenarios:members", args=[pk]), {"role": "user", "name": "X", "language": "de"}
        ).status_code
        == 403
    )
    assert client.post(reverse("scenarios:advance", args=[pk])).status_code == 403
    assert (
        client.post(
            f"/api/v1/scenarios/{pk}/milestones",
            {"title": "x", "due_on": "2030-01-01"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_an_employee_sees_only_the_surveys_of_their_group(cast, world, client_for):
    survey = make_survey(world.scenario, [world.north, world.south], cast.staff)
    wave = open_wave(survey, cast.staff)
    south_user = f.make_user("sued")
    add_member(world.scenario, south_user, "employee", group=world.south)
    services.invite_group_members(wave, world.north, actor=cast.staff)
    services.invite_group_members(wave, world.south, actor=cast.staff)
    north_page = client_for(world.employee_user).get(reverse("scenarios:my_surveys"))
    assert north_page.status_code == 200
    assert north_page.content.decode().count("/s/") == 1
    client = client_for(south_user)
    assert client.get(reverse("scenarios:workspace", args=[world.scenario.pk])).status_code == 404
