"""Events: public pages, registration and cancellation, calendars; staff's lists and check-in."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.check.pdf import fresh_pdf_response
from humaine.core import audit, ratelimit, tokens
from humaine.core.models import Hub

from .. import access, calendar, markup, services
from ..forms import EventForm, RegistrationForm
from ..models import Registration

REGISTERED_KEY = "transfer.registered"


def event_list(request):
    events = access.events_visible_to(request.user)
    now = timezone.now()
    return render(
        request,
        "transfer/events.html",
        {
            "upcoming": events.upcoming(now),
            "past": events.past(now)[:20],
            "may_manage": access.can_manage_events(request.user),
        },
    )


def _places(event) -> dict:
    confirmed = event.registrations.confirmed().count()
    return {
        "confirmed": confirmed,
        "free": max(0, event.capacity - confirmed),
        "waiting": event.registrations.waiting().count(),
    }


@require_http_methods(["GET", "POST"])
def event_detail(request, slug):
    event = access.get_event_for_user(request.user, slug)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not event.registration_open():
            form.is_valid()
            form.add_error(None, _("Registration for this event is closed."))
        elif not ratelimit.allow_request(
            request,
            "event_registration",
            limit=settings.TRANSFER_REGISTRATION_RATE_LIMIT,
            window=ratelimit.HOUR,
        ):
            form.is_valid()
            form.add_error(None, _("Too many registrations from your address; try again later."))
            status = 429
        elif form.is_spam:
            return redirect("transfer:registered", event.slug)
        elif form.is_valid():
            data = form.cleaned_data | {"language": (get_language() or "de")[:2]}
            try:
                result = services.register_for_event(event, data, user=request.user)
            except services.RegistrationError as error:
                form.add_error("email" if error.code == "duplicate" else None, str(error))
                status = 409 if error.code == "duplicate" else 400
            else:
                # The session keeps the cancellation link's hash only (no token, no
                # address); the next page finds the registration by it.
                request.session[REGISTERED_KEY] = {
                    "event": event.slug,
                    "link": tokens.for_session(result.token),
                }
                return redirect("transfer:registered", event.slug)
    return render(
        request,
        "transfer/event.html",
        {
            "event": event,
            "description": markup.render(event.description),
            "form": form,
            "places": _places(event),
            "open": event.registration_open(),
            "may_manage": access.can_manage_events(request.user),
        },
        status=status,
    )


@never_cache
def registered(request, slug):
    event = access.get_event_for_user(request.user, slug)
    link = (request.session.get(REGISTERED_KEY) or {}).get("link")
    registration = (
        event.registrations.filter(token_hash=link)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
        if link
        else None
    )
    if registration is None:
        return redirect("transfer:event", event.slug)
    done = {
        "token": registration.cancel_token(),
        "waitlisted": registration.status == Registration.Status.WAITLISTED,
        "email": registration.email,
    }
    return render(request, "transfer/registered.html", {"event": event, "done": done})


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    registration = access.get_registration_by_token(token)
    event = registration.event
    context = {"registration": registration, "event": event}
    if registration.status == Registration.Status.CANCELLED:
        return render(request, "transfer/cancel.html", context | {"done": True})
    if timezone.now() >= event.starts_at:
        context["error"] = _("The event has started, so this cancellation link no longer works.")
        return render(request, "transfer/cancel.html", context, status=410)
    if request.method == "POST":
        try:
            services.cancel_registration(registration)
        except services.RegistrationError as error:
            context["error"] = str(error)
            return render(request, "transfer/cancel.html", context, status=409)
        return render(request, "transfer/cancel.html", context | {"done": True})
    return render(request, "transfer/cancel.html", context)


def event_ics(request, slug):
    event = access.get_event_for_user(request.user, slug)
    response = HttpResponse(calendar.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def event_feed(request):
    events = access.events_visible_to(None).order_by("-starts_at")[:200]
    body = calendar.feed_ics(events, Hub.current().name)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# Staff -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    policy.require(access.can_manage_events(request.user))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(request.user, form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event is saved."))
            return redirect("transfer:event_manage", event.slug)
    return render(
        request,
        "transfer/event_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = access.get_managed_event(request.user, slug)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event is saved."))
            return redirect("transfer:event_manage", event.slug)
    if form.errors:
        event.refresh_from_db()
    return render(
        request,
        "transfer/event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


def event_manage(request, slug):
    """Staff's view of an event: registrations, waiting list, attendance."""
    event = access.get_managed_event(request.user, slug)
    registrations = event.registrations.order_by("status", "created_at", "pk")
    return render(
        request,
        "transfer/event_manage.html",
        {
            "event": event,
            "places": _places(event),
            "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
            "waiting": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
            "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
            "trail": audit.trail_for(event)[:20],
        },
    )


@require_POST
def attendance(request, slug):
    event = access.get_managed_event(request.user, slug)
    ids = [pk for pk in request.POST.getlist("attended") if pk.isdigit()]
    count = services.record_attendance(request.user, event, ids)
    messages.success(request, _("Attendance saved: %(n)d attended.") % {"n": count})
    return redirect("transfer:event_manage", event.slug)


@require_POST
def staff_cancel(request, slug, pk):
    event = access.get_managed_event(request.user, slug)
    registration = access.registrations_visible_to(request.user).filter(event=event, pk=pk).first()
    if registration is None:
        from django.http import Http404

        raise Http404
    try:
        moved = services.cancel_registration(registration, user=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Registration cancelled; %(n)d moved up from the waiting list.") % {"n": len(moved)},
        )
    return redirect("transfer:event_manage", event.slug)


def _check_in_rows(event):
    return list(event.registrations.confirmed().order_by("name", "pk"))


def check_in_csv(request, slug):
    event = access.get_managed_event(request.user, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-check-in.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Organisation"), _("Email"), _("Accessibility needs"), _("Attended")]
    )
    for r in _check_in_rows(event):
        writer.writerow(
            [
                _safe_cell(r.name),
                _safe_cell(r.organisation_name),
                _safe_cell(r.email),
                _safe_cell(r.accessibility_needs),
                _("yes") if r.attended else "",
            ]
        )
    return response


def _safe_cell(value: str) -> str:
    # a cell starting with = + - @ would be a formula in a spreadsheet
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def check_in_pdf(request, slug):
    event = access.get_managed_event(request.user, slug)
    # not cached (personal data); a render place, at low priority (check.pdf)
    return fresh_pdf_response(
        "transfer/check_in_pdf.html",
        {"event": event, "rows": _check_in_rows(event), "hub": Hub.current()},
        f"{event.slug}-check-in.pdf",
        request,
    )
