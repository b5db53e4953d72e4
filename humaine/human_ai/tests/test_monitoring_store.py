"""The service page shows the monitoring figures as last counted: a routed case does not
make the next page view count; the background job counts them again and checks the limits
on them; an erasure renames the person in them at once; the weekly summary spans a redeploy."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from humaine.contact import services as contact_services
from humaine.human_ai import (
    deployment,
    monitoring,
    monitoring_alerts,
    monitoring_store,
    monitoring_summary,
    records,
    worklist,
)
from humaine.human_ai.models import (
    MonitoringSnapshot,
    OutcomeCount,
    PersonLink,
    ServiceCase,
    ServiceSummary,
    ServiceThresholds,
    ThresholdCrossing,
)
from humaine.tests import factories as f
from humaine.tests.leaks import assert_nowhere

from .conftest import TEAM_PERSONS, claim, counted
from .test_monitoring import add_cases, route


def _page(client, service, days=None):
    url = service.get_absolute_url() + (f"?days={days}" if days else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _queued_checks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith="check_service_limits").count()


def _window_queries(queries) -> list[str]:
    """The queries over a window of recorded cases: what counting the figures, drift and
    fairness runs (``monitoring.cases_in``)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "human_ai_servicecase" in q["sql"] and '"created_at" >=' in q["sql"]
    ]


