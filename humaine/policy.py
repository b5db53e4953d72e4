"""The access policy: roles, and the one way to refuse an action.

Who may see and do what is decided by each capability's rules, next to its objects, in
``humaine/<app>/access.py`` (``get_<thing>_for_user``, ``<things>_visible_to``,
``can_<verb>_<thing>``); every view and API endpoint asks them. This module holds what
they share and imports no app's models:

- the roles a user holds (a user may hold several):

  - ``visitor``: no account. Uses public pages, submits inquiries, follows its inquiry
    through the private status link.
  - ``member``: belongs to a company (or institute). Sees its own organisation's
    inquiries, never another organisation's.
  - ``expert``: has an active expert profile. Sees the inquiries whose team they are on.
  - ``staff``: transfer specialist of the hub. Sees and manages every inquiry, writes
    internal notes, exports and erases personal data.
  - ``admin``: hub admin. Everything staff may do, plus the hub's identity and legal texts.

  Roles come from :data:`ROLE_SOURCES`: the contact point registers the one that reads
  memberships and expert profiles.
- :func:`require`: ``PermissionDenied`` (403) for an action a user may not take on
  something they can see. Objects a user may not see raise ``Http404`` in the apps'
  ``get_<thing>_for_user`` (the object's existence is not revealed).
- :data:`RULES`: each app registers the pairs of its rules (the list of objects a user
  may see, and the predicate for one object); one test asserts that they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from humaine.core.registry import Registry

_CACHE_ATTR = "_humaine_access"


class Role(StrEnum):
    VISITOR = "visitor"
    MEMBER = "member"
    EXPERT = "expert"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True)
class Grant:
    """What one role source says about a user."""

    roles: frozenset[Role] = frozenset()
    # the organisations whose confidential data the user sees as a member
    organisation_ids: frozenset[int] = frozenset()
    # the user's active expert profile
    expert_id: int | None = None


@dataclass(frozen=True)
class RoleSource:
    name: str
    grant: Callable[[Any], Grant]


ROLE_SOURCES: Registry[RoleSource] = Registry("role sources")


@dataclass(frozen=True)
class Rule:
    """A capability's rule for one kind of object, in its two forms.

    ``visible_to(user)`` is the queryset of objects ``user`` may see (for lists),
    ``can(user, obj)`` the same decision for one object; they must agree on every object.
    """

    name: str
    model: str  # "app_label.model_name"
    visible_to: Callable[[Any], Any]
    can: Callable[[Any, Any], bool]


RULES: Registry[Rule] = Registry("access rules")


class _Access:
    """What one user is, computed once per user object (i.e. once per request)."""

    def __init__(self, user):
        self.roles: set[Role] = set()
        self.organisation_ids: set[int] = set()
        self.expert_id: int | None = None
        if user is None or not user.is_authenticated or not user.is_active:
            self.roles.add(Role.VISITOR)
            return
        for source in ROLE_SOURCES:
            grant = source.grant(user)
            self.roles |= grant.roles
            self.organisation_ids |= grant.organisation_ids
            if grant.expert_id is not None:
                self.expert_id = grant.expert_id
        if user.is_superuser:
            self.roles |= {Role.ADMIN, Role.STAFF}


def _access(user) -> _Access:
    if user is None or not getattr(user, "is_authenticated", False):
        return _Access(None)
    access = getattr(user, _CACHE_ATTR, None)
    if access is None:
        access = _Access(user)
        setattr(user, _CACHE_ATTR, access)
    return access


def forget(user) -> None:
    """Drop the cached roles of ``user`` (after its memberships changed)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles(user) -> frozenset[Role]:
    return frozenset(_access(user).roles)


def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_staff(user) -> bool:
    return Role.STAFF in _access(user).roles


def is_hub_admin(user) -> bool:
    return Role.ADMIN in _access(user).roles


def is_expert(user) -> bool:
    return Role.EXPERT in _access(user).roles


def is_member(user) -> bool:
    return Role.MEMBER in _access(user).roles


def organisation_ids(user) -> frozenset[int]:
    """The organisations whose confidential data ``user`` sees as a member."""
    return frozenset(_access(user).organisation_ids)


def expert_id(user) -> int | None:
    return _access(user).expert_id


def require(allowed: bool) -> None:
    """Raise ``PermissionDenied`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied
