"""A user's notifications and their choice of emails."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy
from humaine.core.pagination import CappedPaginator

from . import access, services
from .forms import PreferencesForm
from .kinds import KINDS
from .models import Notification

PAGE_SIZE = 25


@dataclass
class Item:
    notification: Notification
    text: str
    has_link: bool


def _item(notification: Notification) -> Item:
    kind = KINDS.get(notification.kind)
    if kind is None:
        return Item(notification, _("A notification of a kind the hub no longer sends."), False)
    text = kind.text(notification) if kind.text else str(kind.label)
    return Item(notification, text, kind.link is not None)


@login_required
def notification_list(request):
    queryset = access.notifications_visible_to(request.user)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": [_item(n) for n in page],
        "unread": services.unread_count(request.user),
    }
    return render(request, "notifications/list.html", context)


@login_required
def open_notification(request, pk):
    """Mark the notification read and go to what it is about."""
    notification = access.get_notification_for_user(request.user, pk)
    services.mark_read(request.user, Notification.objects.filter(pk=notification.pk))
    kind = KINDS.get(notification.kind)
    if kind is None or kind.link is None:
        return redirect("notifications:list")
    return redirect(kind.link(notification))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    policy.require(access.can_choose_emails(request.user))
    saved = services.preferences_of(request.user)
    form = PreferencesForm(request.user, saved, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            request.user, language=form.cleaned_data["language"], emails=form.emails()
        )
        messages.success(request, _("Your choice of emails is saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "has_email": bool(request.user.email)}
    return render(
        request, "notifications/preferences.html", context, status=400 if form.errors else 200
    )
