"""Operations on the network: organisations join, edit their profile, leave."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine.core import audit

from ..models import NetworkMember

PROFILE_FIELDS = [
    "description_de", "description_en", "offers_de", "offers_en", "seeks_de", "seeks_en",
    "contact_name", "contact_email", "listed",
]  # fmt: skip
STAFF_FIELDS = ["kind", "member_since"]


class NetworkError(ValueError):
    """A network operation that cannot be made; the message says why."""


@transaction.atomic
def add_network_member(user, organisation, data: dict) -> NetworkMember:
    if NetworkMember.objects.filter(organisation=organisation).exists():
        raise NetworkError(_("This organisation is in the network already."))
    member = NetworkMember(organisation=organisation)
    for name in [*STAFF_FIELDS, *PROFILE_FIELDS]:
        if name in data:
            setattr(member, name, data[name])
    member.member_since = member.member_since or timezone.localdate()
    member.save()
    audit.record(
        user,
        "network_member.added",
        member,
        after=audit.snapshot(member, [*STAFF_FIELDS, "listed"]),
    )
    return member


@transaction.atomic
def update_member_profile(user, member: NetworkMember, data: dict, *, staff: bool = False):
    """Save a member's profile; staff may also change its kind and member-since date."""
    member = NetworkMember.objects.select_for_update().get(pk=member.pk)
    fields = PROFILE_FIELDS + (STAFF_FIELDS if staff else [])
    before = audit.snapshot(member, fields)
    for name in fields:
        if name in data:
            setattr(member, name, data[name])
    member.save()
    audit.record(
        user, "network_member.updated", member, before=before, after=audit.snapshot(member, fields)
    )
    return member


@transaction.atomic
def end_membership(user, member: NetworkMember, left_at=None) -> NetworkMember:
    member = NetworkMember.objects.select_for_update().get(pk=member.pk)
    member.left_at = left_at or timezone.localdate()
    member.save(update_fields=["left_at", "updated_at"])
    audit.record(user, "network_member.left", member, left_at=member.left_at)
    return member
