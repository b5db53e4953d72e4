"""Operations of the foundation. Each owns its transaction and writes the audit trail."""

from django.db import transaction
from django.utils import timezone

from . import audit
from .models import ApiToken, Hub

HUB_FIELDS = [f.name for f in Hub._meta.fields if f.name not in ("id", "updated_at")]


@transaction.atomic
def save_hub(hub: Hub, *, actor, actor_name: str | None = None) -> Hub:
    """Store the hub's identity and legal texts (``hub`` with its new values)."""
    stored = Hub.objects.select_for_update().filter(pk=hub.pk).first() if hub.pk else None
    before = audit.snapshot(stored, HUB_FIELDS) if stored else {}
    hub.save()
    audit.record(
        actor,
        "hub.updated",
        hub,
        before=before,
        after=audit.snapshot(hub, HUB_FIELDS),
        actor_name=actor_name,
    )
    return hub


@transaction.atomic
def issue_api_token(user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a personal API token; the plain key is returned once and never stored."""
    token, key = ApiToken.issue(user, name, expires_at)
    audit.record(user, "api_token.created", token)
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "api_token.revoked", token)
    return token
