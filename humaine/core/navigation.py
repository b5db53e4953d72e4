"""Navigation and the overview page: each capability registers its own entries.

The header's menu has two areas: ``public`` (everyone, the public site) and ``account``
(logged-in users, by role). ``visible(user)`` asks the access rules (roles in
:mod:`humaine.policy`); ``url`` is a URL name. An entry marked ``start`` is where a user
it is visible to lands after login instead of the overview (hub staff: the triage queue)::

    navigation.NAV.register(NavEntry(
        "check.mine", _("AI checks"), "check:my_checks", area="account", order=40,
        visible=navigation.logged_in,
    ))

The overview page (``core:dashboard``) shows the :class:`DashboardCard` entries a user
may see; ``text`` is a text or ``text(user)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from .registry import Registry

__all__ = ["NavEntry", "DashboardCard", "NAV", "DASHBOARD", "entries_for", "cards_for"]

AREAS = ("public", "account")


def everyone(user) -> bool:
    return True


def logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class NavEntry:
    name: str
    label: Any  # a (lazy) translated text
    url: str  # a URL name
    visible: Callable[[Any], bool] = everyone
    area: str = "public"
    order: int = 100
    # "button" shows the entry as a button
    style: str = ""
    # the page a user who sees this entry lands on (first such entry wins)
    start: bool = False
    # badge(user): a count shown next to the label when above 0 (e.g. unread notifications),
    # read out as "<count> <badge_label>"
    badge: Callable[[Any], int] | None = None
    badge_label: Any = ""


@dataclass(frozen=True)
class DashboardCard:
    name: str
    title: Any
    url: str
    text: Any = ""  # a text, or text(user)
    visible: Callable[[Any], bool] = logged_in
    order: int = 100


NAV: Registry[NavEntry] = Registry("navigation")
DASHBOARD: Registry[DashboardCard] = Registry("dashboard")


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    style: str = ""
    badge: int = 0
    badge_label: str = ""


def entries_for(user, area: str) -> list[Link]:
    """The menu entries of ``area`` that ``user`` may see, in order."""
    return [
        Link(
            str(entry.label),
            reverse(entry.url),
            entry.style,
            entry.badge(user) if entry.badge else 0,
            str(entry.badge_label),
        )
        for entry in NAV
        if entry.area == area and entry.visible(user)
    ]


def start_page(user) -> str | None:
    """Where ``user`` lands after login, if a visible entry is marked ``start``."""
    for entry in NAV:
        if entry.start and entry.visible(user):
            return reverse(entry.url)
    return None


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    text: str


def cards_for(user) -> list[Card]:
    cards = []
    for card in DASHBOARD:
        if card.visible(user):
            text = card.text
            if callable(text) and not isinstance(text, str | Promise):
                text = text(user)
            cards.append(Card(str(card.title), reverse(card.url), str(text)))
    return cards
