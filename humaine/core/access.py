"""Who may use the foundation's pages: the hub's settings, background jobs, API tokens."""

from humaine import policy


def can_edit_hub(user) -> bool:
    return policy.is_hub_admin(user)


def can_view_jobs(user) -> bool:
    return policy.is_staff(user)


def can_use_api_tokens(user) -> bool:
    return policy.is_authenticated(user)
