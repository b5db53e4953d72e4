"""Hub staff's triage: the queue and the work on one inquiry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humaine import policy
from humaine.core import audit
from humaine.core.pagination import PAGE_SIZE, CappedPaginator
from humaine.notifications import services as notifications

from .. import access, services
from .. import notifications as contact_notifications
from ..forms import AssignForm, MessageForm, NoteForm, QueueFilterForm, StatusForm
from ..models import Assignment, Inquiry
from ..selectors import staff_users


def filtered_queue(user, params) -> tuple[QueueFilterForm, object]:
    """The triage queue for ``params`` (GET data); unknown filter values are ignored."""
    form = QueueFilterForm(params)
    queryset = Inquiry.objects.for_queue()
    if not form.is_valid():
        return form, queryset.filtered(status="open")
    data = form.cleaned_data
    assignee = data["assignee"] or None
    if assignee not in (None, "me", "none"):
        assignee = staff_users().filter(pk=int(assignee)).first()
    return form, queryset.filtered(
        status={"": "open", "all": None}.get(data["status"], data["status"]),
        sector=data["sector"].slug if data["sector"] else None,
        assignee=assignee,
        q=data["q"],
        user=user,
    )


@login_required
def queue(request):
    policy.require(access.can_view_triage_queue(request.user))
    form, queryset = filtered_queue(request.user, request.GET)
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    replied = notifications.unread_about(
        request.user, Inquiry, [i.pk for i in page], kinds=[contact_notifications.REPLY]
    )
    context = {"form": form, "page": page, "query": query.urlencode(), "replied": replied}
    template = "contact/triage/_queue_rows.html" if request.htmx else "contact/triage/queue.html"
    return render(request, template, context)


@login_required
def inquiry_detail(request, pk):
    inquiry = access.get_inquiry_for_user(request.user, pk)
    manage = access.can_manage_inquiry(request.user, inquiry)
    # opening the inquiry is reading what the user was told about it
    notifications.mark_read_about(request.user, inquiry)
    context = {
        "inquiry": inquiry,
        "manage": manage,
        "thread": inquiry.messages.select_related("author"),
        "team": inquiry.assignments.filter(active=True).select_related("expert__person"),
    }
    if manage:
        context |= {
            "status_form": StatusForm(inquiry=inquiry),
            "assign_form": AssignForm(initial={"assignee": inquiry.assignee_id}),
            # two text boxes on one page: each with its own id, so each label finds its box
            "note_form": NoteForm(auto_id="note_%s"),
            "message_form": MessageForm(auto_id="message_%s"),
            "notes": inquiry.notes.select_related("author"),
            "trail": audit.trail_for(inquiry).select_related("actor")[:50],
        }
    return render(request, "contact/inquiry_detail.html", context)


def _manageable(request, pk) -> Inquiry:
    inquiry = access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_manage_inquiry(request.user, inquiry))
    return inquiry


def _invalid(request, inquiry, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(inquiry)


@login_required
@require_POST
def change_status(request, pk):
    inquiry = _manageable(request, pk)
    form = StatusForm(request.POST, inquiry=inquiry)
    if not form.is_valid():
        return _invalid(request, inquiry, form)
    services.change_status(inquiry, form.cleaned_data["status"], actor=request.user)
    messages.success(request, _("Status changed."))
    return redirect(inquiry)


@login_required
@require_POST
def assign(request, pk):
    inquiry = _manageable(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _invalid(request, inquiry, form)
    services.assign_inquiry(inquiry, form.cleaned_data["assignee"], actor=request.user)
    messages.success(request, _("The responsible transfer specialist is saved."))
    return redirect(inquiry)


@login_required
@require_POST
def add_note(request, pk):
    inquiry = _manageable(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, inquiry, form)
    services.add_note(inquiry, form.cleaned_data["text"], actor=request.user)
    messages.success(request, _("Note saved."))
    return redirect(inquiry)


@login_required
@require_POST
def send_message(request, pk):
    inquiry = _manageable(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _invalid(request, inquiry, form)
    services.send_message(inquiry, form.cleaned_data["text"], actor=request.user)
    messages.success(request, _("Message sent to the inquirer."))
    return redirect(inquiry)


@login_required
def my_inquiries(request):
    """A member's organisation's inquiries, an expert's team inquiries."""
    inquiries = (
        access.inquiries_visible_to(request.user)
        .select_related("sector", "organisation")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.filter(active=True)))
        .order_by("-created_at", "-pk")
    )
    page = CappedPaginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contact/my_inquiries.html", {"page": page})
