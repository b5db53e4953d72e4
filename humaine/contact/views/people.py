"""Personal data of a contact person: view, export (art. 15), erase (art. 17)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from .. import access, services
from ..forms import EraseForm, PersonSearchForm
from ..models import Person

# A search shows at most this many people (by name); more means: search for more words.
SEARCH_LIMIT = 50


@login_required
def person_search(request):
    """Find a person by name or email address, to answer a request about their data."""
    policy.require(access.can_manage_personal_data(request.user))
    form = PersonSearchForm(request.GET)
    context = {"form": form, "people": None, "capped": False}
    if not form.is_valid():
        return render(request, "contact/person_search.html", context, status=400)
    if form.cleaned_data["q"].strip():
        found = (
            Person.objects.visible_to(request.user)
            .not_erased()
            .matching(form.cleaned_data["q"])
            .select_related("organisation")
            .annotate(inquiry_count=Count("inquiries"))
            .order_by("name", "pk")
        )
        people = list(found[: SEARCH_LIMIT + 1])
        context.update(people=people[:SEARCH_LIMIT], capped=len(people) > SEARCH_LIMIT)
    return render(request, "contact/person_search.html", context)


@login_required
def person_detail(request, pk):
    person = access.get_person_for_user(request.user, pk)
    return render(
        request,
        "contact/person_detail.html",
        {
            "person": person,
            "inquiries": person.inquiries.select_related("sector"),
            "erase_form": EraseForm(),
        },
    )


@login_required
@require_POST
def person_export(request, pk):
    person = access.get_person_for_user(request.user, pk)
    data = services.export_person(person, actor=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["POST"])
def person_erase(request, pk):
    person = access.get_person_for_user(request.user, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please confirm the erasure."))
        return redirect("contact:person_detail", pk=person.pk)
    services.erase_person(person, actor=request.user)
    messages.success(request, _("The person's personal data has been erased."))
    return redirect("contact:person_detail", pk=person.pk)
