"""A new run from a service's recorded cases: built as the usual job, compared with the
active version on the same held-out cases, deployed only when the editor confirms."""

import json

import pytest
from django.urls import reverse

from humaine.core.models import AuditEvent
from humaine.human_ai import rebuild, routing_api, synthetic, worklist
from humaine.human_ai.models import DataSet, Run, ServiceCase

from .conftest import FEATURES, TEAM_PERSONS

NAMES = dict(zip(TEAM_PERSONS, synthetic.PERSONS["insurance"]))


def record_cases(service, staff, n: int, *, outcomes: int | None = None, seed: int = 11):
    """Route ``n`` generated claims through the service; the persons the team chose record
    their decision (as the generator's person decided it); ``outcomes`` cases get their
    true outcome."""
    frame = synthetic.make("insurance", n, seed=seed)
    cases = [
        {
            "id": f"R-{i}",
            "data": {c: row[c].item() if hasattr(row[c], "item") else row[c] for c in FEATURES},
        }
        for i, (_, row) in enumerate(frame.iterrows())
    ]
    body = json.dumps({"cases": cases}).encode()
    team = routing_api.team_of(service.active_version.run)
    parsed = routing_api.parse_cases(body, routing_api.schema_of(team), max_batch=n)
    routing_api.route(service, parsed, key=f"rebuild-{seed}", body=body)
    truth = dict(zip((c["id"] for c in cases), frame["berechtigt"]))
    own = {c["id"]: row for c, (_, row) in zip(cases, frame.iterrows())}
    routed = list(ServiceCase.objects.filter(service=service).order_by("pk"))
    for k, case in enumerate(routed):
        if case.person:
            said = own[case.reference][NAMES[case.person]]
            worklist.record_decision(
                case, said if isinstance(said, str) else truth[case.reference], actor=staff
            )
        if outcomes is None or k < outcomes:
            worklist.record_outcome(case, truth[case.reference], actor=staff)
    return list(ServiceCase.objects.filter(service=service).order_by("pk"))


def test_too_few_cases_with_an_outcome_get_a_clear_message(cast, client_for, service, settings):
    settings.HUMAN_AI_REBUILD_MIN_CASES = 80
    record_cases(service, cast.staff, 40, outcomes=25)
    client = client_for(cast.staff)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "rebuild-form" in page and "25" in page and "80" in page
    response = client.post(
        reverse("human_ai:service_rebuild", args=[service.scenario_id, service.pk]), follow=True
    )
    text = response.content.decode()
    assert (
        "Nur 25 weitergeleitete Fälle haben ein Ergebnis" in text or "Only 25 routed cases" in text
    )
    assert not DataSet.objects.filter(service=service).exists()
    assert not Run.objects.filter(baseline__service=service).exists()


def test_the_recorded_table_holds_inputs_decisions_and_outcomes(cast, service, settings):
    routed = record_cases(service, cast.staff, 60, outcomes=50)
    team = routing_api.team_of(service.active_version.run)
    frame, decisions, mapping, persons = rebuild.recorded_table(service, team)
    assert len(frame) == 50 and set(FEATURES) <= set(frame.columns)
    assert mapping.target == "outcome" and mapping.time == "routed_at" and mapping.id == "case"
    by_pk = {str(c.pk): c for c in routed}
    for _, row in frame.iterrows():
        assert row["outcome"] == by_pk[row["case"]].outcome
    decided = [c for c in routed[:50] if c.person]
    assert len(decisions) == len(decided) and set(persons) <= set(TEAM_PERSONS)
    for _, row in decisions.iterrows():
        case = ServiceCase.objects.get(pk=int(row["case_id"]))
        assert row["person"] == case.decided_by and row["decision"] == case.decision
    # no pseudonym in the mapping (it would outlive an erasure there)
    assert not any(p in json.dumps(mapping.to_dict()) for p in TEAM_PERSONS)


def test_strangers_get_404_and_readers_may_not_rebuild(cast, client_for, service):
    url = reverse("human_ai:service_rebuild", args=[service.scenario_id, service.pk])
    assert client_for(cast.other_member).post(url).status_code == 404
    assert client_for(cast.member).post(url).status_code == 403


@pytest.mark.slow
def test_a_rebuilt_run_is_compared_and_replaces_the_active_version_when_confirmed(
    cast, client_for, service, settings, run_jobs
):
    settings.HUMAN_AI_REBUILD_MIN_CASES = 100
    record_cases(service, cast.staff, 260)
    client = client_for(cast.staff)
    response = client.post(
        reverse("human_ai:service_rebuild", args=[service.scenario_id, service.pk])
    )
    # the request only made the data set; reading and checking the records is a job
    dataset = DataSet.objects.get(service=service)
    assert response["Location"] == dataset.get_absolute_url()
    assert dataset.status == DataSet.Status.CHECKING
    assert not Run.objects.filter(dataset=dataset).exists()
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "from-service" in page and f"progress-{dataset.check_progress_id}" in page
    assert "rebuild-checks" in client.get(service.get_absolute_url()).content.decode()
    run_jobs()
    run = Run.objects.get(baseline__service=service)
    first = service.active_version
    assert run.baseline == first and run.capacity == first.run.capacity
    dataset.refresh_from_db()
    assert run.dataset == dataset and dataset.is_ready and dataset.summary["n_cases"] == 260
    assert dataset.check_progress.status == "done" and dataset.cases_preview["n_rows"] == 260
    assert "comparison" in client.get(run.get_absolute_url()).content.decode()
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    figures = rebuild.comparison(run)
    assert figures["error"] == "" and figures["n_cases"] == run.evaluation["n_cases"]
    assert figures["new"]["team"]["accuracy"] == run.evaluation["team"]["accuracy"]
    assert 0 <= figures["active"]["team"]["accuracy"] <= 1
    assert set(figures["new"]["methods"]) and not any(
        p in json.dumps(figures) for p in TEAM_PERSONS
    )
    page = client.get(run.get_absolute_url()).content.decode()
    assert "comparison-table" in page and "replace-form" in page
    # the member sees the comparison, without the form
    reader = client_for(cast.member).get(run.get_absolute_url()).content.decode()
    assert "comparison-table" in reader and "replace-form" not in reader
    replace = reverse("human_ai:run_replace", args=[service.scenario_id, run.pk])
    client.post(replace)  # not confirmed: nothing changes
    assert service.active_version == first
    assert client_for(cast.member).post(replace, {"confirm": "on"}).status_code == 403
    assert service.active_version == first
    client = client_for(cast.staff)
    response = client.post(replace, {"confirm": "on"})
    assert response["Location"] == service.get_absolute_url()
    second = service.active_version
    assert second.run == run and second.number == 2
    first.refresh_from_db()
    assert first.retired_at is not None
    assert AuditEvent.objects.filter(action="service.rebuild_started").exists()
    assert AuditEvent.objects.filter(action="service.deployed").count() == 2
    assert "replace-form" not in client.get(run.get_absolute_url()).content.decode()
    # once replaced, an older comparison no longer offers to deploy
    with pytest.raises(rebuild.TeamError):
        rebuild.deploy_rebuilt(run, confirm=True, actor=cast.staff)


