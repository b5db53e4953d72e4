"""The instrument library for staff: scales and items with source and licence, new items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from humaine import policy

from .. import services
from ..forms import InstrumentFileForm, InstrumentItemForm
from ..instruments import InstrumentError
from ..library import current_library
from ..selectors import lang


@login_required
@require_http_methods(["GET", "POST"])
def library(request):
    """Browse the library; staff add an item, or check an instrument file before adding."""
    policy.require(policy.is_staff(request.user))
    item_form = InstrumentItemForm(request.POST if request.POST.get("form") == "item" else None)
    file_form = InstrumentFileForm(
        request.POST if request.POST.get("form") == "file" else None,
        request.FILES if request.POST.get("form") == "file" else None,
    )
    problems = None
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted == "item" and item_form.is_valid() and _add_item(request, item_form):
        return redirect("scenarios:instruments")
    if posted == "file" and file_form.is_valid():
        problems = _import_file(request, file_form.cleaned_data["upload"])
        if not problems:
            return redirect("scenarios:instruments")
    context = {
        "library": current_library(),
        "lang": lang(),
        "item_form": item_form,
        "file_form": file_form,
        "problems": problems,
    }
    status = 400 if (problems or item_form.errors or file_form.errors) else 200
    return render(request, "scenarios/instruments.html", context, status=status)


def _import_file(request, upload) -> list[str]:
    """Import the file's new items; the problems (in the user's language) if it fails."""
    try:
        text = upload.read(400_001).decode("utf-8")
    except UnicodeDecodeError:
        return [_("The file is not UTF-8 text.")]
    try:
        created = services.import_instrument_file(
            text, upload.name or "upload.yaml", actor=request.user
        )
    except InstrumentError as error:
        return error.texts(lang())
    except services.ScenarioError as error:
        return [str(error)]
    messages.success(request, _("%(n)s items have been added.") % {"n": len(created)})
    return []


def _add_item(request, form) -> bool:
    try:
        services.add_instrument_item(actor=request.user, **form.cleaned_data)
    except InstrumentError as error:
        form.add_error(None, "; ".join(error.texts(lang())))
        return False
    except services.ScenarioError as error:
        form.add_error("item_id", str(error))
        return False
    messages.success(request, _("The item has been added to the library."))
    return True
