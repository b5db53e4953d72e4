"""The check's API: classify a profile, start a check, answer, read a result."""

import json

import pytest

from humaine.check.classify import classify
from humaine.check.models import Check, Respondent
from humaine.check.profile import CaseProfile
from humaine.check.services import save_answers
from humaine.core.models import ApiToken

API = "/api/v1"
LAWS = ("art113", "omnibus")


def make_api_token(user) -> str:
    return ApiToken.issue(user, "test")[1]


def post(client, path, body, language="de", **headers):
    content = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"{API}{path}",
        content,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **headers,
    )


def messages_of(response) -> dict:
    return {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}


@pytest.mark.parametrize("law", LAWS)
def test_every_reference_case_is_classified_through_the_api(
    client, db, settings, reference_cases, law
):
    settings.CHECK_CLASSIFY_RATE_LIMIT = 1000
    settings.HUMAINE_AI_ACT_DATES = law
    for case in reference_cases:
        profile = CaseProfile.model_validate(case["profile"])
        response = post(client, "/checks/classify", profile.model_dump(mode="json"))
        assert response.status_code == 200, (case["id"], response.content)
        data = response.json()
        expected = {**case["expected"], **case.get("by_law", {}).get(law, {})}
        assert data["risk_class"] == expected["risk_class"], case["id"]
        if "roles" in expected:
            assert data["roles"] == expected["roles"], case["id"]
        obligations = {o["id"]: o for o in data["obligations"]}
        for ob in expected.get("obligations", []) + case.get("by_law", {}).get(law, {}).get(
            "obligations", []
        ):
            assert ob in obligations, (case["id"], ob)
        for ob, date in expected.get("dates", {}).items():
            assert obligations[ob]["applies_from"] == date.isoformat(), (case["id"], ob)
        applying = {f["id"] for f in data["codetermination"] if f["status"] == "applies"}
        assert set(expected.get("codetermination", [])) <= applying, case["id"]
        assert all(o["article"] for o in data["obligations"])
        assert data["reasoning"] and data["disclaimer"]["de"]
        # The API gives exactly what the classifier gives.
        direct = classify(profile, law=law).model_dump(mode="json")
        assert {k: v for k, v in data.items() if k != "profile"} == direct


def test_the_case_profile_schema_is_in_the_openapi_document(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    profile = schema["components"]["schemas"]["CaseProfile"]
    assert "functions" in profile["properties"]
    assert "recruitment_selection" in profile["properties"]["functions"]["items"]["enum"]
    body = schema["paths"][f"{API}/checks/classify"]["post"]["requestBody"]
    request_schema = body["content"]["application/json"]["schema"]
    assert request_schema["allOf"][0]["$ref"].endswith("/CaseProfile")
    assert "functions" in request_schema["required"]


def test_missing_facts_and_bad_values_are_named_in_the_users_language(client, db):
    bad = {
        "sector": "space",
        "functions": ["mind_reading"],
        "decision_role": "rules",
        "employees_count": -5,
        "purpose": "x" * 2001,
        "used_at_workplace": "often",
        "colour": "blue",
    }
    response = post(client, "/checks/classify", bad)
    assert response.status_code == 422
    errors = messages_of(response)
    assert errors["affected_persons"] == "affected_persons: Diese Angabe ist erforderlich."
    assert "organisation_roles" in errors
    assert errors["sector"].startswith("sector: Unbekannter Wert")
    assert "industry" in errors["sector"]
    assert "Unbekannter Wert" in errors["decision_role"]
    assert "mindestens 0" in errors["employees_count"]
    assert "Höchstens 2000 Zeichen" in errors["purpose"]
    assert "true oder false" in errors["used_at_workplace"]
    assert "kein Feld des Fallprofils" in errors["colour"]
    english = messages_of(post(client, "/checks/classify", bad, language="en"))
    assert english["affected_persons"] == "affected_persons: This fact is required."


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "null", ""])
def test_a_body_that_is_no_json_object_is_refused(client, db, body):
    response = post(client, "/checks/classify", body)
    detail = response.json()["detail"]
    if body == "null":  # refused before the view: a bare JSON value is no request
        assert response.status_code == 400 and "JSON" in detail
    else:
        assert response.status_code == 422 and "JSON" in detail[0]["msg"]


