"""API of transfer: knowledge-base entries, events and registrations (public parts without
login), the hub's figures (staff)."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from humaine.core.api_auth import OptionalAuth
from humaine.core.api_support import ErrorOut, form_errors, rate_limited, too_many_requests

from . import access, dashboard, markup, search, services
from .forms import PeriodForm, RegistrationForm, SearchForm
from .models import Entry, Event, Maturity, Registration
from .views.knowledge import lang

router = Router(tags=["transfer"])


class EntryOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    maturity: int | None
    maturity_label: str
    visibility: str
    languages: list[str]
    sectors: list[str]
    disciplines: list[str]
    url: str


class CaseFieldOut(Schema):
    field: str
    label: str
    html: str


class AttachmentOut(Schema):
    title: str
    size: int
    url: str


class EntryDetailOut(EntryOut):
    version: int
    published_at: str
    problem: str
    html: str = Field(..., description="The text as sanitised HTML")
    evidence_html: str
    sources_html: str
    case_study: list[CaseFieldOut] = Field(
        default_factory=list, description="Only the parts the company released"
    )
    recommendation_ids: list[str]
    attachments: list[AttachmentOut]


class EntryPage(Schema):
    total: int
    page: int
    items: list[EntryOut]


def _entry_out(entry: Entry) -> dict:
    version = entry.published_version
    return {
        "slug": entry.slug,
        "kind": entry.kind,
        "title": version.title,
        "summary": version.summary,
        "maturity": entry.maturity,
        "maturity_label": str(Maturity(entry.maturity).label) if entry.maturity else "",
        "visibility": entry.visibility,
        "languages": version.languages,
        "sectors": [s.slug for s in entry.sectors.all()],
        "disciplines": [d.code for d in entry.disciplines.all()],
        "url": settings.SITE_URL + entry.get_absolute_url(),
    }


@router.get(
    "/entries",
    response={200: EntryPage, 429: ErrorOut},
    auth=OptionalAuth(),
    summary="Search the knowledge base",
)
def list_entries(
    request,
    q: str = "",
    kind: list[str] = Query(default=[]),  # noqa: B008
    sector: list[str] = Query(default=[]),  # noqa: B008
    discipline: list[str] = Query(default=[]),  # noqa: B008
    maturity: list[int] = Query(default=[]),  # noqa: B008
    page: int = 1,
):
    """Entries the caller may read (public ones without login), best match first. Searches
    with a text are limited per address (``TRANSFER_SEARCH_RATE_LIMIT``): 429 after."""
    form = SearchForm(
        {
            "q": q[:300],
            "kind": kind,
            "sector": sector,
            "discipline": discipline,
            "maturity": maturity,
        }  # fmt: skip
    )
    filters = form.filters()
    if not search.allowed(request, filters):
        message = _("Too many searches from your address in a short time.")
        return too_many_requests(settings.TRANSFER_SEARCH_RATE_WINDOW_SECONDS, message, request)
    result = search.search(request.user, filters)
    page = max(1, page)
    entries = search.page_of(result, page)
    return {"total": result.total, "page": page, "items": [_entry_out(e) for e in entries]}


@router.get("/entries/{slug}", response={200: EntryDetailOut, 404: ErrorOut}, auth=OptionalAuth())
def get_entry(request, slug: str):
    entry = access.get_entry_for_user(request.user, slug)
    version = entry.published_version
    language = lang()
    services.count_use(entry, views=1)
    other = "en" if language == "de" else "de"
    return _entry_out(entry) | {
        "version": version.number,
        "published_at": version.published_at.isoformat() if version.published_at else "",
        "problem": "" if entry.is_case_study else version.text_in("problem", language),
        "html": ""
        if entry.is_case_study
        else str(markup.render(version.text_in("body", language))),
        "evidence_html": str(markup.render(version.text_in("evidence", language))),
        "sources_html": str(markup.render(version.sources)),
        "case_study": [
            {
                "field": name,
                "label": str(label),
                "html": str(markup.render(texts.get(language) or texts.get(other, ""))),
            }
            for name, label, texts in services.shown_case_fields(entry, version)
        ],  # fmt: skip
        "recommendation_ids": entry.recommendation_ids,
        "attachments": [
            {
                "title": a.title,
                "size": a.size,
                "url": settings.SITE_URL + f"/knowledge/{entry.slug}/files/{a.pk}/",
            }
            for a in entry.attachments.shown()
        ],  # fmt: skip
    }


# Events ------------------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    kind: str
    title: str
    description_html: str
    starts_at: str
    ends_at: str
    venue: str
    accessibility: str
    capacity: int
    places_free: int
    waiting: int
    registration_open: bool
    url: str
    ics_url: str


def _event_out(event: Event) -> dict:
    confirmed = event.registrations.confirmed().count()
    return {
        "slug": event.slug,
        "kind": event.kind,
        "title": event.title,
        "description_html": str(markup.render(event.description)),
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "venue": event.venue,
        "accessibility": event.accessibility,
        "capacity": event.capacity,
        "places_free": max(0, event.capacity - confirmed),
        "waiting": event.registrations.waiting().count(),
        "registration_open": event.registration_open(),
        "url": settings.SITE_URL + event.get_absolute_url(),
        "ics_url": settings.SITE_URL + f"/events/{event.slug}/event.ics",
    }


@router.get("/events", response=list[EventOut], auth=OptionalAuth(), summary="Events")
def list_events(request, upcoming: bool = True):
    events = access.events_visible_to(request.user)
    now = timezone.now()
    events = events.upcoming(now) if upcoming else events.past(now)[:100]
    return [_event_out(event) for event in events[:200]]


@router.get("/events/{slug}", response={200: EventOut, 404: ErrorOut}, auth=OptionalAuth())
def get_event(request, slug: str):
    return _event_out(access.get_event_for_user(request.user, slug))


class RegistrationIn(Schema):
    name: str
    email: str
    organisation_name: str = ""
    accessibility_needs: str = Field("", description="Step-free access, interpreter, ...")
    language: str = Field("de", description="de or en: the language of the emails")
    privacy: bool = Field(..., description="Agreement to the storage of the registration")


class RegistrationOut(Schema):
    status: str = Field(..., description="confirmed, or waitlisted when the event is full")
    message: str
    cancel_url: str


@router.post(
    "/events/{slug}/registrations",
    response={
        201: RegistrationOut,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },  # fmt: skip
    auth=OptionalAuth(),
    summary="Register for an event (no account needed)",
)
def register(request, slug: str, payload: RegistrationIn):
    event = access.get_event_for_user(request.user, slug)
    limited = rate_limited(
        request, "event_registration", limit=settings.TRANSFER_REGISTRATION_RATE_LIMIT,
        window=3600,
    )  # fmt: skip
    if limited:
        return limited
    form = RegistrationForm(payload.dict())
    if not form.is_valid():
        return Status(422, {"detail": form_errors(form)})
    data = form.cleaned_data | {"language": "en" if payload.language == "en" else "de"}
    try:
        result = services.register_for_event(event, data, user=request.user)
    except services.RegistrationError as error:
        return Status(409 if error.code == "duplicate" else 400, {"detail": str(error)})
    registration = result.registration
    message = (
        _("The event is fully booked: you are on the waiting list and move up automatically.")
        if result.waitlisted
        else _("Your place is confirmed.")
    )
    return Status(201, {"status": registration.status, "message": message,
                        "cancel_url": registration.cancel_url()})  # fmt: skip


class CancelIn(Schema):
    token: str = Field(..., max_length=100, description="The token of the cancellation link")


class CancelOut(Schema):
    status: str
    promoted: int = Field(..., description="People moved up from the waiting list")


@router.post(
    "/registrations/cancel",
    response={200: CancelOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut},
    auth=OptionalAuth(),
    summary="Cancel a registration with the token of its cancellation link",
)
def cancel(request, payload: CancelIn):
    registration = access.get_registration_by_token(payload.token)
    try:
        moved = services.cancel_registration(registration)
    except services.LinkExpired as error:
        return Status(410, {"detail": str(error)})
    except services.RegistrationError as error:
        return Status(409, {"detail": str(error)})
    return {"status": Registration.Status.CANCELLED, "promoted": len(moved)}


class RegistrationRow(Schema):
    id: int
    status: str
    name: str
    email: str
    organisation_name: str
    accessibility_needs: str
    registered_at: str
    attended: bool


@router.get("/events/{slug}/registrations", response={200: list[RegistrationRow], 404: ErrorOut})
def list_registrations(request, slug: str):
    """Every registration of an event (hub staff; anyone else gets 404)."""
    event = access.get_managed_event(request.user, slug)
    rows = access.registrations_visible_to(request.user).filter(event=event)
    return [
        {
            "id": r.pk,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "organisation_name": r.organisation_name,
            "accessibility_needs": r.accessibility_needs,
            "registered_at": r.created_at.isoformat(),
            "attended": r.attended,
        }  # fmt: skip
        for r in rows.order_by("created_at", "pk")
    ]


# Figures -----------------------------------------------------------------------------------


class FigureOut(Schema):
    key: str
    label: str
    value: float
    by: dict[str, float]


class FiguresOut(Schema):
    start: date
    end: date
    counted_at: str
    figures: list[FigureOut]


@router.get("/figures", response={200: FiguresOut, 403: ErrorOut, 422: ErrorOut})
def figures(request, start: date, end: date):
    """The hub's figures for a period (both days included); hub staff only."""
    if not access.can_view_figures(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = PeriodForm({"start": start, "end": end})
    if not form.is_valid():
        errors = [{"loc": ["query"], "msg": str(e)} for e in form.non_field_errors()]
        return Status(422, {"detail": errors or form_errors(form)})
    period = dashboard.figures_for(*form.bounds())
    return {
        "start": start, "end": end, "counted_at": period.counted_at.isoformat(),
        "figures": [{"key": f.key, "label": f.label, "value": f.value, "by": f.by}
                    for f in period.figures],
    }  # fmt: skip
