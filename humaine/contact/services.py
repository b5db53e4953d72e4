"""Operations of the contact point. Each owns its transaction and writes the audit trail."""

import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from humaine.core import audit, personal_data
from humaine.core.models import AuditEvent

from . import tasks
from .models import (
    Inquiry,
    InquiryMessage,
    InquiryNote,
    Organisation,
    Person,
)

INQUIRY_AUDIT_FIELDS = ["status", "assignee"]


class TransitionError(ValueError):
    """A status change the process model does not allow."""


@dataclass
class Submission:
    inquiry: Inquiry
    token: str


@transaction.atomic
def submit_inquiry(data: dict, *, user=None) -> Submission:
    """Store a validated inquiry, its organisation and contact; email the inquirer.

    ``data`` is ``InquiryForm.cleaned_data``. A logged-in company member's inquiry
    belongs to their organisation; otherwise a new organisation record is created
    (staff merge duplicates), so nobody can attach an inquiry to a company by its name.
    """
    organisation = _organisation_for(data, user)
    contact = Person.objects.create(
        name=data["contact_name"],
        email=data["email"],
        phone=data.get("phone", ""),
        organisation=organisation,
        language=data["language"],
    )
    inquiry = Inquiry(
        organisation=organisation,
        organisation_name=data["organisation"],
        sector=data["sector"],
        size_band=data["size_band"],
        contact=contact,
        work_process=data["work_process"],
        problem=data["problem"],
        data_available=data.get("data_available", ""),
        employees_affected=data["employees_affected"],
        works_council=data["works_council"],
        language=data["language"],
        consent_at=timezone.now(),
        reference=f"tmp-{secrets.token_hex(8)}",
    )
    token = inquiry.new_token()
    inquiry.save()
    inquiry.reference = f"HM-{inquiry.created_at:%Y}-{inquiry.pk:05d}"
    inquiry.save(update_fields=["reference"])
    audit.record(
        user, "inquiry.submitted", inquiry, actor_name=None if user else "inquirer (public form)"
    )
    transaction.on_commit(lambda: tasks.send_inquiry_confirmation.enqueue(inquiry.pk))
    return Submission(inquiry=inquiry, token=token)


def _organisation_for(data: dict, user) -> Organisation:
    if user is not None and user.is_authenticated:
        from humaine import policy

        ids = sorted(policy.organisation_ids(user))
        if ids:
            return Organisation.objects.get(pk=ids[0])
    return Organisation.objects.create(
        name=data["organisation"],
        kind=Organisation.Kind.COMPANY,
        sector=data["sector"],
        size_band=data["size_band"],
    )


@transaction.atomic
def change_status(inquiry: Inquiry, status: str, *, actor) -> Inquiry:
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if status == inquiry.status:
        return inquiry
    if not inquiry.can_move_to(status):
        raise TransitionError(f"{inquiry.status} -> {status}")
    before = audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS)
    inquiry.status = status
    inquiry.extend_token()
    inquiry.save(update_fields=["status", "token_expires_at", "updated_at"])
    audit.record(
        actor,
        "inquiry.status_changed",
        inquiry,
        before=before,
        after=audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS),
    )
    return inquiry


@transaction.atomic
def assign_inquiry(inquiry: Inquiry, assignee, *, actor) -> Inquiry:
    """Assign the inquiry to a transfer specialist (or to nobody)."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.assignee_id == (assignee.pk if assignee else None):
        return inquiry
    before = audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS)
    inquiry.assignee = assignee
    fields = ["assignee", "updated_at"]
    # Picking up a new inquiry starts its triage.
    if assignee is not None and inquiry.status == Inquiry.Status.NEW:
        inquiry.status = Inquiry.Status.TRIAGE
        fields.append("status")
    inquiry.save(update_fields=fields)
    audit.record(
        actor,
        "inquiry.assigned",
        inquiry,
        before=before,
        after=audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS),
    )
    return inquiry


@transaction.atomic
def add_note(inquiry: Inquiry, text: str, *, actor) -> InquiryNote:
    note = InquiryNote.objects.create(inquiry=inquiry, author=actor, text=text)
    audit.record(actor, "inquiry.note_added", inquiry, note=note.pk)
    return note


@transaction.atomic
def send_message(inquiry: Inquiry, text: str, *, actor) -> InquiryMessage:
    """Write to the inquirer: shown on the status page and emailed by a background job."""
    message = InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.TO_INQUIRER, author=actor, text=text
    )
    inquiry.extend_token()
    inquiry.save(update_fields=["token_expires_at", "updated_at"])
    audit.record(actor, "inquiry.message_sent", inquiry, message=message.pk)
    transaction.on_commit(lambda: tasks.email_message.enqueue(message.pk))
    return message


@transaction.atomic
def receive_message(inquiry: Inquiry, text: str) -> InquiryMessage:
    """The inquirer's reply, written on the status page."""
    message = InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.FROM_INQUIRER, text=text
    )
    inquiry.save(update_fields=["updated_at"])
    audit.record(
        None,
        "inquiry.reply_received",
        inquiry,
        actor_name="inquirer (status page)",
        message=message.pk,
    )
    return message


# Personal data (GDPR art. 15 and 17) ---------------------------------------------------------


def export_person(person: Person, *, actor) -> dict:
    """Everything the hub holds about ``person``, as JSON-ready data; recorded in the audit."""
    data = {
        "exported_at": timezone.now(),
        "hub": settings.SITE_URL,
        "person": {
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
        },
        "inquiries": [
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
        ],
    }
    expert = getattr(person, "expert", None)
    if expert is not None:
        data["expert_profile"] = {
            "disciplines": expert.disciplines,
            "topics": expert.topics,
            "methods": expert.methods,
            "languages": expert.languages,
            "capacity_hours": expert.capacity_hours,
            "sectors": [s.slug for s in expert.sectors.all()],
        }
    # What other capabilities hold about the person (the checks they started, ...).
    data.update(personal_data.export_sections(person))
    audit.record(actor, "person.exported", person)
    # Round-trip through JSON so dates become strings exactly as in the download.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


ERASED = "[erased]"


@transaction.atomic
def erase_person(person: Person, *, actor) -> Person:
    """Anonymise a person's personal fields and their free texts; keep the statistics.

    Inquiries stay (sector, size, status, dates count in the hub's figures), but their
    texts written by the person and the messages exchanged with them are erased; so is
    what other capabilities registered in :mod:`humaine.core.personal_data` hold.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        return person
    # Other capabilities first: they find the person's data through the account.
    personal_data.erase_sections(person, ERASED)
    person.name = ERASED
    person.email = ""
    person.phone = ""
    person.job_title = ""
    person.erased_at = timezone.now()
    user = person.user
    person.user = None
    person.save()
    for inquiry in person.inquiries.all():
        inquiry.work_process = ERASED
        inquiry.problem = ERASED
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
        inquiry.messages.update(text=ERASED)
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
        AuditEvent.objects.filter(actor=user).update(actor_label=ERASED)
    # Audit labels are snapshots of names and texts: scrub the person's and their inquiries'.
    AuditEvent.objects.filter(
        object_type=Person._meta.label_lower, object_id=str(person.pk)
    ).update(object_label=ERASED)
    AuditEvent.objects.filter(
        object_type=Inquiry._meta.label_lower,
        object_id__in=[str(pk) for pk in person.inquiries.values_list("pk", flat=True)],
    ).update(object_label=ERASED)
    audit.record(actor, "person.erased", person)
    return person
