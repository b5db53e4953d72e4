"""What one request to the service API costs the database: the same few queries for one
case or a batch, however many cases the service keeps, and no cache round trip to
schedule the recount of the figures while one is already due."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from humaine.human_ai import deployment, monitoring_alerts

from .conftest import claim
from .test_monitoring_store import _queued_checks
from .test_service_api import post

# the token and the absences (the active version as the process read it last); the
# request (a repeated key fails there), then under the service's lock: the lock with the
# active version and its team's revision, the stream state; then the records: the row held
# against an erasure with the team's revision, the cases, the accounts of the persons
# routed to, the request's answer, the audit event
MOST_QUERIES = 10


@pytest.fixture
def token(service, cast):
    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    return key


def _unusual(reference: str) -> dict:
    # unlike the training data: routed to a person while people are present
    return claim(reference, altersgruppe="unbekannt")


def _queries_of(client, service, token, body, key) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, service, body, key=key, token=token)
    assert response.status_code == 200, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    # savepoints of the test's transaction (a COMMIT in production) are no round trip more
    return [s for s in sql if "SAVEPOINT" not in s.upper()]


def test_one_case_or_a_batch_costs_the_same_queries_however_many_cases_are_kept(
    client, service, token, settings, django_capture_on_commit_callbacks
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60

    def queries(body, key) -> list[str]:
        # each request's commit enqueues what it scheduled, as in production
        with django_capture_on_commit_callbacks(execute=True):
            return _queries_of(client, service, token, body, key)

    queries(_unusual("S-0"), "k-0")  # schedules the recount of the figures
    singles = [queries(_unusual(f"S-{i}"), f"k-{i}") for i in range(1, 6)]
    batched = queries({"cases": [_unusual(f"B-{i}") for i in range(20)]}, "k-batch")
    counts = [len(q) for q in singles]
    assert counts == [counts[0]] * 5 and len(batched) == counts[0], (counts, len(batched))
    assert counts[0] <= MOST_QUERIES, singles[0]
    # the recount is due: neither the cache nor the job queue is asked again
    assert not any("humaine_cache" in s for q in [*singles, batched] for s in q)
    assert _queued_checks() == 1


def _post(client, service, token, reference, capture) -> list[str]:
    with capture(execute=True):
        return _queries_of(client, service, token, claim(reference), f"k-{reference}")


def test_once_the_recount_started_the_next_request_schedules_the_next(
    client, service, token, settings, django_capture_on_commit_callbacks
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    capture = django_capture_on_commit_callbacks
    _post(client, service, token, "S-1", capture)
    _post(client, service, token, "S-2", capture)
    assert _queued_checks() == 1
    monitoring_alerts.started(service.pk)  # the job is counting
    _post(client, service, token, "S-3", capture)
    assert _queued_checks() == 2


def test_a_recount_another_process_scheduled_is_not_scheduled_again(
    client, service, token, settings, django_capture_on_commit_callbacks
):
    settings.HUMAN_AI_MONITORING_DELAY_SECONDS = 60
    capture = django_capture_on_commit_callbacks
    _post(client, service, token, "S-1", capture)
    monitoring_alerts.forget_scheduled()  # as a web process that did not schedule it
    asked = _post(client, service, token, "S-2", capture)
    assert any("humaine_cache" in s for s in asked)
    # it read when the job runs and asks no more until then
    later = _post(client, service, token, "S-3", capture)
    assert not any("humaine_cache" in s for s in later)
    assert _queued_checks() == 1
