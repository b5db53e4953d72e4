"""The API: only what the rules allow, aggregated results only, in the OpenAPI document."""

import pytest

from humaine.core.models import ApiToken
from humaine.scenarios import services

from .conftest import make_survey, open_wave, plant, trust

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_lists_only_visible_scenarios_and_their_parts(cast, world, client):
    response = client.get("/api/v1/scenarios", **bearer(cast.member))
    from humaine.scenarios.models import Scenario

    # the member's organisation's scenarios (other apps' test cast may add one)
    acme = set(Scenario.objects.filter(organisation=cast.acme).values_list("pk", flat=True))
    assert world.scenario.pk in acme
    assert {s["id"] for s in response.json()["items"]} == acme
    others = client.get("/api/v1/scenarios", **bearer(cast.other_member)).json()["items"]
    assert not acme & {s["id"] for s in others}
    detail = client.get(f"/api/v1/scenarios/{world.scenario.pk}", **bearer(cast.member)).json()
    assert detail["phase"] == "orientation" and detail["gate"]["roles"] == ["lead", "staff"]
    members = client.get(
        f"/api/v1/scenarios/{world.scenario.pk}/members", **bearer(world.council_user)
    ).json()
    assert {"works_council", "employee", "lead", "expert", "staff"} <= {m["role"] for m in members}
    assert all("email" not in m for m in members)


def test_milestones_are_added_through_the_api_by_editors_only(cast, world, client):
    url = f"/api/v1/scenarios/{world.scenario.pk}/milestones"
    body = {"title": "Pilotstart", "due_on": "2026-09-01", "phase": "implementation"}
    created = client.post(url, body, content_type="application/json", **bearer(cast.staff))
    assert created.status_code == 201 and created.json()["title"] == "Pilotstart"
    bad = client.post(
        url, body | {"phase": "mars"}, content_type="application/json", **bearer(cast.staff)
    )
    assert bad.status_code == 422
    denied = client.post(url, body, content_type="application/json", **bearer(world.council_user))
    assert denied.status_code == 403
    assert world.scenario.milestones.count() == 1


def test_results_through_the_api_are_aggregates_with_withheld_groups(cast, world, client):
    survey = make_survey(world.scenario, [world.north, world.south], cast.staff)
    wave = open_wave(survey, cast.staff)
    plant(wave, world.north, [trust(v) for v in (3, 4, 4, 5, 3, 4)])
    plant(wave, world.south, [trust(v) for v in (2, 2, 3)])
    services.close_wave(wave, actor=cast.staff)
    url = f"/api/v1/scenarios/{world.scenario.pk}/surveys/{survey.pk}/results"
    rows = client.get(url, **bearer(world.council_user)).json()
    assert rows and all(set(r) >= {"n", "mean", "withheld"} for r in rows)
    for row in rows:
        assert (row["n"] is None) == bool(row["withheld"])
        assert row["n"] is None or row["n"] >= 5
    assert not any("answers" in r or "code_hash" in r for r in rows)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/scenarios/{scenario_id}/surveys/{survey_id}/results" in schema["paths"]


def test_members_are_added_or_invited_through_the_api_by_managers_only(cast, world, client):
    from humaine.scenarios.models import Member

    url = f"/api/v1/scenarios/{world.scenario.pk}/members"
    post = lambda body, user: client.post(  # noqa: E731
        url, body, content_type="application/json", **bearer(user)
    )
    added = post({"role": "manager", "user_id": cast.member.pk}, cast.staff)
    assert added.status_code == 201 and added.json()["joined"] is True
    assert added.json()["invitation_url"] is None
    invited = post({"role": "user", "name": "Ida"}, world.lead_user)
    assert invited.status_code == 201 and "/scenarios/join/" in invited.json()["invitation_url"]
    assert Member.objects.get(pk=invited.json()["id"]).is_pending
    # an account the lead may not add (another organisation) is refused without telling why
    other = post({"role": "user", "user_id": cast.other_member.pk}, world.lead_user)
    assert other.status_code == 422
    assert post({"role": "pilot", "name": "X"}, cast.staff).status_code == 422
    assert post({"role": "employee", "name": "X"}, cast.staff).status_code == 422
    bad_mail = post({"role": "user", "name": "X", "email": "kaputt"}, cast.staff)
    assert bad_mail.status_code == 422 and "email" in bad_mail.json()["detail"][0]["loc"]
    twice = post({"role": "manager", "user_id": cast.member.pk}, cast.staff)
    assert twice.status_code == 422
    assert post({"role": "user", "name": "X"}, world.council_user).status_code == 403
    assert post({"role": "user", "name": "X"}, cast.other_member).status_code == 404
    assert not Member.objects.filter(name="X").exists()
    assert not Member.objects.filter(user=cast.other_member).exists()


def test_decisions_are_recorded_through_the_api_by_editors_only(cast, world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/scenarios/{world.scenario.pk}/decisions"
    version = services.upload_file(
        world.scenario, SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), actor=cast.staff, title="A"
    )
    other = services.start_scenario(
        actor=cast.staff,
        title="Anderes",
        goal="g",
        work_process="w",
        organisation=cast.globex,
        sector=cast.sectors["insurance"],
    )
    foreign = services.upload_file(
        other, SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"), actor=cast.staff, title="B"
    )
    body = {
        "title": "Pilot mit Team Nord",
        "decided_by": "Lenkungskreis",
        "decided_on": "2026-10-01",
        "reasons": "Team Nord ist bereit.",
        "alternatives": "Alle Teams zugleich",
        "evidence": [version.file.pk],
    }
    post = lambda data, user: client.post(  # noqa: E731
        url, data, content_type="application/json", **bearer(user)
    )
    created = post(body, world.lead_user)
    assert created.status_code == 201 and created.json()["title"] == "Pilot mit Team Nord"
    assert list(world.scenario.decisions.get().evidence.all()) == [version.file]
    assert post(body | {"evidence": [foreign.file.pk]}, cast.staff).status_code == 422
    assert post(body | {"reasons": " "}, cast.staff).status_code == 422
    assert post(body | {"phase": "mars"}, cast.staff).status_code == 422
    assert post(body, world.council_user).status_code == 403
    assert post(body, cast.other_member).status_code == 404
    assert world.scenario.decisions.count() == 1
    schema = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in schema["/api/v1/scenarios/{scenario_id}/decisions"]
    assert "post" in schema["/api/v1/scenarios/{scenario_id}/members"]
