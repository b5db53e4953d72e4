"""Routing cases posted to a deployed service: the request's checks, the routing by the
active version's team, the records and the stored first answer of each idempotency key.

:func:`parse_cases` checks a request body against the team's inputs and says, per field,
what is wrong (missing or extra fields, wrong types, an empty or too large batch); nothing
is routed or saved then. :func:`route` routes the cases with the engine's streaming rule
in three steps: ``HumanAITeam.prepare_stream`` (the expensive, state-free part) before the
service's row lock; ``stream_turns(prepared, state)`` under it, in a short transaction that
also takes the request's idempotency key and writes the new state (the service's capacity
window is kept in the database, so every web process counts the same window); then
``routed_frame``, the records (:class:`~humaine.human_ai.models.ServiceCase`, every case
kept) and the answer stored under the key, in a second transaction that other requests do
not wait for. Absent persons get no case; a repeated key gets the first answer again."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from humaine.core import audit

from . import availability, engine, services
from .models import CaseRequest, PersonLink, Run, Service, ServiceCase, ServiceVersion

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BadRequest",
    "active_version",
    "CaseInput",
    "Conflict",
    "VersionChanged",
    "Schema",
    "parse_cases",
    "plain",
    "route",
    "group_fields",
    "schema_of",
    "team_of",
]

log = logging.getLogger(__name__)

MAX_REFERENCE = 100
MAX_TEXT = 10_000
MAX_KEY = 200
MAX_ERRORS = 50


class BadRequest(ValueError):
    """The request cannot be routed: ``errors`` as ``[{"loc": [...], "msg": ...}]``."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(str(e["msg"]) for e in errors))
        self.errors = errors[:MAX_ERRORS]


class Conflict(ValueError):
    """The request contradicts what the service holds (e.g. a reused idempotency key)."""


class VersionChanged(Conflict):
    """The service's active version (or its team's revision) is not the one the cases
    were prepared by: nothing was routed."""


@dataclass(frozen=True)
class Schema:
    """What a case must carry: each input column and its kind (numeric, categorical,
    text), the columns it may carry (the cost), and the data set's group columns for
    fairness that are no input of the team: a case may carry them, they are kept with the
    case for the fairness figures and never given to the team."""

    columns: dict[str, str]
    optional: dict[str, str]
    classes: list[str]
    groups: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "optional": self.optional,
            "groups": self.groups,
            "classes": self.classes,
        }


@dataclass(frozen=True)
class CaseInput:
    reference: str
    data: dict[str, Any]


def schema_of(team, groups: Iterable[str] = ()) -> Schema:
    """The inputs of a fitted ``teaming.HumanAITeam`` (its fitted attributes), and the
    ``groups`` columns (:func:`group_fields`) that are none of them."""
    columns = {str(k): str(v) for k, v in team.feature_types_.items()}
    for column in team.score_columns_:
        columns.setdefault(str(column), "numeric")
    optional = {}
    if team.cost_column_ and team.cost_column_ not in columns:
        optional[str(team.cost_column_)] = "numeric"
    extra = {str(g): "categorical" for g in groups if str(g) not in columns | optional}
    return Schema(columns, optional, [str(c) for c in team.classes_], extra)


# what routing never reads of the active version's run and data set: previews, problems
# and the evaluation can be large, and would be read and parsed for every request
NOT_ROUTING = (
    "run__evaluation",
    "run__error",
    "run__dataset__cases_preview",
    "run__dataset__decisions_preview",
    "run__dataset__problems",
    "run__dataset__notes",
    "run__dataset__summary",
)


# the active version of each service as this process last read it: routing checks it
# again under the service's lock (its id and its team's revision, which an erasure
# raises), so a deployment or an erasure in another process is never routed past
_VERSIONS: dict[int, ServiceVersion] = {}


