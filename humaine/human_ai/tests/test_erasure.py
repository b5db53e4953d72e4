"""A person's erasure reaches the saved team of a deployed run: the model no longer knows
the old pseudonym, routing sends no case to the person any more, and an auditor finds the
old pseudonym nowhere (database, stored files, this machine's copy of the team)."""

import json
from collections import Counter

import pytest
from django.core.files.base import ContentFile

import teaming
from humaine.contact import services as contact_services
from humaine.human_ai import deployment, routing_api, services
from humaine.human_ai.models import PersonLink, Run, ServiceCase
from humaine.scenarios.storage import private_storage
from humaine.tests import factories as f
from humaine.tests.leaks import assert_nowhere, find_everywhere

from .conftest import TEAM_PERSONS, claim
from .test_service_api import post


def _batch(start: int, n: int = 60) -> dict:
    return {
        "cases": [
            claim(f"S-{i}", fahrzeugalter=i % 20, vorschaeden=i % 3)
            for i in range(start, start + n)
        ]
    }


@pytest.fixture
def token(service, cast):
    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    return key


@pytest.fixture
def routed(client, service, token):
    response = post(client, service, _batch(0), key="k-before", token=token)
    assert response.status_code == 200, response.content
    counts = Counter(c["person"]["pseudonym"] for c in response.json()["cases"] if c["person"])
    assert counts, "the team routed no case to a person"
    return counts.most_common(1)[0][0]


@pytest.mark.filterwarnings("ignore::teaming.DataWarning")
def test_erasure_renames_the_deployed_team_and_routing_leaves_the_person_out(
    client,
    service,
    token,
    routed,
    cast,
):
    old = routed
    run = service.active_version.run
    assert (services.local_folder(run) / "team" / "metadata.json").is_file()  # fetched to route
    assert find_everywhere(old)
    PersonLink.objects.create(scenario=service.scenario, pseudonym=old, user=cast.member)
    person = f.make_person(organisation=cast.acme, user=cast.member)

    contact_services.erase_person(person, actor=cast.staff)

    assert_nowhere(old)
    run = Run.objects.get(pk=run.pk)
    assert services.team_revision(run) == 1
    team = routing_api.team_of(run)
    new = next(p for p in team.persons_ if p not in TEAM_PERSONS)
    assert new.startswith("X-") and old not in team.persons_
    assert [p for p in team.persons_ if p != new] == [p for p in TEAM_PERSONS if p != old]
    assert new in team.persons_left_out_
    assert new not in routing_api.available_persons(team, service.scenario)
    # the stored team loads with the engine's own checks (checksums, trusted types)
    with private_storage().open(f"{run.storage_prefix}/team/metadata.json", "rb") as handle:
        metadata = json.load(handle)
    assert new in metadata["schema"]["persons"] and old not in json.dumps(metadata)
    assert metadata["evaluation"]["n_cases"] == run.evaluation["n_cases"]
    # the routed cases are the person's under the new pseudonym; new cases go elsewhere
    assert ServiceCase.objects.filter(person=new).exists()
    response = post(client, service, _batch(100), key="k-after", token=token)
    assert response.status_code == 200, response.content
    persons = {c["person"]["pseudonym"] for c in response.json()["cases"] if c["person"]}
    assert persons and new not in persons and old not in persons
    assert_nowhere(old)


def test_a_team_without_the_person_is_left_as_it_was(service, cast):
    run = service.active_version.run
    with private_storage().open(f"{run.storage_prefix}/team/state.skops", "rb") as handle:
        before = handle.read()
    PersonLink.objects.create(
        scenario=service.scenario, pseudonym="P-0000000000FF", user=cast.member
    )
    person = f.make_person(organisation=cast.acme, user=cast.member)
    contact_services.erase_person(person, actor=cast.staff)
    run = Run.objects.get(pk=run.pk)
    assert services.team_revision(run) == 0
    with private_storage().open(f"{run.storage_prefix}/team/state.skops", "rb") as handle:
        assert handle.read() == before
    assert teaming.load_team(services.run_folder(run) / "team").persons_ == TEAM_PERSONS


def test_a_team_of_an_older_format_has_the_pseudonym_replaced_in_its_text_files(service, cast):
    run = service.active_version.run
    old = TEAM_PERSONS[1]
    name = f"{run.storage_prefix}/team/metadata.json"
    with private_storage().open(name, "rb") as handle:
        metadata = json.load(handle)
    metadata["format_version"] = 1  # saved by an earlier teaming: not loadable any more
    private_storage().delete(name)
    private_storage().save(name, ContentFile(json.dumps(metadata).encode()))
    PersonLink.objects.create(scenario=service.scenario, pseudonym=old, user=cast.member)
    person = f.make_person(organisation=cast.acme, user=cast.member)
    contact_services.erase_person(person, actor=cast.staff)
    assert_nowhere(old)
    assert services.team_revision(Run.objects.get(pk=run.pk)) == 0
