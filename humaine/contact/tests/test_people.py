"""Hub staff find a person by name or email address, to answer a request about their data."""

import pytest
from django.urls import reverse

from humaine.contact.services import erase_person
from humaine.tests import factories as f

URL = reverse("contact:person_search")


@pytest.fixture
def people(cast):
    return {
        "wiebke": f.make_person("Wiebke Muster", email="wiebke@musterwerk.example"),
        "max": f.make_person("Max Mustermann", email="max@acme.example"),
        "olga": f.make_person("Olga Other", email="olga@globex.example"),
    }


def found(response) -> list[str]:
    return [person.name for person in response.context["people"]]


def test_staff_find_a_person_by_part_of_the_name_in_any_order_and_case(client_for, cast, people):
    client = client_for(cast.staff)
    assert found(client.get(URL, {"q": "muster"})) == ["Max Mustermann", "Wiebke Muster"]
    assert found(client.get(URL, {"q": "MUSTER wiebke"})) == ["Wiebke Muster"]


def test_staff_find_a_person_by_email_address_and_open_their_page(client_for, cast, people):
    response = client_for(cast.staff).get(URL, {"q": "olga@globex.example"})
    assert found(response) == ["Olga Other"]
    page = response.content.decode()
    assert reverse("contact:person_detail", args=[people["olga"].pk]) in page


def test_an_inquirer_is_listed_with_her_inquiries(client_for, cast, people):
    f.make_inquiry(cast.acme, contact=people["wiebke"])
    response = client_for(cast.staff).get(URL, {"q": "wiebke"})
    assert [p.inquiry_count for p in response.context["people"]] == [1]


def test_without_a_search_nobody_is_listed_and_with_no_match_the_page_says_so(
    client_for, cast, people
):
    client = client_for(cast.staff)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["people"] is None
    response = client.get(URL, {"q": "niemand"})
    assert found(response) == []
    assert "Niemand passt" in response.content.decode()


def test_erased_people_are_not_found(client_for, cast, people):
    erase_person(people["wiebke"], actor=cast.staff)
    assert found(client_for(cast.staff).get(URL, {"q": "wiebke"})) == []
    assert found(client_for(cast.staff).get(URL, {"q": "[erased]"})) == []


def test_a_long_search_gets_a_clear_message(client_for, cast, people):
    response = client_for(cast.staff).get(URL, {"q": "x" * 201})
    assert response.status_code == 400
    assert "höchstens 200 Zeichen" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "other_member", "expert_user"])
def test_members_and_experts_may_not_search_people(client_for, cast, people, who):
    response = client_for(getattr(cast, who)).get(URL, {"q": "muster"})
    assert response.status_code == 403
    assert "Wiebke" not in response.content.decode()


def test_a_visitor_is_sent_to_the_login(client, people):
    response = client.get(URL, {"q": "muster"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_see_the_people_page_in_their_menu(client_for, cast):
    page = client_for(cast.staff).get(reverse("contact:home")).content.decode()
    assert f'href="{URL}"' in page
    page = client_for(cast.member).get(reverse("contact:home")).content.decode()
    assert f'href="{URL}"' not in page
