"""API of the contact point: inquiries, organisations, experts."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from humaine import policy
from humaine.core import ratelimit
from humaine.core.api_auth import OptionalAuth
from humaine.core.api_support import (
    CappedPagination,
    ErrorOut,
    field_error,
    form_errors,
    rate_limited,
)

from . import access, services
from .forms import InquiryForm
from .models import Inquiry
from .selectors import staff_users

router = Router(tags=["contact"])


class InquiryIn(Schema):
    organisation: str = Field(..., max_length=200, description="Name of the organisation")
    sector: str = Field(..., description="Sector key, e.g. industry, health, insurance, other")
    size_band: str = Field(..., description="1-9, 10-49, 50-249, 250-999 or 1000+")
    contact_name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    phone: str = ""
    work_process: str = Field(..., description="The work process concerned")
    problem: str = Field(..., description="The problem or goal")
    data_available: str = ""
    employees_affected: int = Field(..., ge=0)
    works_council: str = Field(..., description="yes, no or unknown")
    language: str = Field("de", description="de or en")
    consent: bool = Field(..., description="Consent to data processing; must be true")
    website: str = Field("", description="Leave empty (spam trap)")


class InquiryCreated(Schema):
    reference: str
    status: str
    status_url: str


class NamedRef(Schema):
    id: int
    name: str


class InquiryOut(Schema):
    id: int
    reference: str
    organisation: NamedRef
    organisation_name: str
    sector: str = Field(..., alias="sector.slug")
    size_band: str
    contact: NamedRef
    work_process: str
    problem: str
    data_available: str
    employees_affected: int
    works_council: str
    language: str
    status: str
    assignee: str | None = Field(None, alias="assignee.username")
    created_at: datetime
    updated_at: datetime


class InquiryPatch(Schema):
    status: str | None = None
    assignee: str | None = Field(
        None, description="Username of a transfer specialist; empty string to unassign"
    )


class InquiryFilter(Schema):
    status: str | None = None
    sector: str | None = None
    assignee: str | None = None
    q: str | None = Field(None, description="Full-text search")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    sector: str | None = Field(None, alias="sector.slug")
    size_band: str
    city: str


class ExpertOut(Schema):
    id: int
    name: str = Field(..., alias="person.name")
    employer: str | None = Field(None, alias="person.organisation.name")
    disciplines: list[str]
    topics: str
    methods: str
    sectors: list[str]
    languages: list[str]
    capacity_hours: int

    @staticmethod
    def resolve_sectors(obj):
        return [sector.slug for sector in obj.sectors.all()]


@router.post(
    "/inquiries",
    auth=OptionalAuth(),
    response={201: InquiryCreated, 422: ErrorOut, 429: ErrorOut},
    summary="Submit an inquiry (no account needed)",
)
def create_inquiry(request, payload: InquiryIn):
    window = settings.INQUIRY_RATE_WINDOW_SECONDS
    limited = rate_limited(
        request,
        "inquiry",
        limit=settings.INQUIRY_RATE_LIMIT,
        window=window,
        message=_("Too many inquiries from your address."),
    )
    if limited:
        return limited
    data = payload.dict()
    data["consent"] = "on" if data["consent"] else ""
    form = InquiryForm(data)
    if form.is_spam or not form.is_valid():
        # Only accepted inquiries count against the limit.
        ratelimit.refund_request(request, "inquiry", window=window)
    if form.is_spam:
        return Status(422, {"detail": _("The request could not be accepted.")})
    if not form.is_valid():
        return Status(422, {"detail": form_errors(form)})
    user = request.user if request.user.is_authenticated else None
    submission = services.submit_inquiry(form.cleaned_data, user=user)
    url = request.build_absolute_uri(reverse("contact:status", args=[submission.token]))
    created = {
        "reference": submission.inquiry.reference,
        "status": submission.inquiry.status,
        "status_url": url,
    }
    return Status(201, created)


@router.get("/inquiries", response=list[InquiryOut], summary="Inquiries you may see")
@paginate(CappedPagination)
def list_inquiries(request, filters: Query[InquiryFilter]):
    queryset = access.inquiries_visible_to(request.user).select_related(
        "organisation", "sector", "assignee", "contact"
    )
    assignee = None
    if filters.assignee:
        assignee = get_user_model().objects.filter(username=filters.assignee).first()
        if assignee is None:
            return queryset.none()
    return queryset.filtered(
        status=filters.status, sector=filters.sector, assignee=assignee, q=filters.q
    )


@router.get("/inquiries/{inquiry_id}", response={200: InquiryOut, 404: ErrorOut})
def get_inquiry(request, inquiry_id: int):
    return access.get_inquiry_for_user(request.user, inquiry_id)


@router.patch(
    "/inquiries/{inquiry_id}",
    response={200: InquiryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change status or assignee (hub staff)",
)
def update_inquiry(request, inquiry_id: int, payload: InquiryPatch):
    inquiry = access.get_inquiry_for_user(request.user, inquiry_id)
    policy.require(access.can_manage_inquiry(request.user, inquiry))
    # Validate everything first, so a bad field changes nothing.
    if payload.status is not None:
        if payload.status not in Inquiry.Status.values:
            return field_error("status", _("Unknown status."))
        if payload.status != inquiry.status and not inquiry.can_move_to(payload.status):
            return field_error("status", _("This status change is not allowed."))
    assignee = None
    if payload.assignee:
        assignee = staff_users().filter(username=payload.assignee).first()
        if assignee is None:
            return field_error("assignee", _("No transfer specialist with this username."))
    if payload.status is not None:
        inquiry = services.change_status(inquiry, payload.status, actor=request.user)
    if payload.assignee is not None:
        inquiry = services.assign_inquiry(inquiry, assignee, actor=request.user)
    return access.get_inquiry_for_user(request.user, inquiry.pk)


@router.get("/organisations", response=list[OrganisationOut])
@paginate(CappedPagination)
def list_organisations(request):
    return access.organisations_visible_to(request.user).select_related("sector")


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, 404: ErrorOut})
def get_organisation(request, organisation_id: int):
    organisation = (
        access.organisations_visible_to(request.user)
        .select_related("sector")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


@router.get("/experts", response=list[ExpertOut])
@paginate(CappedPagination)
def list_experts(request):
    return (
        access.experts_visible_to(request.user)
        .select_related("person__organisation")
        .prefetch_related("sectors")
    )


@router.get("/experts/{expert_id}", response={200: ExpertOut, 404: ErrorOut})
def get_expert(request, expert_id: int):
    expert = (
        access.experts_visible_to(request.user)
        .select_related("person__organisation")
        .filter(pk=expert_id)
        .first()
    )
    if expert is None:
        raise Http404
    return expert
