"""Monitoring of a service in use: figures counted in the database, drift of the inputs,
fairness by group, limits that tell the editors once per crossing, the weekly summary."""

import datetime
import json
import random

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from humaine.core.models import AuditEvent
from humaine.human_ai import (
    monitoring,
    monitoring_alerts,
    monitoring_drift,
    monitoring_fairness,
    monitoring_summary,
    routing_api,
    synthetic,
)
from humaine.human_ai.models import (
    MonitoringReference,
    ServiceCase,
    ServiceSummary,
    ServiceThresholds,
    ThresholdCrossing,
)
from humaine.notifications.models import Notification
from humaine.scenarios.models import Member
from humaine.tests import factories as f

from .conftest import FEATURES, TEAM_PERSONS, claim, counted


def add_cases(service, inputs, *, when=None, **fields):
    """Recorded cases of the active version with these inputs (as routing stores them)."""
    version = service.active_version
    when = when or timezone.now()
    rows = [
        ServiceCase(
            service=service,
            version=version,
            reference=f"R-{i}",
            inputs=data,
            ai_decision=fields.get("ai_decision", "ja"),
            ai_confidence=0.8,
            person=fields.get("person", ""),
            audit=False,
            decision=fields.get("decision", "ja"),
            decided_by=fields.get("decided_by", "ai"),
            decided_at=when,
            outcome=fields.get("outcome", ""),
            outcome_at=when if fields.get("outcome") else None,
            created_at=when,
        )
        for i, data in enumerate(inputs)
    ]
    return ServiceCase.objects.bulk_create(rows)


def claims_inputs(n, seed, **shift):
    frame = synthetic.make("insurance", n, seed=seed)[FEATURES]
    records = json.loads(frame.to_json(orient="records"))
    for column, change in shift.items():
        for record in records:
            record[column] = change(record[column])
    return records


def route(service, cases, key):
    body = json.dumps({"cases": cases}).encode()
    schema = routing_api.schema_of(routing_api.team_of(service.active_version.run))
    parsed = routing_api.parse_cases(body, schema, max_batch=1000)
    return routing_api.route(service, parsed, key=key, body=body)


# ------------------------------------------------------------------------- figures


def test_figures_counted_in_the_database_equal_those_of_the_rows(service):
    version = service.active_version
    add_cases(service, [{}] * 3)
    add_cases(service, [{}] * 2, person=TEAM_PERSONS[0], decision="", decided_by="")
    add_cases(
        service, [{}] * 2, person=TEAM_PERSONS[1], decision="nein", decided_by=TEAM_PERSONS[1],
        outcome="nein",
    )  # fmt: skip
    add_cases(service, [{}], outcome="ja")
    since = monitoring.window_start(30)
    rows = list(monitoring.cases_in(version, since).values(*monitoring.FIELDS))
    expected = monitoring.summarise(rows, capacity=0.3, person_limit=0.2)
    counted = monitoring.figures_of(version, since, capacity=0.3, person_limit=0.2)
    assert counted == expected
    assert counted.n_cases == 8 and counted.overrides == 2 and counted.overrides_right == 2
    assert counted.ai_accuracy_measured == round(1 / 3, 6)


# --------------------------------------------------------------------------- drift


def test_drift_finds_a_shifted_input_and_leaves_unchanged_ones(service):
    version = service.active_version
    add_cases(
        service,
        claims_inputs(
            1000, seed=11, fahrzeugalter=lambda years: years + 12, schadenart=lambda s: s
        ),
    )
    drift = monitoring_drift.drift_of(version, monitoring.window_start(30))
    by_column = {d["column"]: d for d in drift["features"]}
    assert drift["reference"] and drift["n"] == 1000
    assert by_column["fahrzeugalter"]["level"] == "shifted"
    assert by_column["fahrzeugalter"]["psi"] > 0.25
    for column in ("schadenart", "altersgruppe", "vorschaeden"):
        assert by_column[column]["psi"] < 0.1, by_column[column]
    # the reference is computed once per version, from the run's training rows
    reference = MonitoringReference.objects.get(version=version)
    assert reference.source == "profile" and set(reference.features) == set(FEATURES)


