"""API of deployed human-AI teams: route cases, record their outcomes.

A machine client authenticates with its service's token (``Authorization: Bearer hs_...``,
created on the service's page); it works for that service only (another service's id is
not found) and stops at once when revoked. A person of the scenario's editors may call the
same endpoints with a personal token or session; anyone who cannot see the scenario gets
404.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from humaine import policy
from humaine.core.api_auth import session_auth, token_auth
from humaine.core.api_support import ErrorOut

from . import access as rules
from . import deployment, routing_api, worklist
from .models import Service, ServiceCase, ServiceToken
from .services import TeamError

router = Router(tags=["human-AI teams"])
log = logging.getLogger(__name__)


class ServiceTokenAuth(HttpBearer):
    """``Authorization: Bearer hs_...``: a service's own token."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        found = deployment.token_for_key(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ServiceToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


SERVICE_AUTH = [ServiceTokenAuth(), token_auth, session_auth]


def _service(request, service_id: int, *, edit: bool = True) -> Service:
    """The service the caller may use; 404 for any other (403 for a reader who may not
    post)."""
    if isinstance(request.auth, ServiceToken):
        if request.auth.service_id != service_id:
            raise Http404
        return request.auth.service
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise Http404
    access, service = rules.get_service_for_user(request.user, service.scenario_id, service.pk)
    if edit:
        policy.require(access.can_edit)
    return service


class PersonOut(Schema):
    pseudonym: str
    role: str
    account: str | None = Field(None, description="The hub account linked to the pseudonym")


class AIOut(Schema):
    decision: str
    confidence: float


class ReasonOut(Schema):
    feature: str
    value: Any = None
    contribution: float


class ExplanationOut(Schema):
    language: str = Field(..., description="de or en, after the Accept-Language header")
    text: str
    reason: str | None = Field(None, description="Why it was routed so (a code)")
    reasons: list[ReasonOut] = Field(..., description="The main factors of the AI's output")
    unusual: list[dict] = Field(..., description="How the case differs from the training data")


class CaseOut(Schema):
    case: int = Field(..., description="The hub's id of the case (for its outcome)")
    id: str = Field(..., description="Your reference of the case, as posted")
    routed_to: str = Field(..., description="ai (the AI decides) or person")
    person: PersonOut | None = Field(
        None, description="Who decides (routed to a person) or checks (an audit case)"
    )
    audit: bool = Field(..., description="The AI decides, and a person checks the decision")
    decision: str | None = Field(None, description="The decision now (none: a person decides)")
    ai: AIOut
    explanation: ExplanationOut


class CasesOut(Schema):
    service: int
    version: int
    cases: list[CaseOut]


class OutcomeOut(Schema):
    case: int
    id: str
    outcome: str
    decision: str | None


class CaseIn(Schema):
    """One case: your reference and the team's input columns (the service's page lists
    them); every input is required, others are refused."""

    id: str = Field(..., max_length=routing_api.MAX_REFERENCE)
    data: dict[str, Any]


class OutcomeIn(Schema):
    outcome: str = Field(..., description="The true outcome: one of the team's decisions")


CASE_SCHEMA = CaseIn.model_json_schema()


class ServiceOut(Schema):
    id: int
    title: str
    scenario: int
    version: int | None = Field(None, description="The active version (none: not deployed)")
    inputs: dict[str, str] = Field(
        ..., description="Each input a case must carry: numeric, categorical or text"
    )
    groups: list[str] = Field(
        [],
        description=(
            "Group columns for the fairness figures that are no input: a case may carry them"
            " (kept with the case, never given to the team)"
        ),
    )
    decisions: list[str] = Field(..., description="The decisions (and outcomes) of the team")


@router.get(
    "/services/{service_id}",
    auth=SERVICE_AUTH,
    response={200: ServiceOut, 401: ErrorOut, 404: ErrorOut},
    summary="A deployed team: its active version, the inputs of a case, the decisions",
)
def get_service(request, service_id: int):
    service = _service(request, service_id, edit=False)
    version = service.active_version
    out = {
        "id": service.pk,
        "title": service.title,
        "scenario": service.scenario_id,
        "version": version.number if version else None,
        "inputs": {},
        "decisions": [],
    }
    if version is not None:
        # as the run's build recorded them (no model is loaded to answer)
        result = version.run.result or {}
        inputs = {str(k): str(v) for k, v in (result.get("features") or {}).items()}
        out |= {
            "inputs": inputs,
            "groups": [g for g in routing_api.group_fields(version.run) if g not in inputs],
            "decisions": [str(c) for c in result.get("classes") or []],
        }
    return out


CASES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        CASE_SCHEMA,
                        {
                            "type": "object",
                            "required": ["cases"],
                            "additionalProperties": False,
                            "properties": {
                                "cases": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": CASE_SCHEMA,
                                }
                            },
                        },
                    ]
                },
                "example": {"id": "S-2026-0042", "data": {"schadenart": "Glas", "betrag": 830}},
            }
        },
    },
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "maxLength": routing_api.MAX_KEY},
            "description": "A key of your own per request: a repeat gets the first answer.",
        }
    ],
}


