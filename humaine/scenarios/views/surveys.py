"""Surveys of the affected employees: the instrument, its waves and the one-time links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from .. import access as rules
from .. import services
from ..forms import LinksForm, SurveyForm, WaveForm
from ..library import current_library
from ..models import Wave
from .common import page, status_of


@login_required
@require_http_methods(["GET", "POST"])
def survey_list(request, pk):
    access = rules.access_for(request.user, pk)
    form = SurveyForm(request.POST or None, scenario=access.scenario)
    if request.method == "POST":
        policy.require(access.can_manage_surveys)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = services.create_survey(
                    access.scenario,
                    title=data["title"],
                    scale_ids=data["scales"],
                    open_question_ids=data["open_questions"],
                    groups=data["groups"],
                    ask_code=data["ask_code"],
                    actor=request.user,
                )
            except services.ScenarioError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The survey has been created. Schedule its baseline."))
                return redirect("scenarios:survey", pk=pk, survey_pk=survey.pk)
    surveys = access.scenario.surveys.prefetch_related("groups", "waves")
    return page(
        request,
        "scenarios/surveys.html",
        access,
        "surveys",
        {"surveys": surveys, "form": form},
        status=status_of(form),
    )


def _wave(survey, wave_pk) -> Wave:
    try:
        return survey.waves.get(pk=int(wave_pk))
    except (Wave.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _survey_page(request, access, survey, wave_form=None, links_form=None, issued=None, status=200):
    waves = survey.waves.annotate(
        answered=Count("invitations", filter=Q(invitations__used=True)),
        invited=Count("invitations"),
    )
    library = current_library()
    context = {
        "survey": survey,
        "waves": waves,
        "scales": [library.scale(s) for s in survey.items if library.has_scale(s)],
        "wave_form": wave_form or WaveForm(),
        "links_form": links_form or LinksForm(survey=survey),
        "issued": issued,
        "min_n": _min_n(),
    }
    return page(request, "scenarios/survey.html", access, "surveys", context, status=status)


def _min_n():
    from ..results import min_group

    return min_group()


@login_required
def survey_detail(request, pk, survey_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    return _survey_page(request, access, survey)


@login_required
@require_POST
def wave_add(request, pk, survey_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    policy.require(access.can_manage_surveys)
    form = WaveForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_wave(survey, actor=request.user, **form.cleaned_data)
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The wave has been scheduled."))
            return redirect("scenarios:survey", pk=pk, survey_pk=survey.pk)
    return _survey_page(request, access, survey, wave_form=form, status=400)


@login_required
@require_POST
def wave_links(request, pk, survey_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    policy.require(access.can_manage_surveys)
    form = LinksForm(request.POST, survey=survey)
    if not form.is_valid():
        return _survey_page(request, access, survey, links_form=form, status=400)
    data = form.cleaned_data
    wave = data["wave"]
    try:
        issued = services.issue_invitations(
            wave,
            data["group"],
            emails=data["emails"],
            count=data["count"] or 0,
            language=data["language"],
            actor=request.user,
        )
        services.invite_group_members(wave, data["group"], actor=request.user)
    except services.ScenarioError as error:
        form.add_error(None, str(error))
        return _survey_page(request, access, survey, links_form=form, status=400)
    links = [
        request.build_absolute_uri(reverse("scenarios:answer", args=[i.token]))
        for i in issued
        if not i.invitation.email
    ]
    messages.success(request, _("%(n)s links have been issued.") % {"n": len(issued)})
    return _survey_page(
        request, access, survey, issued={"wave": wave, "group": data["group"], "links": links}
    )


@login_required
@require_POST
def wave_close(request, pk, survey_pk, wave_pk):
    access, survey = rules.get_survey_for_user(request.user, pk, survey_pk)
    policy.require(access.can_manage_surveys)
    services.close_wave(_wave(survey, wave_pk), actor=request.user)
    messages.success(
        request, _("The wave is closed; its results are shown where groups are large enough.")
    )
    return redirect("scenarios:survey", pk=pk, survey_pk=survey.pk)


@login_required
def my_surveys(request):
    """An affected employee's page: the open waves of their group, each with their link."""
    members = rules.my_survey_memberships(request.user).select_related("scenario", "group")
    rows = []
    for member in members:
        for invitation in member.invitations.filter(used=False, wave__closed_at__isnull=True):
            if invitation.token_hash:
                rows.append(
                    {
                        "member": member,
                        "wave": invitation.wave,
                        "url": reverse("scenarios:answer", args=[invitation.token()]),
                    }
                )
    return render(request, "scenarios/my_surveys.html", {"rows": rows, "members": members})
