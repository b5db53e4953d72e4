"""One toolbox: the knowledge base's methods as matching's fitting methods, and the
entries that describe each of the check's recommendations."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from .models import Entry, Kind, Maturity, Visibility


def _both(text) -> dict[str, str]:
    out = {}
    for language in ("de", "en"):
        with translation.override(language):
            out[language] = str(text)
    return out


def public_methods():
    return (
        Entry.objects.published()
        .filter(kind=Kind.METHOD, visibility=Visibility.PUBLIC)
        .select_related("published_version")
        .order_by("pk")
    )


def method_entries():
    """Matching's method source: each public method of the knowledge base."""
    from humaine.matching.sources import MethodEntry

    for entry in public_methods():
        version = entry.published_version
        with translation.override("de"):
            url = reverse("transfer:entry", args=[entry.slug])
        yield MethodEntry(
            key=f"knowledge_base:{entry.pk}",
            source="knowledge_base",
            title={
                "de": version.title_de or version.title_en,
                "en": version.title_en or version.title_de,
            },
            summary={
                "de": version.summary_de or version.summary_en,
                "en": version.summary_en or version.summary_de,
            },
            url=url,
            label=_both(Maturity(version.maturity).label),
        )


_CACHE_ATTR = "_transfer_toolbox"


def _recommended(user) -> dict[str, list]:
    """``{recommendation id: [(entry, version)]}`` of the methods ``user`` may read.

    Computed once per user object (a request), since a check's result asks per
    recommendation.
    """
    from . import access

    cached = getattr(user, _CACHE_ATTR, None) if user is not None else None
    if cached is not None:
        return cached
    out: dict[str, list] = {}
    entries = (
        access.entries_visible_to(user).filter(kind=Kind.METHOD).exclude(recommendation_ids=[])
    )
    for entry in entries.select_related("published_version"):
        for rec_id in entry.recommendation_ids:
            out.setdefault(rec_id, []).append(entry)
    if user is not None:
        setattr(user, _CACHE_ATTR, out)
    return out


def method_pages(user, keys) -> dict:
    """The core's method pages: each check recommendation's entries in the knowledge base."""
    from humaine.core.methods import MethodPage

    wanted = [key for key in keys if key.startswith("check:")]
    if not wanted:
        return {}
    recommended = _recommended(user)
    out = {}
    for key in wanted:
        entries = recommended.get(key.split(":", 1)[1], [])
        if entries:
            out[key] = [
                MethodPage(e.published_version.title, e.get_absolute_url(),
                           str(Maturity(e.maturity).label) if e.maturity else "")
                for e in entries
            ]  # fmt: skip
    return out
