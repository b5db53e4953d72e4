"""API of application scenarios: scenarios, members, milestones, decisions, surveys and
their aggregated results. Only what the access rules allow; never a single response."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from humaine import policy
from humaine.core.api_support import ErrorOut

from . import access as rules
from . import services
from .presentation import export_rows
from .process_model import default_process_model
from .selectors import gate_status, lang

router = Router(tags=["scenarios"])


class ScenarioOut(Schema):
    id: int
    title: str
    goal: str
    work_process: str
    organisation: str
    sector: str
    phase: str
    status: str
    inquiry: str | None
    created_at: datetime

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_sector(obj):
        return obj.sector.slug

    @staticmethod
    def resolve_inquiry(obj):
        return obj.inquiry.reference if obj.inquiry_id else None


class GateOut(Schema):
    phase: str
    roles: list[str]
    codetermination: list[str]
    positions: dict[str, str]
    passed: bool


class ScenarioDetail(ScenarioOut):
    gate: GateOut


class MemberOut(Schema):
    id: int
    role: str
    name: str
    joined: bool

    @staticmethod
    def resolve_name(obj):
        return obj.display_name

    @staticmethod
    def resolve_joined(obj):
        return not obj.is_pending


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None
    phase: str


class MilestoneIn(Schema):
    title: str
    due_on: date
    phase: str = ""


class MemberIn(Schema):
    """Add an account (``user_id``, from the people you may add) or invite by ``name``
    (and ``email``, where the one-time link is sent; without it the link is returned once)."""

    role: str
    user_id: int | None = None
    name: str = ""
    email: str = ""
    language: str = "de"
    group_id: int | None = None


class MemberCreated(MemberOut):
    invitation_url: str | None = None

    @staticmethod
    def resolve_invitation_url(obj):
        # the one-time link, returned once when it was not emailed
        return getattr(obj, "shown_link", None)


class DecisionIn(Schema):
    title: str
    decided_by: str
    decided_on: date
    reasons: str
    alternatives: str = ""
    phase: str = ""
    evidence: list[int] = []


class DecisionOut(Schema):
    id: int
    title: str
    decided_by: str
    decided_on: date
    alternatives: str
    reasons: str
    phase: str


class WaveOut(Schema):
    id: int
    kind: str
    label: str
    opens_on: date
    closes_on: date
    closed: bool

    @staticmethod
    def resolve_closed(obj):
        return obj.is_closed


class SurveyOut(Schema):
    id: int
    title: str
    scales: list[str]
    groups: list[str]
    waves: list[WaveOut]

    @staticmethod
    def resolve_scales(obj):
        return list(obj.items)

    @staticmethod
    def resolve_groups(obj):
        return [g.name for g in obj.groups.all()]

    @staticmethod
    def resolve_waves(obj):
        return list(obj.waves.all())


class FigureOut(Schema):
    """One group (or all) in one wave on one scale: shown figures, or why they are withheld."""

    scale: str
    wave: str
    wave_kind: str
    group: str
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    sd: float | None
    alpha: float | None
    distribution: list[int]
    withheld: str


def _scenario(request, scenario_id):
    return rules.access_for(request.user, scenario_id)


@router.get("/scenarios", response=list[ScenarioOut], summary="Scenarios you may see")
@paginate(LimitOffsetPagination)
def list_scenarios(request):
    return rules.scenarios_visible_to(request.user).select_related(
        "organisation", "sector", "inquiry"
    )


@router.get("/scenarios/{scenario_id}", response={200: ScenarioDetail, 404: ErrorOut})
def get_scenario(request, scenario_id: int):
    scenario = _scenario(request, scenario_id).scenario
    gate = gate_status(scenario)
    scenario.gate = {
        "phase": gate.phase.id,
        "roles": gate.roles,
        "codetermination": gate.flags,
        "positions": {role: p.position for role, p in gate.positions.items()},
        "passed": gate.passed,
    }
    return scenario


@router.get("/scenarios/{scenario_id}/members", response={200: list[MemberOut], 404: ErrorOut})
def list_members(request, scenario_id: int):
    scenario = _scenario(request, scenario_id).scenario
    return list(scenario.members.filter(active=True).select_related("person", "user"))


def _invalid(field: str, message: str) -> Status:
    return Status(422, {"detail": [{"loc": ["body", field], "msg": message}]})


@router.post(
    "/scenarios/{scenario_id}/members",
    response={201: MemberCreated, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add an account as a member, or invite someone by a one-time link",
)
def add_member(request, scenario_id: int, payload: MemberIn):
    access = _scenario(request, scenario_id)
    policy.require(access.can_manage_members)
    scenario = access.scenario
    if not default_process_model().has_role(payload.role):
        return _invalid("role", _("Unknown role."))
    group = None
    if payload.group_id is not None:
        group = scenario.groups.filter(pk=payload.group_id).first()
        if group is None:
            return _invalid("group_id", _("Unknown stakeholder group."))
    if payload.role == rules.EMPLOYEE and group is None:
        return _invalid("group_id", _("An affected employee belongs to a stakeholder group."))
    try:
        if payload.user_id is not None:
            user = rules.member_candidates(request.user, scenario).filter(pk=payload.user_id)
            if not user.exists():
                return _invalid("user_id", _("You cannot add this account to the scenario."))
            member = services.add_member(
                scenario, user=user.get(), role=payload.role, group=group, actor=request.user
            )
            return Status(201, member)
        name, email = payload.name.strip(), payload.email.strip()
        if not name or len(name) > 200:
            return _invalid("name", _("Give a name."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                return _invalid("email", _("The email address is not valid."))
        if payload.language not in ("de", "en"):
            return _invalid("language", _("Choose German or English."))
        invited = services.invite_member(
            scenario,
            role=payload.role,
            name=name,
            email=email,
            language=payload.language,
            group=group,
            actor=request.user,
        )
    except services.ScenarioError as error:
        return _invalid("role", str(error))
    invited.member.shown_link = None if email else invited.member.invitation_url()
    return Status(201, invited.member)


@router.get(
    "/scenarios/{scenario_id}/milestones", response={200: list[MilestoneOut], 404: ErrorOut}
)
def list_milestones(request, scenario_id: int):
    return list(_scenario(request, scenario_id).scenario.milestones.all())


@router.post(
    "/scenarios/{scenario_id}/milestones",
    response={201: MilestoneOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_milestone(request, scenario_id: int, payload: MilestoneIn):
    access = _scenario(request, scenario_id)
    policy.require(access.can_edit)
    if payload.phase and not default_process_model().has_phase(payload.phase):
        return Status(422, {"detail": [{"loc": ["body", "phase"], "msg": _("Unknown phase.")}]})
    if not payload.title.strip() or len(payload.title) > 200:
        return Status(422, {"detail": [{"loc": ["body", "title"], "msg": _("Give a title.")}]})
    milestone = services.save_milestone(
        access.scenario,
        actor=request.user,
        title=payload.title.strip(),
        due_on=payload.due_on,
        phase=payload.phase,
    )
    return Status(201, milestone)


@router.get("/scenarios/{scenario_id}/decisions", response={200: list[DecisionOut], 404: ErrorOut})
def list_decisions(request, scenario_id: int):
    return list(_scenario(request, scenario_id).scenario.decisions.all())


@router.post(
    "/scenarios/{scenario_id}/decisions",
    response={201: DecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a decision in the decision log",
)
def add_decision(request, scenario_id: int, payload: DecisionIn):
    access = _scenario(request, scenario_id)
    policy.require(access.can_edit)
    title, decided_by, reasons = (
        payload.title.strip(),
        payload.decided_by.strip(),
        payload.reasons.strip(),
    )
    for field, value, limit in (("title", title, 300), ("decided_by", decided_by, 300)):
        if not value or len(value) > limit:
            return _invalid(
                field, _("This field is required (at most %(n)s characters).") % {"n": limit}
            )
    if not reasons:
        return _invalid("reasons", _("Give the reasons for the decision."))
    if payload.phase and not default_process_model().has_phase(payload.phase):
        return _invalid("phase", _("Unknown phase."))
    evidence = list(access.scenario.files.filter(pk__in=payload.evidence, retired_at__isnull=True))
    if len(evidence) != len(set(payload.evidence)):
        return _invalid("evidence", _("Evidence must be a file of this scenario."))
    decision = services.record_decision(
        access.scenario,
        actor=request.user,
        evidence=evidence,
        title=title,
        decided_by=decided_by,
        decided_on=payload.decided_on,
        reasons=reasons,
        alternatives=payload.alternatives.strip(),
        phase=payload.phase,
    )
    return Status(201, decision)


@router.get("/scenarios/{scenario_id}/surveys", response={200: list[SurveyOut], 404: ErrorOut})
def list_surveys(request, scenario_id: int):
    scenario = _scenario(request, scenario_id).scenario
    return list(scenario.surveys.prefetch_related("groups", "waves"))


@router.get(
    "/scenarios/{scenario_id}/surveys/{survey_id}/results",
    response={200: list[FigureOut], 404: ErrorOut},
    summary="Aggregated results (groups below the threshold are withheld)",
)
def survey_results(request, scenario_id: int, survey_id: int):
    access, survey = rules.get_survey_for_user(request.user, scenario_id, survey_id)
    policy.require(access.can_view_results)
    out = []
    for row in export_rows(survey, lang()):
        out.append(
            {
                **row,
                "n": row["n"] if row["n"] != "" else None,
                **{
                    k: (None if row[k] == "" else row[k])
                    for k in ("mean", "ci_low", "ci_high", "sd", "alpha")
                },
                "distribution": [int(x) for x in row["distribution"].split()],
            }
        )
    return out
