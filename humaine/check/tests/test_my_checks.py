"""The list of a logged-in user's checks: their organisation's and their own, no others."""

from django.urls import reverse

from humaine.check import services


def _titles(response) -> list[str]:
    return [check.title for check in response.context["page"]]


def test_a_member_sees_their_organisations_checks_and_their_own_standalone_ones(client_for, cast):
    on_inquiry = services.create_check(
        title="Kfz-Schadenprüfung", inquiry=cast.acme_inquiry, actor=cast.staff
    ).check
    own = services.create_check(title="Mias Vorauswahl", owner_role="manager", actor=cast.member)
    services.invite_respondent(own.check, role="employee_rep", label="Betriebsrat")
    services.create_check(title="Globex-Betrug", inquiry=cast.globex_inquiry, actor=cast.staff)
    services.create_check(title="Globex allein", actor=cast.other_member)
    services.create_check(title="Anonym", actor_name="visitor")

    response = client_for(cast.member).get(reverse("check:my_checks"))
    assert response.status_code == 200
    assert _titles(response) == ["Mias Vorauswahl", "Kfz-Schadenprüfung"]
    html = response.content.decode()
    assert on_inquiry.get_absolute_url() in html and cast.acme_inquiry.reference in html
    assert "Globex" not in html and "Anonym" not in html
    # the counts of respondents: the owner answered as manager, the works council is invited
    assert "0 von 2" in html
    # every listed check opens for the member
    for check in response.context["page"]:
        assert client_for(cast.member).get(check.get_absolute_url()).status_code == 200


def test_staff_see_the_checks_on_every_inquiry_but_not_others_standalone_checks(client_for, cast):
    services.create_check(title="Kfz-Schadenprüfung", inquiry=cast.acme_inquiry, actor=cast.member)
    services.create_check(title="Globex-Betrug", inquiry=cast.globex_inquiry, actor=cast.staff)
    services.create_check(title="Globex allein", actor=cast.other_member)
    response = client_for(cast.staff).get(reverse("check:my_checks"))
    assert sorted(_titles(response)) == ["Globex-Betrug", "Kfz-Schadenprüfung"]


def test_a_visitor_is_sent_to_log_in_and_an_empty_list_says_so(client, client_for, cast):
    response = client.get(reverse("check:my_checks"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client_for(cast.expert_user).get(reverse("check:my_checks"))
    assert _titles(response) == []
    assert "Keine Checks, die Sie öffnen können." in response.content.decode()
