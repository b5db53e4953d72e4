"""Team forming through the hub: constraints, capacity, conflicts, accepting and swapping."""

import pytest
from django.urls import reverse

from humaine.contact.models import Assignment, Expert, Inquiry
from humaine.core.models import AuditEvent
from humaine.matching.matches import MatchInput, find_matches, free_hours
from humaine.matching.services import TeamError, accept_team
from humaine.matching.tests.conftest import index_everything
from humaine.tests import factories as f

TECHNICAL = {"computer_science", "engineering"}
HUMAN = {"work_science", "psychology"}


def free(expert) -> int:
    return free_hours(Expert.objects.get(pk=expert.pk))


def team_of(outcome):
    return [slot.member.expert for slot in outcome.team.slots]


def match(inquiry, viewer):
    return find_matches(MatchInput.for_inquiry(inquiry), viewer)


def test_proposed_team_covers_the_required_disciplines_within_capacity(cast, pool):
    index_everything()
    outcome = match(cast.acme_inquiry, cast.staff)
    team = team_of(outcome)
    disciplines = {d for expert in team for d in expert.disciplines}
    assert outcome.team.satisfied
    assert disciplines & TECHNICAL and disciplines & HUMAN
    hours = outcome.team.hours_per_member
    assert all(free_hours(expert) >= hours for expert in team)
    alternatives = [c.expert for slot in outcome.team.slots for c in slot.alternatives]
    assert all(free_hours(expert) >= hours for expert in alternatives)
    # each member's reason says what they cover
    assert all(slot.reason["de"] and slot.reason["en"] for slot in outcome.team.slots)


def test_experts_without_free_capacity_are_never_proposed(cast, pool):
    busy = pool["Code"]
    f.assign_expert(busy, f.make_inquiry(cast.globex)).__class__.objects.filter(expert=busy).update(
        hours_per_month=busy.capacity_hours - 2
    )
    index_everything()
    outcome = match(cast.acme_inquiry, cast.staff)
    proposed = {e.pk for e in team_of(outcome)} | {
        c.expert.pk for slot in outcome.team.slots for c in slot.alternatives
    }
    assert busy.pk not in proposed
    assert outcome.team.satisfied  # the engineer covers the technical place instead


def test_a_required_discipline_nobody_has_is_reported_as_unmet(cast, pool, settings):
    settings.MATCHING_CONFIG = {
        "team": {
            "fit_floor": -1.0,
            # only the two requirements below (no optional places for inferred needs)
            "add_needed_disciplines": False,
            "requirements": [
                {"key": "law", "label": {"de": "Recht", "en": "law"}, "disciplines": ["law"]},
                {
                    "key": "transfer",
                    "label": {"de": "Transfer", "en": "transfer"},
                    "disciplines": ["transfer"],
                },
            ],
        }
    }
    index_everything()
    outcome = match(cast.acme_inquiry, cast.staff)
    assert not outcome.team.satisfied
    [unmet] = outcome.team.unmet
    assert unmet.label == "Transfer" and unmet.hard and not unmet.available
    assert unmet.why == "no_fit"
    assert pool["Law"] in team_of(outcome)


def test_competitor_employee_is_flagged_not_proposed(cast, pool):
    rival = f.make_expert(
        "Rita Rival",
        disciplines=["psychology"],
        topics="Acceptance and trust of claims handlers in AI suggestions at Globex.",
        languages=["de"],
        capacity_hours=40,
    )
    # competitors: the same sector and market segment
    for company in (cast.acme, cast.globex):
        company.segment = "Sachversicherung"
        company.save(update_fields=["segment"])
    rival.person.organisation = cast.globex
    rival.person.save()
    rival.sectors.set([cast.sectors["insurance"]])
    index_everything()
    outcome = match(cast.acme_inquiry, cast.staff)
    flagged = {c.expert.pk: c.conflicts for c in outcome.team.flagged}
    assert rival.pk in flagged
    assert flagged[rival.pk][0].code == "competitor"
    assert "Globex Assekuranz" in flagged[rival.pk][0].text
    assert rival not in team_of(outcome)
    with pytest.raises(TeamError):
        accept_team(cast.acme_inquiry, [rival.pk], actor=cast.staff)


def test_accepting_records_assignments_load_audit_and_status(cast, pool, client_for):
    index_everything()
    inquiry = cast.acme_inquiry
    team = team_of(match(inquiry, cast.staff))
    before = {e.pk: free(e) for e in team}
    response = client_for(cast.staff).post(
        reverse("matching:accept_team", args=[inquiry.pk]),
        {f"slot_{i}": e.pk for i, e in enumerate(team)},
    )
    assert response.status_code == 302 and response["Location"] == inquiry.get_absolute_url()
    assignments = Assignment.objects.filter(inquiry=inquiry, active=True)
    assert {a.expert_id for a in assignments} == {e.pk for e in team}
    assert all(a.hours_per_month == 8 and a.created_by == cast.staff for a in assignments)
    assert all(a.role for a in assignments)
    assert {e.pk: free(e) for e in team} == {pk: hours - 8 for pk, hours in before.items()}
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.MATCHED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inquiry.team_accepted", "expert.assigned", "inquiry.status_changed"} <= actions
    accepted = AuditEvent.objects.get(action="inquiry.team_accepted")
    assert accepted.actor == cast.staff
    assert sorted(accepted.changes["fields"]["team"]["after"]) == sorted(
        e.person.name for e in team
    )
    load = AuditEvent.objects.filter(action="expert.assigned", object_id=str(team[0].pk)).get()
    assert load.changes["fields"]["load_hours"]["after"] == 8


