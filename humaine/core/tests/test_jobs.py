"""Background jobs: retried when they fail, each attempt and each failure visible to staff."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from humaine.core import jobs
from humaine.core.jobs import job
from humaine.core.models import JobWorker

CALLS: list[str] = []


@job
def always_fails(marker: str) -> None:
    CALLS.append(marker)
    raise RuntimeError(f"the mail server is down ({marker})")


@job
def fails_once(marker: str) -> str:
    CALLS.append(marker)
    if CALLS.count(marker) == 1:
        raise RuntimeError("first attempt fails")
    return "done"


@job(max_attempts=1)
def fails_without_retry() -> None:
    raise ValueError("never retried")


def results(task) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path__endswith=task.name).order_by("enqueued_at", "pk")
    )


def setup_function():
    CALLS.clear()


def test_failing_job_is_retried_up_to_the_limit_each_attempt_visible(
    transactional_db, run_jobs, settings
):
    settings.JOB_MAX_ATTEMPTS = 3
    settings.JOB_RETRY_DELAY_SECONDS = 0
    always_fails.enqueue("a")
    run_jobs()
    assert CALLS == ["a", "a", "a"]
    attempts = results(always_fails)
    assert [r.status for r in attempts] == ["FAILED"] * 3
    assert [jobs.attempt_of(r) for r in attempts] == [1, 2, 3]
    assert all("the mail server is down" in r.traceback for r in attempts)


def test_job_that_fails_once_succeeds_on_its_retry(transactional_db, run_jobs, settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0
    fails_once.enqueue("b")
    run_jobs()
    assert [r.status for r in results(fails_once)] == ["FAILED", "SUCCESSFUL"]


def test_retry_waits_before_running_again(transactional_db, run_jobs, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    settings.JOB_RETRY_DELAY_SECONDS = 600
    always_fails.enqueue("c")
    run_jobs()
    assert CALLS == ["c"]
    failed, waiting = results(always_fails)
    assert failed.status == "FAILED" and waiting.status == "READY"
    assert waiting.run_after > timezone.now() + timedelta(seconds=500)


def test_job_with_its_own_limit_is_not_retried(transactional_db, run_jobs, settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0
    fails_without_retry.enqueue()
    run_jobs()
    assert [r.status for r in results(fails_without_retry)] == ["FAILED"]


def test_failure_is_visible_on_the_staff_jobs_page(cast, client_for, run_jobs, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    settings.JOB_RETRY_DELAY_SECONDS = 0
    always_fails.enqueue("d")
    run_jobs()
    response = client_for(cast.staff).get(reverse("core:jobs"))
    assert response.status_code == 200
    assert len(response.context["failed"]) == 2
    page = response.content.decode()
    assert "always_fails" in page
    assert "builtins.RuntimeError" in page
    assert "the mail server is down (d)" in page
    # job states in German, not django-tasks' English labels
    assert "<td>fehlgeschlagen</td>" in page and ">Failed<" not in page


def test_run_again_re_enqueues_a_failed_job(cast, client_for, run_jobs, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    settings.JOB_RETRY_DELAY_SECONDS = 0
    always_fails.enqueue("e")
    run_jobs()
    (failed,) = results(always_fails)
    response = client_for(cast.staff).post(reverse("core:job_rerun", args=[failed.pk]))
    assert response.status_code == 302
    again = DBTaskResult.objects.exclude(pk=failed.pk).get(task_path__endswith=always_fails.name)
    assert again.status == "READY"
    assert again.args_kwargs["args"] == ["e"]
    assert jobs.attempt_of(again) == 1
    run_jobs()
    assert CALLS == ["e", "e"]


def test_run_again_refuses_a_successful_job(cast, client_for, db):
    result = always_fails.enqueue("f")
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL")
    response = client_for(cast.staff).post(reverse("core:job_rerun", args=[result.id]), follow=True)
    assert response.status_code == 200
    assert "Nur fehlgeschlagene oder hängende Aufträge können erneut laufen." in (
        response.content.decode()
    )
    assert DBTaskResult.objects.count() == 1


def test_run_again_is_for_staff_only_and_unknown_jobs_are_not_found(cast, client_for, db):
    with_member = client_for(cast.member)
    result = always_fails.enqueue("g")
    assert with_member.post(reverse("core:job_rerun", args=[result.id])).status_code == 403
    staff = client_for(cast.staff)
    missing = "00000000-0000-0000-0000-000000000000"
    assert staff.post(reverse("core:job_rerun", args=[missing])).status_code == 404
    assert staff.post("/staff/jobs/not-a-uuid/rerun/").status_code == 404


def _running(result_id, *, worker_id="w-1", minutes_ago=10):
    DBTaskResult.objects.filter(pk=result_id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[worker_id],
    )


def test_job_whose_worker_lease_ran_out_is_abandoned_and_can_run_again(cast, client_for, db):
    dead = always_fails.enqueue("h")
    _running(dead.id, worker_id="dead")
    JobWorker.objects.create(
        worker_id="dead", hostname="h", pid=1, seen_at=timezone.now() - timedelta(minutes=5)
    )
    alive = always_fails.enqueue("i")
    _running(alive.id, worker_id="alive")
    JobWorker.objects.create(worker_id="alive", hostname="h", pid=2, seen_at=timezone.now())
    client = client_for(cast.staff)
    abandoned = client.get(reverse("core:jobs")).context["abandoned"]
    assert [str(r.pk) for r in abandoned] == [str(dead.id)]
    client.post(reverse("core:job_rerun", args=[dead.id]))
    assert DBTaskResult.objects.get(pk=dead.id).status == "FAILED"
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_run_again_refuses_a_job_still_running_on_a_live_worker(cast, client_for, db):
    result = always_fails.enqueue("j")
    _running(result.id, worker_id="alive", minutes_ago=90)
    JobWorker.objects.create(worker_id="alive", hostname="h", pid=2, seen_at=timezone.now())
    response = client_for(cast.staff).post(reverse("core:job_rerun", args=[result.id]), follow=True)
    assert "läuft noch" in response.content.decode()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    assert DBTaskResult.objects.count() == 1


def test_a_worker_takes_back_an_abandoned_job_and_runs_it_again(
    transactional_db, run_jobs, settings
):
    settings.JOB_RETRY_DELAY_SECONDS = 0
    result = fails_once.enqueue("k")
    _running(result.id, worker_id="killed")
    CALLS.append("k")  # the killed worker's attempt
    run_jobs()
    first, second = results(fails_once)
    assert first.status == "FAILED" and first.exception_class_path.endswith("Abandoned")
    assert second.status == "SUCCESSFUL"
    assert jobs.attempt_of(second) == 1 and jobs.abandoned_of(second) == 1
    assert CALLS == ["k", "k"]


def test_a_dead_worker_does_not_use_up_the_jobs_attempts(transactional_db, run_jobs, settings):
    settings.JOB_RETRY_DELAY_SECONDS = 0
    result = fails_without_retry.enqueue()
    _running(result.id, worker_id="killed")
    run_jobs()
    first, second = results(fails_without_retry)
    assert first.exception_class_path.endswith("Abandoned")
    assert second.status == "FAILED" and second.exception_class_path.endswith("ValueError")
    assert jobs.attempt_of(second) == 1 and jobs.abandoned_of(second) == 1


def test_a_job_whose_workers_keep_dying_stops_after_the_limit(transactional_db, run_jobs, settings):
    settings.JOB_MAX_ABANDONED = 2
    result = always_fails.enqueue("m", _abandoned=2)
    _running(result.id, worker_id="killed")
    run_jobs()
    assert [r.status for r in results(always_fails)] == ["FAILED"]
    assert CALLS == []


def test_an_effect_is_done_once_per_key_and_not_recorded_when_it_fails(db):
    done = []
    assert jobs.run_once("k1", lambda: done.append(1)) is True
    assert jobs.run_once("k1", lambda: done.append(2)) is False

    def broken():
        raise ConnectionError("smtp down")

    with pytest.raises(ConnectionError):
        jobs.run_once("k2", broken)
    assert jobs.run_once("k2", lambda: done.append(3)) is True
    assert done == [1, 3]


def test_running_a_sent_confirmation_again_sends_no_second_email(
    cast, client_for, run_jobs, mailoutbox
):
    from humaine.contact import tasks

    inquiry = cast.acme_inquiry
    tasks.send_inquiry_confirmation.enqueue(inquiry.pk)
    run_jobs()
    assert len(mailoutbox) == 1
    sent = DBTaskResult.objects.get(task_path__endswith="send_inquiry_confirmation")
    # staff runs it again (as after a crash that left it failed)
    DBTaskResult.objects.filter(pk=sent.pk).update(status="FAILED")
    client_for(cast.staff).post(reverse("core:job_rerun", args=[sent.pk]))
    run_jobs()
    assert len(mailoutbox) == 1
    again = DBTaskResult.objects.exclude(pk=sent.pk).get(
        task_path__endswith="send_inquiry_confirmation"
    )
    assert again.return_value == "already sent"


def test_healthz_jobs_reports_a_dead_worker_and_the_oldest_waiting_job(client, db, settings):
    settings.JOB_WAIT_ALERT_SECONDS = 300
    response = client.get("/healthz/jobs")
    assert response.status_code == 503
    assert response.json()["problems"] == ["no live worker"]
    assert client.get("/healthz").json()["jobs"] == "error"
    JobWorker.objects.create(worker_id="w", hostname="h", pid=1, seen_at=timezone.now())
    assert client.get("/healthz/jobs").status_code == 200
    waiting = always_fails.enqueue("l")
    DBTaskResult.objects.filter(pk=waiting.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )
    body = client.get("/healthz/jobs").json()
    assert body["problems"] == ["jobs waiting too long"]
    assert 590 < body["oldest_waiting_seconds"] < 700
    assert body["live_workers"] == 1 and body["waiting"] == 1
