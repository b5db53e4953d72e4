"""A service routes in three steps: the cases are prepared by the version's team before the
service's row lock, only the key, the turns and the state are under it, and the records
are written after, in a transaction of their own."""

import json

import pytest
from django.db import transaction

from humaine.human_ai import deployment, routing_api
from humaine.human_ai.models import CaseRequest, ServiceCase

from .conftest import claim
from .test_monitoring_store import _copy_of
from .threads import at_once


def parsed(team, references, **overrides):
    body = json.dumps({"cases": [claim(r, **overrides) for r in references]}).encode()
    return body, routing_api.parse_cases(body, routing_api.schema_of(team), max_batch=100)


def test_the_service_routes_as_the_engine_streams_with_its_state(service):
    team = routing_api.team_of(service.active_version.run)
    first = [f"A-{i}" for i in range(25)]
    second = [f"B-{i}" for i in range(25)]
    for key, references in (("k-a", first), ("k-b", second)):
        body, cases = parsed(team, references, fahrzeugalter=len(key))
        routing_api.route(service, cases, key=key, body=body)
    kept = list(ServiceCase.objects.filter(service=service).order_by("pk"))
    # the engine in one step, over the same two requests, from a fresh window
    state = team.new_stream_state()
    expected = []
    for key, references in (("k-a", first), ("k-b", second)):
        _body, cases = parsed(team, references, fahrzeugalter=len(key))
        expected.append(
            team.route(
                _frame(team, cases),
                batch=False,
                available=routing_api.available_persons(team, service.scenario),
                explain=True,
                state=state,
            )
        )
    rows = [row for routed in expected for _i, row in routed.iterrows()]
    assert [c.person or "ai" for c in kept] == [
        "ai" if r.routed_to == "ai" else r.routed_to for r in rows
    ]
    assert [c.audit for c in kept] == [bool(r.audit) for r in rows]
    assert [c.explanation["en"] for c in kept] == [r.explanation for r in rows]
    service.refresh_from_db()
    assert service.stream_state == routing_api.plain(state.to_dict())


def _frame(team, cases):
    import pandas as pd

    schema = routing_api.schema_of(team)
    frame = pd.DataFrame([[c.data.get(col) for col in schema.columns] for c in cases])
    frame.columns = list(schema.columns)
    for column, kind in schema.columns.items():
        if kind == "numeric":
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def test_cases_prepared_before_a_redeploy_are_refused_and_nothing_is_kept(
    service, finished_run, cast
):
    version = service.active_version
    team = routing_api.team_of(version.run)
    body, cases = parsed(team, ["S-1", "S-2"])
    prepared = routing_api._prepare(team, routing_api.schema_of(team), cases, service)
    # another process deploys a new version between the preparation and the lock
    deployment.deploy(service, _copy_of(finished_run), actor=cast.staff)
    with pytest.raises(routing_api.Conflict), transaction.atomic():
        routing_api._take_turns(
            service, version, team, prepared, "k-1", routing_api.body_hash(body)
        )
    assert not ServiceCase.objects.exists() and not CaseRequest.objects.exists()
    service.refresh_from_db()
    assert service.stream_state == {}
    # sent again, the request is prepared and routed by the new version
    answer, repeated = routing_api.route(service, cases, key="k-1", body=body)
    assert not repeated and answer["version"] == 2 and len(answer["cases"]) == 2


def test_a_key_a_parallel_request_took_first_fails_before_the_lock(service):
    from django.db import IntegrityError

    version = service.active_version
    team = routing_api.team_of(version.run)
    body, cases = parsed(team, ["S-1", "S-2"])
    prepared = routing_api._prepare(team, routing_api.schema_of(team), cases, service)
    # the parallel request with the same key routes and commits first
    first, _repeated = routing_api.route(service, cases, key="k-1", body=body)
    state = service.__class__.objects.get(pk=service.pk).stream_state
    with pytest.raises(IntegrityError), transaction.atomic():
        routing_api._take_turns(
            service, version, team, prepared, "k-1", routing_api.body_hash(body)
        )
    # nothing of the second is kept; route() answers it with the first's answer
    assert ServiceCase.objects.count() == 2 and CaseRequest.objects.count() == 1
    assert service.__class__.objects.get(pk=service.pk).stream_state == state
    assert routing_api.route(service, cases, key="k-1", body=body) == (first, True)


def test_a_version_deployed_by_another_process_answers_the_next_request(
    client, service, finished_run, cast
):
    from .test_service_api import post

    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    assert post(client, service, claim("S-1"), key="k-1", token=key).json()["version"] == 1
    # another process deploys: this one still keeps version 1, and sees 2 under the lock
    deployment.deploy(service, _copy_of(finished_run), actor=cast.staff)
    assert routing_api.active_version(service, cached=True).number == 1
    response = post(client, service, claim("S-2"), key="k-2", token=key)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert ServiceCase.objects.get(reference="S-2").version.number == 2
    assert routing_api.active_version(service, cached=True).number == 2
    # a repeated key is found under the lock and gets the first answer
    again = post(client, service, claim("S-1"), key="k-1", token=key)
    assert again.status_code == 200 and again.json()["version"] == 1
    assert ServiceCase.objects.count() == CaseRequest.objects.count() == 2


def test_cases_that_do_not_fit_the_kept_version_are_checked_against_the_active_one(
    client, service, finished_run, cast
):
    from .test_service_api import post

    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    assert post(client, service, claim("S-1"), key="k-1", token=key).status_code == 200
    deployment.deploy(service, _copy_of(finished_run), actor=cast.staff)
    # a new version may take other inputs: a case the kept one refuses is checked again
    response = post(client, service, claim("S-2", unbekannt=1), key="k-2", token=key)
    assert response.status_code == 400
    assert routing_api.active_version(service, cached=True).number == 2