def test_drift_counts_values_the_training_data_did_not_have(service):
    random.seed(4)
    inputs = claims_inputs(200, seed=12)
    for record in inputs[:40]:
        record["schadenart"] = "Meteorit"
    add_cases(service, inputs)
    drift = monitoring_drift.drift_of(service.active_version, monitoring.window_start(30))
    schadenart = next(d for d in drift["features"] if d["column"] == "schadenart")
    assert schadenart["unseen"] == 40 and schadenart["unseen_values"] == ["Meteorit"]
    assert schadenart["level"] != "stable"


def test_the_service_page_shows_the_drift(cast, client_for, service):
    add_cases(service, claims_inputs(300, seed=13, fahrzeugalter=lambda years: years + 12))
    counted(service)
    page = client_for(cast.member).get(service.get_absolute_url()).content.decode()
    assert 'id="drift"' in page and 'class="drift-shifted"' in page
    assert "<code>fahrzeugalter</code>" in page


# ------------------------------------------------------------------------ fairness


def _groups(service, sizes, outcome_right=True):
    for group, n in sizes.items():
        add_cases(
            service,
            [{"altersgruppe": group}] * n,
            outcome="ja" if outcome_right else "nein",
        )


def test_fairness_shows_groups_with_enough_cases_only(cast, client_for, service, settings):
    settings.SURVEY_MIN_GROUP = 5
    dataset = service.active_version.run.dataset
    dataset.mapping = {"groups": ["altersgruppe", "region"]}
    dataset.save(update_fields=["mapping"])
    _groups(service, {"18-24": 40, "25-39": 30, "40-64": 8, "65+": 2})
    fairness = monitoring_fairness.fairness_of(service.active_version, monitoring.window_start(30))
    [column] = fairness["columns"]
    assert fairness["not_carried"] == ["region"]
    # "65+" has too few; "40-64" joins it so "65+" cannot be had from the total
    assert [g["group"] for g in column["groups"]] == ["18-24", "25-39"]
    assert column["rest"]["n"] == 10 and column["rest"]["groups"] == 2
    assert column["groups"][0]["n"] == 40 and column["groups"][0]["ai_accuracy"] == 1.0
    counted(service)
    page = client_for(cast.staff).get(service.get_absolute_url()).content.decode()
    assert 'id="fairness-1"' in page and "18-24" in page and "25-39" in page
    assert (
        "65+" not in page and "40-64" not in page.split('id="fairness-1"')[1].split("</table>")[0]
    )


def test_the_fairness_gap_is_the_spread_of_the_final_accuracy():
    groups = [
        {"group": "a", "final_accuracy": 0.9, "final_known": 10, "outcomes": 10},
        {"group": "b", "final_accuracy": 0.6, "final_known": 10, "outcomes": 10},
        {"group": "c", "final_accuracy": 0.1, "final_known": 2, "outcomes": 2},
    ]
    assert monitoring_fairness.gap_of(groups, 5) == 0.3


# -------------------------------------------------------------------------- limits


def test_limits_are_set_by_editors_only_and_audited(cast, client_for, service, scenario):
    url = reverse("human_ai:service_limits", args=[scenario.pk, service.pk])
    data = {"min_cases": 10, "max_human_share": "0.4", "max_drift": "0.25"}
    assert client_for(cast.other_member).post(url, data).status_code == 404
    assert client_for(cast.member).post(url, data).status_code == 403
    assert client_for(cast.staff).post(url, {**data, "max_human_share": "1.5"}).status_code == 400
    assert client_for(cast.staff).post(url, data).status_code == 302
    limits = ServiceThresholds.objects.get(service=service)
    assert (
        limits.max_human_share == 0.4 and limits.max_drift == 0.25 and limits.min_agreement is None
    )
    assert AuditEvent.objects.filter(action="service.limits_changed").count() == 1
    page = client_for(cast.member).get(service.get_absolute_url()).content.decode()
    assert 'id="no-crossings"' in page and "limits-form" not in page


@pytest.fixture
def lead(scenario):
    user = f.make_user("leitung")
    Member.objects.create(scenario=scenario, role="lead", user=user, name="Leitung")
    return user


