"""Helpers the check's views share: who is acting, and the URLs of one check."""

import re
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

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