def _bad(errors) -> Status:
    return Status(400, {"detail": errors})


def _body(request) -> bytes | Status:
    """The raw JSON body, or a 400 (too large, or sent as a form)."""
    try:
        return request.body
    except RequestDataTooBig:
        return _bad([{"loc": ["body"], "msg": _("The request is too large.")}])
    except RawPostDataException:
        return _bad([{"loc": ["body"], "msg": _("Send the body as JSON.")}])


@router.post(
    "/services/{service_id}/cases",
    auth=SERVICE_AUTH,
    response={
        200: CasesOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        503: ErrorOut,
    },
    summary="Route one case or a batch through a deployed team",
    description=(
        'Send one case `{"id": ..., "data": {...}}` or a batch `{"cases": [...]}` '
        "(at most `HUMAN_AI_MAX_BATCH`, 1,000 by default) with an `Idempotency-Key` header. "
        "Each case gets the AI's decision or the person it goes to, whether it is an audit "
        "case, and the explanation (in German or English after `Accept-Language`). A "
        "repeated key returns the first answer; bad input is a 400 naming each field, and "
        "nothing is saved."
    ),
    openapi_extra=CASES_BODY,
)
def post_cases(request, service_id: int):
    service = _service(request, service_id)
    body = _body(request)
    if isinstance(body, Status):
        return body
    key = None
    try:
        key = routing_api.check_key(request.headers.get("Idempotency-Key"))
        try:
            return _routed(service, body, key, request.auth, cached=True)
        except (routing_api.VersionChanged, routing_api.BadRequest):
            # the version this process kept was replaced, or the cases do not fit its
            # inputs (they may fit a new version's): read the active version again, once
            return _routed(service, body, key, request.auth, cached=False)
    except routing_api.BadRequest as error:
        try:
            answer = key and routing_api.earlier_answer(service, key, body)
        except routing_api.Conflict:
            answer = None  # a reused key with a bad body: the body's errors say more
        return answer if answer is not None else _bad(error.errors)
    except routing_api.Conflict as error:
        return Status(409, {"detail": str(error)})


def _no_version() -> Status:
    return Status(409, {"detail": _("The service has no active version.")})


def _routed(service: Service, body: bytes, key: str, actor, *, cached: bool):
    """The answer to the cases in ``body``, routed by the service's active version
    (``cached``: as this process last read it; checked under the service's lock)."""
    version = routing_api.active_version(service, cached=cached)
    if version is None:
        answer = routing_api.earlier_answer(service, key, body)
        return answer if answer is not None else _no_version()
    try:
        team = routing_api.team_of(version.run)
    except (OSError, RuntimeError):
        if cached:
            raise routing_api.VersionChanged("the kept version's team is gone") from None
        log.exception(
            "the team of service %s (run %s) cannot be loaded", service.pk, version.run_id
        )
        answer = routing_api.earlier_answer(service, key, body)
        if answer is not None:
            return answer
        return Status(503, {"detail": _("The service's team cannot be loaded right now.")})
    schema = routing_api.schema_of(team, routing_api.group_fields(version.run))
    cases = routing_api.parse_cases(body, schema, max_batch=settings.HUMAN_AI_MAX_BATCH)
    answer, _repeated = routing_api.route(
        service, cases, key=key, body=body, actor=actor, version=version
    )
    return answer


@router.post(
    "/services/{service_id}/cases/{case_id}/outcome",
    auth=SERVICE_AUTH,
    response={
        200: OutcomeOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Record the true outcome of a routed case",
    description=(
        "Once the true outcome of a case is known (one of the team's decisions), record it "
        'as `{"outcome": ...}`; the same outcome again changes nothing, a different one '
        "is a 409."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": OutcomeIn.model_json_schema()}},
        }
    },
)
def post_outcome(request, service_id: int, case_id: int):
    service = _service(request, service_id)
    case = ServiceCase.objects.filter(service=service, pk=case_id).first()
    if case is None:
        raise Http404
    body = _body(request)
    if isinstance(body, Status):
        return body
    try:
        outcome = routing_api.parse_outcome(body)
    except routing_api.BadRequest as error:
        return _bad(error.errors)
    token = request.auth if isinstance(request.auth, ServiceToken) else None
    try:
        case = worklist.record_outcome(
            case,
            outcome,
            actor=None if token else request.user,
            actor_name=routing_api.client_label(token) if token else None,
        )
    except TeamError as error:
        if case.outcome and error.field == "outcome" and outcome in worklist.classes_of(case):
            return Status(409, {"detail": str(error)})
        return _bad([{"loc": ["body", "outcome"], "msg": str(error)}])
    return {
        "case": case.pk,
        "id": case.reference,
        "outcome": case.outcome,
        "decision": case.decision or None,
    }
