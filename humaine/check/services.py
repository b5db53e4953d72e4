"""Operations of the check. Each owns its transaction and writes the audit trail."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from humaine.core import audit
from humaine.core.models import AuditEvent
from humaine.core.text import squash

from . import tasks
from .catalogue import default_catalogue
from .models import Check, Respondent
from .profile import CaseProfile
from .questionnaire import validate_answers
from .selectors import date_set_in_force

MAX_DOCUMENT = 50_000


class AlreadySubmitted(Exception):
    """The respondent has submitted; the answers can no longer change."""


class InvitationClosed(Exception):
    """The invitation was revoked or its answers submitted: nothing more to send."""


@dataclass
class Invitation:
    respondent: Respondent
    token: str


@dataclass
class Created:
    check: Check
    token: str  # the private link's token ("" for a check attached to an inquiry)
    respondent: Respondent | None = None
    respondent_token: str = ""
    # the respondents invited with the check (start_check)
    invitations: list[Invitation] = field(default_factory=list)


def _require_role(role: str) -> None:
    if not default_catalogue().has("roles", role):
        raise ValueError(f"unknown role {role!r}")


@transaction.atomic
def create_check(
    *,
    title: str,
    description: str = "",
    inquiry=None,
    profile: CaseProfile | None = None,
    language: str = "de",
    notify_email: str = "",
    owner_role: str | None = None,
    owner_label: str = "",
    actor=None,
    actor_name: str | None = None,
) -> Created:
    """Create a check, standalone (with a private link) or on an inquiry.

    With ``owner_role`` the creator also answers, as the check's first respondent.
    """
    if owner_role:
        _require_role(owner_role)
    check = Check(
        title=title,
        description=description,
        inquiry=inquiry,
        profile=profile.model_dump(mode="json") if profile is not None else None,
        date_set=date_set_in_force(),
        language=language,
        notify_email=notify_email if inquiry is None else "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    token = check.new_token() if inquiry is None else ""
    check.save()
    audit.record(
        actor,
        "check.created",
        check,
        actor_name=actor_name,
        inquiry=inquiry.reference if inquiry else None,
        profile=profile is not None,
    )
    created = Created(check=check, token=token)
    if owner_role:
        invitation = _invite(check, owner_role, owner_label, language, "", actor, actor_name)
        created.respondent, created.respondent_token = invitation.respondent, invitation.token
    if check.notify_email:
        transaction.on_commit(lambda: tasks.send_check_link.enqueue(check.pk))
    return created


@transaction.atomic
def start_check(
    *,
    title: str,
    respondents: Iterable[tuple[str, str]] = (),
    language: str = "de",
    actor=None,
    actor_name: str | None = None,
    **options,
) -> Created:
    """Create a check (see :func:`create_check` for ``options``) and invite its
    respondents, given as ``(role, label)``, in one step: all of them or nothing."""
    created = create_check(
        title=title, language=language, actor=actor, actor_name=actor_name, **options
    )
    created.invitations = [
        _invite(created.check, role, squash(label), language, "", actor, actor_name)
        for role, label in respondents
    ]
    return created


def _invite(check, role, label, language, email, actor, actor_name) -> Invitation:
    _require_role(role)
    respondent = Respondent(
        ai_check=check,
        role=role,
        label=label or default_catalogue().get("roles", role).title.get(language),
        language=language,
        invite_email=email,
    )
    token = respondent.new_token()
    respondent.save()
    audit.record(
        actor,
        "check.respondent_invited",
        check,
        actor_name=actor_name,
        respondent=respondent.pk,
        role=role,
        label=respondent.label,
        emailed=bool(email),
    )
    if email:
        transaction.on_commit(lambda: tasks.send_invitation.enqueue(respondent.pk))
    return Invitation(respondent=respondent, token=token)


@transaction.atomic
def invite_respondent(
    check: Check,
    *,
    role: str,
    label: str,
    language: str = "de",
    email: str = "",
    actor=None,
    actor_name: str | None = None,
) -> Invitation:
    """Add a respondent in ``role``; the invitation link is returned and optionally emailed."""
    return _invite(check, role, label, language, email, actor, actor_name)


@transaction.atomic
def resend_invitation(
    respondent: Respondent,
    *,
    email: str,
    language: str,
    actor=None,
    actor_name: str | None = None,
) -> Respondent:
    """Email the respondent's link again (the same link: answers saved so far stay theirs).

    Raises :class:`InvitationClosed` once the invitation is revoked or answered.
    """
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if respondent.is_revoked or respondent.is_submitted:
        raise InvitationClosed
    respondent.invite_email = email
    respondent.language = language
    respondent.save(update_fields=["invite_email", "language"])
    sending = AuditEvent.objects.filter(action="check.invitation_resent").count() + 1
    audit.record(
        actor,
        "check.invitation_resent",
        respondent.ai_check,
        actor_name=actor_name,
        respondent=respondent.pk,
        label=respondent.label,
    )
    transaction.on_commit(lambda: tasks.send_invitation.enqueue(respondent.pk, sending))
    return respondent


@transaction.atomic
def revoke_invitation(
    respondent: Respondent, *, actor=None, actor_name: str | None = None
) -> Respondent:
    """The respondent's link opens nothing any more; answers already saved stay."""
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if respondent.is_revoked:
        return respondent
    respondent.revoke_token()
    respondent.revoked_at = timezone.now()
    respondent.invite_email = ""
    respondent.save(update_fields=[*Respondent.TOKEN_FIELDS, "revoked_at", "invite_email"])
    audit.record(
        actor,
        "check.invitation_revoked",
        respondent.ai_check,
        actor_name=actor_name,
        respondent=respondent.pk,
        label=respondent.label,
    )
    return respondent


