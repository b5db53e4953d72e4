"""The knowledge base: search, reading an entry, downloading its files (everyone, by access)."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from humaine.core import ratelimit

from .. import access, markup, search, services
from ..forms import SearchForm
from ..models import EntryAttachment, Kind, Maturity

FACET_TITLES = {
    "kind": "kind",
    "maturity": "maturity",
    "sector": "sector",
    "discipline": "discipline",
}
# facets longer than this get a box to search among their options
LONG_FACET = 5


def lang() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


def knowledge_base(request):
    form = SearchForm(request.GET or None)
    filters = form.filters()
    if not search.allowed(request, filters):
        window = settings.TRANSFER_SEARCH_RATE_WINDOW_SECONDS
        context = {"form": form, "try_again": ratelimit.try_again_in_window(window)}
        response = render(request, "transfer/knowledge_base.html", context)
        return ratelimit.too_many(response, window, request)
    result = search.search(request.user, filters)
    page = (form.cleaned_data.get("page") if form.is_valid() else None) or 1
    pages = max(1, -(-result.total // search.PAGE_SIZE))
    page = min(page, pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transfer/knowledge_base.html",
        {
            "form": form,
            "result": result,
            "entries": search.page_of(result, page),
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
            "long_facet": LONG_FACET,
            "maturities": Maturity.choices,
        },
    )


def entry_detail(request, slug):
    entry = access.get_entry_for_user(request.user, slug)
    version = entry.published_version
    language = lang()
    services.count_use(entry, views=1)
    shown = services.shown_case_fields(entry, version)
    return render(
        request,
        "transfer/entry.html",
        {
            "entry": entry,
            "version": version,
            "language": language,
            "in_language": language in version.languages,
            "body": markup.render(version.text_in("body", language)),
            "evidence": markup.render(version.text_in("evidence", language)),
            "sources": markup.render(version.sources),
            "problem": version.text_in("problem", language),
            "case_fields": [
                (
                    label,
                    markup.render(
                        texts.get(language) or texts.get("en" if language == "de" else "de", "")
                    ),
                )
                for _name, label, texts in shown
            ],
            "attachments": entry.attachments.shown(),
            "sectors": entry.sectors.all(),
            "disciplines": entry.disciplines.all(),
            "maturity_steps": Maturity.choices,
            "may_edit": access.can_edit_entry(request.user, entry),
            "is_method": entry.kind == Kind.METHOD,
        },
    )


def attachment_download(request, slug, pk):
    attachment = get_object_or_404(
        EntryAttachment.objects.select_related("entry"), pk=pk, entry__slug=slug
    )
    if not access.can_download_attachment(request.user, attachment):
        raise Http404
    entry = attachment.entry
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if entry.is_published and attachment.change != EntryAttachment.Change.ADD:
        services.count_use(entry, downloads=1)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
