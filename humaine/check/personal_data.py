"""The check's share of a person's data.

Registered with :mod:`humaine.core.personal_data` so the contact point's export and erasure
cover it. The export lists the checks the person started with their account and the checks
on their inquiries. Erasure covers both: a check's title, case description and edited
documents may carry the person's name and words (a check staff start on an inquiry copies
its description from the inquiry), so they are blanked, respondents' labels and emails
with them; the check's own private link is revoked and every respondent's link renewed
(the old links stop working; staff can still hand out the new ones). The answers describe
an AI system, not a person, and stay for the hub's statistics.
"""

from __future__ import annotations

from django.db.models import Q

from humaine.core import audit
from humaine.core.personal_data import Section

from . import pdf
from .models import Check


def _related(person):
    """Checks the person started or that concern their inquiries."""
    related = Q(inquiry__contact=person)
    if person.user_id:
        related |= Q(created_by_id=person.user_id)
    return Check.objects.filter(related).prefetch_related("respondents").order_by("created_at")


def export_checks(person) -> list[dict]:
    return [
        {
            "title": check.title,
            "started_by_person": bool(person.user_id) and check.created_by_id == person.user_id,
            "description": check.description,
            "inquiry": check.inquiry.reference if check.inquiry_id else None,
            "created_at": check.created_at,
            "updated_at": check.updated_at,
            "language": check.language,
            "edited_documents": check.documents,
            "respondents": [
                {
                    "role": r.role,
                    "label": r.label,
                    "invited_at": r.created_at,
                    "submitted_at": r.submitted_at,
                    "answers": r.answers,
                }
                for r in check.respondents.all()
            ],
        }
        for check in _related(person).select_related("inquiry")
    ]


def _texts(check) -> list[str]:
    """What the person wrote into a check, as recorded anywhere (audit included)."""
    texts = [check.title, check.description, check.notify_email]
    for versions in (check.documents or {}).values():
        texts += [version.get("text", "") for version in versions.values()]
    for respondent in check.respondents.all():
        texts += [respondent.label, respondent.invite_email]
    return texts


def erase_checks(person, placeholder: str) -> None:
    for check in _related(person):
        audit.redact(audit.events_of(Check, [check.pk]), _texts(check), placeholder)
        check.title = placeholder
        check.description = placeholder
        check.documents = {}
        check.notify_email = ""
        check.revoke_token()  # a standalone check's private link
        check.save(
            update_fields=[
                "title",
                "description",
                "documents",
                "notify_email",
                "token_nonce",
                "token_hash",
                "updated_at",
            ]
        )
        pdf.forget(pdf.pdf_owner(check))  # the PDFs that showed her texts
        for respondent in check.respondents.all():
            respondent.label = placeholder
            respondent.invite_email = ""
            respondent.new_token()
            respondent.save(update_fields=["label", "invite_email", "token_nonce", "token_hash"])


SECTION = Section("ai_checks", export=export_checks, erase=erase_checks)
