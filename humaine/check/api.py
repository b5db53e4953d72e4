"""API of the check: classify a case profile, create a check, answer, read a result."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from humaine.core.api_auth import OptionalAuth
from humaine.core.api_support import ErrorOut, field_error, form_errors, rate_limited

from . import access, services
from .catalogue import default_catalogue
from .classify import Classification, classify
from .forms import CheckForm
from .profile import CaseProfile
from .questionnaire import AnswerError, validate_answers
from .report import export_data
from .selectors import check_result, date_set_in_force
from .validation import REQUIRED_FIELDS, ProfileError, parse_profile
from .views.common import lang

router = Router(tags=["check"])


class ClassificationOut(Classification):
    """The classification of a case profile, with the profile it rests on."""

    profile: CaseProfile


class RespondentIn(Schema):
    role: str = Field(..., description="A role of the catalogue: developer, user, manager, ...")
    label: str = Field(..., max_length=100, description="How the owner recognises them; no name")


class CheckIn(Schema):
    title: str = Field(..., description="Name of the AI solution or case")
    description: str = ""
    language: str = Field("de", description="de or en")
    profile: dict[str, Any] | None = Field(
        None, description="An explicit CaseProfile; without it the answers fill the profile"
    )
    respondents: list[RespondentIn] = Field(default_factory=list, max_length=30)


class InvitationOut(Schema):
    label: str
    role: str
    invitation_url: str


class CheckCreated(Schema):
    result_url: str
    respondents: list[InvitationOut]


class AnswersIn(Schema):
    token: str = Field(..., max_length=100, description="The token of the invitation link")
    answers: dict[str, Any] = Field(..., description="Question id -> answer")
    submit: bool = Field(False, description="Submit after saving; answers then stay fixed")


class AnswersSaved(Schema):
    answered: int
    submitted: bool


PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [{"$ref": "#/components/schemas/CaseProfile"}],
                    "required": list(REQUIRED_FIELDS),
                }
            }
        },
    }
}


@router.post(
    "/checks/classify",
    auth=OptionalAuth(),
    response={200: ClassificationOut, 422: ErrorOut, 429: ErrorOut},
    summary="Classify a case profile under the EU AI Act (no account needed)",
    description=(
        "Takes a `CaseProfile` and returns the risk class, the roles, the obligations with "
        "their articles and application dates, the German co-determination flags and the "
        "reasoning. The questionnaire fills the same profile, so both give the same answer. "
        "Guidance, not legal advice."
    ),
    openapi_extra=PROFILE_BODY,
)
def classify_profile(request):
    limited = rate_limited(
        request,
        "check-classify",
        limit=settings.CHECK_CLASSIFY_RATE_LIMIT,
        window=settings.CHECK_CLASSIFY_RATE_WINDOW_SECONDS,
    )
    if limited:
        return limited
    try:
        profile = parse_profile(request.body, require=REQUIRED_FIELDS)
    except ProfileError as exc:
        return Status(422, {"detail": exc.errors})
    classification = classify(profile, law=date_set_in_force())
    return ClassificationOut(**classification.model_dump(), profile=profile)


@router.post(
    "/checks",
    auth=OptionalAuth(),
    response={201: CheckCreated, 422: ErrorOut, 429: ErrorOut},
    summary="Start a standalone check (no account needed)",
)
def create_check(request, payload: CheckIn):
    limited = rate_limited(
        request, "check", limit=settings.CHECK_RATE_LIMIT, window=settings.CHECK_RATE_WINDOW_SECONDS
    )
    if limited:
        return limited
    form = CheckForm(
        {"title": payload.title, "description": payload.description, "language": payload.language}
    )
    if not form.is_valid():
        return Status(422, {"detail": form_errors(form)})
    roles = default_catalogue().ids("roles")
    for i, respondent in enumerate(payload.respondents):
        if respondent.role not in roles:
            message = _("Unknown role %(role)s; allowed: %(roles)s.") % {
                "role": respondent.role,
                "roles": ", ".join(roles),
            }
            return field_error(f"respondents.{i}.role", message)
        if not respondent.label.strip():
            return field_error(f"respondents.{i}.label", _("Please give a label."))
    profile = None
    if payload.profile is not None:
        try:
            profile = parse_profile(payload.profile, require=REQUIRED_FIELDS)
        except ProfileError as exc:
            return Status(422, {"detail": exc.errors})
    user = request.user if request.user.is_authenticated else None
    created = services.start_check(
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        language=form.cleaned_data["language"],
        profile=profile,
        respondents=[(r.role, r.label) for r in payload.respondents],
        actor=user,
        actor_name=None if user else "API client",
    )
    url = request.build_absolute_uri
    return Status(
        201,
        {
            "result_url": url(reverse("check:overview", kwargs={"token": created.token})),
            "respondents": [
                {
                    "label": i.respondent.label,
                    "role": i.respondent.role,
                    "invitation_url": url(reverse("check:respond", args=[i.token])),
                }
                for i in created.invitations
            ],
        },
    )


@router.post(
    "/checks/answers",
    auth=OptionalAuth(),
    response={200: AnswersSaved, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Save (and submit) a respondent's answers with the invitation token",
)
def save_answers(request, payload: AnswersIn):
    respondent = access.get_respondent_by_token(payload.token)
    try:
        validate_answers(payload.answers)
        respondent = services.save_answers(respondent, payload.answers)
    except AnswerError as exc:
        return field_error(f"answers.{exc.question}", exc.message.get(lang()))
    except services.AlreadySubmitted:
        return Status(
            409, {"detail": _("The answers have been submitted and can no longer change.")}
        )
    if payload.submit:
        respondent = services.submit_answers(respondent)
    return {"answered": len(respondent.answers), "submitted": respondent.is_submitted}


@router.get(
    "/checks/{check_id}",
    response={200: dict, 404: ErrorOut},
    summary="A check's result (for those who may see it)",
)
def get_check(request, check_id: int):
    check = access.get_check_for_user(request.user, check_id)
    respondents = list(check.respondents.all())
    return export_data(check, check_result(check, respondents), respondents)
