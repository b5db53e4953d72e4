"""Background jobs of the scenarios: invitations and survey reminders. They take ids.

A job may run more than once (a retry after its worker died, the daily command run twice):
every email goes through :func:`humaine.core.mail.send` with a key naming what it is for,
so it goes out once.
"""

from datetime import date, timedelta

from django.utils import timezone

from humaine.core import mail
from humaine.core.jobs import job

# a person is reminded at most this often per wave
MAX_REMINDERS = 2


def _mail(template: str, language: str, context: dict, address: str, **options) -> bool:
    return mail.send(
        f"scenarios/email/{template}", to=address, language=language, context=context, **options
    )


@job
def send_member_invitation(member_id: int) -> str:
    """Email a member's one-time link to join the scenario, then forget the address."""
    from .models import Member

    member = Member.objects.select_related("scenario").get(pk=member_id)
    if not member.invite_email or not member.token_hash:
        return "skipped"

    def forget_address():
        Member.objects.filter(pk=member.pk).update(invite_email="")

    sent = _mail(
        "member_invitation",
        member.language,
        {"member": member, "scenario": member.scenario, "url": member.invitation_url()},
        member.invite_email,
        key=f"scenarios.member_invitation:{member.pk}:{member.token_hash}",
        after=forget_address,
    )
    if not sent:
        # sent by an earlier run of this job, which died before it could forget the address
        forget_address()
    return "sent" if sent else "sent before"


def reminder_due(wave, invitation, today: date) -> bool:
    """The next reminder of ``invitation`` is due: ``remind_after_days`` after the wave
    opened (or after the previous reminder's day), at most :data:`MAX_REMINDERS` times."""
    if invitation.used or invitation.reminders_sent >= MAX_REMINDERS or not invitation.email:
        return False
    step = max(wave.remind_after_days, 1)
    return today >= wave.opens_on + timedelta(days=step * (invitation.reminders_sent + 1))


@job
def send_survey_invitations(invitation_ids: list[int], reminder: bool = False) -> int:
    """Email survey links (or their next reminder); addresses stay until the wave closes."""
    from .models import Invitation

    today = timezone.localdate()
    sent = 0
    invitations = Invitation.objects.filter(pk__in=invitation_ids, used=False).exclude(email="")
    for invitation in invitations.select_related("wave__survey__scenario"):
        wave = invitation.wave
        if wave.is_closed or not invitation.token_hash:
            continue
        if reminder and not reminder_due(wave, invitation, today):
            continue
        context = {"wave": wave, "survey": wave.survey, "url": invitation.answer_url()}
        if reminder:
            number = invitation.reminders_sent + 1
            done = _mail(
                "survey_reminder",
                invitation.language,
                context,
                invitation.email,
                key=f"scenarios.survey_reminder:{invitation.pk}:{number}",
                after=lambda pk=invitation.pk, n=number: Invitation.objects.filter(pk=pk).update(
                    reminders_sent=n
                ),
            )
        else:
            done = _mail(
                "survey_invitation",
                invitation.language,
                context,
                invitation.email,
                key=f"scenarios.survey_invitation:{invitation.pk}",
            )
        sent += int(done)
    return sent


@job
def remind_wave(wave_id: int) -> int:
    """Remind everyone who has not answered an open wave and whose reminder is due."""
    from .models import Wave

    wave = Wave.objects.get(pk=wave_id)
    today = timezone.localdate()
    if wave.is_closed or not wave.is_open_on(today):
        return 0
    due = [
        invitation.pk
        for invitation in wave.invitations.filter(used=False, reminders_sent__lt=MAX_REMINDERS)
        .exclude(email="")
        .only("pk", "used", "reminders_sent", "email")
        if reminder_due(wave, invitation, today)
    ]
    return send_survey_invitations.call(due, reminder=True) if due else 0


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