def active_version(service: Service, *, cached: bool = False) -> ServiceVersion | None:
    """The service's active version with what routing reads of its run and data set, in
    one query; ``cached``: as this process last read it (no query), to be checked under
    the lock."""
    if cached and service.pk in _VERSIONS:
        return _VERSIONS[service.pk]
    version = (
        ServiceVersion.objects.filter(service_id=service.pk, retired_at__isnull=True)
        .select_related("run", "run__dataset")
        .defer(*NOT_ROUTING)
        .first()
    )
    if version is None:
        _VERSIONS.pop(service.pk, None)
    else:
        _VERSIONS[service.pk] = version
    return version


def forget_versions() -> None:
    """Forget the active versions this process read (a test's ids may come again)."""
    _VERSIONS.clear()


def group_fields(run: Run) -> list[str]:
    """The group columns the run's data set maps for fairness."""
    return [str(c) for c in ((run.dataset.mapping or {}).get("groups") or [])]


# ----------------------------------------------------------------------------- checks


def _error(loc: list, message: str) -> dict:
    return {"loc": ["body", *loc], "msg": str(message)}


def _check_value(value: Any, kind: str, loc: list, errors: list[dict]) -> Any:
    if value is None:
        return None  # a missing value: the engine handles it as training did
    if kind == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(_error(loc, _("Give a number (or null).")))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            errors.append(_error(loc, _("Give a finite number.")))
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.append(_error(loc, _("Give a text or number (or null).")))
        return None
    if isinstance(value, str) and len(value) > MAX_TEXT:
        errors.append(_error(loc, _("The text is too long.")))
    return value


def _check_case(raw: Any, loc: list, schema: Schema, errors: list[dict]) -> CaseInput | None:
    if not isinstance(raw, dict):
        errors.append(_error(loc, _("Each case is an object with “id” and “data”.")))
        return None
    for extra in sorted(set(raw) - {"id", "data"}):
        errors.append(_error([*loc, extra], _("This field is not known.")))
    reference = raw.get("id")
    if reference is None:
        errors.append(_error([*loc, "id"], _("This field is required.")))
    elif isinstance(reference, bool) or not isinstance(reference, str | int):
        errors.append(_error([*loc, "id"], _("Give the case's reference as a text.")))
    elif not str(reference).strip() or len(str(reference)) > MAX_REFERENCE:
        errors.append(
            _error([*loc, "id"], _("Give a reference of 1 to 100 characters.")),
        )
    data = raw.get("data")
    if data is None:
        errors.append(_error([*loc, "data"], _("This field is required.")))
        return None
    if not isinstance(data, dict):
        errors.append(_error([*loc, "data"], _("Give the case's inputs as an object.")))
        return None
    known = {**schema.columns, **schema.optional, **schema.groups}
    for extra in sorted(set(data) - set(known)):
        errors.append(_error([*loc, "data", extra], _("This field is not an input of the team.")))
    values = {}
    for column, kind in schema.columns.items():
        if column not in data:
            errors.append(_error([*loc, "data", column], _("This field is required.")))
            continue
        values[column] = _check_value(data[column], kind, [*loc, "data", column], errors)
    for column, kind in {**schema.optional, **schema.groups}.items():
        if column in data:
            values[column] = _check_value(data[column], kind, [*loc, "data", column], errors)
    return CaseInput(str(reference).strip() if reference is not None else "", values)