def test_a_crossing_tells_the_editors_once_in_the_hub_and_by_email(
    cast, service, lead, settings, run_jobs
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 0
    ServiceThresholds.objects.create(service=service, min_cases=3, max_human_share=0.1)
    unusual = [claim(f"U-{i}", altersgruppe="unbekannt") for i in range(4)]
    route(service, unusual, key="first")
    run_jobs()  # the check after routing, then the emails it enqueued
    [crossing] = ThresholdCrossing.objects.filter(service=service)
    assert crossing.figure == "human_share" and crossing.ended_at is None
    [notice] = Notification.objects.filter(recipient=lead)
    assert notice.kind == monitoring_alerts.LIMIT_CROSSED and notice.params["limit"] == 0.1
    to_lead = [m for m in mail.outbox if m.to == [lead.email]]
    assert len(to_lead) == 1 and "0.100" in to_lead[0].body
    # still beyond after the next batch: nothing more
    route(service, [claim(f"V-{i}", altersgruppe="unbekannt") for i in range(2)], key="second")
    run_jobs()
    call_command("check_service_limits", verbosity=0)
    run_jobs()
    assert Notification.objects.filter(recipient=lead).count() == 1
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 1
    # back within: the crossing ends; crossed again: told again
    ServiceThresholds.objects.filter(service=service).update(max_human_share=1.0)
    call_command("check_service_limits", verbosity=0)
    crossing.refresh_from_db()
    assert crossing.ended_at is not None
    ServiceThresholds.objects.filter(service=service).update(max_human_share=0.1)
    call_command("check_service_limits", verbosity=0)
    run_jobs()
    assert Notification.objects.filter(recipient=lead).count() == 2
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 2


def test_a_notice_of_one_persons_share_names_no_figure_to_the_company(
    cast, service, lead, client_for
):
    ServiceThresholds.objects.create(service=service, min_cases=1, max_person_share=0.2)
    add_cases(service, [{}] * 3, person=TEAM_PERSONS[0], decision="", decided_by="")
    monitoring_alerts.evaluate(service)
    [notice] = Notification.objects.filter(recipient=lead)
    text = monitoring_alerts.KINDS[0].text(notice)
    assert TEAM_PERSONS[0] not in json.dumps(notice.params) and "1.000" not in text
    page = client_for(cast.member).get(service.get_absolute_url()).content.decode()
    assert 'id="crossings"' in page and TEAM_PERSONS[0] not in page


def test_drift_beyond_its_limit_is_a_crossing_of_that_input(service, lead):
    ServiceThresholds.objects.create(service=service, min_cases=10, max_drift=0.25)
    add_cases(service, claims_inputs(300, seed=14, fahrzeugalter=lambda years: years + 12))
    result = monitoring_alerts.evaluate(service)
    assert result["opened"] == [("drift", "fahrzeugalter")]
    assert monitoring_alerts.evaluate(service)["opened"] == []


def test_the_notices_read_in_both_languages_and_open_the_service(cast, service):
    from django.utils import translation

    from humaine.notifications import kinds

    params = {"figure": "drift", "subject": "fahrzeugalter", "value": 0.4, "limit": 0.25}
    params |= {"week": "2026-11-23", "n_cases": 12, "human_share": 0.25}
    for name in (monitoring_alerts.LIMIT_CROSSED, monitoring_alerts.WEEKLY_SUMMARY):
        kind = kinds.KINDS[name]
        notice = Notification(
            recipient=cast.staff,
            kind=name,
            object_type="human_ai.service",
            object_id=str(service.pk),
            params=params,
        )
        texts = {}
        for language in ("de", "en"):
            with translation.override(language):
                texts[language] = kind.text(notice)
                assert kind.link(notice) == service.get_absolute_url()
        assert service.title in texts["de"] and texts["de"] != texts["en"]
    assert "fahrzeugalter" in monitoring_alerts.KINDS[0].text(notice)


def _told(kind=monitoring_alerts.LIMIT_CROSSED) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_crossing_reaches_the_staff_responsible_for_the_company_and_no_one_else(
    cast, service, lead, scenario
):
    from humaine.contact.models import Inquiry, Membership

    in_charge = f.make_staff("betreuung")  # assigned to Acme's open inquiry
    Inquiry.objects.filter(pk=cast.acme_inquiry.pk).update(assignee=in_charge)
    elsewhere = f.make_staff("globex-betreuung")  # assigned to another company's inquiry
    Inquiry.objects.filter(pk=cast.globex_inquiry.pk).update(assignee=elsewhere)
    f.make_staff("kollegin")  # hub staff with nothing to do with Acme
    left = f.make_staff("ehemalig")  # was in charge of an Acme inquiry, left the hub
    f.make_inquiry(cast.acme, assignee=left)
    Membership.objects.filter(user=left).delete()
    gone = f.make_staff("geschlossen")  # in charge of a closed Acme inquiry
    f.make_inquiry(cast.acme, assignee=gone, status=Inquiry.Status.CLOSED)
    Member.objects.create(scenario=scenario, role="employee", user=cast.member, name="M")
    ServiceThresholds.objects.create(service=service, min_cases=1, max_human_share=0.1)
    add_cases(service, [{}] * 3, person=TEAM_PERSONS[0], decision="", decided_by="")

    assert monitoring_alerts.evaluate(service)["opened"] == [("human_share", "")]
    assert _told() == {lead.username, cast.staff.username, in_charge.username}
    for notice in Notification.objects.filter(kind=monitoring_alerts.LIMIT_CROSSED):
        assert set(notice.params) == {"figure", "subject", "value", "limit"}  # aggregates
        assert TEAM_PERSONS[0] not in json.dumps(notice.params)
    # the weekly summary goes to the same people
    week = monitoring_summary.last_week()
    tuesday = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=1), datetime.time(10))
    )
    add_cases(service, [{}] * 2, when=tuesday)
    call_command("send_service_summaries", verbosity=0)
    assert _told(monitoring_alerts.WEEKLY_SUMMARY) == _told()


