"""The HTTP API under /api/v1/: public inquiries, staff's triage, tokens, the OpenAPI document."""

import re

import pytest
from django.urls import reverse

from humaine.contact.models import Inquiry, Organisation, Person
from humaine.core.models import AuditEvent
from humaine.tests import factories as f

API = "/api/v1"


def payload(**overrides) -> dict:
    data = f.inquiry_form_data()
    data.update(employees_affected=12, consent=True)
    return data | overrides


def post_inquiry(client, data, **headers):
    return client.post(
        f"{API}/inquiries", data, content_type="application/json", headers=headers or None
    )


def stored() -> tuple[int, int, int]:
    return Inquiry.objects.count(), Person.objects.count(), Organisation.objects.count()


def messages_of(response) -> dict[str, str]:
    return {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}


# Public create -------------------------------------------------------------------------------


def test_anyone_creates_an_inquiry_and_gets_its_status_url(client, cast):
    response = post_inquiry(client, payload(organisation="API GmbH"))
    assert response.status_code == 201
    body = response.json()
    inquiry = Inquiry.objects.get(organisation_name="API GmbH")
    assert body["reference"] == inquiry.reference
    assert body["status"] == "new"
    assert body["status_url"] == f"http://testserver/status/{inquiry.token()}/"
    assert client.get(body["status_url"]).status_code == 200
    assert AuditEvent.objects.filter(action="inquiry.submitted", object_id=str(inquiry.pk))


