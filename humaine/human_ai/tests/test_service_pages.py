"""Deploying a run, tokens, absences, the worklist and the records through the pages."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from humaine.core.models import AuditEvent
from humaine.human_ai import availability, deployment, monitoring, records, routing_api
from humaine.human_ai.models import PersonLink, ServiceCase, ServiceVersion
from humaine.tests import factories as f

from .conftest import TEAM_PERSONS, claim, counted


def route_cases(service, n=3, unusual=True, key="k"):
    """Cases routed through the service (unusual ones go to a person)."""
    cases = [
        claim(f"S-{key}-{i}", altersgruppe="unbekannt" if unusual else "40-64") for i in range(n)
    ]
    body = json.dumps({"cases": cases}).encode()
    parsed = routing_api.parse_cases(
        body,
        routing_api.schema_of(routing_api.team_of(service.active_version.run)),
        max_batch=100,
    )
    routing_api.route(service, parsed, key=key, body=body)
    return list(ServiceCase.objects.filter(service=service, reference__startswith=f"S-{key}-"))


def test_staff_deploys_a_run_and_replaces_it_keeping_the_first(
    cast, client_for, scenario, finished_run
):
    client = client_for(cast.staff)
    url = reverse("human_ai:services", args=[scenario.pk])
    assert "service-form" in client.get(url).content.decode()
    response = client.post(url, {"title": "Kfz-Schäden", "run": finished_run.pk})
    service = scenario.team_services.get()
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    page = client.get(service.get_absolute_url()).content.decode()
    assert "schadenart" in page and "deploy-form" in page
    deploy = reverse("human_ai:service_deploy", args=[scenario.pk, service.pk])
    client.post(deploy, {"run": finished_run.pk})  # already active: refused, nothing changes
    assert service.versions.count() == 1
    second = type(finished_run).objects.get(pk=finished_run.pk)
    second.pk, second.number = None, 2
    second.save()
    client.post(deploy, {"run": second.pk})
    first, new = ServiceVersion.objects.filter(service=service).order_by("number")
    assert first.retired_at is not None and new.retired_at is None and new.run == second
    assert service.active_version == new
    assert AuditEvent.objects.filter(action="service.deployed").count() == 2


def test_readers_may_not_deploy_and_strangers_see_nothing(
    cast, client_for, scenario, finished_run, service
):
    url = reverse("human_ai:services", args=[scenario.pk])
    member = client_for(cast.member)
    assert member.get(service.get_absolute_url()).status_code == 200
    assert "token-form" not in member.get(service.get_absolute_url()).content.decode()
    assert member.post(url, {"title": "X", "run": finished_run.pk}).status_code == 403
    stranger = client_for(cast.other_member)
    assert stranger.get(service.get_absolute_url()).status_code == 404
    assert stranger.get(url).status_code == 404
    assert scenario.team_services.count() == 1


def test_a_token_is_shown_once_and_a_revoked_one_stops_at_once(
    cast, client_for, scenario, service, client
):
    staff = client_for(cast.staff)
    response = staff.post(
        reverse("human_ai:token_new", args=[scenario.pk, service.pk]), {"name": "Schadensystem"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "new-token" in page
    token = service.tokens.get()
    key = page.split("<code>hs_", 1)[1].split("</code>", 1)[0]
    key = "hs_" + key
    assert token.key_hash == deployment.hash_key(key) and key not in token.key_hash
    assert "new-token" not in staff.get(service.get_absolute_url()).content.decode()
    assert (
        staff.post(
            reverse("human_ai:token_new", args=[scenario.pk, service.pk]), {"name": ""}
        ).status_code
        == 400
    )
    staff.post(reverse("human_ai:token_revoke", args=[scenario.pk, service.pk, token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.post(
        f"/api/v1/services/{service.pk}/cases",
        json.dumps(claim()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="service_token.revoked").exists()


@pytest.fixture
def worker(scenario, service):
    """The account of the person the first routed case went to."""
    case = route_cases(service, 3)[0]
    user = f.make_user("sachbearbeiterin")
    PersonLink.objects.create(scenario=scenario, pseudonym=case.person, user=user)
    return user, case


def test_a_person_decides_the_cases_routed_to_them_once(client_for, worker, service):
    user, case = worker
    client = client_for(user)
    listing = client.get(reverse("human_ai:worklist")).content.decode()
    assert case.reference in listing
    url = reverse("human_ai:worklist_case", args=[case.pk])
    page = client.get(url).content.decode()
    assert "fahrzeugalter" in page and "ai-hidden" in page and "ai-suggestion" not in page
    assert client.post(url, {"decision": "vielleicht"}).status_code == 400
    response = client.post(url, {"decision": "nein"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.decision == "nein" and case.decided_by == case.person and case.decided_at
    page = client.get(url).content.decode()
    assert "ai-suggestion" in page and "decision-recorded" in page
    again = client.post(url, {"decision": "ja"}, follow=True)
    assert "bereits erfasst" in again.content.decode()
    case.refresh_from_db()
    assert case.decision == "nein"
    assert AuditEvent.objects.filter(action="service_case.decided").count() == 1


def test_the_suggestion_is_shown_first_when_the_service_says_so(client_for, worker, service, cast):
    user, case = worker
    deployment.set_show_suggestion(service, True, actor=cast.staff)
    page = client_for(user).get(reverse("human_ai:worklist_case", args=[case.pk])).content.decode()
    assert "ai-suggestion" in page and "ai-hidden" not in page


def test_a_case_routed_to_someone_else_is_not_found(client_for, worker, service, cast, scenario):
    user, case = worker
    other = next(p for p in TEAM_PERSONS if p != case.person)
    colleague = f.make_user("kollege")
    PersonLink.objects.create(scenario=scenario, pseudonym=other, user=colleague)
    url = reverse("human_ai:worklist_case", args=[case.pk])
    for someone in (colleague, cast.staff, cast.member, cast.other_member):
        client = client_for(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "ja"}).status_code == 404
    case.refresh_from_db()
    assert not case.decided_by.startswith("P-")


def test_absences_are_recorded_and_removed_in_the_hub(cast, client_for, scenario, service):
    client = client_for(cast.staff)
    url = reverse("human_ai:absences", args=[scenario.pk])
    assert TEAM_PERSONS[0] in client.get(url).content.decode()
    today = timezone.localdate()
    response = client.post(
        url, {"pseudonym": TEAM_PERSONS[0], "starts": today, "ends": today + timedelta(days=3)}
    )
    assert response.status_code == 302
    assert availability.unavailable_on(scenario) == {TEAM_PERSONS[0]}
    assert availability.unavailable_on(scenario, today + timedelta(days=4)) == set()
    assert availability.unavailable_on(scenario, today - timedelta(days=1)) == set()
    bad = client.post(
        url, {"pseudonym": TEAM_PERSONS[1], "starts": today, "ends": today - timedelta(days=1)}
    )
    assert bad.status_code == 400 and availability.unavailable_on(scenario) == {TEAM_PERSONS[0]}
    absence = scenario.team_absences.get()
    client.post(reverse("human_ai:absence_remove", args=[scenario.pk, absence.pk]))
    assert availability.unavailable_on(scenario) == set()
    assert client_for(cast.member).get(url).status_code == 403


def test_records_are_exported_as_csv_for_a_period(cast, client_for, scenario, service):
    cases = route_cases(service, 3) + route_cases(service, 2, unusual=False, key="plain")
    today = timezone.localdate()
    url = reverse("human_ai:records", args=[scenario.pk])
    client = client_for(cast.staff)
    response = client.get(url, {"start": today - timedelta(days=1), "end": today})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == records.HEADER and len(rows) == 1 + len(cases)
    person = rows[0].index("person")
    assert {r[person] for r in rows[1:]} - {""} <= set(TEAM_PERSONS)
    assert AuditEvent.objects.filter(action="service_cases.exported").exists()
    earlier = client.get(
        url, {"start": today - timedelta(days=9), "end": today - timedelta(days=8)}
    )
    assert len(list(csv.reader(io.StringIO(b"".join(earlier.streaming_content).decode())))) == 1
    assert client.get(url, {"start": today, "end": today - timedelta(days=1)}).status_code == 400
    assert client.get(url, {"start": "gestern", "end": today}).status_code == 400
    assert client_for(cast.member).get(url, {"start": today, "end": today}).status_code == 403
    assert client_for(cast.other_member).get(url).status_code == 404


def test_an_export_without_a_works_agreement_withholds_the_persons(cast, scenario, service):
    from humaine.human_ai.access import team_access
    from humaine.scenarios import services as scenario_services

    route_cases(service, 2)
    lead = f.make_user("leitung", organisation=cast.acme)
    scenario_services.add_member(scenario, role="lead", user=lead, actor=cast.staff)
    access = team_access(lead, scenario.pk)
    assert access.can_export_records and not access.sees_every_person
    today = timezone.localdate()
    rows = list(
        records.export_rows(
            records.cases_of(scenario, today, today), may_see_person=access.may_see_person
        )
    )
    person = records.HEADER.index("person")
    assert {r[person] for r in rows[1:]} == {records.WITHHELD}


def test_the_purge_keeps_six_months_at_least(cast, service, settings):
    cases = route_cases(service, 2, unusual=False)
    old, recent = cases
    ServiceCase.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    ServiceCase.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=150))
    settings.HUMAN_AI_RECORD_DAYS = 30  # below the law's six months: raised to 184
    assert records.retention_days() == records.MINIMUM_DAYS
    assert records.purge() == 1
    assert list(ServiceCase.objects.values_list("pk", flat=True)) == [recent.pk]
    assert AuditEvent.objects.filter(action="service_cases.purged").exists()


def test_the_purge_command_reports_what_it_deleted(service, settings):
    from django.core.management import call_command

    case = route_cases(service, 1, unusual=False)[0]
    ServiceCase.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=400))
    out = io.StringIO()
    call_command("purge_service_cases", stdout=out)
    assert "deleted 1 routed cases older than 186 days" in out.getvalue()


def test_an_outcome_is_recorded_on_the_case_page(cast, client_for, scenario, service):
    case = route_cases(service, 1)[0]
    url = reverse("human_ai:service_case", args=[scenario.pk, service.pk, case.pk])
    assert client_for(cast.member).post(url, {"outcome": "ja"}).status_code == 403
    client = client_for(cast.staff)
    assert "outcome-form" in client.get(url).content.decode()
    assert client.post(url, {"outcome": "ja"}).status_code == 302
    case.refresh_from_db()
    assert case.outcome == "ja" and case.outcome_at


def test_the_service_page_shows_monitoring_figures(cast, client_for, worker, service):
    user, case = worker
    ServiceCase.objects.filter(pk=case.pk).update(
        decision="nein" if case.ai_decision == "ja" else "ja",
        decided_by=case.person,
        outcome="nein" if case.ai_decision == "ja" else "ja",
    )
    counted(service)
    page = client_for(cast.staff).get(service.get_absolute_url()).content.decode()
    assert "monitoring-heading" in page and case.person in page
    member_page = client_for(cast.member).get(service.get_absolute_url()).content.decode()
    assert case.person not in member_page and "loads-withheld" in member_page


def test_the_service_page_counts_the_cases_of_its_window(cast, client_for, service):
    cases = route_cases(service, 3, unusual=False)
    ServiceCase.objects.filter(pk=cases[0].pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    counted(service, 30, 90)
    client = client_for(cast.staff)
    page = client.get(service.get_absolute_url()).content.decode()
    assert 'id="monitoring-window"' in page
    assert "<dt>Verteilte Fälle</dt><dd>2</dd>" in page
    wide = client.get(service.get_absolute_url() + "?days=90").content.decode()
    assert "<dt>Verteilte Fälle</dt><dd>3</dd>" in wide


def test_monitoring_counts_overrides_workload_and_limits():
    rows = [
        {"ai_decision": "ja", "ai_confidence": 0.8, "person": "", "audit": False,
         "decision": "ja", "decided_by": "ai", "outcome": ""},
        {"ai_decision": "ja", "ai_confidence": 0.6, "person": "P-1", "audit": False,
         "decision": "", "decided_by": "", "outcome": ""},
        {"ai_decision": "nein", "ai_confidence": 0.7, "person": "P-1", "audit": True,
         "decision": "ja", "decided_by": "P-1", "outcome": "nein"},
        {"ai_decision": "ja", "ai_confidence": 0.9, "person": "P-2", "audit": False,
         "decision": "ja", "decided_by": "P-2", "outcome": "ja"},
    ]  # fmt: skip
    figures = monitoring.summarise(rows, capacity=0.3, person_limit=0.25)
    assert figures.n_cases == 4 and figures.n_to_people == 2 and figures.n_audits == 1
    assert figures.human_share == 0.5 and figures.over_capacity
    assert figures.agreement == 0.5 and figures.overrides == 1 and figures.overrides_right == 0
    assert figures.ai_accuracy_estimated == 0.75
    assert figures.ai_accuracy_measured == 1.0 and figures.team_accuracy_measured == 0.5
    loads = {p.pseudonym: p for p in figures.persons}
    assert loads["P-1"].cases == 2 and loads["P-1"].open == 1 and loads["P-1"].over_limit
    assert not loads["P-2"].over_limit
    assert monitoring.summarise([]).human_share is None
