"""Answering a survey by one-time link: no account, a phone, a few minutes, anonymous."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from humaine.core.tokens import hash_token, plausible

from .. import services
from ..codes import CodeError, code_hash
from ..forms import AnswerForm
from ..library import current_library
from ..models import Invitation
from ..selectors import lang


def code_key() -> bytes:
    """The key of the codes' hashes: SURVEY_CODE_KEY, else derived from SECRET_KEY."""
    if settings.SURVEY_CODE_KEY:
        return settings.SURVEY_CODE_KEY.encode()
    return salted_hmac("humaine.scenarios.code", "key", algorithm="sha256").digest()


def _invitation(token: str) -> Invitation | None:
    if not plausible(token):
        return None
    return (
        Invitation.objects.select_related("wave__survey__scenario", "group")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _state(invitation) -> str | None:
    if invitation is None:
        return "unknown"
    if invitation.used:
        return "used"
    wave = invitation.wave
    if wave.is_closed or timezone.localdate() > wave.closes_on:
        return "closed"
    if timezone.localdate() < wave.opens_on:
        return "not_yet"
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    invitation = _invitation(token)
    state = _state(invitation)
    if state is not None:
        status = 404 if state == "unknown" else 410 if state == "used" else 403
        return render(
            request,
            "scenarios/answer_closed.html",
            {"state": state, "invitation": invitation},
            status=status,
        )
    survey = invitation.wave.survey
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            code = None
            if survey.ask_code:
                code = code_hash(
                    code_key(),
                    f"survey:{survey.pk}",
                    current_library().code_questions,
                    form.code_answers,
                )
            services.submit_response(
                invitation, answers=form.answers, texts=form.texts, code_hash=code
            )
        except CodeError as error:
            form.add_error(f"code_{error.question_id}", error.text(lang()))
        except services.AlreadyAnswered:
            return render(
                request,
                "scenarios/answer_closed.html",
                {"state": "used", "invitation": invitation},
                status=410,
            )
        except services.ScenarioError:
            return render(
                request,
                "scenarios/answer_closed.html",
                {"state": "closed", "invitation": invitation},
                status=403,
            )
        else:
            return redirect("scenarios:answered")
    context = {
        "form": form,
        "survey": survey,
        "wave": invitation.wave,
        "scenario": survey.scenario,
        "min_n": _min_n(),
    }
    return render(request, "scenarios/answer.html", context, status=400 if form.errors else 200)


def _min_n():
    from ..results import min_group

    return min_group()


def answered(request):
    return render(request, "scenarios/answered.html")