def parse_cases(body: bytes, schema: Schema, *, max_batch: int) -> list[CaseInput]:
    """The cases of a request body: one case ``{"id": ..., "data": {...}}`` or a batch
    ``{"cases": [...]}``; :class:`BadRequest` naming each wrong field otherwise."""
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest([{"loc": ["body"], "msg": _("The body is not valid JSON.")}]) from None
    if not isinstance(payload, dict):
        raise BadRequest([{"loc": ["body"], "msg": _("Send a JSON object.")}])
    errors: list[dict] = []
    if "cases" in payload:
        for extra in sorted(set(payload) - {"cases"}):
            errors.append(_error([extra], _("This field is not known.")))
        raw_cases = payload["cases"]
        if not isinstance(raw_cases, list):
            raise BadRequest([_error(["cases"], _("Give the cases as a list."))])
        if not raw_cases:
            raise BadRequest([_error(["cases"], _("The batch is empty."))])
        if len(raw_cases) > max_batch:
            raise BadRequest(
                [
                    _error(
                        ["cases"],
                        _("At most %(n)d cases in one request.") % {"n": max_batch},
                    )
                ]
            )
        cases = [_check_case(c, ["cases", i], schema, errors) for i, c in enumerate(raw_cases)]
    else:
        cases = [_check_case(payload, [], schema, errors)]
    if errors:
        raise BadRequest(errors)
    references = [c.reference for c in cases if c is not None]
    doubles = sorted({r for r in references if references.count(r) > 1})
    if doubles:
        raise BadRequest(
            [_error(["cases"], _("A case reference occurs twice: %(ref)s") % {"ref": doubles[0]})]
        )
    return [c for c in cases if c is not None]


def check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        raise BadRequest(
            [{"loc": ["header", "Idempotency-Key"], "msg": _("This header is required.")}]
        )
    if len(key) > MAX_KEY or not key.isprintable():
        raise BadRequest(
            [
                {
                    "loc": ["header", "Idempotency-Key"],
                    "msg": _("Give a key of at most 200 printable characters."),
                }
            ]
        )
    return key


# ---------------------------------------------------------------------------- routing


