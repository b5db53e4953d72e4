"""The contact point's share of a person's data: the person, their inquiries and messages.

Registered with :mod:`humaine.core.personal_data` like every other capability's share.
Both sections run after the other capabilities' (which find the person's data through
the account and the inquiries): ``inquiries`` (order 900) blanks the texts the person
wrote, the messages exchanged with them and staff's internal notes on their inquiries,
and revokes the status links; ``person`` (order 1000) takes the person's name, address
and phone out of every other internal note and every audit entry, blanks the person,
deactivates and anonymises their account, revokes its API tokens and deletes its
sessions (and every session that mentions the person). Audit events stay (who did what,
when) without the erased values; inquiries stay as rows, as sector, size, status and
dates count in the figures.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from humaine.core import audit, sessions, text
from humaine.core.models import ApiToken, AuditEvent
from humaine.core.personal_data import Section

from .models import Inquiry, InquiryNote, Person


def _identifiers(person: Person) -> list[str]:
    """What names the person in a text someone else wrote."""
    return [value for value in (person.name, person.email, person.phone) if value]


def _notes_naming(person: Person):
    """Internal notes on other people's inquiries that name the person."""
    condition = Q(pk__in=[])
    for value in _identifiers(person):
        condition |= Q(text__icontains=value)
    return InquiryNote.objects.filter(condition).exclude(inquiry__contact=person)


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
        "named_in_internal_notes": [
            {"inquiry": note.inquiry.reference, "written": note.created_at, "text": note.text}
            for note in _notes_naming(person).select_related("inquiry").order_by("created_at")
        ],
    }


def erase_person(person: Person, placeholder: str) -> None:
    texts = [person.name, person.email, person.phone, person.job_title]
    audit.redact(audit.events_of(Person, [person.pk]), texts, placeholder)
    names = _identifiers(person)
    for note in _notes_naming(person):
        note.text = text.redact(note.text, names, placeholder)
        note.save(update_fields=["text"])
    # Wherever else the trail recorded the person's name, address or phone.
    audit.redact(audit.events_mentioning(names), names, placeholder)
    sessions.delete_sessions(user_id=person.user_id, mentioning=names)
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
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
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
            "internal_notes": [
                {"written": note.created_at, "text": note.text} for note in inquiry.notes.all()
            ],
        }
        for inquiry in person.inquiries.prefetch_related("messages", "notes")
    ]


def erase_inquiries(person: Person, placeholder: str) -> None:
    for inquiry in person.inquiries.all():
        texts = [inquiry.work_process, inquiry.problem, inquiry.data_available]
        texts += list(inquiry.messages.values_list("text", flat=True))
        texts += list(inquiry.notes.values_list("text", flat=True))
        audit.redact(audit.events_of(Inquiry, [inquiry.pk]), texts, placeholder)
        inquiry.work_process = placeholder
        inquiry.problem = placeholder
        inquiry.data_available = ""
        # Her status link stops working; no new one is made (nobody could receive it).
        inquiry.revoke_token()
        inquiry.save(
            update_fields=["work_process", "problem", "data_available", *Inquiry.TOKEN_FIELDS]
        )
        inquiry.messages.update(text=placeholder)
        # Staff's notes on her case quote and describe her: they go with her texts.
        inquiry.notes.update(text=placeholder)


INQUIRIES = Section("inquiries", export=export_inquiries, erase=erase_inquiries, order=900)
PERSON = Section("person", export=export_person, erase=erase_person, order=1000)
