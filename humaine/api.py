"""The HTTP API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json
and interactive docs at /api/v1/docs. Each app contributes a router from its api.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from humaine.check.api import router as check_router
from humaine.contact.api import router as contact_router
from humaine.core.api_auth import AUTH
from humaine.human_ai.api import router as human_ai_router
from humaine.matching.api import router as matching_router
from humaine.scenarios.api import router as scenarios_router
from humaine.transfer.api import router as transfer_router

api = NinjaAPI(
    title="HUMAINE API",
    version="1",
    description=(
        "The hub's HTTP API. Machines authenticate with a personal token "
        "(`Authorization: Bearer hm_...`, created under Account → API tokens); "
        "people in the browser with their session. Error messages follow the "
        "`Accept-Language` header (German by default, English)."
    ),
    auth=AUTH,
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def api_not_found(request, *args, **kwargs):
    """Any other path under /api/: a JSON 404 like the API's own, whatever the method."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    # A malformed id in the path (e.g. /inquiries/abc) names no object: 404, as a forged id.
    if any(error.get("loc", [None])[0] == "path" for error in exc.errors):
        return not_found(request, exc)
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


api.add_router("/", contact_router)
api.add_router("/", matching_router)
api.add_router("/", check_router)
api.add_router("/", scenarios_router)
api.add_router("/", transfer_router)
api.add_router("/", human_ai_router)
