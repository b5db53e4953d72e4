"""Search over the knowledge base: full text and the multilingual encoder, with facets.

Full text (:data:`ENTRY_INDEX`, PostgreSQL tsvector / SQLite FTS5 through
``core.fulltext``) runs over what readers may see of each version (titles, summaries and
``search_text``). The encoder matching uses embeds each published entry's short texts
(the kind ``knowledge`` in matching's store, one row per entry, refreshed after each
publication); its vectors let a German query find an entry written only in English.
Both are restricted to the entries the user may read before anything is ranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count

from humaine.contact.models import Discipline, Sector
from humaine.core import fulltext
from humaine.core.fulltext import FullTextIndex

from . import access
from .models import Entry, EntryDiscipline, EntryVersion, Kind, Maturity

ENTRY_INDEX = FullTextIndex(
    EntryVersion, ["title_de", "title_en", "summary_de", "summary_en", "search_text"]
)
KIND = "knowledge"
PAGE_SIZE = 20
# full-text and vector scores are mixed with these weights (each scaled to 0..1)
FULLTEXT_WEIGHT = 0.6
VECTOR_WEIGHT = 0.4
MAX_QUERY_LENGTH = 300


def indexed_entries():
    return Entry.objects.published().select_related("published_version")


def entry_text(entry: Entry) -> str:
    from .services.entries import embedding_text

    return embedding_text(entry)


def schedule_refresh(entry_id: int) -> None:
    """Re-embed one entry after the current transaction commits."""
    from humaine.matching import signals

    signals.schedule_refresh(KIND, entry_id)


def refresh_now(entry_ids) -> None:
    """Embed the given entries now (demo data, tests, the bench)."""
    from humaine.matching import store

    store.refresh_objects(KIND, list(entry_ids))


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Filters:
    query: str = ""
    kinds: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    maturities: list[int] = field(default_factory=list)

    def apply(self, queryset, skip: str = ""):
        if self.kinds and skip != "kind":
            queryset = queryset.filter(kind__in=self.kinds)
        if self.sectors and skip != "sector":
            queryset = queryset.filter(sectors__slug__in=self.sectors)
        if self.disciplines and skip != "discipline":
            queryset = queryset.filter(disciplines__code__in=self.disciplines)
        if self.maturities and skip != "maturity":
            queryset = queryset.filter(maturity__in=self.maturities)
        return queryset


@dataclass
class SearchResult:
    ids: list[int]  # every match, best first
    scores: dict[int, float]
    facets: dict[str, list[FacetOption]]
    filters: Filters

    @property
    def total(self) -> int:
        return len(self.ids)


def _vector_scores(query: str, allowed: set[int]) -> dict[int, float]:
    """Cosine of the query with each allowed entry's stored vector, above the threshold."""
    from humaine.matching import store

    matrix = store.matrices([KIND])[KIND]
    if not matrix.keys or not allowed:
        return {}
    vector = store.encoder_for(KIND).encode([query])[0]
    scores = matrix.matrix @ vector.astype(np.float32)
    threshold = settings.TRANSFER_SEARCH_MIN_SIMILARITY
    out = {}
    for position in np.flatnonzero(scores >= threshold):
        pk = int(matrix.keys[position])
        if pk in allowed:
            out[pk] = float(scores[position])
    return out


def _fulltext_scores(query: str, versions: dict[int, int]) -> dict[int, float]:
    """Full-text scores of the published versions (``{version id: entry id}``), per entry."""
    hits = fulltext.rank(
        ENTRY_INDEX, query, limit=len(versions) or 1, mode="all", among=list(versions)
    )
    return {versions[pk]: score for pk, score in hits if pk in versions}


def _rank(query: str, candidates) -> tuple[list[int], dict[int, float]]:
    versions = dict(candidates.values_list("published_version_id", "pk"))
    text = _fulltext_scores(query, versions)
    vectors = _vector_scores(query, set(versions.values()))
    top_text = max(text.values(), default=0.0) or 1.0
    scores = {
        pk: FULLTEXT_WEIGHT * text.get(pk, 0.0) / top_text + VECTOR_WEIGHT * vectors.get(pk, 0.0)
        for pk in set(text) | set(vectors)
    }
    return sorted(scores, key=lambda pk: (-scores[pk], pk)), scores


# the rate limit's scope of searches with a text (page and API count together)
RATE_SCOPE = "knowledge_search"


def allowed(request, filters: Filters) -> bool:
    """Whether the client's address may search now: a search with a text (ranked by meaning
    and full text) counts against ``TRANSFER_SEARCH_RATE_LIMIT`` per window, page and API
    together; browsing by filters alone does not."""
    from django.conf import settings

    from humaine.core import ratelimit

    if not (filters.query or "").strip():
        return True
    return ratelimit.allow_request(
        request,
        RATE_SCOPE,
        limit=settings.TRANSFER_SEARCH_RATE_LIMIT,
        window=settings.TRANSFER_SEARCH_RATE_WINDOW_SECONDS,
    )


def search(user, filters: Filters) -> SearchResult:
    """Every entry ``user`` may read that matches ``filters``, best first, with facet counts."""
    visible = access.entries_visible_to(user)
    query = (filters.query or "").strip()[:MAX_QUERY_LENGTH]
    matched = visible
    scores: dict[int, float] = {}
    if query and fulltext.terms_of(query):
        ids, scores = _rank(query, visible)
        matched = visible.filter(pk__in=ids)
    selected = filters.apply(matched)
    if scores:
        chosen = set(selected.values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in chosen]
    else:
        ordered = selected.order_by("-maturity", "-first_published_at", "-pk").distinct()
        ids = list(ordered.values_list("pk", flat=True))
    return SearchResult(ids, scores, facets(matched, filters), filters)


def _counts(queryset, column: str) -> dict:
    rows = queryset.order_by().values(column).annotate(n=Count("pk", distinct=True))
    return {row[column]: row["n"] for row in rows}


def facets(matched, filters: Filters) -> dict[str, list[FacetOption]]:
    """Per facet, each option's count among the matches under the other facets' filters."""
    kinds = _counts(filters.apply(matched, skip="kind"), "kind")
    maturities = _counts(filters.apply(matched, skip="maturity"), "maturity")
    sectors = _counts(filters.apply(matched, skip="sector"), "sectors__slug")
    within = filters.apply(matched, skip="discipline")
    disciplines = {
        row["code"]: row["n"]
        for row in EntryDiscipline.objects.filter(entry__in=within.values("pk"))
        .values("code")
        .annotate(n=Count("entry", distinct=True))
    }
    return {
        "kind": [
            FacetOption(value, str(label), kinds.get(value, 0), value in filters.kinds)
            for value, label in Kind.choices
        ],
        "maturity": [
            FacetOption(
                str(value), str(label), maturities.get(value, 0), value in filters.maturities
            )
            for value, label in Maturity.choices
        ],
        "sector": [
            FacetOption(s.slug, s.name, sectors.get(s.slug, 0), s.slug in filters.sectors)
            for s in Sector.objects.all()
        ],
        "discipline": [
            FacetOption(value, str(label), disciplines.get(value, 0), value in filters.disciplines)
            for value, label in Discipline.choices
        ],
    }


def page_of(result: SearchResult, number: int, size: int = PAGE_SIZE) -> list[Entry]:
    """The entries of one page of results, in their order, loaded in few queries."""
    start = max(0, (number - 1) * size)
    ids = result.ids[start : start + size]
    entries = Entry.objects.filter(pk__in=ids).for_list()
    by_id = {entry.pk: entry for entry in entries}
    return [by_id[pk] for pk in ids if pk in by_id]
