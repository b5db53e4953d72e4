"""Operations of the contact point. Each owns its transaction and writes the audit trail."""

import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from humaine.core import audit, personal_data
from humaine.notifications import services as notifications

from . import notifications as contact_notifications
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
def submit_inquiry(
    data: dict, *, user=None, organisation: Organisation | None = None, notify: bool = True
) -> Submission:
    """Store a validated inquiry, its organisation and contact; email the inquirer.

    ``data`` is ``InquiryForm.cleaned_data``. A logged-in company member's inquiry
    belongs to their organisation; otherwise a new organisation record is created
    (staff merge duplicates), so nobody can attach an inquiry to a company by its name.
    A logged-in user is the inquiry's contact person (:func:`_contact_for`), so their
    inquiries are found, exported and erased with their account.
    ``organisation`` files it under a known organisation (staff recording an inquiry,
    the demo data); ``notify=False`` sends no confirmation email.
    """
    organisation = organisation or _organisation_for(data, user)
    contact = _contact_for(data, user, organisation)
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
    if notify:
        transaction.on_commit(lambda: tasks.send_inquiry_confirmation.enqueue(inquiry.pk))
    return Submission(inquiry=inquiry, token=token)


PERSON_FIELDS = ["email", "phone", "organisation"]


def _contact_for(data: dict, user, organisation: Organisation) -> Person:
    """The inquiry's contact: the logged-in user's own person (created when they have
    none yet, with the address and phone they just gave), else a new person."""
    account = user if getattr(user, "is_authenticated", False) else None
    person = Person.objects.filter(user=account).first() if account else None
    if person is None:
        return Person.objects.create(
            name=data["contact_name"],
            email=data["email"],
            phone=data.get("phone", ""),
            organisation=organisation,
            language=data["language"],
            user=account,
        )
    before = audit.snapshot(person, PERSON_FIELDS)
    # How they want to be reached for this inquiry; their name stays as the hub knows it.
    person.email = data["email"]
    person.phone = data.get("phone") or person.phone
    person.organisation = person.organisation or organisation
    person.save(update_fields=PERSON_FIELDS)
    changed = sorted(audit.diff(before, audit.snapshot(person, PERSON_FIELDS)))
    if changed:
        # Which fields, not their values: an old address must not outlive an erasure.
        audit.record(user, "person.updated", person, fields=changed)
    return person


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
def change_status(inquiry: Inquiry, status: str, *, actor, notify: bool = True) -> Inquiry:
    """Move the inquiry to ``status``; the inquirer is emailed (as they chose) by a job
    (``notify=False``: not, e.g. the demo data)."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if status == inquiry.status:
        return inquiry
    if not inquiry.can_move_to(status):
        raise TransitionError(f"{inquiry.status} -> {status}")
    before = audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS)
    inquiry.status = status
    inquiry.extend_token()
    inquiry.save(update_fields=["status", "token_expires_at", "updated_at"])
    event = audit.record(
        actor,
        "inquiry.status_changed",
        inquiry,
        before=before,
        after=audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS),
    )
    if notify:
        _tell_inquirer(inquiry, event)
    return inquiry


def _tell_inquirer(inquiry: Inquiry, event) -> None:
    """Email the inquirer about a change of status once the change is committed."""
    transaction.on_commit(lambda: tasks.email_status_change.enqueue(inquiry.pk, event.pk))


@transaction.atomic
def assign_inquiry(inquiry: Inquiry, assignee, *, actor, notify: bool = True) -> Inquiry:
    """Assign the inquiry to a transfer specialist (or to nobody); they are notified
    unless they did it themselves (``notify=False``: nobody is, e.g. the demo data)."""
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
    event = audit.record(
        actor,
        "inquiry.assignee_changed",
        inquiry,
        before=before,
        after=audit.snapshot(inquiry, INQUIRY_AUDIT_FIELDS),
    )
    if notify and "status" in fields:
        _tell_inquirer(inquiry, event)
    if notify and assignee is not None and assignee != actor:
        notifications.notify(
            contact_notifications.ASSIGNED, [assignee], inquiry, reference=inquiry.reference
        )
    return inquiry


@transaction.atomic
def add_note(inquiry: Inquiry, text: str, *, actor) -> InquiryNote:
    note = InquiryNote.objects.create(inquiry=inquiry, author=actor, text=text)
    audit.record(actor, "inquiry.note_added", inquiry, note=note.pk)
    return note


@transaction.atomic
def send_message(inquiry: Inquiry, text: str, *, actor, notify: bool = True) -> InquiryMessage:
    """Write to the inquirer: shown on the status page and emailed by a background job
    (``notify=False``: shown only, e.g. a reply already given by phone)."""
    message = InquiryMessage.objects.create(
        inquiry=inquiry, direction=InquiryMessage.Direction.TO_INQUIRER, author=actor, text=text
    )
    inquiry.extend_token()
    inquiry.save(update_fields=["token_expires_at", "updated_at"])
    audit.record(actor, "inquiry.message_sent", inquiry, message=message.pk)
    if notify:
        transaction.on_commit(lambda: tasks.email_message.enqueue(message.pk))
    return message


@transaction.atomic
def receive_message(inquiry: Inquiry, text: str) -> InquiryMessage:
    """The inquirer's reply, written on the status page; the responsible transfer
    specialist is notified, or every transfer specialist while nobody is responsible."""
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
    notifications.notify(
        contact_notifications.REPLY,
        _responsible_staff(inquiry),
        inquiry,
        reference=inquiry.reference,
    )
    return message


def _responsible_staff(inquiry: Inquiry) -> list:
    from humaine import policy

    from .selectors import staff_users

    assignee = Inquiry.objects.select_related("assignee").get(pk=inquiry.pk).assignee
    if assignee is not None and assignee.is_active and policy.is_staff(assignee):
        return [assignee]
    return list(staff_users())


@transaction.atomic
def choose_status_emails(inquiry: Inquiry, wanted: bool) -> None:
    """The inquirer's choice, on the status page, whether to be emailed when the status of
    their inquiries changes."""
    notifications.choose_email_at(
        inquiry.contact.email,
        contact_notifications.STATUS,
        wanted,
        actor_name="inquirer (status page)",
    )


# Personal data (GDPR art. 15 and 17) ---------------------------------------------------------


def export_person(person: Person, *, actor) -> dict:
    """Everything the hub holds about ``person``, as JSON-ready data; recorded in the audit.

    One key per registered section of :mod:`humaine.core.personal_data` (the person,
    their inquiries, the checks they started, their expert profile, ...).
    """
    data = {"exported_at": timezone.now(), "hub": settings.SITE_URL}
    data.update(personal_data.export_sections(person))
    audit.record(actor, "person.exported", person)
    # Round-trip through JSON so dates become strings exactly as in the download.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


ERASED = "[erased]"


@transaction.atomic
def erase_person(person: Person, *, actor) -> Person:
    """Anonymise a person's personal fields and their free texts; keep the statistics.

    Runs every registered section of :mod:`humaine.core.personal_data` in its order
    (the contact point's own sections last), inside this transaction.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        return person
    personal_data.erase_sections(person, ERASED)
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    audit.record(actor, "person.erased", person)
    return person
