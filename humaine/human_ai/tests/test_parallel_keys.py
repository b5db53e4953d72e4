"""Two requests with the same Idempotency-Key at the same moment, on PostgreSQL with real
commits: the key is taken by one, the other waits for its answer and gets the same one;
the cases are routed and kept once."""

import json

import pytest
from django.db import connection, connections
from django.test import Client

from humaine.human_ai import deployment
from humaine.human_ai.models import CaseRequest, ServiceCase

from .conftest import claim
from .threads import at_once

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writers need PostgreSQL (SQLite locks)"
)


def test_the_same_key_twice_at_once_routes_once_and_answers_both_alike(
    transactional_db, cast, service
):
    _token, key = deployment.issue_token(service, name="Schadensystem", actor=cast.staff)
    body = json.dumps({"cases": [claim(f"P-{i}") for i in range(30)]})

    def send() -> tuple[int, dict]:
        try:
            response = Client().post(
                f"/api/v1/services/{service.pk}/cases",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
                HTTP_IDEMPOTENCY_KEY="same",
            )
            return response.status_code, response.json()
        finally:
            connections.close_all()

    answers, failures = at_once(3, send)
    assert not failures and len(answers) == 3, (failures, answers)
    assert [code for code, _answer in answers] == [200, 200, 200], answers
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert CaseRequest.objects.filter(service=service).count() == 1
    assert ServiceCase.objects.filter(service=service).count() == 30