def test_the_first_view_counts_nothing_and_queues_the_count_at_once(
    cast, client_for, service, settings, django_capture_on_commit_callbacks
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    client = client_for(cast.staff)
    add_cases(service, [{}] * 5)
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        page = _page(client, service, days=7)
    assert _window_queries(queries) == []  # nothing counted in the request
    # the window is asked for: a row without figures, and the count queued to run now
    [snapshot] = MonitoringSnapshot.objects.filter(version=service.active_version)
    assert snapshot.days == 7 and snapshot.stamp == monitoring_store.ASKED
    assert snapshot.figures == {} and snapshot.drift == {} and snapshot.fairness == {}
    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.filter(task_path__endswith="check_service_limits")
    assert queued.args_kwargs["args"] == [service.pk]
    assert queued.run_after <= timezone.now()  # not after the delay
    # the page says so, with a reload link (and polls itself with htmx)
    assert 'id="monitoring-pending"' in page and 'id="monitoring-reload"' in page
    assert 'href="?days=7#monitoring"' in page and 'hx-trigger="every 5s"' in page
    assert 'id="monitoring-as-of"' not in page and 'id="monitoring-window"' not in page
    # another view while it waits: still nothing counted, no second job
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        again = _page(client, service, days=7)
        other = _page(client, service, days=90)
    assert _window_queries(queries) == [] and _queued_checks() == 1
    assert 'id="monitoring-pending"' in again and 'id="monitoring-pending"' in other
    assert MonitoringSnapshot.objects.filter(stamp=monitoring_store.ASKED).count() == 2


def test_the_page_says_in_german_and_english_that_the_figures_are_counted(
    cast, client_for, service
):
    client = client_for(cast.staff)
    add_cases(service, [{}] * 2)
    text = _page(client, service)
    assert "Die Zahlen der letzten 30 Tage werden gerade im Hintergrund berechnet" in text
    assert "Seite neu laden" in text
    english = client.get("/en" + service.get_absolute_url())
    assert "The figures of the last 30 days are being counted" in english.content.decode()


def test_after_the_job_the_asked_windows_show_their_figures(
    cast, client_for, service, settings, run_jobs
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    client = client_for(cast.staff)
    add_cases(service, [{}] * 4)
    assert 'id="monitoring-pending"' in _page(client, service, days=7)
    assert 'id="monitoring-pending"' in _page(client, service, days=90)
    run_jobs()  # the one job, due at once, counts every asked window
    snapshots = {s.days: s for s in MonitoringSnapshot.objects.all()}
    assert set(snapshots) == {7, 30, 90}
    assert all(s.stamp != monitoring_store.ASKED for s in snapshots.values())
    assert all(s.figures["n_cases"] == 4 for s in snapshots.values())
    for days in (7, 90):
        page = _page(client, service, days=days)
        assert 'id="monitoring-pending"' not in page and "hx-trigger" not in page
        assert 'id="monitoring-as-of"' in page and 'id="monitoring-stale"' not in page
        assert "<dd>4</dd>" in page
    # the job let go of its turn: the next change queues the next count (after the delay)
    assert monitoring_alerts.schedule(service.pk) is True


def test_routed_cases_leave_the_page_of_counted_figures_flat(
    cast, client_for, service, settings, django_capture_on_commit_callbacks
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    client = client_for(cast.staff)
    add_cases(service, [{}] * 5)
    snapshot = monitoring_store.count(service.active_version, 30)
    monitoring_store.count_outcomes(service)  # the new run panel's, counted by the same job
    page = _page(client, service)
    assert 'id="monitoring-as-of"' in page and 'id="monitoring-stale"' not in page
    assert timezone.localtime(snapshot.counted_at).strftime("%H:%M") in page
    counted = (snapshot.counted_at, snapshot.stamp)

    def view():
        with CaptureQueriesContext(connection) as queries:
            text = _page(client, service)
        assert _window_queries(queries) == []
        return text, len(queries)

    with django_capture_on_commit_callbacks(execute=True):
        route(service, [claim(f"N-{i}") for i in range(3)], key="one")
        view()  # the first stale view reads when the recount is due (the cache), once
        small, stale_queries = view()
        add_cases(service, [{}] * 400, when=timezone.now() + datetime.timedelta(seconds=1))
        large, large_queries = view()
    # the stored figures stay as counted: nothing counted synchronously, however many cases
    snapshot.refresh_from_db()
    assert (snapshot.counted_at, snapshot.stamp) == counted and snapshot.figures["n_cases"] == 5
    assert large_queries == stale_queries  # flat as the cases grow
    assert 'id="monitoring-stale"' in small and 'id="monitoring-stale"' in large
    assert "<dd>5</dd>" in large
    # routing scheduled one recount; the stale pages added none within the delay
    assert _queued_checks() == 1


def _case_counts(queries) -> list[str]:
    """The queries that count over the recorded cases (the service page must run none)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "human_ai_servicecase" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]


def test_the_new_run_panel_counts_no_cases_in_the_request(cast, client_for, service, settings):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    client = client_for(cast.staff)
    add_cases(service, [{}] * 5, outcome="ja")
    counted(service)
    later = timezone.now() + datetime.timedelta(seconds=1)

    def view():
        with CaptureQueriesContext(connection) as queries:
            text = _page(client, service)
        assert _case_counts(queries) == [] and _window_queries(queries) == []
        return text, len(queries)

    add_cases(service, [{}], outcome="ja", when=later)
    # the first stale view schedules the job, the next finds it scheduled and the process
    # remembers that: later views ask the cache nothing about it
    view()
    view()
    small, small_queries = view()
    add_cases(service, [{}] * 400, outcome="nein", when=later)
    large, large_queries = view()
    assert large_queries == small_queries  # flat as the cases grow
    # the number as last counted (the cases added in bulk since wait for the job)
    for page in (small, large):
        assert 'id="rebuild-count">5 weitergeleitete Fälle haben ein Ergebnis' in page


def test_the_new_run_panel_shows_the_outcomes_after_the_job_and_each_recorded_one(
    cast, client_for, service, settings, run_jobs
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    client = client_for(cast.staff)
    add_cases(service, [{}] * 3, outcome="ja")
    open_cases = add_cases(service, [{}] * 2)
    # never counted: the page says it is being counted and queues the count at once
    page = _page(client, service)
    assert 'id="rebuild-pending"' in page and 'id="rebuild-count"' not in page
    assert "Die weitergeleiteten Fälle mit Ergebnis werden gerade im Hintergrund gezählt" in page
    assert _queued_checks() == 1
    run_jobs()
    assert OutcomeCount.objects.get(service=service).count == 3
    assert 'id="rebuild-count">3 weitergeleitete' in _page(client, service)
    # a recorded outcome adds one at once, with no count
    worklist.record_outcome(open_cases[0], "nein", actor=cast.staff)
    worklist.record_outcome(open_cases[0], "nein", actor=cast.staff)  # the same: no change
    assert 'id="rebuild-count">4 weitergeleitete' in _page(client, service)
    # cases past the retention are purged: counted again
    records.purge(now=timezone.now() + datetime.timedelta(days=records.retention_days() + 1))
    assert 'id="rebuild-count">0 weitergeleitete' in _page(client, service)
    english = client.get("/en" + service.get_absolute_url()).content.decode()
    assert 'id="rebuild-count">0 routed cases have an outcome' in english
    OutcomeCount.objects.all().delete()  # never counted: said in English too
    english = _page(client, service)
    assert "The routed cases with an outcome are being counted" in english


def test_the_job_counts_the_stale_windows_again_and_checks_the_limits_on_them(
    cast, client_for, service, settings, run_jobs
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 0
    ServiceThresholds.objects.create(service=service, min_cases=3, max_human_share=0.1)
    client = client_for(cast.staff)
    add_cases(service, [{}] * 4)
    _page(client, service)
    _page(client, service, days=7)
    run_jobs()  # counts the two windows the pages asked for
    before = {s.days: s.counted_at for s in MonitoringSnapshot.objects.all()}
    assert set(before) == {7, 30}
    add_cases(
        service,
        [{}] * 6,
        person=TEAM_PERSONS[0],
        decision="",
        decided_by="",
        when=timezone.now() + datetime.timedelta(seconds=1),
    )
    assert 'id="monitoring-stale"' in _page(client, service)  # schedules the recount
    run_jobs()
    after = {s.days: s for s in MonitoringSnapshot.objects.all()}
    assert all(after[d].counted_at > before[d] for d in (7, 30))
    assert after[30].figures["n_cases"] == after[7].figures["n_cases"] == 10
    # the limits were compared with the same figures the page now shows
    [crossing] = ThresholdCrossing.objects.filter(service=service)
    assert crossing.figure == "human_share" and crossing.value == after[30].figures["human_share"]
    page = _page(client, service)
    assert 'id="monitoring-stale"' not in page and "<dd>10</dd>" in page
    # nothing changed: the next check counts nothing again
    call_command("check_service_limits", verbosity=0)
    assert MonitoringSnapshot.objects.get(days=30).counted_at == after[30].counted_at


def test_the_periodic_command_counts_stale_figures_of_services_without_limits(service):
    add_cases(service, [{}] * 2)
    snapshot = monitoring_store.count(service.active_version, 30)
    add_cases(service, [{}] * 3, when=timezone.now() + datetime.timedelta(seconds=1))
    call_command("check_service_limits", verbosity=0)
    again = MonitoringSnapshot.objects.get(pk=snapshot.pk)
    assert again.figures["n_cases"] == 5 and again.counted_at > snapshot.counted_at


def test_a_window_that_moved_on_is_stale(service):
    version = service.active_version
    add_cases(service, [{}] * 2)
    snapshot = monitoring_store.count(version, 30)
    assert not monitoring_store.is_stale(snapshot, version)
    snapshot.since -= datetime.timedelta(hours=1)  # counted in the hour before
    assert monitoring_store.is_stale(snapshot, version)
    monitoring.changed([service.pk])  # a change without a newer mark (an erasure)
    assert monitoring_store.is_stale(monitoring_store.count(version, 30), version) is False
    monitoring.changed([service.pk])
    assert monitoring_store.is_stale(MonitoringSnapshot.objects.get(version=version), version)


def test_no_version_shows_no_figures_and_no_time(cast, client_for, service):
    service.versions.update(retired_at=timezone.now())
    page = _page(client_for(cast.staff), service)
    assert 'id="monitoring-as-of"' not in page and not MonitoringSnapshot.objects.exists()


@pytest.mark.filterwarnings("ignore::teaming.DataWarning")
def test_erasure_renames_the_person_in_the_stored_figures_at_once(cast, client_for, service):
    old = TEAM_PERSONS[0]
    add_cases(service, [{}] * 3, person=old, decision="", decided_by="")
    add_cases(service, [{}] * 2)
    client = client_for(cast.staff)
    for days in (30, 90):  # what the background job stores
        monitoring_store.count(service.active_version, days)
    assert old in _page(client, service)
    assert all(old in json.dumps(s.figures) for s in MonitoringSnapshot.objects.all())
    PersonLink.objects.create(scenario=service.scenario, pseudonym=old, user=cast.member)
    person = f.make_person(organisation=cast.acme, user=cast.member)

    contact_services.erase_person(person, actor=cast.staff)

    new = (
        ServiceCase.objects.filter(audit=False)
        .exclude(person="")
        .values_list("person", flat=True)[0]
    )
    for snapshot in MonitoringSnapshot.objects.all():
        text = json.dumps([snapshot.figures, snapshot.drift, snapshot.fairness])
        assert old not in text and new in text
        assert snapshot.figures["persons"][0]["cases"] == 3
    page = _page(client, service)
    assert old not in page and new in page
    assert_nowhere(old)


def _copy_of(run):
    """Another finished run with the same team (what a rebuild deploys)."""
    from django.core.files.base import ContentFile

    from humaine.human_ai.models import Run
    from humaine.scenarios.storage import private_storage

    storage = private_storage()
    copy = Run.objects.create(
        scenario=run.scenario,
        dataset=run.dataset,
        method=run.method,
        number=run.number + 1,
        status=Run.Status.DONE,
        result=run.result,
        evaluation=run.evaluation,
        files=run.files,
    )
    for relative in run.files:
        with storage.open(f"{run.storage_prefix}/{relative}", "rb") as handle:
            storage.save(f"{copy.storage_prefix}/{relative}", ContentFile(handle.read()))
    return copy


def test_the_weekly_summary_spans_a_redeploy(cast, service, finished_run):
    week = monitoring_summary.last_week()
    tuesday = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=1), datetime.time(10))
    )
    first = service.active_version
    add_cases(service, [{}] * 4, when=tuesday, outcome="ja")
    second = deployment.deploy(service, _copy_of(finished_run), actor=cast.staff)
    service.refresh_from_db()
    assert service.active_version == second and first.number != second.number
    add_cases(service, [{}] * 3, when=tuesday + datetime.timedelta(days=1), outcome="nein")
    add_cases(service, [{}] * 5)  # this week: not in last week's summary
    call_command("send_service_summaries", verbosity=0)
    [summary] = ServiceSummary.objects.filter(service=service)
    figures = summary.figures
    assert figures["n_cases"] == 7 and figures["n_outcomes"] == 7
    assert figures["ai_accuracy_measured"] == round(4 / 7, 6)
    assert figures["versions"] == [
        {"number": first.number, "n_cases": 4, "active": False},
        {"number": second.number, "n_cases": 3, "active": True},
    ]
    from humaine.human_ai import monitoring_alerts
    from humaine.notifications.models import Notification

    notice = Notification.objects.filter(kind=monitoring_alerts.WEEKLY_SUMMARY).first()
    text = monitoring_alerts.KINDS[1].text(notice)
    assert f"{first.number}, {second.number}" in text
