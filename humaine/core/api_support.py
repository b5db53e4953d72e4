"""Pieces every API router shares: the error body, form errors, rate limits."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status

from . import ratelimit


class ErrorOut(Schema):
    """``detail`` is a message, or a list of ``{"loc": [...], "msg": ...}`` per field."""

    detail: str | list[dict]


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
    return too_many_requests(window, message)


def too_many_requests(window: int, message: str = "") -> JsonResponse:
    seconds = ratelimit.retry_after(window)
    message = message or _("Too many requests from your address.")
    detail = f"{message} {ratelimit.try_again_text(seconds)}"
    return ratelimit.too_many(JsonResponse({"detail": detail}), window)
