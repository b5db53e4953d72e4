"""Who may see and do what in matching.

Similar cases and methods follow the inquiry (each similar case is filtered again by its
source's own rule); expert profiles, the proposed team and everything that changes the
network are for hub staff.
"""

from __future__ import annotations

from humaine import policy
from humaine.contact import access as contact_access


def can_view_matches(user, inquiry) -> bool:
    """Similar cases and methods for an inquiry: whoever may open it."""
    return contact_access.can_view_inquiry(user, inquiry)


def can_see_expert_matches(user) -> bool:
    """Ranked expert profiles and the proposed team: hub staff only."""
    return policy.is_staff(user)


def can_accept_team(user, inquiry=None) -> bool:
    return policy.is_staff(user)


def can_preview_matching(user) -> bool:
    return policy.is_staff(user)


def can_rebuild_matching(user) -> bool:
    return policy.is_staff(user)


def can_import_experts(user) -> bool:
    return policy.is_staff(user)