def plain(value: Any) -> Any:
    """``value`` as JSON (numpy numbers and texts as Python ones, NaN as None)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def team_of(run: Run):
    """The run's saved team, loaded once per process (the engine's safe persistence)."""
    folder = services.run_folder(run) / "team"
    return engine.load_team(services.team_key(run), folder)


def available_persons(team, scenario) -> list[str]:
    """Who may get cases today: the team's routable persons with recent decisions, less
    those recorded as absent in ``scenario`` (the scenario or its id)."""
    activity = getattr(team, "person_activity_", None) or {}
    active = set(activity.get("active", team.persons_))
    routable = getattr(team, "routable_", None)
    routable = [True] * len(team.persons_) if routable is None else list(routable)
    away = availability.unavailable_on(scenario)
    return [
        str(p) for p, ok in zip(team.persons_, routable) if ok and p in active and p not in away
    ]


def _state(team, stored: dict):
    from teaming.router import StreamState

    if stored:
        state = StreamState.from_dict(stored)
        if list(state.persons) == [str(p) for p in team.persons_]:
            return state
    return team.new_stream_state()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def _answer(case: ServiceCase, roles: dict, accounts: dict, language: str) -> dict[str, Any]:
    data = case.explanation.get("data") or {}
    person = None
    if case.person:
        person = {
            "pseudonym": case.person,
            "role": roles.get(case.person, "person"),
            "account": accounts.get(case.person),
        }
    text = case.explanation.get("de" if language == "de" else "en", "")
    return {
        "case": case.pk,
        "id": case.reference,
        "routed_to": "person" if case.person and not case.audit else "ai",
        "person": person,
        "audit": case.audit,
        "decision": case.decision or None,
        "ai": {"decision": case.ai_decision, "confidence": round(case.ai_confidence, 6)},
        "explanation": {
            "language": language,
            "text": text,
            "reason": data.get("reason"),
            "reasons": data.get("top_features") or [],
            "unusual": data.get("unusual") or [],
        },
    }


def _language() -> str:
    return "de" if (get_language() or "de").startswith("de") else "en"


def route(
    service: Service,
    cases: list[CaseInput],
    *,
    key: str,
    body: bytes,
    actor=None,
    version: ServiceVersion | None = None,
) -> tuple[dict[str, Any], bool]:
    """Route ``cases``; the answer and whether it is a repeat of an earlier request.

    ``version``: the service's active version as the caller read it (read here when not
    given); it is checked again under the service's lock.

    Three steps, so that requests of one service wait for each other only for the second:
    the cases are prepared by the version's team (no lock); the key is taken, the
    service's row locked, each case's turn taken with the stream state and the new state
    written (one short transaction); then the result table, the records and the answer
    are written (a second transaction, the row held only against an erasure). If that
    second step fails, the key is given back, so that the request can be sent again."""
    digest = body_hash(body)
    version = version or active_version(service)
    if version is None:
        answer = earlier_answer(service, key, body)
        if answer is not None:
            return answer, True
        raise Conflict(_("The service has no active version."))
    team = team_of(version.run)
    # the expensive part (inputs, probabilities, gains, the AI's contributions) needs no
    # stream state: done before the lock, so parallel requests only queue for the turns
    prepared = _prepare(team, schema_of(team), cases, service)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                request, turns, revision, at = _take_turns(
                    service, version, team, prepared, key, digest
                )
        except IntegrityError:
            # the same key in an earlier request, or a parallel one that took it first
            answer = _earlier(service, key, digest)
            if answer is None:
                continue  # that request gave its key back (or died): route this one
            return answer, True
        break
    else:
        raise Conflict(_("This Idempotency-Key is in use by another request; send it again."))
    try:
        with transaction.atomic():
            response = _record(
                service, version, team, prepared, (turns, revision, at), cases, request, actor
            )
    except BaseException:
        _give_back(request)
        raise
    from . import monitoring_alerts

    monitoring_alerts.schedule(service.pk)  # the limits are checked in the background
    return response, False


# how long a repeated key waits for the answer of a parallel request with the same key,
# and after how long a request that took a key and never answered is taken as dead
PENDING_WAIT_SECONDS = 10.0
PENDING_DEAD_SECONDS = 60.0


def _earlier(service: Service, key: str, digest: str) -> dict[str, Any] | None:
    """The answer of the earlier request that holds ``key``: waits while it is still being
    recorded; None when it gave the key back or died before answering (its key is freed),
    so this request is routed instead."""
    import time

    deadline = time.monotonic() + PENDING_WAIT_SECONDS
    while True:
        earlier = _holder(service, key, digest)
        if earlier is None:
            return None
        if earlier.response:
            return earlier.response
        age = (timezone.now() - earlier.created_at).total_seconds()
        if age > PENDING_DEAD_SECONDS:
            # taken, counted in the window, never answered: its process died between the
            # turns and the records; the key is freed and the request routed anew
            CaseRequest.objects.filter(pk=earlier.pk, created_at=earlier.created_at).delete()
            return None
        if time.monotonic() > deadline:
            raise Conflict(
                _("A request with this Idempotency-Key is still being answered; send it again.")
            )
        time.sleep(0.05)


def _give_back(request: CaseRequest) -> None:
    """Free the key of a request whose records failed (its turns stay counted)."""
    try:
        with transaction.atomic():
            CaseRequest.objects.filter(pk=request.pk).delete()
    except Exception:  # the original error says more; a dead key is freed after a while
        log.exception("the key of case request %s could not be given back", request.pk)


def earlier_answer(service: Service, key: str, body: bytes) -> dict[str, Any] | None:
    """The first answer given to ``key`` when an earlier request of ``service`` used it
    (a :class:`Conflict` when that request had another body), else None (also while that
    request has taken its turns but not yet answered).

    Asked only where the request would otherwise be refused (its cases no longer fit the
    service's inputs or batch limit, the service has no team to route with): a client
    repeating a request it sent before still gets that request's answer."""
    earlier = _holder(service, key, body_hash(body))
    return None if earlier is None else earlier.response or None


def _holder(service: Service, key: str, digest: str) -> CaseRequest | None:
    """The earlier request of ``service`` that holds ``key`` (None: no request does); a
    :class:`Conflict` when it had another body."""
    earlier = CaseRequest.objects.filter(service=service, key=key).first()
    if earlier is not None and earlier.body_hash != digest:
        raise Conflict(_("This Idempotency-Key was already used for another request."))
    return earlier


def _prepare(team, schema: Schema, cases: list[CaseInput], service: Service):
    """The cases made ready for the streaming rule by ``team`` (no stream state needed)."""
    frame = case_frame(schema, cases)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return team.prepare_stream(
            frame, available=available_persons(team, service.scenario_id), explain=True
        )


def case_frame(schema: Schema, cases: list[CaseInput]) -> pd.DataFrame:
    """The cases as the team reads them: a column per input (and per optional one sent),
    numeric ones as ``pd.to_numeric`` reads them."""
    import pandas as pd

    kinds = {**schema.columns, **schema.optional}
    columns = [*schema.columns, *(c for c in schema.optional if any(c in x.data for x in cases))]
    data = {}
    for column in columns:
        values = [c.data.get(column) for c in cases]
        data[column] = _numbers(values) if kinds[column] == "numeric" else values
    return pd.DataFrame(data, columns=columns)


INT64 = (-(2**63), 2**63)


def _numbers(values: list) -> Any:
    """``pd.to_numeric`` of the checked values of a numeric column (numbers or None),
    without pandas where they are plain: whole numbers as int64, else float64."""
    if all(type(v) is int and INT64[0] <= v < INT64[1] for v in values):
        return np.array(values, dtype=np.int64)
    if all(v is None or type(v) is float or (type(v) is int and abs(v) < 2**53) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    import pandas as pd

    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")


def _take_turns(service, version, team, prepared, key, digest):
    """Take the key, then under the service's row lock: the version check, each case's
    turn with the stream state, and the new state. A key another request took first
    fails the insert (unique per service), before the lock."""
    request = CaseRequest.objects.create(
        service=service, key=key, body_hash=digest, created_at=timezone.now()
    )
    stored, active, revision = _lock(service.pk)
    if active != version.pk or revision != services.team_revision(version.run):
        # the cases were prepared by the team of the version read before the lock
        raise VersionChanged(_("The service's version changed; send the request again."))
    state = _state(team, stored)
    turns = team.stream_turns(prepared, state)
    Service.objects.filter(pk=service.pk).update(stream_state=plain(state.to_dict()))
    # the cases' time is their turn's: in the order the window counted them
    return request, turns, revision, timezone.now()


def _record(service, version, team, prepared, taken, cases, request, actor):
    """The routed cases' result table, records and answer (the turns are taken). The
    service's row is held against an erasure, which renames a person in every record:
    one that came between the turns and here raised the team's revision, and the cases
    are not recorded under the old name (:class:`VersionChanged`). ``taken``: the turns,
    the team's revision and the time of :func:`_take_turns`."""
    turns, revision, now = taken
    if _hold(service.pk, version.run_id) != revision:
        raise VersionChanged(_("The service's version changed; send the request again."))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        routed = team.routed_frame(prepared, turns)
    rows = []
    for case, (_i, out) in zip(cases, routed.iterrows()):
        person = "" if out["routed_to"] == "ai" else str(out["routed_to"])
        audit_case = bool(out["audit"])
        ai_decision = str(out["ai_decision"])
        # the AI's decision stands unless a person decides (an audit case is checked later)
        decided = not person or audit_case
        rows.append(
            ServiceCase(
                service=service,
                version=version,
                request=request,
                reference=case.reference,
                inputs=plain(case.data),
                ai_decision=ai_decision,
                ai_confidence=float(out["ai_confidence"]),
                person=person,
                audit=audit_case,
                explanation={
                    "en": str(out.get("explanation") or ""),
                    "de": str(out.get("explanation_de") or ""),
                    "data": plain(out.get("explanation_data") or {}),
                    "expected_correctness_ai": plain(out["expected_correctness_ai"]),
                    "expected_correctness_person": plain(out["expected_correctness_person"]),
                },
                decision=ai_decision if decided else "",
                decided_by="ai" if decided else "",
                decided_at=now if decided else None,
                created_at=now,
            )
        )
    created = ServiceCase.objects.bulk_create(rows)
    if any(c.pk is None for c in created):  # backends that return no ids
        created = list(request.cases.order_by("pk"))
    roles = {str(k): str(v) for k, v in (getattr(team, "roles_", None) or {}).items()}
    persons = {c.person for c in created if c.person}
    accounts = (
        dict(
            PersonLink.objects.filter(
                scenario_id=service.scenario_id, pseudonym__in=persons
            ).values_list("pseudonym", "user__username")
        )
        if persons
        else {}
    )
    language = _language()
    response = {
        "service": service.pk,
        "version": version.number,
        "cases": [_answer(c, roles, accounts, language) for c in created],
    }
    CaseRequest.objects.filter(pk=request.pk).update(response=response)
    request.response = response
    audit.record(
        actor,
        "service_cases.routed",
        service,
        actor_name=None if getattr(actor, "is_authenticated", False) else client_label(actor),
        version=version.number,
        cases=len(created),
        first=created[0].pk,
        last=created[-1].pk,
    )
    return response


def _lock(service_id: int) -> tuple[dict, int | None, int]:
    """Lock the service's row, and read after the lock (a new snapshot, so a deployment
    or an erasure committed while this request waited is seen): its stream state, its
    active version and that version's team revision.

    One statement written out: it runs under the lock for every request, and the ORM
    took about 1 ms of processor time to compile it with its subqueries (0.2 ms as SQL).
    """
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in (Service, ServiceVersion, Run)]
    sql = (  # noqa: S608 - the tables' names from the models, the id a parameter
        "SELECT s.stream_state, v.id, r.result FROM {} s"
        " LEFT JOIN {} v ON v.service_id = s.id AND v.retired_at IS NULL"
        " LEFT JOIN {} r ON r.id = v.run_id WHERE s.id = %s ORDER BY v.id LIMIT 1"
    ).format(*tables)
    if connection.features.has_select_for_update_of:
        # not a key update: the records' step holds the row with a key share meanwhile
        sql += " " + connection.ops.for_update_sql(of=("s",), no_key=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id])
        row = cursor.fetchone()
    if row is None:
        raise Service.DoesNotExist(service_id)
    state, active, result = row
    return _json(state) or {}, active, services.team_revision(Run(result=_json(result)))


