"""The public site: the hub, its sectors, how it works, the inquiry form, status pages."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from humaine.core import ratelimit, tokens
from humaine.notifications.services import wants_email_at

from .. import access, services
from .. import notifications as contact_notifications
from ..forms import InquiryForm, MessageForm
from ..models import Inquiry, Sector

SUBMITTED_KEY = "contact.submitted"


def home(request):
    return render(request, "contact/home.html", {"sectors": Sector.objects.all()})


def sectors(request):
    return render(request, "contact/sectors.html", {"sectors": Sector.objects.all()})


def how_it_works(request):
    return render(request, "contact/how_it_works.html")


def reach_us(request):
    return render(request, "contact/reach_us.html")


def imprint(request):
    return render(request, "contact/legal.html", {"title": _("Legal notice"), "kind": "imprint"})


def privacy(request):
    return render(request, "contact/legal.html", {"title": _("Privacy policy"), "kind": "privacy"})


def inquiry_privacy(request):
    return render(
        request,
        "contact/legal.html",
        {"title": _("Privacy notice for inquiries"), "kind": "inquiry"},
    )


@require_http_methods(["GET", "POST"])
def inquiry_form(request):
    if request.method == "GET":
        return render(request, "contact/inquiry_form.html", {"form": InquiryForm()})
    form = InquiryForm(request.POST)
    window = settings.INQUIRY_RATE_WINDOW_SECONDS
    # Counted first, so parallel submissions cannot slip past the limit; a submission that
    # is not accepted (a typo, a bot) is taken back: only accepted inquiries count.
    if not ratelimit.allow_request(
        request, "inquiry", limit=settings.INQUIRY_RATE_LIMIT, window=window
    ):
        form.is_valid()
        context = {"form": form, "try_again": ratelimit.try_again_in_window(window)}
        response = render(request, "contact/inquiry_form.html", context)
        return ratelimit.too_many(response, window, request)
    if form.is_spam or not form.is_valid():
        ratelimit.refund_request(request, "inquiry", window=window)
    if form.is_spam:
        # Bots get the same answer as people, and nothing is stored.
        return redirect("contact:inquiry_sent")
    if not form.is_valid():
        return render(request, "contact/inquiry_form.html", {"form": form}, status=400)
    submission = services.submit_inquiry(form.cleaned_data, user=request.user)
    # The next page shows the status link; the session keeps only its hash (no token, no
    # address), and the page recomputes the link from the inquiry.
    request.session[SUBMITTED_KEY] = {"link": tokens.for_session(submission.token)}
    return redirect("contact:inquiry_sent")


@never_cache
def inquiry_sent(request):
    link = (request.session.get(SUBMITTED_KEY) or {}).get("link")
    inquiry = Inquiry.by_hash(link, Inquiry.objects.select_related("contact"))
    context = {"submitted": None, "status_url": None}
    if inquiry is not None:
        context["submitted"] = {"reference": inquiry.reference, "email": inquiry.contact.email}
        context["status_url"] = request.build_absolute_uri(
            reverse("contact:status", args=[inquiry.token()])
        )
    return render(request, "contact/inquiry_sent.html", context)


@require_http_methods(["GET", "POST"])
def status(request, token: str):
    inquiry = access.get_inquiry_by_token(token)
    form = MessageForm()
    if request.method == "POST":
        limit = settings.INQUIRY_REPLY_RATE_LIMIT
        if not ratelimit.allow_request(request, "status-reply", limit=limit, window=ratelimit.HOUR):
            wait = ratelimit.try_again_in_window(ratelimit.HOUR)
            messages.error(request, _("Too many messages in a short time.") + " " + wait)
            return HttpResponseRedirect(request.path)
        form = MessageForm(request.POST)
        if form.is_valid():
            services.receive_message(inquiry, form.cleaned_data["text"])
            messages.success(request, _("Your message has been sent to the hub."))
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "contact/status.html",
        {
            "inquiry": inquiry,
            "thread": inquiry.messages.all(),
            "form": form,
            "steps": status_steps(inquiry),
            "token": token,
            "status_emails": _status_emails(inquiry),
        },
        status=400 if form.errors else 200,
    )


def _status_emails(inquiry: Inquiry) -> bool | None:
    """Whether the inquirer is emailed when the status changes (None: no address)."""
    if not inquiry.contact.email or inquiry.contact.is_erased:
        return None
    return wants_email_at(inquiry.contact.email, contact_notifications.STATUS)


@require_POST
def status_emails(request, token: str):
    """The inquirer turns the emails about status changes on or off."""
    inquiry = access.get_inquiry_by_token(token)
    if _status_emails(inquiry) is not None:
        wanted = request.POST.get("status_emails") == "on"
        services.choose_status_emails(inquiry, wanted)
        if wanted:
            messages.success(request, _("You will get an email when the status changes."))
        else:
            messages.success(request, _("You will get no more emails when the status changes."))
    return HttpResponseRedirect(reverse("contact:status", args=[token]))


def status_steps(inquiry: Inquiry) -> list[dict]:
    """The process as the inquirer sees it: which steps are done, which is current."""
    order = [
        Inquiry.Status.NEW,
        Inquiry.Status.TRIAGE,
        Inquiry.Status.MATCHED,
        Inquiry.Status.SCENARIO,
    ]
    if inquiry.status in Inquiry.CLOSED_STATUSES:
        return [{"label": Inquiry.Status(inquiry.status).label, "state": "current"}]
    position = order.index(Inquiry.Status(inquiry.status))
    return [
        {
            "label": step.label,
            "state": "done" if i < position else "current" if i == position else "todo",
        }
        for i, step in enumerate(order)
    ]
