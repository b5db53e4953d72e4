"""Private links' tokens stay private: no page a link opens is stored by a browser or a
proxy, and no log line holds a token. (That no session holds a token is tested where
each form stores its new link: contact, check, transfer.)"""

import io
import json
import logging

import pytest
from django.urls import reverse

from humaine.contact.models import Inquiry
from humaine.core.logs import MASK, MaskTokens, mask
from humaine.tests import factories as f
from humaine.tests.access_matrix import routes_for, url_patterns
from humaine.tests.hooks import load_hooks

load_hooks()
PRIVATE = [p for p in url_patterns() if "token" in p.params]
FORGED = "0123456789abcdef" * 2 + "0123456789a"


def _not_stored(response) -> bool:
    return (
        "no-store" in response.get("Cache-Control", "")
        and response.get("Referrer-Policy") == "strict-origin"
    )


def test_the_hub_has_private_link_pages():
    names = {p.name for p in PRIVATE}
    assert {"contact:status", "check:respond", "check:overview", "transfer:cancel"} <= names


@pytest.mark.parametrize("pattern", PRIVATE, ids=lambda p: p.name)
def test_every_page_a_private_link_opens_is_stored_nowhere(pattern, cast, client):
    # as in the access matrix: the expert is on Acme's team (some routes' objects need it)
    f.assign_expert(cast.expert, cast.acme_inquiry)
    routes = routes_for(pattern)
    assert routes, f"register a Route for {pattern.name} in the app's tests/hooks.py"
    for route in routes:
        for kwargs, _obj in route.objects(cast):
            url = reverse(pattern.name, kwargs=kwargs)
            response = getattr(client, route.method.lower())(url)
            assert _not_stored(response), (url, response.status_code, response.headers)
            forged = reverse(pattern.name, kwargs=kwargs | {"token": FORGED})
            response = getattr(client, route.method.lower())(forged)
            assert response.status_code == 404 and _not_stored(response), forged


def test_other_pages_may_be_cached(client, cast):
    response = client.get(reverse("contact:home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_masking_replaces_tokens_and_keeps_everything_else():
    from humaine.core import logs, tokens

    assert logs.TOKEN_LENGTH == tokens.TOKEN_LENGTH
    token = Inquiry(token_nonce="ab" * 16).token()
    line = f'GET /en/status/{token}/?x=1 HTTP/1.1" 200 "https://hub/check/r/{token}/"'
    assert mask(line) == f'GET /en/status/{MASK}/?x=1 HTTP/1.1" 200 "https://hub/check/r/{MASK}/"'
    # hashes and ids of other lengths are not tokens
    assert mask("a" * 64) == "a" * 64 and mask("/inquiries/12/") == "/inquiries/12/"


def test_a_404_on_a_private_link_is_logged_without_its_token(client, cast):
    """Through the handler settings.LOGGING configures for Django's loggers."""
    (handler,) = [
        h
        for h in logging.getLogger("django").handlers
        if any(isinstance(flt, MaskTokens) for flt in h.filters)
    ]
    written = io.StringIO()
    # swapped without setStream, which flushes the old stream: under pytest's capture that
    # may be a stream already closed
    previous, handler.stream = handler.stream, written
    try:
        client.get(f"/status/{FORGED}/")
    finally:
        handler.stream = previous
    assert "Not Found" in written.getvalue()
    assert f"/status/{MASK}/" in written.getvalue() and FORGED not in written.getvalue()


def test_the_filter_masks_messages_and_their_arguments():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s', (f"GET /s/{FORGED}/ HTTP/1.1", 200), None
    )
    MaskTokens().filter(record)
    assert record.getMessage() == f'"GET /s/{MASK}/ HTTP/1.1" 200'


def test_gunicorns_access_log_masks_tokens():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from humaine.core.gunicorn_logger import TokenMaskingLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/status/{FORGED}/",
        "PATH_INFO": f"/status/{FORGED}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://hub.example.org/check/r/{FORGED}/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = TokenMaskingLogger(Config()).atoms(response, request, environ, timedelta(seconds=1))
    assert FORGED not in json.dumps(atoms, default=str)
    assert atoms["r"] == f"GET /status/{MASK}/ HTTP/1.1" and MASK in atoms["f"]
