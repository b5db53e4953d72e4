"""Transfer's share of a person's data: event registrations and network contacts.

Registered with :mod:`humaine.core.personal_data`, so staff's export and erasure on the
person's page cover it. A registration is the person's when it is linked to the person
(at registration, by the normalised address or the account), when its email is the
person's address, or when it was made with the person's account. Erasure blanks the name, address,
organisation and accessibility needs (status and attendance stay for the hub's figures)
and ends the cancellation link; a network profile naming the person as its contact loses
the name and address.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from humaine.core import audit
from humaine.core.personal_data import Section
from humaine.core.reach import normalised_email

from .models import NetworkMember, Registration


def _registrations(person):
    condition = Q(person_id=person.pk)
    if normalised_email(person.email):
        condition |= Q(email__iexact=normalised_email(person.email))
    if person.user_id:
        condition |= Q(user_id=person.user_id)
    return Registration.objects.filter(condition, erased_at__isnull=True).select_related("event")


def _contacts(person):
    if not person.email:
        return NetworkMember.objects.none()
    return NetworkMember.objects.filter(contact_email__iexact=person.email).select_related(
        "organisation"
    )


def export(person) -> dict:
    registrations = [
        {
            "event": r.event.title,
            "starts_at": r.event.starts_at,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation_name,
            "accessibility_needs": r.accessibility_needs,
            "registered_at": r.created_at,
            "cancelled_at": r.cancelled_at,
            "attended": r.attended,
        }
        for r in _registrations(person)
    ]
    contacts = [
        {
            "organisation": m.organisation.name,
            "contact_name": m.contact_name,
            "contact_email": m.contact_email,
        }  # fmt: skip
        for m in _contacts(person)
    ]
    data = {}
    if registrations:
        data["event_registrations"] = registrations
    if contacts:
        data["network_contact_for"] = contacts
    return data


def erase(person, placeholder: str) -> None:
    now = timezone.now()
    registrations = list(_registrations(person))
    contacts = list(_contacts(person))
    texts = [person.name, person.email]
    texts += [t for r in registrations for t in (r.name, r.email, r.accessibility_needs)]
    texts += [t for m in contacts for t in (m.contact_name, m.contact_email)]
    audit.redact(audit.events_of(Registration, [r.pk for r in registrations]), texts, placeholder)
    audit.redact(audit.events_of(NetworkMember, [m.pk for m in contacts]), texts, placeholder)
    for registration in registrations:
        registration.new_token()
        registration.name = placeholder
        registration.email = ""
        registration.organisation_name = ""
        registration.accessibility_needs = ""
        registration.user = None
        registration.person = None
        registration.erased_at = now
        registration.save()
    NetworkMember.objects.filter(pk__in=[m.pk for m in contacts]).update(
        contact_name="", contact_email=""
    )


SECTION = Section("transfer", export=export, erase=erase, order=100)
