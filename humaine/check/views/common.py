"""Helpers the check's views share: who is acting, and the URLs of one check."""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from humaine.core.i18n import active_language

from .. import access
from ..catalogue import default_catalogue
from ..models import Check

OWNER_PAGES = (
    "overview", "invite", "profile", "result", "result_pdf", "result_json", "result_sharing",
)  # fmt: skip


lang = active_language


def actor_of(request, via: str) -> tuple[object, str | None]:
    """The audit's actor: the user, or for a private link a label saying how they came."""
    if request.user.is_authenticated:
        return request.user, None
    return None, via


@dataclass
class OwnerAccess:
    check: Check
    ref: dict  # {"pk": ...} or {"token": ...}: how this check's pages are addressed
    manage: bool
    actor: object
    actor_name: str | None

    @property
    def urls(self) -> dict:
        urls = {name: reverse(f"check:{name}", kwargs=self.ref) for name in OWNER_PAGES}
        for kind in Check.DOCUMENTS:
            urls[kind] = reverse("check:document", kwargs={**self.ref, "kind": kind})
            urls[f"{kind}_pdf"] = reverse("check:document_pdf", kwargs={**self.ref, "kind": kind})
        return urls


def owner_access(request, pk=None, token=None) -> OwnerAccess:
    """The check behind a private link (its holder owns it) or an id the user may see."""
    if token is not None:
        check = access.get_check_by_result_token(token)
        actor, name = actor_of(request, "check owner (private link)")
        return OwnerAccess(check, {"token": token}, True, actor, name)
    check = access.get_check_for_user(request.user, pk)
    return OwnerAccess(
        check, {"pk": check.pk}, access.can_manage_check(request.user, check), request.user, None
    )


def require_document(kind: str) -> None:
    if kind not in Check.DOCUMENTS:
        raise Http404


def document_title(kind: str) -> str:
    return default_catalogue().get("documents", kind).title.get(lang())


_SIZE = re.compile(r'^(<svg[^>]*?) width="[\d.]+" height="[\d.]+"')


def fluid_svg(svg: str) -> str:
    """Drop the chart's fixed size so it scales with the page (its viewBox stays)."""
    return _SIZE.sub(r"\1", svg, count=1)


CARDS_KEPT = 32  # lists of recommendation cards kept per process
_cards: OrderedDict = OrderedDict()
_cards_lock = threading.Lock()


def recommendation_cards(request, recommendations) -> SafeString:
    """The cards of ``recommendations`` (the catalogue's list, public and for respondents).

    Rendering every card is the dearest template of the public pages, and the list is the
    same for every visitor, so it is rendered once per process for each list, language and
    set of method pages the user may open (the only part of a card that depends on the
    user or the database), and the last ``CARDS_KEPT`` lists are kept. The catalogue
    changes only with a deploy, which starts new processes."""
    from humaine.core.methods import pages_for

    recommendations = tuple(recommendations)
    pages = pages_for(request.user, [f"check:{rec.id}" for rec in recommendations])
    key = (
        lang(),
        tuple(id(rec) for rec in recommendations),  # the entry keeps them: ids stay theirs
        tuple(sorted((name, tuple(shown)) for name, shown in pages.items())),
    )
    with _cards_lock:
        kept = _cards.get(key)
        if kept is not None:
            _cards.move_to_end(key)
            return kept[1]
    html = render_to_string(
        "check/_recommendation_list.html", {"recommendations": recommendations}, request=request
    )
    with _cards_lock:
        _cards[key] = (recommendations, html)
        while len(_cards) > CARDS_KEPT:
            _cards.popitem(last=False)
    return html