def test_classify_is_throttled_per_address(client, db, settings):
    settings.CHECK_CLASSIFY_RATE_LIMIT = 2
    settings.CHECK_CLASSIFY_RATE_WINDOW_SECONDS = 10**6  # no window ends between the posts
    body = {
        "sector": "industry",
        "functions": [],
        "affected_persons": [],
        "decision_role": "none",
        "organisation_roles": ["uses"],
    }
    assert post(client, "/checks/classify", body).status_code == 200
    assert post(client, "/checks/classify", body).status_code == 200
    response = post(client, "/checks/classify", body)
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_a_check_started_through_the_api_invites_by_role(client, db):
    body = {
        "title": "Chatbot im Kundenservice",
        "language": "de",
        "respondents": [{"role": "developer", "label": "IT"}, {"role": "user", "label": "Team A"}],
    }
    response = post(client, "/checks", body)
    assert response.status_code == 201
    data = response.json()
    check = Check.objects.get()
    assert data["result_url"].endswith(f"/check/r/{check.token()}/")
    assert [r["role"] for r in data["respondents"]] == ["developer", "user"]
    assert client.get(data["respondents"][1]["invitation_url"]).status_code == 200


def test_a_check_with_an_unknown_role_or_bad_profile_is_not_started(client, db):
    response = post(
        client, "/checks", {"title": "X", "respondents": [{"role": "ceo", "label": "A"}]}
    )
    assert response.status_code == 422
    assert "Unbekannte Rolle ceo" in messages_of(response)["respondents.0.role"]
    response = post(client, "/checks", {"title": "X", "profile": {"sector": "industry"}})
    assert response.status_code == 422
    assert "functions" in messages_of(response)
    response = post(client, "/checks", {"title": "", "language": "fr"})
    assert set(messages_of(response)) == {"title", "language"}
    assert Check.objects.count() == 0 and Respondent.objects.count() == 0


def test_answers_through_the_api_are_validated_before_anything_is_saved(client, standalone):
    token = standalone.respondent_token
    cases = [
        ({"NO-SUCH": "yes"}, "answers.NO-SUCH", "Unbekannte Frage"),
        ({"P-SECTOR": "industry", "DEV-HC-01": "perhaps"}, "answers.DEV-HC-01", "ja, nein"),
        ({"USE-WL-01": 9}, "answers.USE-WL-01", "von 1 bis 5"),
        ({"P-PURPOSE": "x" * 5001}, "answers.P-PURPOSE", "Höchstens 5000 Zeichen"),
        ({"P-FUNCTIONS": ["telepathy"]}, "answers.P-FUNCTIONS", "Unbekannte Auswahl"),
    ]
    for answers, loc, text in cases:
        response = post(client, "/checks/answers", {"token": token, "answers": answers})
        assert response.status_code == 422
        assert text in messages_of(response)[loc]
    english = post(client, "/checks/answers", {"token": token, "answers": {"USE-WL-01": 0}}, "en")
    assert "from 1 to 5" in messages_of(english)["answers.USE-WL-01"]
    standalone.respondent.refresh_from_db()
    assert standalone.respondent.answers == {}
    ok = post(
        client, "/checks/answers", {"token": token, "answers": {"USE-WL-01": 4}, "submit": True}
    )
    assert ok.json() == {"answered": 1, "submitted": True}
    locked = post(client, "/checks/answers", {"token": token, "answers": {"USE-WL-01": 1}})
    assert locked.status_code == 409
    assert post(client, "/checks/answers", {"token": "x" * 43, "answers": {}}).status_code == 404


def test_a_checks_result_is_read_by_those_who_may_see_it(client, cast, acme_check):
    save_answers(acme_check.respondents.create(role="manager", label="M"), {})
    member = make_api_token(cast.member)
    response = client.get(f"{API}/checks/{acme_check.pk}", HTTP_AUTHORIZATION=f"Bearer {member}")
    assert response.status_code == 200
    assert response.json()["result"]["classification"]["risk_class"]
    other = make_api_token(cast.other_member)
    for token in (other, None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        assert client.get(f"{API}/checks/{acme_check.pk}", **headers).status_code in (401, 404)
    assert (
        client.get(
            f"{API}/checks/{acme_check.pk}", HTTP_AUTHORIZATION=f"Bearer {other}"
        ).status_code
        == 404
    )
    assert client.get(f"{API}/checks/abc", HTTP_AUTHORIZATION=f"Bearer {member}").status_code == 404
