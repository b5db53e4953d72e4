"""Pieces every API router shares: the error body, form errors, rate limits."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import LimitOffsetPagination

from . import ratelimit


class ErrorOut(Schema):
    """``detail`` is a message, or a list of ``{"loc": [...], "msg": ...}`` per field."""

    detail: str | list[dict]


MAX_PAGE_SIZE = settings.NINJA_PAGINATION_MAX_LIMIT
MAX_OFFSET = 1_000_000


class CappedPagination(LimitOffsetPagination):
    """``limit`` (1-100) and ``offset`` (up to 1,000,000); beyond them a 422, not a 500."""

    class Input(Schema):
        limit: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def form_errors(form) -> list[dict]:
    """A Django form's errors in the API's error shape."""
    return [
        {"loc": ["body", field], "msg": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def field_error(field: str, message: str) -> Status:
    return Status(422, {"detail": [{"loc": ["body", field], "msg": message}]})


def rate_limited(
    request, scope: str, *, limit: int, window: int, message: str = ""
) -> JsonResponse | None:
    """A 429 answer once the client's address used up ``limit`` in ``window``; else None.

    Its ``Retry-After`` header and its message say when to try again.
    """
    if ratelimit.allow_request(request, scope, limit=limit, window=window):
        return None
    return too_many_requests(window, message, request)


def too_many_requests(window: int, message: str = "", request=None) -> JsonResponse:
    """A 429 for a client that used up a limit of ``window``; with ``request`` it waits
    first (:class:`~humaine.core.ratelimit.Tarpit`)."""
    if request is not None:
        ratelimit.TARPIT.hold(request, ratelimit.retry_after(window))
    seconds = ratelimit.retry_after(window)
    message = message or _("Too many requests from your address.")
    detail = f"{message} {ratelimit.try_again_text(seconds)}"
    return ratelimit.too_many(JsonResponse({"detail": detail}), window)
