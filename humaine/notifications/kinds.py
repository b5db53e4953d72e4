"""The kinds of notification the hub sends: each app registers its own.

A capability that wants to tell people what happened registers a :class:`Kind` in its
``AppConfig.ready()`` and calls :func:`humaine.notifications.services.notify` when it
happens::

    kinds.KINDS.register(kinds.Kind(
        "contact.reply_received",
        label=_("An inquirer replied"),
        text=reply_text,            # text(notification) -> one line in the active language
        link=inquiry_link,          # link(notification) -> the URL (path) it opens
        audience=policy.is_staff,   # who may choose it on the preferences page
    ))

A notification is shown in the hub (the recipient's list, with unread markers) and, as
the recipient chose on their preferences page (``email_default`` until they choose),
emailed by a background job with ``email_template`` (``<template>.txt`` and
``<template>_subject.txt``; the context has ``notification``, ``text``, ``url`` and
``preferences_url``). A kind with ``accounts=False`` goes to people without an account
(an inquirer, by email only); they choose on the page their private link opens, and
:func:`humaine.notifications.services.wants_email_at` tells the sending app.

Texts are made when shown (``text``), in the reader's language, from the notification's
``params`` and the object it is about; keep ``params`` free of personal data and of
confidential text (a reference, a status code, a number of hours).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from humaine.core.registry import Registry

__all__ = ["Kind", "KINDS", "for_user"]

DEFAULT_TEMPLATE = "notifications/email/notification"


def _nobody(user) -> bool:
    return False


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # a (lazy) text naming the event on the preferences page
    text: Callable[[Any], str] | None = None  # text(notification)
    link: Callable[[Any], str] | None = None  # link(notification): a path
    audience: Callable[[Any], bool] = _nobody  # audience(user): may receive and choose it
    help: Any = ""  # a (lazy) text saying more on the preferences page
    email_default: bool = True
    email_template: str = DEFAULT_TEMPLATE
    # False: for people without an account, by email only (no list, no preferences page)
    accounts: bool = True
    order: int = 100


KINDS: Registry[Kind] = Registry("notification kinds")


def for_user(user) -> list[Kind]:
    """The kinds ``user`` may receive in the hub, in order."""
    return [kind for kind in KINDS if kind.accounts and kind.audience(user)]
