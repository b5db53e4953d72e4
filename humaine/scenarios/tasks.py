"""Background jobs of the scenarios: invitations and survey reminders. They take ids."""

from django.utils import timezone

from humaine.core import mail
from humaine.core.jobs import job


def _mail(template: str, language: str, context: dict, address: str) -> None:
    mail.send(f"scenarios/email/{template}", to=address, language=language, context=context)


@job
def send_member_invitation(member_id: int) -> str:
    """Email a member's one-time link to join the scenario, then forget the address."""
    from .models import Member

    member = Member.objects.select_related("scenario").get(pk=member_id)
    if not member.invite_email or not member.token_hash:
        return "skipped"
    _mail(
        "member_invitation",
        member.language,
        {"member": member, "scenario": member.scenario, "url": member.invitation_url()},
        member.invite_email,
    )
    member.invite_email = ""
    member.save(update_fields=["invite_email"])
    return "sent"


@job
def send_survey_invitations(invitation_ids: list[int], reminder: bool = False) -> int:
    """Email survey links (or reminders); addresses stay until the wave closes."""
    from .models import Invitation

    sent = 0
    invitations = Invitation.objects.filter(pk__in=invitation_ids, used=False).exclude(email="")
    for invitation in invitations.select_related("wave__survey__scenario"):
        if invitation.wave.is_closed or not invitation.token_hash:
            continue
        _mail(
            "survey_reminder" if reminder else "survey_invitation",
            invitation.language,
            {
                "wave": invitation.wave,
                "survey": invitation.wave.survey,
                "url": invitation.answer_url(),
            },
            invitation.email,
        )
        if reminder:
            invitation.reminders_sent += 1
            invitation.save(update_fields=["reminders_sent"])
        sent += 1
    return sent


@job
def remind_wave(wave_id: int) -> int:
    """Remind everyone who has not answered an open wave (at most twice)."""
    from .models import Wave

    wave = Wave.objects.get(pk=wave_id)
    if wave.is_closed or not wave.is_open_on(timezone.localdate()):
        return 0
    ids = list(
        wave.invitations.filter(used=False, reminders_sent__lt=2)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return send_survey_invitations.call(ids, reminder=True) if ids else 0


@job
def warm_results(survey_id: int) -> str:
    """Compute a survey's results once its wave closed, so the first reader does not wait."""
    from .models import Survey
    from .results import survey_results

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return "gone"
    survey_results(survey)
    return "computed"
