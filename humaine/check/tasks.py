"""Background jobs of the check: emails with private links. They take ids."""

from humaine.core import mail
from humaine.core.jobs import job


def _mail(key: str, template: str, language: str, context: dict, address: str) -> bool:
    """Send the email once per ``key`` (a retry after a crash does not send it again)."""
    return mail.send(
        f"check/email/{template}", to=address, language=language, context=context, key=key
    )


@job
def send_check_link(check_id: int) -> str:
    """Email the private link of a standalone check, then forget the address."""
    from .models import Check

    check = Check.objects.get(pk=check_id)
    if not check.notify_email or not check.token_nonce:
        return "skipped"
    _mail(
        f"check.link:{check.pk}",
        "check_link",
        check.language,
        {"check": check, "url": check.result_url()},
        check.notify_email,
    )
    check.notify_email = ""
    check.save(update_fields=["notify_email"])
    return "sent"


@job
def send_invitation(respondent_id: int, sending: int = 0) -> str:
    """Email a respondent's invitation link, then forget the address.

    ``sending`` counts resendings, so each goes out once.
    """
    from .models import Respondent

    respondent = Respondent.objects.select_related("ai_check").get(pk=respondent_id)
    if not respondent.invite_email or not respondent.token_nonce:
        return "skipped"
    key = f"check.invitation:{respondent.pk}" + (f":{sending}" if sending else "")
    _mail(
        key,
        "invitation",
        respondent.language,
        {
            "respondent": respondent,
            "check": respondent.ai_check,
            "url": respondent.invitation_url(),
        },
        respondent.invite_email,
    )
    respondent.invite_email = ""
    respondent.save(update_fields=["invite_email"])
    return "sent"