def _start(client, service):
    response = client.post(
        reverse("human_ai:service_rebuild", args=[service.scenario_id, service.pk])
    )
    dataset = DataSet.objects.get(service=service)
    assert response["Location"] == dataset.get_absolute_url()
    return dataset


def test_the_records_are_read_and_checked_by_a_job_whose_problems_show_on_the_page(
    cast, client_for, service, settings, run_jobs
):
    """Outcomes of one class only: the job's data check refuses them; the data set's page
    names the problem; no run is started."""
    settings.HUMAN_AI_REBUILD_MIN_CASES = 30
    routed = record_cases(service, cast.staff, 40)
    ServiceCase.objects.filter(pk__in=[c.pk for c in routed]).update(outcome="ja")
    client = client_for(cast.staff)
    dataset = _start(client, service)
    assert dataset.status == DataSet.Status.CHECKING
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.PROBLEMS
    assert [p["code"] for p in dataset.problems] == ["one_class"]
    assert dataset.check_progress.status == "done"
    assert not Run.objects.filter(dataset=dataset).exists()
    client.cookies["django_language"] = "de"
    page = client.get(dataset.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "hat nur einen Wert" in page or "has only one value" in page
    assert "rebuild-checks" in client.get(service.get_absolute_url()).content.decode()


def test_too_few_cases_left_when_the_job_runs_is_shown_on_the_data_sets_page(
    cast, client_for, service, settings, run_jobs
):
    settings.HUMAN_AI_REBUILD_MIN_CASES = 35
    routed = record_cases(service, cast.staff, 40)
    client = client_for(cast.staff)
    dataset = _start(client, service)
    # outcomes taken back (an erasure, the retention period) before the job ran
    ServiceCase.objects.filter(pk__in=[c.pk for c in routed[:10]]).update(outcome="")
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.PROBLEMS
    assert dataset.problems[0]["code"] == "too_few_recorded" and dataset.problems[0]["count"] == 30
    assert not Run.objects.filter(dataset=dataset).exists()
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "30" in page and "35" in page
    assert "routed cases of the service have an outcome" in page or "Ergebnis" in page


def test_strangers_get_404_for_a_rebuilt_data_set_and_its_progress(
    cast, client_for, service, settings
):
    settings.HUMAN_AI_REBUILD_MIN_CASES = 30
    record_cases(service, cast.staff, 40)
    dataset = _start(client_for(cast.staff), service)
    stranger = client_for(cast.other_member)
    assert stranger.get(dataset.get_absolute_url()).status_code == 404
    progress = reverse("core:progress", args=[dataset.check_progress_id])
    assert stranger.get(progress).status_code == 404
    assert client_for(cast.staff).get(progress).status_code == 200


def test_a_rebuild_whose_worker_was_killed_is_taken_back_and_queues_its_run_once(
    cast, client_for, service, settings, transactional_db
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.HUMAN_AI_REBUILD_MIN_CASES = 30
    settings.JOB_RETRY_DELAY_SECONDS = 0
    record_cases(service, cast.staff, 60)
    # every person who decided a case of the 60 becomes a person of the new team
    DataSet.objects.filter(pk=service.active_version.run.dataset_id).update(
        mapping={"min_person_cases": 1}
    )
    dataset = _start(client_for(cast.staff), service)
    job = DBTaskResult.objects.get(task_path__endswith="rebuild_dataset")
    # a worker took the job and was killed
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=10), worker_ids=["killed"]
    )

    def one_job():
        call_command(
            "run_worker", "--batch", "--no-startup-delay", "--interval", "0", "--max-tasks", "1"
        )

    one_job()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.READY, dataset.problems
    run = Run.objects.get(dataset=dataset)
    assert run.baseline == service.active_version and run.status == Run.Status.QUEUED
    first, second = DBTaskResult.objects.filter(task_path__endswith="rebuild_dataset").order_by(
        "enqueued_at"
    )
    assert first.status == "FAILED" and first.exception_class_path.endswith("Abandoned")
    assert second.status == "SUCCESSFUL"
    # the job again (a worker killed after it finished, say): nothing is done twice
    second.task.enqueue(*second.args_kwargs["args"])
    one_job()
    assert Run.objects.filter(dataset=dataset).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="build_run").count() == 1
