"""Email from the hub: plain text from templates, in the recipient's language, once.

Every email the hub sends goes through :func:`send`::

    mail.send(
        "check/email/invitation", to=address, language="de",
        context={"check": check, "url": url}, key=f"check.invitation:{respondent.pk}",
    )

renders ``<template>_subject.txt`` and ``<template>.txt`` (the hub is in the context as
``hub``) without HTML escaping (a company called ``A & B <x>`` stays so), and sends
them from the hub's identity: its name and, unless ``MAIL_FROM`` names the address the
mail server lets the hub send from, its email address (``core.Hub``); replies go to the
hub's address. With a ``key`` the email goes out once (:func:`humaine.core.jobs.run_once`),
even when its job runs again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from .jobs import run_once
from .models import Hub

__all__ = ["from_address", "reply_to", "render", "render_text", "send"]


def from_address(hub: Hub | None = None) -> str:
    """``"Hub name <address>"``: ``MAIL_FROM``'s address, else the hub's, else noreply@host."""
    hub = hub or Hub.current()
    address = parseaddr(settings.MAIL_FROM)[1] if settings.MAIL_FROM else ""
    if not address:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        address = hub.email or f"noreply@{host}"
    return formataddr((hub.name, address))


def reply_to(hub: Hub | None = None) -> list[str]:
    hub = hub or Hub.current()
    return [formataddr((hub.name, hub.email))] if hub.email else []


def render_text(template: str, context: dict) -> str:
    """Render a plain-text template: nothing is HTML-escaped."""
    return get_template(template).template.render(Context(context, autoescape=False))


def render(template: str, context: dict, language: str) -> tuple[str, str]:
    """The subject (on one line) and the body of ``template`` in ``language``."""
    context = {"hub": Hub.current(), **context}
    with translation.override(language):
        subject = render_text(f"{template}_subject.txt", context)
        body = render_text(f"{template}.txt", context)
    return " ".join(subject.split()), body


def send(
    template: str,
    *,
    to: str | list[str],
    language: str,
    context: dict,
    key: str | None = None,
    after: Callable[[], object] | None = None,
    attachments: Sequence[tuple[str, str | bytes, str]] = (),
) -> bool:
    """Send the email (once per ``key``) with ``attachments`` as (file name, content, MIME
    type); ``after()`` runs in the same transaction as the record that it was sent. True if
    it was sent now."""
    hub = Hub.current()
    subject, body = render(template, {**context, "hub": hub}, language)
    message = EmailMessage(
        subject,
        body,
        from_address(hub),
        [to] if isinstance(to, str) else list(to),
        reply_to=reply_to(hub),
    )
    for attachment in attachments:
        message.attach(*attachment)

    def effect():
        message.send()
        if after is not None:
            after()

    if key is None:
        effect()
        return True
    return run_once(key, effect)
