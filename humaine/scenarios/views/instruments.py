"""The instrument library for staff: scales and items with source and licence, new items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from humaine import policy

from .. import services
from ..forms import InstrumentFileForm, InstrumentItemEditForm, InstrumentItemForm
from ..instruments import InstrumentError
from ..library import current_library, items_in_surveys
from ..models import InstrumentItem
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
        "hub_items": {i.item_id: i for i in InstrumentItem.objects.all()},
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


def _staff_item(request, item_pk) -> InstrumentItem:
    policy.require(policy.is_staff(request.user))
    try:
        return InstrumentItem.objects.get(pk=int(item_pk))
    except (InstrumentItem.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, item_pk):
    """Change an item staff added (the shipped items are changed in the YAML files)."""
    item = _staff_item(request, item_pk)
    fields = ["scale", "source", "text_de", "text_en", "reverse"]
    form = InstrumentItemEditForm(
        request.POST or None, initial={f: getattr(item, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_instrument_item(item, actor=request.user, **form.cleaned_data)
        except InstrumentError as error:
            form.add_error(None, "; ".join(error.texts(lang())))
        except services.ScenarioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The item has been changed."))
            return redirect("scenarios:instruments")
    context = {"item": item, "form": form, "surveys": items_in_surveys(item.item_id)}
    status = 400 if form.errors else 200
    return render(request, "scenarios/instrument_item.html", context, status=status)


@login_required
@require_POST
def item_retire(request, item_pk):
    """Retire an item (``action=reinstate`` brings it back)."""
    item = _staff_item(request, item_pk)
    retire = request.POST.get("action") != "reinstate"
    try:
        services.retire_instrument_item(item, retire=retire, actor=request.user)
    except services.ScenarioError as error:
        messages.error(request, str(error))
    else:
        if retire:
            messages.success(
                request,
                _(
                    "The item is retired: new surveys leave it out; surveys that ask it keep "
                    "it and their results."
                ),
            )
        else:
            messages.success(request, _("The item is offered for new surveys again."))
    return redirect("scenarios:instruments")
