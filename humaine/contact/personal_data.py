"""The contact point's share of a person's data: the person, their inquiries and messages.

Registered with :mod:`humaine.core.personal_data` like every other capability's share.
Both sections run after the other capabilities' (which find the person's data through
the account and the inquiries): ``inquiries`` (order 900) blanks the texts the person
wrote and the messages exchanged with them and renews the status links; ``person``
(order 1000) blanks the person, deactivates and unlinks their account, and takes their
name off the audit trail. Audit events stay (who did what, when) without the erased
values; inquiries stay as rows, as sector, size, status and dates count in the figures.
"""

from __future__ import annotations

from humaine.core import audit
from humaine.core.models import AuditEvent
from humaine.core.personal_data import Section

from .models import Inquiry, Person


def export_person(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "job_title": person.job_title,
        "organisation": person.organisation.name if person.organisation else None,
        "preferred_language": person.language,
        "created_at": person.created_at,
        "erased_at": person.erased_at,
        "account": person.user.get_username() if person.user else None,
    }


def erase_person(person: Person, placeholder: str) -> None:
    texts = [person.name, person.email, person.phone, person.job_title]
    audit.redact(audit.events_of(Person, [person.pk]), texts, placeholder)
    person.name = placeholder
    person.email = ""
    person.phone = ""
    person.job_title = ""
    user = person.user
    person.user = None
    person.save(update_fields=["name", "email", "phone", "job_title", "user"])
    if user is not None:
        user.is_active = False
        user.first_name = user.last_name = ""
        user.email = ""
        # A username is often the person's name: keep the row (history), not the name.
        user.username = f"erased-{user.pk}"
        user.set_unusable_password()
        user.save(
            update_fields=["is_active", "first_name", "last_name", "email", "username", "password"]
        )
        # What the person did in the hub stays in the trail, but no longer under their name.
        AuditEvent.objects.filter(actor=user).update(actor_label=placeholder)


def export_inquiries(person: Person) -> list[dict]:
    return [
        {
            "reference": inquiry.reference,
            "received": inquiry.created_at,
            "organisation": inquiry.organisation_name,
            "work_process": inquiry.work_process,
            "problem": inquiry.problem,
            "data_available": inquiry.data_available,
            "status": inquiry.status,
            "consent_at": inquiry.consent_at,
            "messages": [
                {"sent": m.created_at, "direction": m.direction, "text": m.text}
                for m in inquiry.messages.all()
            ],
        }
        for inquiry in person.inquiries.prefetch_related("messages")
    ]


def erase_inquiries(person: Person, placeholder: str) -> None:
    for inquiry in person.inquiries.all():
        texts = [inquiry.work_process, inquiry.problem, inquiry.data_available]
        texts += list(inquiry.messages.values_list("text", flat=True))
        audit.redact(audit.events_of(Inquiry, [inquiry.pk]), texts, placeholder)
        inquiry.work_process = placeholder
        inquiry.problem = placeholder
        inquiry.data_available = ""
        inquiry.new_token()
        inquiry.save(
            update_fields=[
                "work_process",
                "problem",
                "data_available",
                "token_nonce",
                "token_hash",
                "token_expires_at",
            ]
        )
        inquiry.messages.update(text=placeholder)


INQUIRIES = Section("inquiries", export=export_inquiries, erase=erase_inquiries, order=900)
PERSON = Section("person", export=export_person, erase=erase_person, order=1000)
