"""The check inside the scenario: its runs, starting a prefilled run, and the diff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy
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


@login_required
def check_detail(request, pk, check_pk):
    access = rules.access_for(request.user, pk)
    link = _link(access, check_pk)
    check = link.ai_check
    respondents = list(check.respondents.all())
    result = check_result(check, respondents)
    for respondent in respondents:
        respondent.link = request.build_absolute_uri(
            reverse("check:respond", args=[respondent.token()])
        )
    context = report_context(check, result, respondents, lang()) | {
        "link": link,
        "show_links": access.can_start_check,
        "previous": access.scenario.checks.filter(created_at__lt=link.created_at).first(),
    }
    return page(request, "scenarios/check.html", access, "checks", context)


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