def test_created_inquiry_is_confirmed_by_email(client, cast, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        post_inquiry(client, payload())
    job = DBTaskResult.objects.get(task_path__endswith="send_inquiry_confirmation")
    assert job.task_path.endswith("send_inquiry_confirmation")
    assert job.args_kwargs["args"] == [Inquiry.objects.get(organisation_name="Musterwerk GmbH").pk]


def test_create_validates_like_the_form_with_german_messages_by_default(client, cast):
    before = stored()
    response = post_inquiry(
        client, payload(email="kaputt", sector="space", problem="x" * 1_048_576)
    )
    assert response.status_code == 422
    errors = messages_of(response)
    assert errors["email"] == "Bitte gültige E-Mail-Adresse eingeben."
    assert errors["sector"].startswith("Bitte eine gültige Auswahl treffen.")
    assert "höchstens 5000 Zeichen" in errors["problem"]
    assert stored() == before


def test_create_answers_in_the_accept_language_language(client, cast):
    response = post_inquiry(client, payload(email="kaputt"), accept_language="en")
    assert response.status_code == 422
    assert messages_of(response)["email"] == "Enter a valid email address."
    german = post_inquiry(client, payload(email="kaputt"), accept_language="de-DE,de;q=0.9")
    assert messages_of(german)["email"] == "Bitte gültige E-Mail-Adresse eingeben."


def test_create_without_consent_is_refused(client, cast):
    before = stored()
    response = post_inquiry(client, payload(consent=False), accept_language="en")
    assert response.status_code == 422
    assert messages_of(response)["consent"] == "Please agree to the processing of your data."
    german = post_inquiry(client, payload(consent=False))
    assert messages_of(german)["consent"] == "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu."
    assert stored() == before


def test_create_with_missing_or_wrongly_typed_fields_is_refused(client, cast):
    before = stored()
    data = payload(employees_affected="many")
    del data["contact_name"]
    response = post_inquiry(client, data)
    assert response.status_code == 422
    fields = {tuple(error["loc"])[-1] for error in response.json()["detail"]}
    assert {"contact_name", "employees_affected"} <= fields
    assert post_inquiry(client, payload(employees_affected=-1)).status_code == 422
    assert client.post(
        f"{API}/inquiries", "{not json", content_type="application/json"
    ).status_code in (
        400,
        422,
    )
    assert stored() == before


def test_create_with_filled_honeypot_saves_nothing(client, cast):
    before = stored()
    response = post_inquiry(client, payload(website="http://spam.example"))
    assert response.status_code == 422
    assert stored() == before


def test_create_is_throttled_per_address(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 2
    assert post_inquiry(client, payload()).status_code == 201
    assert post_inquiry(client, payload()).status_code == 201
    before = stored()
    response = post_inquiry(client, payload(), accept_language="en")
    assert response.status_code == 429
    assert "Too many inquiries" in response.json()["detail"]
    assert stored() == before
    german = post_inquiry(client, payload())
    assert german.json()["detail"].startswith("Zu viele Anfragen von Ihrer Adresse.")
    assert "Bitte versuchen Sie es in" in german.json()["detail"]
    assert int(german["Retry-After"]) > 0


def test_rejected_api_submissions_do_not_count_against_the_limit(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    for _typo in range(3):
        assert post_inquiry(client, payload(email="not-an-address")).status_code == 422
    assert post_inquiry(client, payload()).status_code == 201
    assert post_inquiry(client, payload()).status_code == 429


def test_form_and_api_share_one_rate_limit(client, cast, settings):
    settings.INQUIRY_RATE_LIMIT = 1
    assert client.post("/inquiry/", f.inquiry_form_data()).status_code == 302
    assert post_inquiry(client, payload()).status_code == 429


# Staff: list, retrieve, update ---------------------------------------------------------------


def test_unauthenticated_list_is_refused(client, cast):
    response = client.get(f"{API}/inquiries")
    assert response.status_code == 401
    assert response.json() == {"detail": "Anmeldung erforderlich."}
    english = client.get(f"{API}/inquiries", headers={"accept-language": "en"})
    assert english.json() == {"detail": "Authentication required."}
    assert client.get(f"{API}/inquiries/{cast.acme_inquiry.pk}").status_code == 401
    response = client.patch(
        f"{API}/inquiries/{cast.acme_inquiry.pk}", {"status": "triage"}, "application/json"
    )
    assert response.status_code == 401


def test_staff_lists_every_inquiry_newest_first(client_for, cast):
    body = client_for(cast.staff).get(f"{API}/inquiries").json()
    assert body["count"] == 2
    assert [row["reference"] for row in body["items"]] == [
        cast.globex_inquiry.reference,
        cast.acme_inquiry.reference,
    ]
    row = body["items"][0]
    assert row["sector"] == "insurance"
    assert row["organisation"] == {"id": cast.globex.pk, "name": "Globex Assekuranz"}


def test_staff_filters_and_searches_the_list(client_for, cast):
    client = client_for(cast.staff)
    health = f.make_inquiry(
        f.make_organisation(sector=cast.sectors["health"]),
        status=Inquiry.Status.MATCHED,
        assignee=cast.staff,
        problem="Dienstplanung auf der Intensivstation",
    )

    def refs(query):
        return [row["reference"] for row in client.get(f"{API}/inquiries", query).json()["items"]]

    assert refs({"sector": "health"}) == [health.reference]
    assert refs({"status": "matched"}) == [health.reference]
    assert refs({"assignee": "staff"}) == [health.reference]
    assert refs({"q": "Intensiv"}) == [health.reference]
    assert refs({"q": "Betrug"}) == [cast.globex_inquiry.reference]
    assert refs({"status": "new", "sector": "insurance"}) == [
        cast.globex_inquiry.reference,
        cast.acme_inquiry.reference,
    ]
    assert refs({"limit": 1, "offset": 1}) == [cast.globex_inquiry.reference]


def test_member_lists_only_its_own_organisations_inquiries(client_for, cast):
    body = client_for(cast.member).get(f"{API}/inquiries").json()
    assert [row["reference"] for row in body["items"]] == [cast.acme_inquiry.reference]


def test_staff_retrieves_one_inquiry(client_for, cast):
    body = client_for(cast.staff).get(f"{API}/inquiries/{cast.acme_inquiry.pk}").json()
    assert body["reference"] == cast.acme_inquiry.reference
    assert body["problem"] == "Vertraulich: Acme plant einen KI-Piloten."


def patch(client, inquiry, data, **headers):
    return client.patch(
        f"{API}/inquiries/{inquiry.pk}", data, content_type="application/json", headers=headers
    )


def test_staff_changes_status_and_assignee_through_the_api(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    response = patch(client, inquiry, {"assignee": "staff"})
    assert response.status_code == 200
    assert response.json()["assignee"] == "staff"
    assert response.json()["status"] == "triage"
    response = patch(client, inquiry, {"status": "matched"})
    assert response.json()["status"] == "matched"
    response = patch(client, inquiry, {"assignee": ""})
    assert response.json()["assignee"] is None
    actions = list(
        AuditEvent.objects.filter(object_type="contact.inquiry", object_id=str(inquiry.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "inquiry.assignee_changed",
        "inquiry.status_changed",
        "inquiry.assignee_changed",
    ]


def test_forbidden_or_unknown_changes_through_the_api_are_refused(client_for, cast):
    client = client_for(cast.staff)
    inquiry = cast.acme_inquiry
    response = patch(client, inquiry, {"status": "scenario"}, accept_language="en")
    assert response.status_code == 422
    assert messages_of(response)["status"] == "This status change is not allowed."
    assert patch(client, inquiry, {"status": "exploded"}).status_code == 422
    assert patch(client, inquiry, {"assignee": "member"}).status_code == 422
    inquiry.refresh_from_db()
    assert inquiry.status == "new" and inquiry.assignee is None
    assert not AuditEvent.objects.filter(
        object_type="contact.inquiry", object_id=str(inquiry.pk)
    ).exists()


def test_member_may_not_patch_inquiries(client_for, cast):
    client = client_for(cast.member)
    forbidden = patch(client, cast.acme_inquiry, {"status": "triage"})
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "Das dürfen Sie nicht."}
    assert patch(client, cast.globex_inquiry, {"status": "triage"}).status_code == 404
    cast.acme_inquiry.refresh_from_db()
    assert cast.acme_inquiry.status == "new"


# Tokens --------------------------------------------------------------------------------------


def test_token_created_in_the_ui_works_as_bearer_until_revoked(client, client_for, cast):
    from humaine.core.models import ApiToken

    ui = client_for(cast.staff)
    page = ui.post(reverse("core:api_tokens"), {"name": "Auswertungsskript"})
    assert page.status_code == 200
    key = re.search(r"hm_[\w-]+", page.content.decode()).group(0)
    token = ApiToken.objects.get(user=cast.staff)
    assert token.key_hash != key and key.startswith(token.prefix)
    ui.logout()

    bearer = {"Authorization": f"Bearer {key}"}
    response = client.get(f"{API}/inquiries", headers=bearer)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert patch(client, cast.acme_inquiry, {"status": "triage"}, **bearer).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    ui = client_for(cast.staff)
    ui.post(reverse("core:api_token_revoke", args=[token.pk]))
    assert AuditEvent.objects.filter(action="api_token.revoked").exists()
    ui.logout()
    assert client.get(f"{API}/inquiries", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer hm_wrong", "Bearer ", "Basic abc", "Bearer " + "x" * 500]
)
def test_wrong_tokens_are_refused(client, cast, header):
    assert client.get(f"{API}/inquiries", headers={"Authorization": header}).status_code == 401


def test_token_of_a_deactivated_account_is_refused(client, cast):
    from humaine.core.models import ApiToken

    _token, key = ApiToken.issue(cast.staff, "script")
    cast.staff.is_active = False
    cast.staff.save()
    response = client.get(f"{API}/inquiries", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_token_acts_with_its_owners_rights(client, cast):
    from humaine.core.models import ApiToken

    _token, key = ApiToken.issue(cast.member, "script")
    bearer = {"Authorization": f"Bearer {key}"}
    body = client.get(f"{API}/inquiries", headers=bearer).json()
    assert [row["reference"] for row in body["items"]] == [cast.acme_inquiry.reference]
    url = f"{API}/inquiries/{cast.globex_inquiry.pk}"
    assert client.get(url, headers=bearer).status_code == 404


def test_token_without_a_name_is_refused_in_the_ui(client_for, cast):
    response = client_for(cast.staff).post(reverse("core:api_tokens"), {"name": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


# The document --------------------------------------------------------------------------------


def test_openapi_document_lists_the_paths(client, db):
    document = client.get(f"{API}/openapi.json").json()
    paths = document["paths"]
    for path in [
        "/api/v1/inquiries",
        "/api/v1/inquiries/{inquiry_id}",
        "/api/v1/organisations",
        "/api/v1/experts",
    ]:
        assert path in paths
    assert set(paths["/api/v1/inquiries/{inquiry_id}"]) >= {"get", "patch"}
    assert "post" in paths["/api/v1/inquiries"]


def test_docs_page_loads(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


def test_inquiry_created_with_a_members_token_belongs_to_its_organisation(client, cast):
    from humaine.core.models import ApiToken

    _token, key = ApiToken.issue(cast.member, "crm")
    response = post_inquiry(client, payload(organisation="Acme"), authorization=f"Bearer {key}")
    assert response.status_code == 201
    assert Inquiry.objects.get(reference=response.json()["reference"]).organisation == cast.acme


def test_session_calls_that_change_data_need_the_csrf_token(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.staff)
    assert browser.get(f"{API}/inquiries").status_code == 200
    response = patch(browser, cast.acme_inquiry, {"status": "triage"})
    assert response.status_code in (401, 403)
    cast.acme_inquiry.refresh_from_db()
    assert cast.acme_inquiry.status == "new"
