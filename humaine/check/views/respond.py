"""A respondent's pages, opened through the invitation link: guided, or browsing freely."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, services
from ..catalogue import Question, default_catalogue
from ..forms import AnswerForm, QuestionFilterForm, RecommendationFilterForm
from ..models import Respondent
from ..questionnaire import AnswerError, is_asked
from ..report import report_context
from ..selectors import check_result, current_profile, explicit_profile
from .common import fluid_svg, lang, recommendation_cards

SHOWN = "shown"


def _applies(respondent: Respondent, questions: list[Question]) -> list[Question]:
    check = respondent.ai_check
    explicit = explicit_profile(check) is not None
    profile = current_profile(check)
    return [q for q in questions if not (explicit and q.profile) and is_asked(q, profile)]


def _sector(respondent: Respondent) -> str | None:
    """The case's sector: the respondent's own answer, else what the check's profile says
    (its groups of AI functions come first)."""
    own = respondent.answers.get("P-SECTOR")
    if isinstance(own, str):
        return own
    sector = current_profile(respondent.ai_check).sector
    return sector if sector != "other" else None


def _phases(respondent: Respondent) -> list[dict]:
    """The guided path: per phase, the role's questions that apply and how many are answered."""
    cat = default_catalogue()
    mine = _applies(respondent, cat.questions_for(respondent.role))
    out = []
    for phase in sorted(cat.section("phases"), key=lambda p: p.order):
        questions = [q for q in mine if q.phase == phase.id]
        answered = sum(1 for q in questions if q.id in respondent.answers)
        out.append(
            {"phase": phase, "questions": questions, "total": len(questions), "answered": answered}
        )
    return [p for p in out if p["total"]]


def _progress(phases: list[dict]) -> dict:
    total = sum(p["total"] for p in phases)
    answered = sum(p["answered"] for p in phases)
    return {"total": total, "answered": answered}


def _save(request, respondent: Respondent, questions: list[Question]) -> AnswerForm | None:
    """Validate the posted answers; store them all or, with an error, nothing."""
    cat = default_catalogue()
    shown = [qid for qid in request.POST.get(SHOWN, "").split(",") if qid]
    unknown = [qid for qid in shown if not cat.has("questions", qid)]
    posted = [cat.question(qid) for qid in shown if qid not in unknown] if shown else questions
    form = AnswerForm(posted, request.POST, answers=respondent.answers, sector=_sector(respondent))
    if unknown:
        form.add_error(None, _("Unknown question: %(ids)s.") % {"ids": ", ".join(unknown)})
    if not form.is_valid():
        return form
    try:
        services.save_answers(respondent, form.answers, cleared=form.cleared)
    except services.AlreadySubmitted:
        messages.error(request, _("Your answers have been submitted and can no longer change."))
        return None
    except AnswerError as exc:
        form.add_error(None, exc.message.get(lang()))
        return form
    messages.success(request, _("Your answers have been saved."))
    return None


def _locked(form: AnswerForm, respondent: Respondent) -> AnswerForm:
    """Submitted answers are shown, not editable."""
    if respondent.is_submitted:
        for field in form.fields.values():
            field.disabled = True
    return form


def _context(respondent: Respondent, phases: list[dict], **extra) -> dict:
    return {
        "respondent": respondent,
        "check": respondent.ai_check,
        "token": respondent.token(),
        "phases": phases,
        "progress": _progress(phases),
        "role": default_catalogue().get("roles", respondent.role),
        "disclaimer": default_catalogue().meta.disclaimer,
        **extra,
    }


def respond(request, token):
    respondent = access.get_respondent_by_token(token)
    phases = _phases(respondent)
    next_phase = next((p for p in phases if p["answered"] < p["total"]), None)
    return render(
        request, "check/respond.html", _context(respondent, phases, next_phase=next_phase)
    )


@require_http_methods(["GET", "POST"])
def respond_phase(request, token, phase):
    respondent = access.get_respondent_by_token(token)
    phases = _phases(respondent)
    ids = [p["phase"].id for p in phases]
    if phase not in ids:
        if phase not in default_catalogue().ids("phases"):
            raise Http404
        messages.info(request, _("This phase has no questions for your role."))
        return redirect("check:respond", token)
    index = ids.index(phase)
    current = phases[index]
    form = None
    if request.method == "POST":
        form = _save(request, respondent, current["questions"])
        if form is None:
            action = request.POST.get("action", "save")
            if action == "next" and index + 1 < len(ids):
                return redirect("check:respond_phase", token, ids[index + 1])
            if action == "back" and index > 0:
                return redirect("check:respond_phase", token, ids[index - 1])
            if action == "finish" and index + 1 == len(ids):
                return _finish(request, respondent)
            if action == "next":
                return redirect("check:respond", token)
            return HttpResponseRedirect(request.path)
    if form is None:
        form = _locked(
            AnswerForm(
                current["questions"], answers=respondent.answers, sector=_sector(respondent)
            ),
            respondent,
        )
    steps = {s.id: s.title for s in current["phase"].steps}
    return render(
        request,
        "check/respond_phase.html",
        _context(
            respondent,
            phases,
            current=current,
            form=form,
            steps=steps,
            previous=ids[index - 1] if index > 0 else None,
            following=ids[index + 1] if index + 1 < len(ids) else None,
            shown=",".join(q.id for q in current["questions"]),
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def respond_browse(request, token):
    respondent = access.get_respondent_by_token(token)
    filters = QuestionFilterForm(request.GET)
    cat = default_catalogue()
    scope = filters.data.get("scope") or "mine"
    pool = cat.questions_for(respondent.role if scope != "all" else None)
    applying = _applies(respondent, pool)
    questions = filters.filtered(applying)
    form = None
    if request.method == "POST":
        form = _save(request, respondent, questions)
        if form is None:
            return HttpResponseRedirect(request.get_full_path())
    if form is None:
        form = _locked(
            AnswerForm(questions, answers=respondent.answers, sector=_sector(respondent)),
            respondent,
        )
    return render(
        request,
        "check/respond_browse.html",
        _context(
            respondent,
            _phases(respondent),
            filters=filters,
            form=form,
            shown=",".join(q.id for q in questions),
            hidden_count=len(pool) - len(applying),
            phase_titles={p.id: p.title for p in cat.section("phases")},
            criterion_titles={c.id: c.title for c in cat.section("criteria")},
        ),
        status=400 if form.errors else 200,
    )


def respond_recommendations(request, token):
    respondent = access.get_respondent_by_token(token)
    form = RecommendationFilterForm(request.GET)
    items = form.filtered(default_catalogue().recommendations)
    return render(
        request,
        "check/recommendations.html",
        {
            "form": form,
            "recommendations": items,
            "cards": recommendation_cards(request, items),
            "base": "respondent",
            "respondent": respondent,
            "token": token,
        },
    )


def respond_result(request, token):
    """The result, for a respondent who has submitted (unless the owner turned it off)."""
    respondent = access.get_respondent_by_token(token)
    if not respondent.sees_result:
        raise Http404
    check = respondent.ai_check
    respondents = list(check.respondents.all())
    context = report_context(check, check_result(check, respondents), respondents, lang())
    context["radar"] = fluid_svg(context["radar"])
    return render(
        request,
        "check/respond_result.html",
        context | _context(respondent, _phases(respondent)),
    )


def _finish(request, respondent: Respondent):
    services.submit_answers(respondent)
    messages.success(request, _("Thank you! Your answers have been submitted."))
    return redirect(reverse("check:respond", args=[respondent.token()]))


@require_POST
def respond_submit(request, token):
    return _finish(request, access.get_respondent_by_token(token))
