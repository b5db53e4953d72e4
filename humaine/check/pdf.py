"""PDF exports through WeasyPrint, from the same templates as the pages.

A PDF is rendered once per version of what it shows: the cache key is a hash of the HTML
it is made from, so new answers, an edited document or another language make a new PDF,
and asking again for the same one costs one template render, not a WeasyPrint run.
Renders are rate-limited per client address (``PDF_RATE_LIMIT`` per
``PDF_RATE_WINDOW_SECONDS``), and at most ``PDF_RENDERS_AT_ONCE`` run at a time in the
whole installation, so PDFs never take all the processors from the other pages; PDFs
already rendered are always served.

The PDFs made for one check are listed under the check (``owner``), so that erasing a
person's data also deletes the PDFs that showed it (:func:`forget`).

Every PDF of the hub is made by :func:`write_pdf`: the check's, a run's report
(human_ai), the figures (transfer) through :func:`pdf_response`, and staff's PDFs that are
made anew each time (a scenario's report, an event's check-in list) through
:func:`fresh_pdf_response`. So each render takes one of the installation's render places
and runs at low priority (core.low_priority): the pages come first.
"""

import hashlib
import json
import math
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from humaine.core import low_priority, ratelimit

CACHE_SECONDS = 7 * 24 * 3600
KEPT_PER_OWNER = 100  # PDFs kept per check; older ones are deleted


BUSY_RETRY_SECONDS = 5
# Keys by inputs hold in this process only: a deploy (new templates, a new catalogue) starts
# new processes, whose first request for a PDF makes its HTML again.
PROCESS = secrets.token_hex(8)


class TooManyRenders(Exception):
    """The client has rendered its share of PDFs for now, or the renderers are all busy."""

    def __init__(self, retry_after: int, message: str, *, busy: bool = False):
        super().__init__(message)
        self.retry_after, self.message, self.busy = retry_after, message, busy


def _listed(owner: str) -> str:
    return f"check.pdf.of:{owner}"


def _remember(owner: str, key: str) -> None:
    """List a PDF just rendered under its owner. Every cached PDF of an owner is listed
    (so :func:`forget` finds them all): the oldest beyond ``KEPT_PER_OWNER`` are deleted."""
    keys = [*(cache.get(_listed(owner)) or []), key]
    if len(keys) > KEPT_PER_OWNER:
        cache.delete_many(keys[:-KEPT_PER_OWNER])
    cache.set(_listed(owner), keys[-KEPT_PER_OWNER:], CACHE_SECONDS)


def pdf_owner(check) -> str:
    return f"check:{check.pk}"


def forget(owner: str) -> None:
    """Delete every cached PDF made for ``owner`` (e.g. ``"check:12"``)."""
    keys = cache.get(_listed(owner)) or []
    cache.delete_many([*keys, _listed(owner)])


def inputs_key(*inputs) -> str:
    """A cache key for everything a PDF is made from (the check's and its respondents'
    stored values, the language, the hub), so that a PDF asked for again is found without
    running the check and its template (:func:`pdf_response`)."""
    text = json.dumps([PROCESS, *inputs], default=str, sort_keys=True)
    return "check.pdf.in:" + hashlib.sha256(text.encode()).hexdigest()


def render_pdf(
    template: str, context, request=None, owner: str | None = None, inputs: str | None = None
) -> bytes:
    """The PDF of ``template`` with ``context`` (a dict, or a function that makes it), from
    the cache when it was made before. With ``inputs`` (:func:`inputs_key`) a PDF made from
    the same inputs is served without even making its HTML."""
    if inputs is not None:
        known = cache.get(inputs)
        pdf = cache.get(known) if known else None
        if pdf is not None:
            return pdf
    html = render_to_string(template, context() if callable(context) else context, request=request)
    key = "check.pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        window = settings.PDF_RATE_WINDOW_SECONDS
        if request is not None and not ratelimit.allow_request(
            request, "pdf", limit=settings.PDF_RATE_LIMIT, window=window
        ):
            message = _("Too many PDFs from your address in a short time.")
            raise TooManyRenders(ratelimit.retry_after(window), message)
        try:
            pdf = write_pdf(html, request)
        except ratelimit.Busy:
            if request is not None:  # not rendered: it does not count
                ratelimit.refund_request(request, "pdf", window=window)
            message = _("Other PDFs are being made right now.")
            raise TooManyRenders(BUSY_RETRY_SECONDS, message, busy=True) from None
        cache.set(key, pdf, CACHE_SECONDS)
        if owner is not None:
            _remember(owner, key)
    if inputs is not None:
        cache.set(inputs, key, CACHE_SECONDS)
    return pdf


def write_pdf(html: str, request=None) -> bytes:
    """The PDF of ``html``: the one place where the hub runs WeasyPrint.

    The render holds one of the installation's ``PDF_RENDERS_AT_ONCE`` places (a request
    waits for one as long as the tarpit lets it, else :class:`ratelimit.Busy`) and runs in
    the process's low-priority thread (core.low_priority), so it takes the processor only
    when the pages leave it. No cache and no per-address limit here: the callers decide."""
    waiting = ratelimit.TARPIT.waiter(request) if request is not None else None
    with ratelimit.slot("check.pdf", settings.PDF_RENDERS_AT_ONCE, wait=waiting):
        return low_priority.run(_weasyprint, html)


def _weasyprint(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def _refused(message: str, seconds: int) -> HttpResponse:
    text = f"{message} {ratelimit.try_again_text(seconds)}"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=429)
    response["Retry-After"] = str(seconds)
    return response


def _attachment(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(
    template: str,
    context,
    filename: str,
    request=None,
    owner: str | None = None,
    inputs: str | None = None,
) -> HttpResponse:
    try:
        pdf = render_pdf(template, context, request, owner, inputs)
    except TooManyRenders as refused:
        seconds = refused.retry_after
        if request is not None and not refused.busy:
            # The address's share is used up: the refusal waits (ratelimit.Tarpit).
            waited = ratelimit.TARPIT.hold(request, seconds)
            seconds = max(1, math.ceil(seconds - waited))
        return _refused(refused.message, seconds)
    return _attachment(pdf, filename)


def fresh_pdf_response(template: str, context: dict, filename: str, request) -> HttpResponse:
    """The PDF of ``template``, made anew on every request and never cached: for staff's
    PDFs that show personal data (an event's check-in list) or the moment they were made
    (a scenario's report). Rendered by :func:`write_pdf` like every PDF; a 429 while all
    render places stay taken."""
    html = render_to_string(template, context, request=request)
    try:
        pdf = write_pdf(html, request)
    except ratelimit.Busy:
        return _refused(_("Other PDFs are being made right now."), BUSY_RETRY_SECONDS)
    return _attachment(pdf, filename)
