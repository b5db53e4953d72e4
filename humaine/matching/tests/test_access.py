"""Who sees what through matching: pages and API never leak another company's case."""

import pytest
from django.urls import reverse

from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f

SECRET = "Vertraulich: Globex prüft Betrugsfälle."


@pytest.fixture
def indexed(cast, pool):
    # a case of Acme's competitor that is very similar to Acme's inquiry
    cast.globex_inquiry.work_process = "Kfz-Schadenprüfung bei Globex"
    cast.globex_inquiry.assignee = cast.staff
    cast.globex_inquiry.save()
    index_everything()
    return cast


def panel(client, inquiry, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get(reverse("matching:panel", args=[inquiry.pk]), **headers)


def test_member_gets_no_trace_of_another_organisations_similar_case(indexed, client_for):
    response = panel(client_for(indexed.member), indexed.acme_inquiry)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ein ähnlicher Fall existiert." not in page
    assert "Nur Fälle, die Sie öffnen dürfen, werden verglichen." in page
    for leak in ("Globex", "Betrug", "T-0", SECRET, "Tina Transfer"):
        assert leak not in page
    # no expert profiles and no team for a company member
    assert "Dr. Carla Code" not in page and 'name="slot_0"' not in page


def test_member_gets_no_confidential_text_score_or_count_through_the_api(indexed, client_for):
    client = client_for(indexed.member)
    url = f"/api/v1/inquiries/{indexed.acme_inquiry.pk}/matches"
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert "Globex" not in text and "Betrug" not in text and "T-0" not in text
    assert all(case["visible"] for case in body["cases"])
    assert body["experts"] == [] and body["team"] is None


def test_a_members_similar_cases_do_not_change_when_a_competitor_submits(indexed, client_for):
    f.make_inquiry(indexed.acme, work_process="Kfz-Schadenprüfung bei Acme, zweiter Versuch")
    index_everything()
    client = client_for(indexed.member)
    url = f"/api/v1/inquiries/{indexed.acme_inquiry.pk}/matches"
    before = client.get(url).json()["cases"]
    assert before  # the member's own earlier case
    f.make_inquiry(indexed.globex, work_process="Kfz-Schadenprüfung bei Acme, dritter Versuch")
    index_everything()
    assert client.get(url).json()["cases"] == before
    staff = client_for(indexed.staff).get(url).json()["cases"]
    assert len(staff) > len(before)


def test_staff_see_the_case_they_may_open(indexed, client_for):
    page = panel(client_for(indexed.staff), indexed.acme_inquiry).content.decode()
    assert "Kfz-Schadenprüfung bei Globex" in page
    assert 'name="slot_0"' in page


def test_member_sees_cases_of_their_own_organisation(indexed, client_for):
    f.make_inquiry(indexed.acme, work_process="Kfz-Schadenprüfung bei Acme, zweiter Versuch")
    index_everything()
    page = panel(client_for(indexed.member), indexed.acme_inquiry).content.decode()
    assert "Kfz-Schadenprüfung bei Acme, zweiter Versuch" in page


@pytest.mark.parametrize("who", ["other_member", "expert_user"])
def test_someone_who_may_not_open_the_inquiry_gets_404(indexed, client_for, who):
    client = client_for(getattr(indexed, who))
    assert panel(client, indexed.acme_inquiry).status_code == 404
    api = client.get(f"/api/v1/inquiries/{indexed.acme_inquiry.pk}/matches")
    assert api.status_code == 404
    accept = client.post(reverse("matching:accept_team", args=[indexed.acme_inquiry.pk]))
    assert accept.status_code == 404


def test_visitor_is_sent_to_the_login_and_the_api_wants_authentication(indexed, client):
    response = panel(client, indexed.acme_inquiry, htmx=False)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/inquiries/{indexed.acme_inquiry.pk}/matches").status_code == 401


def test_member_may_not_accept_a_team(indexed, client_for, pool):
    client = client_for(indexed.member)
    url = reverse("matching:accept_team", args=[indexed.acme_inquiry.pk])
    assert client.post(url, {"slot_0": pool["Code"].pk}).status_code == 403
    api = client.post(
        f"/api/v1/inquiries/{indexed.acme_inquiry.pk}/team",
        {"members": [pool["Code"].pk]},
        content_type="application/json",
    )
    assert api.status_code == 403


@pytest.mark.parametrize("who", ["member", "expert_user"])
def test_preview_and_rebuild_are_for_staff_only(indexed, client_for, who):
    client = client_for(getattr(indexed, who))
    preview = client.post(
        "/api/v1/matching/preview", {"text": "Schadenprüfung"}, content_type="application/json"
    )
    assert preview.status_code == 403
    assert (
        client.post("/api/v1/matching/rebuild", content_type="application/json").status_code == 403
    )


def test_expert_edits_own_profile_and_others_get_404(indexed, client_for, pool):
    own = reverse("matching:expert_profile", args=[indexed.expert.pk])
    other = reverse("matching:expert_profile", args=[pool["Code"].pk])
    expert_client = client_for(indexed.expert_user)
    assert expert_client.get(own).status_code == 200
    assert expert_client.get(other).status_code == 404
    assert client_for(indexed.member).get(own).status_code == 404
    assert client_for(indexed.staff).get(other).status_code == 200
    assert expert_client.get(reverse("matching:expert_profile", args=[999999])).status_code == 404


def test_import_page_is_for_staff_only(indexed, client_for):
    url = reverse("matching:import_experts")
    assert client_for(indexed.member).get(url).status_code == 403
    assert client_for(indexed.staff).get(url).status_code == 200