@pytest.mark.parametrize(
    "values",
    [
        [3],
        [3, None],
        [2.5, 3],
        [None],
        [None, None],
        [2**60, 1],
        [2**63, 1],
        [-(2**63), 0],
        [2**53 + 1, 0.5],
        [1e308, -0.0],
    ],
)
def test_the_cases_frame_is_the_one_pandas_reads(values):
    import pandas as pd

    schema = routing_api.Schema(
        {"n": "numeric", "k": "categorical", "t": "text"}, {"cost": "numeric"}, ["a", "b"]
    )
    cases = [
        routing_api.CaseInput(f"S-{i}", {"n": v, "k": ["Glas", None, 3][i % 3], "t": "x"})
        for i, v in enumerate(values)
    ]
    # as the hub built it before: one frame of objects, numeric columns through to_numeric
    expected = pd.DataFrame(
        [[c.data.get(col) for col in "nkt"] for c in cases], columns=list("nkt")
    )
    expected["n"] = pd.to_numeric(expected["n"], errors="coerce")
    pd.testing.assert_frame_equal(routing_api.case_frame(schema, cases), expected)


def test_a_request_whose_records_fail_gives_its_key_back(service, monkeypatch):
    team = routing_api.team_of(service.active_version.run)
    body, cases = parsed(team, ["S-1"])
    real = routing_api._record

    def failing(*args, **kwargs):
        raise RuntimeError("the process lost its database in the middle")

    monkeypatch.setattr(routing_api, "_record", failing)
    with pytest.raises(RuntimeError):
        routing_api.route(service, cases, key="k-1", body=body)
    # nothing recorded, the key free: the client's retry is routed and answered
    assert not CaseRequest.objects.exists() and not ServiceCase.objects.exists()
    monkeypatch.setattr(routing_api, "_record", real)
    answer, repeated = routing_api.route(service, cases, key="k-1", body=body)
    assert not repeated and [c["id"] for c in answer["cases"]] == ["S-1"]
    assert ServiceCase.objects.count() == 1


def test_a_repeated_key_waits_for_the_first_answer_and_then_says_so(service, monkeypatch):
    from django.utils import translation

    translation.activate("en")
    team = routing_api.team_of(service.active_version.run)
    body, cases = parsed(team, ["S-1"])
    # a parallel request took the key and is writing its records: no answer yet
    CaseRequest.objects.create(service=service, key="k-1", body_hash=routing_api.body_hash(body))
    monkeypatch.setattr(routing_api, "PENDING_WAIT_SECONDS", 0.2)
    with pytest.raises(routing_api.Conflict, match="still being answered"):
        routing_api.route(service, cases, key="k-1", body=body)
    assert CaseRequest.objects.count() == 1 and not ServiceCase.objects.exists()
    # where the request would be refused anyway, a pending first request is no answer
    assert routing_api.earlier_answer(service, "k-1", body) is None
    # another body under that key is refused at once
    other, other_cases = parsed(team, ["S-2"])
    with pytest.raises(routing_api.Conflict, match="another request"):
        routing_api.route(service, other_cases, key="k-1", body=other)


def test_a_key_whose_request_died_before_answering_is_routed_anew(service):
    import datetime

    from django.utils import timezone

    team = routing_api.team_of(service.active_version.run)
    body, cases = parsed(team, ["S-1"])
    long_ago = timezone.now() - datetime.timedelta(seconds=routing_api.PENDING_DEAD_SECONDS + 5)
    dead = CaseRequest.objects.create(
        service=service, key="k-1", body_hash=routing_api.body_hash(body), created_at=long_ago
    )
    answer, repeated = routing_api.route(service, cases, key="k-1", body=body)
    assert not repeated and [c["id"] for c in answer["cases"]] == ["S-1"]
    kept = CaseRequest.objects.get(service=service, key="k-1")
    assert kept.pk != dead.pk and kept.response == answer
    assert routing_api.route(service, cases, key="k-1", body=body) == (answer, True)


def test_an_erasure_between_the_turns_and_the_records_keeps_no_old_name(service):
    from humaine.human_ai.models import Run

    version = service.active_version
    team = routing_api.team_of(version.run)
    body, cases = parsed(team, ["S-1", "S-2"])
    prepared = routing_api._prepare(team, routing_api.schema_of(team), cases, service)
    with transaction.atomic():
        request, turns, revision, at = routing_api._take_turns(
            service, version, team, prepared, "k-1", routing_api.body_hash(body)
        )
    # an erasure renames a person and raises the team's revision (personal_data)
    run = Run.objects.get(pk=version.run_id)
    Run.objects.filter(pk=run.pk).update(result={**run.result, "team_revision": revision + 1})
    with pytest.raises(routing_api.VersionChanged), transaction.atomic():
        routing_api._record(
            service, version, team, prepared, (turns, revision, at), cases, request, None
        )
    assert not ServiceCase.objects.exists()


def test_processes_fetching_a_team_at_once_never_read_half_a_copy(service):
    import shutil

    from humaine.human_ai import engine, services

    run = service.active_version.run
    folder = services.local_folder(run)
    shutil.rmtree(folder, ignore_errors=True)
    # a copy left half done by a process that died: no team file in it
    (folder / "team").mkdir(parents=True)
    got, failures = at_once(4, lambda: services.run_folder(run), timeout=60)
    assert not failures and got == [folder] * 4, failures
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(folder.name)) == [
        folder.name
    ]
    engine.forget_teams()
    assert routing_api.team_of(run).persons_