def _hold(service_id: int, run_id: int) -> int:
    """Hold the service's row against an erasure (a key share, which waits for neither
    the turns of other requests nor their records) and read the run's team revision."""
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in (Service, Run)]
    sql = (  # noqa: S608 - the tables' names from the models, the ids parameters
        "SELECT r.result FROM {} s JOIN {} r ON r.id = %s WHERE s.id = %s"
    ).format(*tables)
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE OF s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id, service_id])
        row = cursor.fetchone()
    if row is None:
        raise Service.DoesNotExist(service_id)
    return services.team_revision(Run(result=_json(row[0])))


def _json(value: Any) -> Any:
    """A JSON column read with SQL (text on every backend Django runs on)."""
    return json.loads(value) if isinstance(value, str) else value


def client_label(actor) -> str:
    name = getattr(actor, "name", "")
    return f"service token {name}" if name else "service token"


def parse_outcome(body: bytes) -> str:
    """The outcome of ``{"outcome": "..."}``; :class:`BadRequest` naming the field otherwise."""
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest([{"loc": ["body"], "msg": _("The body is not valid JSON.")}]) from None
    if not isinstance(payload, dict):
        raise BadRequest([{"loc": ["body"], "msg": _("Send a JSON object.")}])
    errors = [
        _error([extra], _("This field is not known."))
        for extra in sorted(set(payload) - {"outcome"})
    ]
    outcome = payload.get("outcome")
    if outcome is None:
        errors.append(_error(["outcome"], _("This field is required.")))
    elif isinstance(outcome, bool) or not isinstance(outcome, str | int):
        errors.append(_error(["outcome"], _("Give the outcome as a text.")))
    if errors:
        raise BadRequest(errors)
    return str(outcome)
