"""Response headers every page gets, and input no view should see."""

import html
import json
import math

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

# Everything is served from our own origin: htmx and the stylesheet are vendored.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


# The API's interactive docs (Swagger UI, served from our static files) set inline styles.
DOCS_CSP = DEFAULT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """Add a Content-Security-Policy header unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/v1/docs") else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class ApiLanguageMiddleware:
    """Answer API calls in the language of their ``Accept-Language`` header.

    Pages take their language from the URL (``/en/...``); LocaleMiddleware answers every
    path without a language prefix in the default language, the API's included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept-Language"])
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


# Deeper JSON than this is refused before a view parses it (no request of ours needs 10).
MAX_JSON_DEPTH = 32
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BadInputMiddleware:
    """Refuse with a 400 what no view should have to handle: a NUL character in the path,
    the query or a form field (PostgreSQL cannot store it), JSON nested deeper than
    ``MAX_JSON_DEPTH`` or that is a bare string or number instead of an object.

    Uploaded files are not looked into here: their readers refuse NUL characters. A
    multipart body is read only once the view is known, so a view that streams its uploads
    in its own way (``view.upload_handlers(request)``, e.g. with a size limit) sets its
    upload handlers first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return self.refuse(request, problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS or request.content_type != "multipart/form-data":
            return None
        handlers = getattr(view_func, "upload_handlers", None)
        if handlers is not None:
            request.upload_handlers = handlers(request)
        if _has_nul(request.POST):
            return self.refuse(request, _("A field contains a NUL character."))
        return None

    def problem(self, request) -> str | None:
        if "\x00" in request.path or _has_nul(request.GET):
            return _("The address contains a NUL character.")
        if request.method not in BODY_METHODS:
            return None
        if request.content_type == "multipart/form-data":
            return None  # read in process_view
        if request.content_type == "application/x-www-form-urlencoded":
            return _("A field contains a NUL character.") if _has_nul(request.POST) else None
        # The API reads JSON whatever the content type says.
        if request.content_type == "application/json" or request.path_info.startswith("/api/"):
            return _json_problem(request.body)
        return None

    def refuse(self, request, problem: str):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": problem}, status=400)
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


def _json_problem(body: bytes) -> str | None:
    if not body.strip():
        return None
    try:
        data = json.loads(body)
    except RecursionError:
        return _("The JSON is nested too deep.")
    except ValueError:
        return None  # not JSON: the view says what it expected
    if not isinstance(data, (dict, list)):
        return _("The request body must be a JSON object.")
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return _("The JSON is nested too deep.")
        if isinstance(value, dict):
            if any("\x00" in key for key in value):
                return _("A field contains a NUL character.")
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str) and "\x00" in value:
            return _("A field contains a NUL character.")
    return None


class PrivateLinkMiddleware:
    """Pages opened by a private link (any URL with a ``token`` parameter: a status page,
    a check's pages, an invitation, a cancellation) are stored by no browser or proxy
    (``Cache-Control: no-store``) and send no ``Referer`` with the token onwards (only the
    hub's origin: ``no-referrer`` would make browsers send ``Origin: null`` with the page's
    own forms, which the CSRF check refuses)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and "token" in match.kwargs:
            add_never_cache_headers(response)
            response.headers["Referrer-Policy"] = "strict-origin"
        return response


class EarlyRefusalMiddleware:
    """Refuse a request whose limit is used up before sessions, CSRF, the view and a page.

    The views count and refuse as well (that is where a limit is kept), but a client that
    keeps knocking once refused gets this short 429 instead: one read of the counters
    (:func:`~humaine.core.ratelimit.used_up`), a few hundred bytes, no write. The apps
    register what is refused this way (:func:`~humaine.core.ratelimit.refuse_early`).
    The refusal waits first (:class:`~humaine.core.ratelimit.Tarpit`), so that a client
    that keeps knocking knocks a few times a second, not hundreds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import ratelimit

        for rule in ratelimit.EARLY_REFUSALS:
            match = request.method in rule.methods and rule.path.match(request.path_info)
            if not match:
                continue
            limits = rule.limits(request)
            seconds = ratelimit.used_up(limits) if limits else None
            if seconds:
                language = match.groupdict().get("language") or settings.LANGUAGE_CODE
                waited = ratelimit.TARPIT.hold(request, seconds)
                seconds = max(1, math.ceil(seconds - waited))
                return _short_refusal(request, rule, seconds, language)
            break
        return self.get_response(request)


def _short_refusal(request, rule, seconds: int, language: str):
    from django.http import HttpResponse

    from . import ratelimit

    with translation.override(language):
        message = str(rule.message())
        text = f"{message} {ratelimit.try_again_text(seconds)}"
        back = _("Back to the page")
    path = html.escape(request.path_info)
    response = HttpResponse(
        f'<!DOCTYPE html><html lang="{language}"><meta charset="utf-8">'
        f"<title>{html.escape(message)}</title><p>{html.escape(text)}</p>"
        f'<p><a href="{path}">{html.escape(back)}</a></p></html>',
        status=429,
    )
    response["Retry-After"] = str(seconds)
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Frame-Options"] = "DENY"
    response["Cache-Control"] = "no-store"
    return response
