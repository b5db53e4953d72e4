"""Issue 12's rule: the service keeps answering while a new run is built.

The real job worker builds a run of the same scenario (its engine in a child process) while
a machine client posts cases to the deployed service from another thread; every answer is
the active version's, given while the build was running."""

import json
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from humaine.human_ai import deployment, services
from humaine.human_ai.models import Run, ServiceCase

from .conftest import claim

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL (SQLite locks)"
    ),
]


def test_the_service_keeps_answering_while_a_new_run_is_built(cast, service, ready, run_jobs):
    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    run = services.start_run(ready, method="combine", actor=cast.staff)

    answers: list[tuple[int, int | None, str]] = []
    failures: list[BaseException] = []

    def client_posting() -> None:
        try:
            client = Client()
            deadline = time.monotonic() + 300
            # wait for the worker to take the build, then post while it runs
            while Run.objects.get(pk=run.pk).status != Run.Status.RUNNING:
                assert time.monotonic() < deadline, "the build never started"
                time.sleep(0.02)
            n = 0
            while n < 20:
                response = client.post(
                    f"/api/v1/services/{service.pk}/cases",
                    json.dumps(claim(f"W-{n}", fahrzeugalter=n % 15)),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {key}",
                    HTTP_IDEMPOTENCY_KEY=f"while-{n}",
                )
                status = Run.objects.get(pk=run.pk).status
                version = response.json().get("version") if response.status_code == 200 else None
                answers.append((response.status_code, version, status))
                n += 1
                if status != Run.Status.RUNNING:
                    break
        except BaseException as error:  # reported in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    poster = threading.Thread(target=client_posting)
    poster.start()
    run_jobs()  # the worker builds the run in this thread
    poster.join(timeout=300)
    assert not poster.is_alive() and not failures, failures
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    while_building = [a for a in answers if a[2] == Run.Status.RUNNING]
    assert while_building, answers
    assert all(code == 200 and version == 1 for code, version, _status in answers), answers
    assert ServiceCase.objects.filter(service=service).count() == len(answers)
    # the new run does not replace the active version by itself
    service.refresh_from_db()
    assert service.active_version.number == 1 and service.active_version.run != run
