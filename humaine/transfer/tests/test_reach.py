"""People and organisations reached: each counted once across the hub's capabilities;
event registrations linked to the contact point's person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from humaine.contact import services as contact_services
from humaine.scenarios import services as scenario_services
from humaine.tests import factories as f
from humaine.transfer import figures as transfer_figures
from humaine.transfer.tests.factories import make_event, register

pytestmark = pytest.mark.django_db


def _period():
    now = timezone.now()
    return now - timedelta(days=1), now + timedelta(days=60)


def _reached():
    start, end = _period()
    return {f.key: f.value for f in transfer_figures.reach_counts(start, end)}


def test_a_registration_is_linked_to_the_person_by_the_normalised_address(cast):
    person = f.make_person(name="Erika Muster", email="Erika.Muster@Example.org")
    registration = register(make_event(), email="  erika.muster@EXAMPLE.org ").registration
    assert registration.person == person
    assert registration.email == "erika.muster@example.org"
    # The person's export finds it through the link, also after the address changed.
    person.email = "erika@neu.example.org"
    person.save(update_fields=["email"])
    exported = contact_services.export_person(person, actor=cast.staff)
    assert [r["email"] for r in exported["transfer"]["event_registrations"]] == [
        "erika.muster@example.org"
    ]
    contact_services.erase_person(person, actor=cast.staff)
    registration.refresh_from_db()
    assert registration.email == "" and registration.person is None and registration.erased_at
    # Nobody with the address: no link, and nobody erased is linked again.
    assert register(make_event(), email="niemand@example.org").registration.person is None


def test_people_are_counted_once_across_apps(cast):
    before = _reached()
    organisation = f.make_organisation()
    anna = f.make_person(name="Anna Berg", email="Anna.Berg@Example.org", organisation=organisation)
    f.make_inquiry(organisation, contact=anna)  # contact point: Anna, her organisation
    event = make_event(days=5)
    register(event, email=" anna.berg@example.org")  # linked to Anna: the same person
    register(event, email="quentin@example.org")  # Quentin: new
    scenario = scenario_services.start_scenario(
        actor=cast.staff,
        title="Szenario",
        goal="Ziel",
        work_process="Prozess",
        organisation=organisation,
        sector=cast.sectors["insurance"],
    )
    for email in ("ANNA.BERG@example.org", "Quentin@Example.org"):
        scenario_services.invite_member(
            scenario, role="user", name=email, email=email, actor=cast.staff
        )
    after = _reached()
    assert after["reach.people"] - before["reach.people"] == 2
    assert after["reach.organisations"] - before["reach.organisations"] == 1
    # Each app's own figures still count them there.
    start, end = _period()
    own = {fig.key: fig.value for fig in transfer_figures.counts(start, end)}
    assert own["transfer.people"] >= 2


def test_the_dashboard_shows_the_figures_reached(cast, client):
    register(make_event(days=5))
    client.force_login(cast.staff)
    start, end = _period()
    page = client.get(
        "/staff/figures/", {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    ).content.decode()
    assert 'data-figure="reach.people"' in page
    assert "erreichte Personen" in page
