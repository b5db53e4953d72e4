"""The owner's pages of a check: respondents, profile, result, exports and documents.

Every view takes either ``token`` (the private link of a standalone check) or ``pk`` (a
check the logged-in user may see); ``owner_access`` asks the policy for both.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.core import ratelimit, tokens
from humaine.core.models import Hub

from .. import access as check_access
from .. import services
from ..forms import DocumentForm, InviteForm, ProfileForm, ResendForm
from ..markup import to_html
from ..models import Respondent
from ..pdf import inputs_key, pdf_owner, pdf_response
from ..report import export_data, report_context
from ..selectors import check_result, current_profile, document_text, explicit_profile
from .common import document_title, fluid_svg, lang, owner_access, require_document

INVITED_KEY = "check.invited"


def _respondents(check):
    return list(check.respondents.all())


def _invited_once(request, check) -> dict | None:
    """The link of the respondent just invited without email, shown this once."""
    invited = request.session.get(INVITED_KEY)
    if not invited or invited.get("check") != check.pk:
        return None
    del request.session[INVITED_KEY]
    respondent = Respondent.by_hash(invited.get("link"), check.respondents.all())
    if respondent is None:  # revoked or renewed since
        return None
    url = reverse("check:respond", args=[respondent.token()])
    return {"label": respondent.label, "url": request.build_absolute_uri(url)}


def _overview(request, access, invite_form=None, status=200, resend_forms=None):
    check = access.check
    respondents = _respondents(check)
    result = check_result(check, respondents)
    resend_forms = resend_forms or {}
    for respondent in respondents:
        kwargs = {**access.ref, "respondent": respondent.pk}
        respondent.resend_url = reverse("check:resend_invitation", kwargs=kwargs)
        respondent.revoke_url = reverse("check:revoke_invitation", kwargs=kwargs)
        respondent.resend_form = resend_forms.get(respondent.pk) or ResendForm(
            prefix=f"r{respondent.pk}"
        )
    context = {
        "check": check,
        "access": access,
        "urls": access.urls,
        "respondents": respondents,
        "invited": _invited_once(request, check),
        "result": result,
        "explicit_profile": check.profile is not None,
        "invite_form": invite_form or InviteForm(),
        "documents": [(kind, document_title(kind)) for kind in check.DOCUMENTS],
    }
    return render(request, "check/overview.html", context, status=status)


def overview(request, pk=None, token=None):
    return _overview(request, owner_access(request, pk, token))


@require_POST
def invite(request, pk=None, token=None):
    access = owner_access(request, pk, token)
    policy.require(access.manage)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _overview(request, access, invite_form=form, status=400)
    data = form.cleaned_data
    invitation = services.invite_respondent(
        access.check,
        role=data["role"],
        label=data["label"],
        language=data["language"],
        email=data["email"],
        actor=access.actor,
        actor_name=access.actor_name,
    )
    label = invitation.respondent.label
    if data["email"]:
        messages.success(request, _("%(label)s is invited by email.") % {"label": label})
    else:
        # The session keeps the link's hash only (no token, no name): core.tokens.
        request.session[INVITED_KEY] = {
            "check": access.check.pk,
            "link": tokens.for_session(invitation.token),
        }
    return redirect(access.urls["overview"])


@require_POST
def resend_invitation(request, respondent, pk=None, token=None):
    access = owner_access(request, pk, token)
    policy.require(access.manage)
    target = check_access.get_respondent_of_check(access.check, respondent)
    form = ResendForm(request.POST, prefix=f"r{target.pk}")
    if not form.is_valid():
        return _overview(request, access, status=400, resend_forms={target.pk: form})
    try:
        services.resend_invitation(
            target,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            actor=access.actor,
            actor_name=access.actor_name,
        )
    except services.InvitationClosed:
        messages.error(
            request,
            _("The invitation of %(label)s is revoked or answered; nothing was sent.")
            % {"label": target.label},
        )
        return redirect(access.urls["overview"])
    messages.success(
        request, _("The invitation of %(label)s is sent again.") % {"label": target.label}
    )
    return redirect(access.urls["overview"])


@require_POST
def revoke_invitation(request, respondent, pk=None, token=None):
    access = owner_access(request, pk, token)
    policy.require(access.manage)
    target = check_access.get_respondent_of_check(access.check, respondent)
    services.revoke_invitation(target, actor=access.actor, actor_name=access.actor_name)
    messages.success(
        request,
        _("The invitation of %(label)s is revoked: the link opens nothing any more.")
        % {"label": target.label},
    )
    return redirect(access.urls["overview"])


@require_POST
def result_sharing(request, pk=None, token=None):
    access = owner_access(request, pk, token)
    policy.require(access.manage)
    share = request.POST.get("share") == "yes"
    services.set_result_sharing(
        access.check, share, actor=access.actor, actor_name=access.actor_name
    )
    if share:
        messages.success(request, _("Respondents see the result once they have submitted."))
    else:
        messages.success(request, _("Respondents no longer see the result."))
    return redirect(access.urls["overview"])


@require_http_methods(["GET", "POST"])
def profile(request, pk=None, token=None):
    access = owner_access(request, pk, token)
    check = access.check
    form = None
    if request.method == "POST":
        policy.require(access.manage)
        if request.POST.get("action") == "clear":
            services.set_profile(check, None, actor=access.actor, actor_name=access.actor_name)
            messages.success(request, _("The check now takes the case profile from the answers."))
            return redirect(access.urls["overview"])
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.set_profile(
                check,
                form.cleaned_data["profile"],
                actor=access.actor,
                actor_name=access.actor_name,
            )
            messages.success(request, _("The case profile has been saved."))
            return redirect(access.urls["overview"])
    if form is None:
        form = ProfileForm(initial={"profile": ProfileForm.initial_text(current_profile(check))})
    return render(
        request,
        "check/profile.html",
        {
            "check": check,
            "access": access,
            "urls": access.urls,
            "form": form,
            "explicit": explicit_profile(check) is not None,
        },
        status=400 if form.errors else 200,
    )


def _report(access):
    respondents = _respondents(access.check)
    result = check_result(access.check, respondents)
    return respondents, result


def result(request, pk=None, token=None):
    access = owner_access(request, pk, token)
    respondents, outcome = _report(access)
    context = report_context(access.check, outcome, respondents, lang())
    context |= {"access": access, "urls": access.urls, "radar": fluid_svg(context["radar"])}
    return render(request, "check/result.html", context)


def _filename(check, suffix: str) -> str:
    return f"{slugify(check.title)[:60] or 'check'}-{suffix}"


def _pdf_inputs(check, *what) -> str:
    """The key of everything a check's PDF is made from: the check's and its respondents'
    stored values, the language, the hub, the day and ``what`` (pdf.inputs_key)."""
    respondents = list(Respondent.objects.filter(ai_check=check).order_by("pk").values())
    hub = Hub.current()
    fields = {f.attname: getattr(check, f.attname) for f in check._meta.concrete_fields}
    # the result's PDF is dated: another day, another PDF
    today = timezone.localdate()
    return inputs_key(fields, respondents, lang(), hub.pk, hub.updated_at, today, *what)


def result_pdf(request, pk=None, token=None):
    access = owner_access(request, pk, token)

    def context():
        respondents, outcome = _report(access)
        return report_context(access.check, outcome, respondents, lang())

    return pdf_response(
        "check/result_pdf.html",
        context,
        _filename(access.check, "result.pdf"),
        request,
        owner=pdf_owner(access.check),
        inputs=_pdf_inputs(access.check, "result"),
    )


def result_json(request, pk=None, token=None):
    access = owner_access(request, pk, token)
    respondents, outcome = _report(access)
    data = export_data(access.check, outcome, respondents)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(access.check, "result.json")}"'
    )
    return response


SAVE_SCOPE = "check-save"


def too_many_saves() -> str:
    return _("Too many saved documents from your address in a short time.")


def register_early_refusal() -> None:
    """Once an address has saved its share of documents, further saves are refused at the
    top of the middleware chain (core.middleware.EarlyRefusalMiddleware)."""

    def limits(request):
        address = ratelimit.client_address(request)
        return [(SAVE_SCOPE, address, settings.CHECK_SAVES_PER_MINUTE, 60)]

    ratelimit.refuse_early(
        ["POST"],
        ratelimit.language_prefix() + r"check(?:s/\d+|/r/[^/]+)/documents/[-\w]+/$",
        limits,
        too_many_saves,
    )


@require_http_methods(["GET", "POST"])
def document(request, kind, pk=None, token=None):
    require_document(kind)
    access = owner_access(request, pk, token)
    check = access.check
    language = lang()
    form = None
    if request.method == "POST":
        policy.require(access.manage)
        if not ratelimit.allow_request(
            request, SAVE_SCOPE, limit=settings.CHECK_SAVES_PER_MINUTE, window=60
        ):
            text = f"{too_many_saves()} {ratelimit.try_again_in_window(60)}"
            response = HttpResponse(text, content_type="text/plain; charset=utf-8")
            return ratelimit.too_many(response, 60, request)
        if request.POST.get("action") == "reset":
            services.save_document(
                check, kind, language, None, actor=access.actor, actor_name=access.actor_name
            )
            messages.success(request, _("The document is generated from the check again."))
            return redirect(access.urls[kind])
        form = DocumentForm(request.POST)
        if form.is_valid():
            services.save_document(
                check,
                kind,
                language,
                form.cleaned_data["text"],
                actor=access.actor,
                actor_name=access.actor_name,
            )
            messages.success(request, _("The document has been saved."))
            return redirect(access.urls[kind])
        ratelimit.refund_request(request, SAVE_SCOPE, window=60)  # not saved: does not count
    _respondents_, outcome = _report(access)
    text, edited = document_text(check, kind, outcome, language)
    if form is None:
        form = DocumentForm(initial={"text": text})
    return render(
        request,
        "check/document.html",
        {
            "check": check,
            "access": access,
            "urls": access.urls,
            "kind": kind,
            "title": document_title(kind),
            "form": form,
            "edited": edited,
            "preview": to_html(text),
            "pdf_url": access.urls[f"{kind}_pdf"],
        },
        status=400 if form.errors else 200,
    )


def document_pdf(request, kind, pk=None, token=None):
    require_document(kind)
    access = owner_access(request, pk, token)

    def context():
        _respondents_, outcome = _report(access)
        text, _edited = document_text(access.check, kind, outcome, lang())
        return {"check": access.check, "title": document_title(kind), "body": to_html(text)}

    return pdf_response(
        "check/document_pdf.html",
        context,
        _filename(access.check, f"{kind}.pdf"),
        request,
        owner=pdf_owner(access.check),
        inputs=_pdf_inputs(access.check, "document", kind),
    )
