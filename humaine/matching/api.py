"""API of matching: an inquiry's matches, accepting its team, the preview, the rebuild."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from humaine import policy
from humaine.contact import access as contact_access
from humaine.contact.models import Expert, Language, Sector
from humaine.core.api_support import ErrorOut
from humaine.core.models import Progress

from . import access, services
from .matches import MatchInput, MatchOutcome, find_matches, pick

router = Router(tags=["matching"])


class ExpertRef(Schema):
    id: int
    name: str
    employer: str | None = None


class ExpertMatchOut(Schema):
    expert: ExpertRef
    score: float
    contributions: dict[str, float]
    reason: str
    evidence: str
    free_hours: int
    conflicts: list[str] = Field(
        default_factory=list, description="conflicts of interest with the inquiry, each a reason"
    )
    conflict_overridden: bool = Field(False, description="staff allowed it with a reason")


class CaseMatchOut(Schema):
    kind: str = Field(..., description="inquiry (later also scenario)")
    visible: bool = Field(..., description="false: the viewer may not open it; no text given")
    score: float
    reason: str
    id: int | None = Field(None, description="only for cases the viewer may open")
    reference: str | None = None
    title: str | None = None
    organisation: str | None = None
    status: str | None = None
    url: str | None = None
    ask: str | None = Field(None, description="whom to ask about a case you may not open")


class MethodOut(Schema):
    key: str
    source: str
    title: str
    summary: str
    label: str
    reference: str
    url: str
    score: float


class CandidateOut(Schema):
    expert: ExpertRef
    fit: float | None
    conflicts: list[str]
    conflict_overridden: bool = False


class SlotOut(Schema):
    member: CandidateOut
    kind: str = Field("core", description="core or consultation")
    hours: int = Field(8, description="hours per month the place books")
    covers: list[str]
    reason: str
    alternatives: list[CandidateOut]


class UnmetOut(Schema):
    label: str
    hard: bool
    available: bool
    why: str = Field(
        "not_chosen",
        description="no_fit: nobody in the network fits it (whom to recruit); no_capacity; "
        "conflict; not_chosen",
    )


class TeamOut(Schema):
    satisfied: bool
    method: str
    hours_per_member: int
    slot_hours: dict[str, int] = Field(default_factory=dict, description="hours per kind of place")
    slots: list[SlotOut]
    unmet: list[UnmetOut]
    flagged: list[CandidateOut]
    current: list[int]


class MatchesOut(Schema):
    language: str
    sector: str | None
    needs: dict[str, float]
    experts: list[ExpertMatchOut]
    cases: list[CaseMatchOut]
    methods: list[MethodOut]
    team: TeamOut | None


def _expert(expert) -> dict:
    organisation = expert.person.organisation
    return {
        "id": expert.pk,
        "name": expert.person.name,
        "employer": organisation.name if organisation else None,
    }


def _candidate(candidate) -> dict:
    return {
        "expert": _expert(candidate.expert),
        "fit": candidate.fit,
        "conflicts": [c.text for c in candidate.conflicts],
        "conflict_overridden": candidate.overridden,
    }


def _case(hit) -> dict:
    data = {
        "kind": hit.kind,
        "visible": hit.visible,
        "score": hit.score,
        "reason": pick(hit.reason),
    }
    if hit.visible and hit.view:
        view = hit.view
        data |= {
            "id": hit.pk,
            "reference": view.reference,
            "title": view.title,
            "organisation": view.organisation,
            "status": view.status,
            "url": view.url,
        }
    else:
        data["ask"] = hit.contact or _("the hub's staff")
    return data


def outcome_data(outcome: MatchOutcome) -> dict:
    """The outcome as the API returns it (the triage panel renders the same object)."""
    team = outcome.team
    return {
        "language": outcome.language,
        "sector": outcome.sector,
        "needs": outcome.needs,
        "experts": [
            {
                "expert": _expert(hit.expert),
                "score": hit.score,
                "contributions": hit.contributions,
                "reason": pick(hit.reason),
                "evidence": hit.evidence,
                "free_hours": hit.free_hours,
                "conflicts": [c.text for c in hit.conflicts],
                "conflict_overridden": hit.overridden,
            }
            for hit in outcome.experts
        ],
        "cases": [_case(hit) for hit in outcome.cases],
        "methods": [
            {
                "key": hit.entry.key,
                "source": hit.entry.source,
                "title": pick(hit.entry.title),
                "summary": pick(hit.entry.summary),
                "label": pick(hit.entry.label),
                "reference": hit.entry.reference,
                "url": hit.entry.url,
                "score": hit.score,
            }
            for hit in outcome.methods
        ],
        "team": None
        if team is None
        else {
            "satisfied": team.satisfied,
            "method": team.method,
            "hours_per_member": team.hours_per_member,
            "slot_hours": team.slot_hours,
            "slots": [
                {
                    "member": _candidate(slot.member),
                    "kind": slot.kind,
                    "hours": slot.hours,
                    "covers": slot.covers,
                    "reason": pick(slot.reason),
                    "alternatives": [_candidate(c) for c in slot.alternatives],
                }
                for slot in team.slots
            ],
            "unmet": [
                {"label": u.label, "hard": u.hard, "available": u.available, "why": u.why}
                for u in team.unmet
            ],
            "flagged": [_candidate(c) for c in team.flagged],
            "current": team.current,
        },
    }


@router.get(
    "/inquiries/{inquiry_id}/matches",
    response={200: MatchesOut, 404: ErrorOut},
    summary="Similar cases, fitting methods and (for hub staff) experts and the proposed team",
)
def inquiry_matches(request, inquiry_id: int):
    inquiry = contact_access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_view_matches(request.user, inquiry))
    return outcome_data(find_matches(MatchInput.for_inquiry(inquiry), request.user))


class TeamIn(Schema):
    members: list[int] = Field(..., min_length=1, description="Expert ids of the whole team")
    slots: dict[int, str] | None = Field(
        None, description="Kind of place per expert id: core (default) or consultation"
    )
    hours: int | None = Field(
        None, ge=1, le=200, description="Hours per month for every new member (else per place)"
    )
    replace_accepted: bool = Field(
        False,
        description="Replace the inquiry's accepted team; without it a different team is "
        "refused with 409",
    )


class AssignmentOut(Schema):
    expert: int
    hours_per_month: int


class TeamAccepted(Schema):
    status: str
    team: list[AssignmentOut]


@router.post(
    "/inquiries/{inquiry_id}/team",
    response={200: TeamAccepted, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Accept a team for an inquiry (hub staff): records assignments, moves it to matched",
    description="An inquiry's accepted team is replaced only with `replace_accepted: true`; "
    "otherwise a different team is refused with 409, saying who would leave and join.",
)
def accept_team(request, inquiry_id: int, payload: TeamIn):
    inquiry = contact_access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_accept_team(request.user, inquiry))
    try:
        services.accept_team(
            inquiry,
            payload.members,
            actor=request.user,
            hours=payload.hours,
            slots=payload.slots,
            replace_accepted=payload.replace_accepted,
        )
    except services.AcceptedTeamExists as error:
        hint = _("Send replace_accepted: true to replace it.")
        return Status(409, {"detail": f"{error} {hint}"})
    except services.TeamError as error:
        return 422, {"detail": [{"loc": ["body", "members"], "msg": str(error)}]}
    inquiry.refresh_from_db()
    team = inquiry.assignments.filter(active=True).order_by("pk")
    return {
        "status": inquiry.status,
        "team": [{"expert": a.expert_id, "hours_per_month": a.hours_per_month} for a in team],
    }


class PreviewIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000, description="The inquiry's text")
    sector: str | None = Field(None, description="Sector key, e.g. industry, health, insurance")
    language: str | None = Field(None, description="de or en; detected from the text if empty")
    organisation: int | None = Field(
        None, description="Id of the inquiring organisation (for conflicts of interest)"
    )
    slot_hours: dict[str, int] | None = Field(
        None, description='Hours per month per kind of place, e.g. {"consultation": 4}'
    )


@router.post(
    "/matching/preview",
    response={200: MatchesOut, 403: ErrorOut, 422: ErrorOut},
    summary="Match a text without saving anything (hub staff), as the triage panel would",
)
def preview(request, payload: PreviewIn):
    policy.require(access.can_preview_matching(request.user))
    errors = []
    if payload.sector and not Sector.objects.filter(slug=payload.sector).exists():
        errors.append({"loc": ["body", "sector"], "msg": _("Unknown sector.")})
    if payload.language and payload.language not in Language.values:
        errors.append({"loc": ["body", "language"], "msg": _("Use de or en.")})
    known = services.slot_hours_of(services.store.config())
    for kind, value in (payload.slot_hours or {}).items():
        if kind not in known or not 1 <= value <= 200:
            errors.append(
                {
                    "loc": ["body", "slot_hours", kind],
                    "msg": _("Unknown kind of place or hours not between 1 and 200."),
                }
            )
    if errors:
        return 422, {"detail": errors}
    request_ = MatchInput(
        text=payload.text,
        sector=payload.sector,
        language=payload.language,
        organisation_id=payload.organisation,
        slot_hours=payload.slot_hours,
    )
    return outcome_data(find_matches(request_, request.user))


class OverrideIn(Schema):
    reason: str = Field(..., min_length=10, max_length=2000, description="Why staff allow it")


class OverrideOut(Schema):
    expert: int
    conflicts: list[str]
    reason: str


@router.post(
    "/inquiries/{inquiry_id}/conflicts/{expert_id}/override",
    response={200: OverrideOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Allow an expert despite a conflict of interest, with a reason (hub staff; audited)",
)
def override_conflict(request, inquiry_id: int, expert_id: int, payload: OverrideIn):
    inquiry = contact_access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_accept_team(request.user, inquiry))
    expert = get_object_or_404(Expert, pk=expert_id)
    try:
        override = services.override_conflict(
            inquiry, expert, reason=payload.reason, actor=request.user
        )
    except services.TeamError as error:
        return 422, {"detail": [{"loc": ["body", "reason"], "msg": str(error)}]}
    return {
        "expert": expert.pk,
        "conflicts": [c["text"] for c in override.conflicts],
        "reason": override.reason,
    }


@router.delete(
    "/inquiries/{inquiry_id}/conflicts/{expert_id}/override",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Withdraw the decision; the conflict bars the expert again (hub staff; audited)",
)
def revoke_override(request, inquiry_id: int, expert_id: int):
    inquiry = contact_access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_accept_team(request.user, inquiry))
    expert = get_object_or_404(Expert, pk=expert_id)
    # idempotent: without a decision there is nothing to withdraw
    services.revoke_conflict_override(inquiry, expert, actor=request.user)
    return 204, None


class SlotHoursIn(Schema):
    hours: dict[str, int] = Field(
        ..., description="Hours per month per kind of place for this inquiry; {} for the hub's"
    )


@router.put(
    "/inquiries/{inquiry_id}/team/hours",
    response={200: dict[str, int], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="This inquiry's own hours per kind of place (hub staff; audited)",
)
def set_slot_hours(request, inquiry_id: int, payload: SlotHoursIn):
    inquiry = contact_access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_accept_team(request.user, inquiry))
    try:
        hours = services.set_slot_hours(inquiry, payload.hours, actor=request.user)
    except services.TeamError as error:
        return 422, {"detail": [{"loc": ["body", "hours"], "msg": str(error)}]}
    return {k: int(v) for k, v in hours.items()}


class RebuildIn(Schema):
    force: bool = Field(False, description="Re-embed texts whose vectors are current, too")


class RebuildOut(Schema):
    id: int
    status: str
    total: int
    done: int
    percent: int
    embedded: int
    removed: int
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_embedded(obj) -> int:
        return obj.counts.get("embedded", 0)

    @staticmethod
    def resolve_removed(obj) -> int:
        return obj.counts.get("removed", 0)


@router.post(
    "/matching/rebuild",
    response={202: RebuildOut, 403: ErrorOut},
    summary="Rebuild every matching index (embeddings and full text) in a background job",
)
def rebuild(request, payload: RebuildIn | None = None):
    policy.require(access.can_rebuild_matching(request.user))
    build = services.request_rebuild(actor=request.user, force=bool(payload and payload.force))
    return Status(202, build)


@router.get(
    "/matching/rebuild/{build_id}",
    response={200: RebuildOut, 403: ErrorOut, 404: ErrorOut},
    summary="Progress of a rebuild",
)
def rebuild_progress(request, build_id: int):
    policy.require(access.can_rebuild_matching(request.user))
    return get_object_or_404(Progress, pk=build_id, kind=services.REBUILD)
