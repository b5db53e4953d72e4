"""An accepted team is replaced only when staff say so, in the API and the service too; an
expert chosen twice is refused with that reason."""

import pytest

from humaine.contact.models import Assignment
from humaine.core.models import AuditEvent
from humaine.matching.services import AcceptedTeamExists, TeamError, accept_team


def _team(inquiry) -> set[int]:
    return set(inquiry.assignments.filter(active=True).values_list("expert_id", flat=True))


def _url(cast) -> str:
    return f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team"


def test_the_api_refuses_to_replace_an_accepted_team_without_replace_accepted(
    cast, pool, client_for
):
    client = client_for(cast.staff)
    code, psych, law = pool["Code"].pk, pool["Psych"].pk, pool["Law"].pk
    first = client.post(_url(cast), {"members": [code, psych]}, content_type="application/json")
    assert first.status_code == 200
    events = AuditEvent.objects.filter(action="inquiry.team_accepted").count()

    refused = client.post(
        _url(cast), {"members": [code, law]}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "already has an accepted team" in detail
    assert pool["Psych"].person.name in detail and pool["Law"].person.name in detail
    assert "replace_accepted: true" in detail
    assert _team(cast.acme_inquiry) == {code, psych}
    assert AuditEvent.objects.filter(action="inquiry.team_accepted").count() == events

    german = client.post(_url(cast), {"members": [law]}, content_type="application/json")
    assert german.status_code == 409
    assert "bereits ein angenommenes Team" in german.json()["detail"]

    # the same team again is no replacement
    again = client.post(_url(cast), {"members": [psych, code]}, content_type="application/json")
    assert again.status_code == 200

    replaced = client.post(
        _url(cast),
        {"members": [code, law], "replace_accepted": True},
        content_type="application/json",
    )
    assert replaced.status_code == 200
    assert _team(cast.acme_inquiry) == {code, law}
    assert not Assignment.objects.get(expert_id=psych).active


def test_the_api_names_an_expert_chosen_twice(cast, pool, client_for):
    client = client_for(cast.staff)
    code = pool["Code"].pk
    response = client.post(
        _url(cast), {"members": [code, code]}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert pool["Code"].person.name in message and "more than once" in message
    assert "changed in the meantime" not in message
    assert not Assignment.objects.exists()


def test_the_service_keeps_the_accepted_team_unless_told_to_replace_it(cast, pool):
    inquiry = cast.acme_inquiry
    accept_team(inquiry, [pool["Code"].pk], actor=cast.staff)
    with pytest.raises(AcceptedTeamExists):
        accept_team(inquiry, [pool["Psych"].pk], actor=cast.staff)
    assert _team(inquiry) == {pool["Code"].pk}
    with pytest.raises(TeamError, match="more than once|mehr als einmal"):
        accept_team(inquiry, [pool["Psych"].pk, pool["Psych"].pk], actor=cast.staff)
    accept_team(inquiry, [pool["Psych"].pk], actor=cast.staff, replace_accepted=True)
    assert _team(inquiry) == {pool["Psych"].pk}