def test_swapping_a_member_for_an_alternative_releases_the_old_one(cast, pool, client_for):
    # a second person of each kind, so every place has an alternative
    for name, disciplines in (
        ("Dr. Erna Engel", ["engineering"]),
        ("Dr. Pia Pohl", ["psychology"]),
    ):
        twin = f.make_expert(
            name,
            disciplines=disciplines,
            topics="Kfz-Schadenprüfung und Akzeptanz von KI bei Versicherern.",
            languages=["de"],
            capacity_hours=20,
        )
        twin.sectors.set([cast.sectors["insurance"]])
    index_everything()
    inquiry = cast.acme_inquiry
    outcome = match(inquiry, cast.staff)
    accept_team(inquiry, [e.pk for e in team_of(outcome)], actor=cast.staff)
    slot_index, slot = next(
        (i, s) for i, s in enumerate(match(inquiry, cast.staff).team.slots) if s.alternatives
    )
    old, new = slot.member.expert, slot.alternatives[0].expert
    choice = {f"slot_{i}": s.member.expert.pk for i, s in enumerate(outcome.team.slots)}
    choice[f"slot_{slot_index}"] = new.pk
    client = client_for(cast.staff)
    url = reverse("matching:accept_team", args=[inquiry.pk])
    # the accepted team is replaced only after staff confirm it
    assert client.post(url, choice).status_code == 200
    assert old.pk in set(inquiry.assignments.filter(active=True).values_list("expert", flat=True))
    client.post(url, choice | {"confirm": "replace"})
    active = set(inquiry.assignments.filter(active=True).values_list("expert_id", flat=True))
    assert new.pk in active and old.pk not in active
    assert free(old) == old.capacity_hours
    assert AuditEvent.objects.filter(action="expert.released", object_id=str(old.pk)).exists()


def test_accepting_through_the_api_checks_capacity(cast, pool, client_for):
    index_everything()
    client = client_for(cast.staff)
    url = f"/api/v1/inquiries/{cast.acme_inquiry.pk}/team"
    too_much = client.post(
        url, {"members": [pool["Code"].pk], "hours": 21}, content_type="application/json"
    )
    assert too_much.status_code == 422
    assert "Dr. Carla Code" in too_much.json()["detail"][0]["msg"]
    assert not Assignment.objects.exists()
    ok = client.post(
        url, {"members": [pool["Code"].pk, pool["Psych"].pk]}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "matched"
    assert {a["expert"] for a in ok.json()["team"]} == {pool["Code"].pk, pool["Psych"].pk}


def test_closed_inquiry_gets_no_team(cast, pool):
    Inquiry.objects.filter(pk=cast.acme_inquiry.pk).update(status=Inquiry.Status.CLOSED)
    with pytest.raises(TeamError):
        accept_team(cast.acme_inquiry, [pool["Code"].pk], actor=cast.staff)
    assert not Assignment.objects.exists()


def test_a_stale_choice_is_refused_with_a_message(cast, pool, client_for):
    index_everything()
    response = client_for(cast.staff).post(
        reverse("matching:accept_team", args=[cast.acme_inquiry.pk]),
        {"slot_0": cast.expert.pk + 999},
        follow=True,
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_the_audit_trail_names_the_team_and_the_hours_in_words(cast, pool, client_for):
    from django.utils import translation

    from humaine.core.audit import readable_changes

    index_everything()
    inquiry = cast.acme_inquiry
    team = team_of(match(inquiry, cast.staff))
    accept_team(inquiry, [e.pk for e in team], actor=cast.staff)
    accepted = AuditEvent.objects.get(action="inquiry.team_accepted")
    load = AuditEvent.objects.filter(action="expert.assigned", object_id=str(team[0].pk)).get()
    with translation.override("de"):
        (change,) = readable_changes(accepted)
        assert change["label"] == "Expertenteam"
        assert team[0].person.name in change["after"]
        assert readable_changes(load)[0]["label"] == "Gebuchte Stunden pro Monat"
    with translation.override("en"):
        assert readable_changes(accepted)[0]["label"] == "Team of experts"
    text = client_for(cast.staff).get(inquiry.get_absolute_url()).content.decode()
    assert '<span class="change">Expertenteam: ' in text
    assert '<span class="change">team' not in text
