"""The check on the public site: start one, and browse the catalogue."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.contact import access as contact_access
from humaine.core import ratelimit, tokens
from humaine.core.pagination import PAGE_SIZE, CappedPaginator

from .. import access, services
from ..catalogue import default_catalogue
from ..forms import CheckForm, InquiryCheckForm, QuestionFilterForm, RecommendationFilterForm
from ..models import Check, Respondent
from .common import actor_of, lang, recommendation_cards

CREATED_KEY = "check.created"


@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "GET":
        return render(request, "check/start.html", {"form": CheckForm()})
    form = CheckForm(request.POST)
    window = settings.CHECK_RATE_WINDOW_SECONDS
    limit = settings.CHECK_RATE_LIMIT
    if not ratelimit.allow_request(request, "check", limit=limit, window=window):
        form.is_valid()
        context = {"form": form, "try_again": ratelimit.try_again_in_window(window)}
        response = render(request, "check/start.html", context)
        return ratelimit.too_many(response, window, request)
    if form.is_spam or not form.is_valid():
        # Only checks really started count against the limit.
        ratelimit.refund_request(request, "check", window=window)
    if form.is_spam:
        return redirect("check:start")
    if not form.is_valid():
        return render(request, "check/start.html", {"form": form}, status=400)
    data = form.cleaned_data
    actor, actor_name = actor_of(request, "visitor (public check form)")
    created = services.create_check(
        title=data["title"],
        description=data["description"],
        language=data["language"],
        notify_email=data["email"],
        owner_role=data["owner_role"] or None,
        actor=actor,
        actor_name=actor_name,
    )
    # The session keeps the links' hashes only; the next page recomputes the links.
    request.session[CREATED_KEY] = {
        "check": tokens.for_session(created.token),
        "respondent": tokens.for_session(created.respondent_token),
        "emailed": bool(data["email"]),
    }
    return redirect("check:created")


@never_cache
def created(request):
    """Show the private link once; afterwards only the email (if any) has it."""
    data = request.session.pop(CREATED_KEY, None) or {}
    check = Check.by_hash(data.get("check"))
    context = {"created": data if check is not None else None}
    if check is not None:
        context["result_url"] = request.build_absolute_uri(
            reverse("check:overview", kwargs={"token": check.token()})
        )
        respondent = Respondent.by_hash(data.get("respondent"))
        if respondent is not None:
            context["answer_url"] = request.build_absolute_uri(
                reverse("check:respond", args=[respondent.token()])
            )
    return render(request, "check/created.html", context)


@login_required
@require_POST
def start_for_inquiry(request, pk):
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_start_check(request.user, inquiry))
    form = InquiryCheckForm(request.POST)
    if not form.is_valid():
        return render(
            request, "check/start_for_inquiry.html", {"form": form, "inquiry": inquiry}, status=400
        )
    created = services.create_check(
        title=form.cleaned_data["title"],
        description=inquiry.problem,
        inquiry=inquiry,
        language=lang(),
        owner_role=form.cleaned_data["owner_role"] or None,
        actor=request.user,
    )
    if created.respondent is not None:
        return redirect("check:respond", created.respondent_token)
    return redirect(created.check)


def catalogue(request):
    """Every question of the check, read only, with filters."""
    form = QuestionFilterForm(request.GET, with_scope=False)
    questions = form.filtered(default_catalogue().questions_for())
    return render(
        request,
        "check/catalogue.html",
        {"form": form, "questions": questions, "catalogue": default_catalogue()},
    )


def catalogue_recommendations(request):
    form = RecommendationFilterForm(request.GET)
    items = form.filtered(default_catalogue().recommendations)
    return render(
        request,
        "check/recommendations.html",
        {
            "form": form,
            "recommendations": items,
            "cards": recommendation_cards(request, items),
            "base": "public",
        },
    )


@login_required
def my_checks(request):
    """The checks a logged-in user may open: those on inquiries they can see, and the
    standalone checks they started while logged in; newest first."""
    checks = (
        access.checks_visible_to(request.user)
        .select_related("inquiry")
        .annotate(
            n_respondents=Count("respondents"),
            n_submitted=Count("respondents", filter=Q(respondents__submitted_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )
    page = CappedPaginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "check/my_checks.html", {"page": page})
