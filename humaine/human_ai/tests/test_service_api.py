"""POST /api/v1/services/{id}/cases and .../outcome: tokens scoped to their service,
idempotency, explanations in the caller's language, bad input as a clear 400."""

import json

import pytest

from humaine.core.models import AuditEvent
from humaine.human_ai import availability, deployment
from humaine.human_ai.models import CaseRequest, ServiceCase

from .conftest import TEAM_PERSONS, claim


@pytest.fixture
def token(service, cast):
    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    return key


def post(client, service, body, *, key="k-1", token=None, language="de", raw=False):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(
        f"/api/v1/services/{service.pk}/cases",
        body if raw else json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_one_case_is_routed_explained_and_kept(client, service, token):
    response = post(client, service, claim("S-1"), token=token)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["version"] == 1 and len(answer["cases"]) == 1
    case = answer["cases"][0]
    assert case["id"] == "S-1" and case["routed_to"] in {"ai", "person"}
    assert case["ai"]["decision"] in {"ja", "nein"} and 0 <= case["ai"]["confidence"] <= 1
    assert case["explanation"]["language"] == "de" and "KI" in case["explanation"]["text"]
    assert {r["feature"] for r in case["explanation"]["reasons"]} <= set(claim()["data"])
    if case["routed_to"] == "person":
        assert case["person"]["pseudonym"] in TEAM_PERSONS and case["decision"] is None
    else:
        assert case["decision"] == case["ai"]["decision"]
    kept = ServiceCase.objects.get(pk=case["case"])
    assert kept.inputs == claim()["data"] and kept.reference == "S-1"
    assert kept.explanation["de"] and kept.explanation["en"]
    event = AuditEvent.objects.get(action="service_cases.routed")
    assert event.actor is None and "Schadensystem" in event.actor_label


def test_a_batch_routes_each_case_in_english_and_respects_capacity(client, service, token):
    body = {"cases": [claim(f"S-{i}", fahrzeugalter=i % 20) for i in range(40)]}
    response = post(client, service, body, token=token, language="en")
    assert response.status_code == 200, response.content
    cases = response.json()["cases"]
    assert [c["id"] for c in cases] == [f"S-{i}" for i in range(40)]
    assert all(c["explanation"]["language"] == "en" for c in cases)
    assert "AI" in cases[0]["explanation"]["text"]
    to_people = sum(c["routed_to"] == "person" for c in cases)
    # the capacity (30 %) holds over the stream's window
    assert to_people <= 0.3 * 40 + 1
    assert ServiceCase.objects.filter(service=service).count() == 40
    service.refresh_from_db()
    assert service.stream_state["n_routed"] == 40


def test_a_repeated_key_returns_the_first_answer(client, service, token):
    first = post(client, service, claim("S-1"), key="same", token=token)
    again = post(client, service, claim("S-1"), key="same", token=token, language="en")
    assert again.status_code == 200 and again.json() == first.json()
    assert ServiceCase.objects.count() == 1 and CaseRequest.objects.count() == 1
    other = post(client, service, claim("S-2"), key="same", token=token)
    assert other.status_code == 409 and ServiceCase.objects.count() == 1


def test_a_repeat_gets_the_first_answer_after_the_service_changed(client, service, token, settings):
    # the first request was accepted; then the batch limit was lowered (the same holds
    # for a new version with other inputs): the client's retry still gets its answer
    settings.HUMAN_AI_MAX_BATCH = 10
    body = {"cases": [claim(f"S-{i}") for i in range(6)]}
    first = post(client, service, body, key="batch-1", token=token)
    assert first.status_code == 200, first.content
    settings.HUMAN_AI_MAX_BATCH = 5
    again = post(client, service, body, key="batch-1", token=token)
    assert again.status_code == 200 and again.json() == first.json()
    new = post(client, service, body, key="batch-2", token=token)
    assert new.status_code == 400 and new.json()["detail"][0]["loc"] == ["body", "cases"]
    assert ServiceCase.objects.count() == 6 and CaseRequest.objects.count() == 1


def test_an_absent_person_gets_no_case(client, service, token, cast):
    unusual = {"cases": [claim(f"U-{i}", altersgruppe="unbekannt") for i in range(3)]}
    present = post(client, service, unusual, key="before", token=token).json()["cases"]
    # cases unlike the training data go to a person while people are present
    assert all(c["routed_to"] == "person" for c in present)
    for person in TEAM_PERSONS:
        availability.record_absence(
            service.scenario, pseudonym=person, persons=TEAM_PERSONS, actor=cast.staff
        )
    body = {"cases": [claim(f"S-{i}", altersgruppe="unbekannt") for i in range(10)]}
    response = post(client, service, body, token=token)
    assert response.status_code == 200
    # unusual cases would go to a person; with everyone away the AI takes them all
    assert all(c["routed_to"] == "ai" and c["person"] is None for c in response.json()["cases"])


@pytest.mark.parametrize(
    ("body", "loc", "raw"),
    [
        ({"id": "S-1", "data": {"schadenart": "Glas"}}, ["body", "data", "fahrzeugalter"], False),
        (claim(betrag=5), ["body", "data", "betrag"], False),
        (claim(fahrzeugalter="drei"), ["body", "data", "fahrzeugalter"], False),
        (claim(schadenart=["Glas"]), ["body", "data", "schadenart"], False),
        ({"data": claim()["data"]}, ["body", "id"], False),
        ({**claim(), "extra": 1}, ["body", "extra"], False),
        ({"cases": []}, ["body", "cases"], False),
        ({"cases": [claim(f"S-{i}") for i in range(6)]}, ["body", "cases"], False),
        ({"cases": [claim("S-1"), {"id": "S-2"}]}, ["body", "cases", 1, "data"], False),
        ({"cases": [claim("S-1"), claim("S-1")]}, ["body", "cases"], False),
        ("{not json", ["body"], True),
        ("[1, 2]", ["body"], True),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(
    client, service, token, settings, body, loc, raw
):
    settings.HUMAN_AI_MAX_BATCH = 5
    response = post(client, service, body, token=token, raw=raw)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert any(error["loc"] == loc for error in detail), detail
    assert all(error["msg"] for error in detail)
    assert not ServiceCase.objects.exists() and not CaseRequest.objects.exists()


def test_a_missing_idempotency_key_is_a_400(client, service, token):
    response = post(client, service, claim(), key=None, token=token, language="en")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not ServiceCase.objects.exists()


def test_a_token_works_for_its_own_service_only_and_stops_when_revoked(
    client, service, token, finished_run, cast
):
    other = deployment.create_service(
        service.scenario, title="Zweiter Dienst", run=finished_run, actor=cast.staff
    )
    assert post(client, other, claim(), token=token).status_code == 404
    assert post(client, service, claim(), token=token).status_code == 200
    stored = service.tokens.get()
    deployment.revoke_token(stored, actor=cast.staff)
    assert post(client, service, claim("S-2"), key="k-2", token=token).status_code == 401
    assert post(client, service, claim("S-2"), key="k-3", token="hs_wrong").status_code == 401
    assert post(client, service, claim("S-2"), key="k-4").status_code == 401


def test_people_outside_the_scenario_get_404_and_readers_403(client, service, cast):
    client.force_login(cast.other_member)
    assert post(client, service, claim()).status_code == 404
    client.force_login(cast.member)  # Acme sees its scenario but does not edit it
    assert post(client, service, claim()).status_code == 403
    client.force_login(cast.staff)
    assert post(client, service, claim()).status_code == 200


def test_outcomes_are_recorded_once(client, service, token):
    case = post(client, service, claim(), token=token).json()["cases"][0]
    url = f"/api/v1/services/{service.pk}/cases/{case['case']}/outcome"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def send(body):
        return client.post(url, json.dumps(body), content_type="application/json", **auth)

    assert send({"outcome": "vielleicht"}).status_code == 400
    assert send({"result": "ja"}).json()["detail"][0]["loc"] == ["body", "result"]
    response = send({"outcome": "ja"})
    assert response.status_code == 200 and response.json()["outcome"] == "ja"
    assert send({"outcome": "ja"}).status_code == 200
    assert send({"outcome": "nein"}).status_code == 409
    assert ServiceCase.objects.get(pk=case["case"]).outcome == "ja"
    forged = f"/api/v1/services/{service.pk}/cases/999999/outcome"
    response = client.post(
        forged, json.dumps({"outcome": "ja"}), content_type="application/json", **auth
    )
    assert response.status_code == 404


def test_the_openapi_document_describes_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    cases = document["paths"]["/api/v1/services/{service_id}/cases"]["post"]
    assert "requestBody" in cases and "400" in cases["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in cases["parameters"])
    assert "/api/v1/services/{service_id}/cases/{case_id}/outcome" in document["paths"]


def test_a_client_reads_its_service_and_the_inputs_of_a_case(client, service, token, cast):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = client.get(f"/api/v1/services/{service.pk}", **auth).json()
    assert answer["version"] == 1 and answer["decisions"] == ["ja", "nein"]
    assert set(answer["inputs"]) == set(claim()["data"])
    other = deployment.create_service(
        service.scenario, title="Zweiter Dienst", run=service.active_version.run, actor=cast.staff
    )
    assert client.get(f"/api/v1/services/{other.pk}", **auth).status_code == 404
    client.force_login(cast.member)
    assert client.get(f"/api/v1/services/{service.pk}").status_code == 200
    client.force_login(cast.other_member)
    assert client.get(f"/api/v1/services/{service.pk}").status_code == 404


def test_a_group_column_that_is_no_input_is_kept_for_fairness_but_not_given_to_the_team(
    client, service, token, cast
):
    from humaine.human_ai import monitoring, monitoring_fairness

    dataset = service.active_version.run.dataset
    dataset.mapping = {**(dataset.mapping or {}), "groups": ["geschlecht"]}
    dataset.save(update_fields=["mapping"])
    read = client.get(f"/api/v1/services/{service.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert read["groups"] == ["geschlecht"] and "geschlecht" not in read["inputs"]
    with_group = post(client, service, claim("S-1", geschlecht="w"), key="a", token=token)
    without = post(client, service, claim("S-2"), key="b", token=token)
    assert with_group.status_code == 200 and without.status_code == 200, with_group.content
    # the same case routes the same with or without the group (the team never sees it)
    first, second = with_group.json()["cases"][0], without.json()["cases"][0]
    assert first["ai"] == second["ai"]
    assert {r["feature"] for r in first["explanation"]["reasons"]} <= set(claim()["data"])
    kept = ServiceCase.objects.get(reference="S-1")
    assert kept.inputs == claim()["data"] | {"geschlecht": "w"}
    fairness = monitoring_fairness.fairness_of(service.active_version, monitoring.window_start(30))
    assert [c["column"] for c in fairness["columns"]] == ["geschlecht"]
    assert fairness["not_carried"] == []
    # a field that is neither an input nor a group column is still refused
    other = post(client, service, claim("S-3", hobby="x"), key="c", token=token)
    assert other.status_code == 400 and ServiceCase.objects.count() == 2
