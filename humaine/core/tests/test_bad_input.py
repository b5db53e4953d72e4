"""Bad input gets a clear 4xx, never a 500: huge numbers, NUL characters, deep JSON."""

import json

import pytest

from humaine.contact.models import Inquiry
from humaine.tests import factories as f

API = "/api/v1"
HUGE = "1" + "0" * 30


@pytest.mark.parametrize(
    "query",
    [f"limit={HUGE}", f"offset={HUGE}", "limit=101", "limit=0", "offset=-1", "offset=1000001"],
)
def test_huge_or_negative_limit_and_offset_are_refused_with_422(client_for, cast, query):
    response = client_for(cast.staff).get(f"{API}/inquiries?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_pages_of_an_api_list_are_capped_at_100(client_for, cast):
    for n in range(3):
        f.make_inquiry(cast.acme, work_process=f"Prozess {n}")
    body = client_for(cast.staff).get(f"{API}/inquiries?limit=100&offset=1").json()
    assert body["count"] == Inquiry.objects.count()
    assert len(body["items"]) == Inquiry.objects.count() - 1


@pytest.mark.parametrize("path", [f"{API}/inquiries/{HUGE}", f"/inquiries/{HUGE}/"])
def test_an_id_beyond_any_integer_is_not_found(client_for, cast, path):
    assert client_for(cast.staff).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/inquiries?q=a%00b",
        "/staff/inquiries/?q=a%00b",
        "/check/questions/?q=%00",
        "/check/answer/a%00b/",
    ],
)
def test_a_nul_character_in_the_address_is_refused(client_for, cast, path):
    response = client_for(cast.staff).get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_character_in_a_form_field_is_refused(client, cast):
    data = f.inquiry_form_data(problem="Problem\x00mit Nullzeichen")
    response = client.post("/inquiry/", data)
    assert response.status_code == 400
    assert not Inquiry.objects.filter(problem__startswith="Problem").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Titel\x00"},
        {"title": "Titel", "profile": {"sector\x00": "industry"}},
        {"title": "Titel", "respondents": [{"role": "user", "label": "a\x00"}]},
    ],
)
def test_a_nul_character_anywhere_in_json_is_refused(client, db, body):
    response = client.post(f"{API}/checks", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ["/checks/classify", "/checks", "/inquiries"])
def test_deeply_nested_json_is_refused(client, db, endpoint):
    deep = "[" * 5000 + "]" * 5000
    for body in (deep, '{"title": ' + deep + "}", '{"a": ' + "[" * 40 + "]" * 40 + "}"):
        response = client.post(API + endpoint, body, content_type="application/json")
        assert response.status_code == 400, body[:50]
        assert "zu tief" in response.json()["detail"]


@pytest.mark.parametrize("body", ['"hello"', '"{\\"title\\": \\"x\\"}"', "12", "null", "true"])
def test_a_bare_json_value_is_not_a_request(client, db, body):
    from humaine.check.models import Check

    response = client.post(f"{API}/checks", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON-Objekt" in response.json()["detail"]
    assert not Check.objects.exists()


def test_json_sent_without_its_content_type_is_still_checked(client, db):
    response = client.post(f"{API}/checks", '"hello"', content_type="text/plain")
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", [f"{API}/nothing-here", f"{API}/inquiries/1/nothing", "/api/v2/"])
def test_unknown_api_paths_answer_with_a_json_404(client, db, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Nicht gefunden."}


def test_the_api_root_leads_to_its_docs(client, db):
    response = client.get(f"{API}/")
    assert response.status_code == 302
    assert response["Location"] == f"{API}/docs"
    assert client.get(f"{API}/docs").status_code == 200
