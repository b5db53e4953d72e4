"""Deploying team runs as services, and the services' machine tokens.

A :class:`~humaine.human_ai.models.Service` has one active version (a finished run) at a
time; deploying another run retires the active one and keeps it (with its routed cases).
Machine clients authenticate with a :class:`~humaine.human_ai.models.ServiceToken` that
works for its own service only; the plain key is shown once, only its hash is stored, and
a revoked token stops at once (each request looks it up). Every change is atomic and in
the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.scenarios import services as scenario_services

from .models import Run, Service, ServiceToken, ServiceVersion
from .services import TeamError

__all__ = [
    "create_service",
    "deploy",
    "issue_token",
    "revoke_token",
    "set_show_suggestion",
    "token_for_key",
]

MAX_KEY_LENGTH = 100


def _log(actor, action, obj, scenario, *, verb, label, **details) -> None:
    scenario_services.log(
        actor, action, obj, scenario, kind="dataset", verb=verb, label=label, **details
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def create_service(scenario, *, title: str, run: Run, actor) -> Service:
    """A new service of ``scenario`` with ``run`` as its first active version."""
    title = (title or "").strip()
    if not title:
        raise TeamError(_("Give the service a title."), field="title")
    service = Service.objects.create(scenario=scenario, title=title[:200], created_by=_user(actor))
    _log(actor, "service.created", service, scenario, verb="service_created", label=service.title)
    deploy(service, run, actor=actor)
    return service


@transaction.atomic
def deploy(service: Service, run: Run, *, actor) -> ServiceVersion:
    """Make ``run`` the service's active version; the one before is retired and kept."""
    if run.scenario_id != service.scenario_id:
        raise TeamError(_("Only a run of this scenario can be deployed here."), field="run")
    if run.status != Run.Status.DONE or "team/metadata.json" not in (run.files or []):
        raise TeamError(_("Only a finished run with a saved team can be deployed."), field="run")
    service = Service.objects.select_for_update().get(pk=service.pk)
    current = service.versions.filter(retired_at__isnull=True).first()
    if current is not None and current.run_id == run.pk:
        raise TeamError(_("This run is already the active version."), field="run")
    now = timezone.now()
    if current is not None:
        current.retired_at = now
        current.save(update_fields=["retired_at"])
    number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ServiceVersion.objects.create(
        service=service, run=run, number=number, deployed_by=_user(actor), deployed_at=now
    )
    # a new team counts its own capacity window
    Service.objects.filter(pk=service.pk).update(stream_state={})
    _log(
        actor,
        "service.deployed",
        service,
        service.scenario,
        verb="service_deployed",
        label=f"{service.title} v{number}: {run}",
        before={"run": current.run_id if current else None},
        after={"run": run.pk},
        version=number,
    )
    return version


@transaction.atomic
def set_show_suggestion(service: Service, show: bool, *, actor) -> Service:
    before = {"show_suggestion": service.show_suggestion}
    service.show_suggestion = bool(show)
    service.save(update_fields=["show_suggestion"])
    _log(
        actor,
        "service.settings_changed",
        service,
        service.scenario,
        verb="service_settings",
        label=service.title,
        before=before,
        after={"show_suggestion": service.show_suggestion},
    )
    return service


@transaction.atomic
def set_limits(service: Service, form, *, actor):
    """Save the limits of ``service``'s figures (a valid ``LimitsForm``); audited, and
    checked at once in the background."""
    from . import monitoring_alerts

    fields = form.Meta.fields
    instance = form.instance
    before = (
        {f: getattr(type(instance).objects.get(pk=instance.pk), f) for f in fields}
        if instance.pk
        else {}
    )
    limits = form.save(commit=False)
    limits.service = service
    limits.updated_by = _user(actor)
    limits.updated_at = timezone.now()
    limits.save()
    after = {f: getattr(limits, f) for f in fields}
    _log(
        actor,
        "service.limits_changed",
        service,
        service.scenario,
        verb="service_limits",
        label=service.title,
        before=before,
        after=after,
    )
    monitoring_alerts.schedule(service.pk)
    return limits


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(service: Service, *, name: str, actor) -> tuple[ServiceToken, str]:
    """A new token for ``service``; the plain key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise TeamError(_("Name the token (e.g. the system that uses it)."), field="name")
    key = ServiceToken.PREFIX + secrets.token_urlsafe(32)
    token = ServiceToken.objects.create(
        service=service,
        name=name[:100],
        prefix=key[: ServiceToken.PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_by=_user(actor),
    )
    _log(
        actor,
        "service_token.created",
        token,
        service.scenario,
        verb="service_token_created",
        label=f"{service.title}: {token}",
    )
    return token, key


@transaction.atomic
def revoke_token(token: ServiceToken, *, actor) -> ServiceToken:
    if token.revoked_at is not None:
        raise TeamError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _log(
        actor,
        "service_token.revoked",
        token,
        token.service.scenario,
        verb="service_token_revoked",
        label=f"{token.service.title}: {token}",
    )
    return token


def token_for_key(key: str) -> ServiceToken | None:
    """The active token with this key, or None (wrong, revoked, or not a service key)."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.startswith(ServiceToken.PREFIX):
        return None
    # the hash is unique: get() needs no ordering (asked for every request to the API)
    try:
        return ServiceToken.objects.active().select_related("service").get(key_hash=hash_key(key))
    except ServiceToken.DoesNotExist:
        return None
