"""The check inside the scenario: its runs, starting a prefilled run, and the diff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy
from humaine.check import access as check_access
from humaine.check import services as check_services
from humaine.check.forms import ResendForm
from humaine.check.report import report_context
from humaine.check.selectors import check_result

from .. import access as rules
from .. import services
from ..checks import diff_results
from ..models import ScenarioCheck
from ..selectors import lang
from .common import page


def _link(access, check_pk) -> ScenarioCheck:
    try:
        return access.scenario.checks.select_related("ai_check").get(ai_check_id=int(check_pk))
    except (ScenarioCheck.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@login_required
def check_list(request, pk):
    access = rules.access_for(request.user, pk)
    runs = []
    for link in access.scenario.checks.select_related("ai_check"):
        result = check_result(link.ai_check)
        runs.append({"link": link, "check": link.ai_check, "result": result})
    return page(request, "scenarios/checks.html", access, "checks", {"runs": runs})


@login_required
@require_POST
def check_start(request, pk):
    access = rules.access_for(request.user, pk)
    policy.require(access.can_start_check)
    link = services.start_check(access.scenario, actor=request.user, language=lang())
    messages.success(request, _("A new run of the check has been started, prefilled."))
    return redirect("scenarios:check", pk=pk, check_pk=link.ai_check_id)


def _check_page(request, access, link, resend_forms=None, status=200):
    """The run's respondents and result. A respondent's link is theirs: those who manage
    the scenario's checks send the invitation by email or revoke it, never see the link."""
    check = link.ai_check
    respondents = list(check.respondents.all())
    result = check_result(check, respondents)
    resend_forms = resend_forms or {}
    for respondent in respondents:
        kwargs = {"pk": access.scenario.pk, "check_pk": check.pk, "respondent": respondent.pk}
        respondent.resend_url = reverse("scenarios:check_resend", kwargs=kwargs)
        respondent.revoke_url = reverse("scenarios:check_revoke", kwargs=kwargs)
        respondent.resend_form = resend_forms.get(respondent.pk) or ResendForm(
            prefix=f"r{respondent.pk}"
        )
    context = report_context(check, result, respondents, lang()) | {
        "link": link,
        "manage": access.can_start_check,
        "previous": access.scenario.checks.filter(created_at__lt=link.created_at).first(),
    }
    return page(request, "scenarios/check.html", access, "checks", context, status=status)


@login_required
def check_detail(request, pk, check_pk):
    access = rules.access_for(request.user, pk)
    return _check_page(request, access, _link(access, check_pk))


@login_required
@require_POST
def check_resend(request, pk, check_pk, respondent):
    """Email a respondent's invitation (the same link; the address is not kept)."""
    access = rules.access_for(request.user, pk)
    link = _link(access, check_pk)
    policy.require(access.can_start_check)
    target = check_access.get_respondent_of_check(link.ai_check, respondent)
    form = ResendForm(request.POST, prefix=f"r{target.pk}")
    if not form.is_valid():
        return _check_page(request, access, link, resend_forms={target.pk: form}, status=400)
    try:
        check_services.resend_invitation(
            target,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            actor=request.user,
        )
    except check_services.InvitationClosed:
        messages.error(
            request,
            _("The invitation of %(label)s is revoked or answered; nothing was sent.")
            % {"label": target.label},
        )
    else:
        messages.success(
            request, _("The invitation of %(label)s has been sent.") % {"label": target.label}
        )
    return redirect("scenarios:check", pk=pk, check_pk=link.ai_check_id)


@login_required
@require_POST
def check_revoke(request, pk, check_pk, respondent):
    """The respondent's link opens nothing any more; answers saved through it stay."""
    access = rules.access_for(request.user, pk)
    link = _link(access, check_pk)
    policy.require(access.can_start_check)
    target = check_access.get_respondent_of_check(link.ai_check, respondent)
    check_services.revoke_invitation(target, actor=request.user)
    messages.success(
        request,
        _("The invitation of %(label)s is revoked: the link opens nothing any more.")
        % {"label": target.label},
    )
    return redirect("scenarios:check", pk=pk, check_pk=link.ai_check_id)


@login_required
def check_diff(request, pk, check_pk, other_pk):
    access = rules.access_for(request.user, pk)
    before, after = _link(access, other_pk), _link(access, check_pk)
    diff = diff_results(check_result(before.ai_check), check_result(after.ai_check))
    return page(
        request,
        "scenarios/check_diff.html",
        access,
        "checks",
        {"before": before, "after": after, "diff": diff},
    )