def test_the_staff_of_the_scenarios_own_inquiry_are_told_even_once_it_is_closed(
    cast, service, scenario
):
    from humaine.contact.models import Inquiry

    in_charge = f.make_staff("betreuung")
    Inquiry.objects.filter(pk=cast.acme_inquiry.pk).update(
        assignee=in_charge, status=Inquiry.Status.CLOSED
    )
    scenario.inquiry = cast.acme_inquiry
    scenario.save(update_fields=["inquiry"])
    service.refresh_from_db()
    assert in_charge in monitoring_alerts.recipients(service)


def test_while_no_staff_is_responsible_every_hub_staff_member_is_told(
    cast, service, lead, scenario
):
    other = f.make_staff("kollegin")
    scenario.members.filter(role="staff").delete()
    type(scenario).objects.filter(pk=scenario.pk).update(created_by=None)
    type(service).objects.filter(pk=service.pk).update(created_by=None)
    service.versions.update(deployed_by=None)
    service.refresh_from_db()
    told = {u.username for u in monitoring_alerts.recipients(service)}
    # the editors, and every hub staff member (none is in charge): never the company's member
    assert told == {lead.username, cast.staff.username, cast.admin.username, other.username}


# -------------------------------------------------------------------- weekly summary


def test_the_weekly_summary_goes_to_the_editors_once_without_persons(cast, service, lead, scenario):
    Member.objects.create(scenario=scenario, role="employee", user=cast.member, name="M")
    week = monitoring_summary.last_week()
    tuesday = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=1), datetime.time(10))
    )
    add_cases(service, [{}] * 4, when=tuesday)
    add_cases(
        service, [{}] * 2, when=tuesday, person=TEAM_PERSONS[0], decision="nein",
        decided_by=TEAM_PERSONS[0], outcome="ja",
    )  # fmt: skip
    add_cases(service, [{}] * 5)  # this week: not in last week's summary
    call_command("send_service_summaries", verbosity=0)
    [summary] = ServiceSummary.objects.filter(service=service)
    assert summary.week == week and summary.figures["n_cases"] == 6
    assert summary.figures["overrides"] == 2 and summary.figures["human_share"] == round(2 / 6, 6)
    told = set(
        Notification.objects.filter(kind=monitoring_alerts.WEEKLY_SUMMARY).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {lead.username, cast.staff.username}  # not the company's member
    assert TEAM_PERSONS[0] not in json.dumps(summary.figures) and "persons" not in summary.figures
    call_command("send_service_summaries", verbosity=0)  # the same week again: nothing
    assert ServiceSummary.objects.count() == 1
    assert Notification.objects.filter(kind=monitoring_alerts.WEEKLY_SUMMARY).count() == 2


def test_the_weekly_summary_email_holds_the_weeks_figures(cast, service, lead, run_jobs):
    week = monitoring_summary.last_week()
    tuesday = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=1), datetime.time(10))
    )
    add_cases(service, [{}] * 7, when=tuesday, outcome="ja")
    call_command("send_service_summaries", verbosity=0)
    run_jobs()
    [email] = [m for m in mail.outbox if m.to == [lead.email]]
    assert week.isoformat() in email.subject
    assert "Verteilte Fälle: 7" in email.body and service.get_absolute_url() in email.body
    assert TEAM_PERSONS[0] not in email.body