@transaction.atomic
def set_result_sharing(
    check: Check, share: bool, *, actor=None, actor_name: str | None = None
) -> Check:
    """Whether respondents see the result once they have submitted."""
    before = audit.snapshot(check, ["respondents_see_result"])
    check.respondents_see_result = share
    check.save(update_fields=["respondents_see_result"])
    audit.record(
        actor,
        "check.result_sharing_changed",
        check,
        actor_name=actor_name,
        before=before,
        after=audit.snapshot(check, ["respondents_see_result"]),
    )
    return check


@transaction.atomic
def save_answers(
    respondent: Respondent, answers: Mapping[str, Any], *, cleared: Iterable[str] = ()
) -> Respondent:
    """Validate and store answers (merged into the saved ones); ``cleared`` ids are removed.

    Raises :class:`~humaine.check.questionnaire.AnswerError` on the first bad answer,
    storing nothing, and :class:`AlreadySubmitted` once the respondent has submitted.
    """
    valid = validate_answers(answers)
    cleared = [qid for qid in cleared if qid not in valid]
    validate_answers(dict.fromkeys(cleared))
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if respondent.is_submitted:
        raise AlreadySubmitted
    stored = dict(respondent.answers)
    for qid in cleared:
        stored.pop(qid, None)
    stored.update(valid)
    respondent.answers = stored
    respondent.last_saved_at = timezone.now()
    respondent.save(update_fields=["answers", "last_saved_at"])
    return respondent


@transaction.atomic
def submit_answers(respondent: Respondent) -> Respondent:
    respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if respondent.is_submitted:
        return respondent
    respondent.submitted_at = timezone.now()
    respondent.save(update_fields=["submitted_at"])
    audit.record(
        None,
        "check.answers_submitted",
        respondent.ai_check,
        actor_name=f"respondent {respondent.pk} (invitation link)",
        respondent=respondent.pk,
        role=respondent.role,
        answers=len(respondent.answers),
    )
    return respondent


@transaction.atomic
def set_profile(
    check: Check, profile: CaseProfile | None, *, actor=None, actor_name: str | None = None
) -> Check:
    """Set the explicit case profile, or with ``None`` go back to the answers' profile."""
    check = Check.objects.select_for_update().get(pk=check.pk)
    before = {"profile": check.profile}
    check.profile = profile.model_dump(mode="json") if profile is not None else None
    if check.profile == before["profile"]:
        return check
    check.save(update_fields=["profile", "updated_at"])
    audit.record(
        actor,
        "check.profile_changed",
        check,
        before=before,
        after={"profile": check.profile},
        actor_name=actor_name,
    )
    return check


@transaction.atomic
def save_document(
    check: Check,
    kind: str,
    language: str,
    text: str | None,
    *,
    actor=None,
    actor_name: str | None = None,
) -> Check:
    """Store the edited text of a document; ``None`` goes back to the generated text."""
    if kind not in Check.DOCUMENTS:
        raise ValueError(f"unknown document {kind!r}")
    if text is not None and len(text) > MAX_DOCUMENT:
        raise ValueError("document too long")
    check = Check.objects.select_for_update().get(pk=check.pk)
    documents = {k: dict(v) for k, v in check.documents.items()}
    versions = documents.setdefault(kind, {})
    if text is None:
        versions.pop(language, None)
    else:
        versions[language] = {"text": text, "saved_at": timezone.now().isoformat()}
    check.documents = {k: v for k, v in documents.items() if v}
    check.save(update_fields=["documents", "updated_at"])
    audit.record(
        actor,
        "check.document_saved" if text is not None else "check.document_reset",
        check,
        actor_name=actor_name,
        document=kind,
        language=language,
    )
    return check
