"""The team part of the matching panel: real reasons for refused choices, and an accepted
team that is shown and replaced only after staff confirm it."""

from django.urls import reverse
from django.utils import translation

from humaine.contact.models import Assignment
from humaine.matching.matches import MatchInput, find_matches
from humaine.matching.services import accept_team
from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f


def _twins(cast):
    """A second person of each kind, so every place has alternatives."""
    for name, disciplines in (
        ("Dr. Erna Engel", ["engineering"]),
        ("Dr. Pia Pohl", ["psychology"]),
        ("Dr. Kai Klug", ["computer_science", "psychology"]),
    ):
        twin = f.make_expert(
            name,
            disciplines=disciplines,
            topics="Kfz-Schadenprüfung und Akzeptanz von KI bei Versicherern.",
            languages=["de"],
            capacity_hours=40,
        )
        twin.sectors.set([cast.sectors["insurance"]])


def _proposal(inquiry, viewer):
    return find_matches(MatchInput.for_inquiry(inquiry), viewer).team


def _choice(team) -> dict:
    return {f"slot_{i}": slot.member.expert.pk for i, slot in enumerate(team.slots)}


def _panel_url(inquiry):
    with translation.override("en"):
        return reverse("matching:panel", args=[inquiry.pk])


def _accept_url(inquiry):
    with translation.override("en"):
        return reverse("matching:accept_team", args=[inquiry.pk])


def test_choosing_one_expert_for_two_places_says_so_by_name(cast, pool, client_for):
    _twins(cast)
    index_everything()
    inquiry = cast.acme_inquiry
    team = _proposal(inquiry, cast.staff)
    # an expert offered for two places (a member of one and an alternative of another, or
    # an alternative of both)
    offered = {}
    for index, slot in enumerate(team.slots):
        for candidate in [slot.member, *slot.alternatives]:
            offered.setdefault(candidate.expert.pk, []).append(index)
    twice = next(pk for pk, places in offered.items() if len(places) > 1)
    first, second = offered[twice][:2]
    choice = _choice(team) | {f"slot_{first}": twice, f"slot_{second}": twice}
    name = next(
        c.expert.person.name
        for slot in team.slots
        for c in [slot.member, *slot.alternatives]
        if c.expert.pk == twice
    )

    response = client_for(cast.staff).post(_accept_url(inquiry), choice, follow=True)

    text = response.content.decode()
    assert "has changed in the meantime" not in text
    assert name in text and "only one place" in text
    assert not Assignment.objects.exists()


def test_a_choice_that_is_no_longer_offered_is_still_called_a_changed_proposal(
    cast, pool, client_for
):
    index_everything()
    response = client_for(cast.staff).post(
        _accept_url(cast.acme_inquiry), {"slot_0": cast.expert.pk + 999}, follow=True
    )
    assert "has changed in the meantime" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_panel_shows_the_accepted_team_and_asks_before_replacing_it(cast, pool, client_for):
    _twins(cast)
    index_everything()
    inquiry = cast.acme_inquiry
    accepted = _proposal(inquiry, cast.staff)
    accept_team(inquiry, list(_choice(accepted).values()), actor=cast.staff, roles={})
    members = {a.expert.person.name for a in Assignment.objects.filter(active=True)}
    client = client_for(cast.staff)

    panel = client.get(_panel_url(inquiry)).content.decode()

    assert "Accepted team" in panel
    assert all(name in panel for name in members)
    # the proposal's button names what it does and does not replace the team at once
    assert "Accept this team (each place with its hours)" not in panel
    assert "Replace the accepted team" in panel

    # another choice: one place taken by one of its alternatives
    other = _proposal(inquiry, cast.staff)
    index, slot = next((i, s) for i, s in enumerate(other.slots) if s.alternatives)
    choice = _choice(other) | {f"slot_{index}": slot.alternatives[0].expert.pk}
    assert set(choice.values()) != {a.expert_id for a in Assignment.objects.filter(active=True)}
    asked = client.post(_accept_url(inquiry), choice)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Replace the accepted team?" in page
    leaving = {
        a.expert.person.name
        for a in Assignment.objects.filter(active=True)
        if a.expert_id not in choice.values()
    }
    assert leaving and all(name in page for name in leaving)
    assert {a.expert.person.name for a in Assignment.objects.filter(active=True)} == members

    done = client.post(_accept_url(inquiry), choice | {"confirm": "replace"})

    assert done.status_code == 302
    active = set(Assignment.objects.filter(active=True).values_list("expert_id", flat=True))
    assert active == set(choice.values())


def test_accepting_the_team_that_is_already_accepted_changes_nothing(cast, pool, client_for):
    index_everything()
    inquiry = cast.acme_inquiry
    choice = _choice(_proposal(inquiry, cast.staff))
    client = client_for(cast.staff)
    client.post(_accept_url(inquiry), choice)
    first = list(Assignment.objects.values_list("pk", "expert_id", "active"))

    response = client.post(_accept_url(inquiry), choice, follow=True)

    assert "already" in response.content.decode()
    assert list(Assignment.objects.values_list("pk", "expert_id", "active")) == first
