"""The match request: ranked experts, similar cases, fitting methods and a proposed team.

One function, :func:`find_matches`, serves the triage panel, ``GET
/api/v1/inquiries/{id}/matches`` and ``POST /api/v1/matching/preview``: a saved inquiry
and a previewed text take the same path. It finds candidates (the nearest stored vectors
and the database's full-text hits), loads what ranking needs, calls
``pipeline.match_inquiry``, and decides per viewer what each hit may show.
"""

import contextlib
import functools
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from humaine.contact.models import Expert, Inquiry
from humaine.core import fulltext, i18n

from . import access, lexicon, parties, sources, store
from .models import ConflictOverride, InquiryTeamSettings
from .pipeline import match_inquiry
from .ranking import (
    CaseRecord,
    EmbeddedText,
    ExpertProfile,
    Match,
    build_query,
    normalise_lexical,
    query_in,
    redact_case,
    top_k_by_vector,
)
from .sources import CaseSummary, MethodEntry
from .taxonomy import asking_words
from .teams import TeamProposal
from .text import content_terms, search_terms, stem

# candidates per kind: this many nearest by vector, and up to this many texts with
# all of the query's most specific words
CANDIDATES = 200
LEXICAL_HITS = 50
SPECIFIC_TERMS = 3
LIMIT = 10
METHODS = 5


def annotate_load(queryset):
    """Add ``load``: the hours per month of the expert's active assignments."""
    return queryset.annotate(
        load=Coalesce(Sum("assignments__hours_per_month", filter=Q(assignments__active=True)), 0)
    )


def free_hours(expert: Expert) -> int:
    load = getattr(expert, "load", None)
    if load is None:
        load = annotate_load(Expert.objects.filter(pk=expert.pk)).values_list("load", flat=True)[0]
    return max(0, expert.capacity_hours - load)


def lexical_query(text: str, size: int = fulltext.MAX_TERMS, *, asks: bool = True) -> str:
    """The words to search the full-text indexes for (at most ``size``).

    The words that ask for a discipline ("Betriebsrat", "AI Act", "emotion") come first
    (with ``asks``), then acronyms, then the longest content words, usually the most
    specific. SQLite's FTS5 does not stem, so inflections are cut off there first.
    """
    keep = _asking_words(text) if asks else []
    terms = search_terms(text, size, keep=keep)
    if connection.vendor == "sqlite":
        terms = [stem(term) for term in terms]
    return " ".join(terms)


def concept_query(text: str, language: str, size: int = fulltext.MAX_TERMS) -> str:
    """The words of the lexicon's terms, in German and English, of the concepts ``text``
    names in its own language: the keyword forms of all of them first, then their other
    terms (at most ``size`` words; "" without a lexicon or a concept).

    A profile in either language is read by the terms of its own language, so this
    full-text query crosses languages where the words of the inquiry cannot.
    """
    terms = lexicon.for_config(store.config().lexicon)
    if terms is None:
        return ""
    found = [terms.concepts[c] for c in terms.concepts_in(text, language)]
    phrases = [c.keyword(lang) for c in found for lang in ("de", "en")]
    phrases += [t for c in found for lang in ("de", "en") for t in c.terms[lang][1:]]
    words = [w for phrase in phrases for w in content_terms(phrase, 60) if len(w) >= 3]
    if connection.vendor == "sqlite":
        words = [stem(w) for w in words]
    return " ".join(list(dict.fromkeys(words))[:size])


@functools.lru_cache(maxsize=64)
def _asking_words(text: str) -> list[str]:
    # asked four times per request (two kinds, two queries)
    return asking_words(text, store.taxonomy())


# the text of a {"de": ..., "en": ...} dict in the active language
pick = i18n.pick


# --- the request and the outcome -----------------------------------------------------------


@dataclass(frozen=True)
class MatchInput:
    """What a match is computed from: a saved inquiry's or a previewed text."""

    text: str
    sector: str | None = None  # the hub's sector slug
    language: str | None = None
    organisation_id: int | None = None
    # (kind, pk) of the text itself, never its own similar case
    exclude: tuple[str, int] | None = None
    # its stored vectors, when current (saves encoding it again)
    embedded: EmbeddedText | None = None
    # its own hours per month per kind of place ({"consultation": 4}), where they differ
    slot_hours: dict | None = None

    @classmethod
    def for_inquiry(cls, inquiry: Inquiry) -> "MatchInput":
        text = sources.inquiry_text(inquiry)
        own = InquiryTeamSettings.objects.filter(inquiry=inquiry).values_list(
            "slot_hours", flat=True
        )
        return cls(
            text=text,
            sector=inquiry.sector.slug if inquiry.sector_id else None,
            language=inquiry.language,
            organisation_id=inquiry.organisation_id,
            exclude=("inquiry", inquiry.pk),
            embedded=store.current_vectors("inquiry", inquiry.pk, text),
            slot_hours=next(iter(own), None) or None,
        )


@dataclass
class ExpertHit:
    expert: Expert
    score: float
    contributions: dict
    reason: dict
    evidence: str
    free_hours: int
    # conflicts of interest with the inquiry, each with its reason
    conflicts: list = field(default_factory=list)
    # staff allowed them despite the conflicts (with a recorded reason)
    overridden: bool = False


@dataclass
class CaseHit:
    kind: str
    pk: int
    score: float
    reason: dict
    # whether the viewer may open the case; otherwise only that it exists and whom to ask
    visible: bool
    view: CaseSummary | None = None
    contact: str = ""


@dataclass
class MethodHit:
    entry: MethodEntry
    score: float


@dataclass
class ConflictView:
    code: str
    text: str


@dataclass
class Candidate:
    expert: Expert
    fit: float | None
    conflicts: list[ConflictView] = field(default_factory=list)
    overridden: bool = False


@dataclass
class Slot:
    """One place in the proposed team: its member and who could take it instead."""

    member: Candidate
    covers: list[str]
    reason: dict
    alternatives: list[Candidate]
    # "core" or "consultation", and the hours per month it books
    kind: str = "core"
    hours: int = 8


@dataclass
class UnmetView:
    label: str
    hard: bool
    available: bool
    # no_fit (nobody in the network fits it), no_capacity, conflict, not_chosen
    why: str = "not_chosen"


@dataclass
class TeamView:
    slots: list[Slot]
    unmet: list[UnmetView]
    flagged: list[Candidate]
    satisfied: bool
    method: str
    hours_per_member: int
    # the experts already on the inquiry's team (accepted earlier)
    current: list[int] = field(default_factory=list)
    # hours per month of each kind of place for this inquiry
    slot_hours: dict = field(default_factory=dict)


@dataclass
class MatchOutcome:
    language: str
    sector: str | None
    needs: dict
    experts: list[ExpertHit]
    cases: list[CaseHit]
    methods: list[MethodHit]
    team: TeamView | None
    # what the viewer may see: expert profiles and the team are for hub staff only
    shows_experts: bool


# --- candidates ----------------------------------------------------------------------------


def _nearest(matrix, query: EmbeddedText, k: int, skip: str | None = None) -> list[str]:
    if not matrix.keys:
        return []
    found = top_k_by_vector(query, matrix.matrix, k + (1 if skip else 0))
    keys = [matrix.keys[i] for i in found]
    return [key for key in keys if key != skip][:k]


def _lexical(index, text: str, nearest: set[int], skip: int | None = None):
    """Candidates and full-text scores from the database for one kind of indexed text.

    Ranking every match of a large table costs more than the whole request (on 100,000
    inquiries PostgreSQL needs about 0.6 s for an OR of a dozen words), so the database
    adds as candidates only the texts containing *all* of the most specific words
    (exact terms, names, abbreviations: what embeddings blur), and then scores every
    candidate, the nearest by vector included, for all the words.
    """
    if index is None:
        return nearest, {}
    specific = lexical_query(text, SPECIFIC_TERMS, asks=False)
    found = fulltext.rank(index, specific, limit=LEXICAL_HITS, mode="all") if specific else []
    pks = (nearest | {pk for pk, _ in found}) - {skip}
    words = lexical_query(text)
    scores = dict(fulltext.rank(index, words, limit=len(pks), among=pks)) if words else {}
    return pks, scores


def _expert_candidates(query, matrix, text):
    """Profiles of the candidate experts, read as plain values (no model instances), their
    full-text scores for the inquiry's words and for its concepts' terms (both scaled)."""
    nearest = {int(k) for k in _nearest(matrix, query.embedded, CANDIDATES)}
    pks, lexical = _lexical(sources.EXPERTS.fulltext, text, nearest)
    concepts = {}
    if float(store.config().lexicon.get("fulltext", 0.0)) > 0 and sources.EXPERTS.fulltext:
        words = concept_query(text, query.language)
        if words:
            concepts = dict(
                fulltext.rank(sources.EXPERTS.fulltext, words, limit=len(pks), among=pks)
            )
    rows = annotate_load(Expert.objects.filter(pk__in=pks, active=True)).values_list(
        "pk",
        "disciplines",
        "languages",
        "capacity_hours",
        "load",
        "person__organisation_id",
        "person__organisation__kind",
        "person__organisation__sector__slug",
        "person__organisation__name",
        "person__organisation__segment",
    )
    taxonomy = store.taxonomy()
    rows = {row[0]: row for row in rows}
    sectors: dict[int, list[str]] = {pk: [] for pk in rows}
    for pk, slug in Expert.sectors.through.objects.filter(expert_id__in=list(rows)).values_list(
        "expert_id", "sector__slug"
    ):
        sectors[pk].append(taxonomy.sector_key(slug) or slug)
    embedded = store.load_embedded("expert", rows, matrix=matrix)
    profiles, employers = [], {}
    for pk, row in rows.items():
        _pk, disciplines, languages, capacity, load, employer, kind, sector, name, segment = row
        if str(pk) not in embedded:
            continue
        employers[pk] = (
            parties.party_of(employer, name, kind, sector, segment, taxonomy) if employer else None
        )
        profiles.append(
            ExpertProfile(
                id=pk,
                embedded=embedded[str(pk)],
                disciplines=tuple(disciplines or ()),
                sectors=tuple(sorted(sectors[pk])),
                languages=tuple(languages or ()),
                free_hours=float(max(0, capacity - load)),
                employer=employer,
                employer_kind=kind or "",
                employer_sector=(taxonomy.sector_key(sector) or "") if sector else "",
            )
        )
    # scaled among the candidates ranked (a hit without vectors is not a candidate)
    ranked = {profile.id for profile in profiles}
    scaled = normalise_lexical({pk: lexical[pk] for pk in lexical if pk in ranked}, False)
    by_concept = normalise_lexical({pk: v for pk, v in concepts.items() if pk in ranked}, False)
    return profiles, scaled, by_concept, employers


def _experts_shown(pks) -> dict[int, Expert]:
    """The experts a staff viewer sees (ranked, team, alternatives), with their load."""
    return {
        e.pk: e
        for e in annotate_load(Expert.objects.filter(pk__in=set(pks))).select_related(
            "person__organisation"
        )
    }


def _case_candidates(query, matrices, text, exclude, viewer):
    records, lexical = [], {}
    taxonomy = store.taxonomy()
    for source in sources.CASE_SOURCES:
        skip = exclude[1] if exclude and exclude[0] == source.kind else None
        near = query_in(query, store.compared_in(source.kind), taxonomy).embedded
        keys = _nearest(matrices[source.kind], near, CANDIDATES, str(skip))
        pks, hits = _lexical(source.indexed.fulltext, text, {int(k) for k in keys}, skip)
        # Only cases the viewer may open are ranked: no score, rank or count shown to a
        # member is computed over another organisation's confidential cases.
        pks = set(pks) & source.visible(viewer, sorted(pks))
        facts = source.facts(sorted(pks))
        embedded = store.load_embedded(source.kind, facts, matrix=matrices[source.kind])
        ranked = set()
        for pk, fact in facts.items():
            if str(pk) in embedded:
                sector = taxonomy.sector_key(fact.sector) or fact.sector
                records.append(
                    CaseRecord((source.kind, pk), embedded[str(pk)], sector, source.kind)
                )
                ranked.add(pk)
        # scaled among the candidates ranked (a hit without vectors is not a candidate)
        found = normalise_lexical({pk: v for pk, v in hits.items() if pk in ranked}, False)
        lexical |= {(source.kind, pk): value for pk, value in found.items()}
    return records, lexical


# --- the request ---------------------------------------------------------------------------


_controller = None


def _one_blas_thread():
    """Run numpy's linear algebra on one thread for the duration of a request.

    The products here are small or memory-bound; with two BLAS threads on a busy two-core
    machine the threads wait for each other and a request takes longer, not shorter
    (bench/matching/speed.py: p95 about 260 ms with two threads, 190 ms with one).
    """
    global _controller
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return contextlib.nullcontext()
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def find_matches(request: MatchInput, viewer) -> MatchOutcome:
    """Rank experts, similar cases and methods for a text and propose a team.

    Everything the viewer may not see is left out or reduced here: expert profiles and
    the team for non-staff viewers, the text of cases the viewer may not open.
    """
    with _one_blas_thread():
        return _find_matches(request, viewer)


def _find_matches(request: MatchInput, viewer) -> MatchOutcome:
    encoder, config, taxonomy = store.query_encoder(), store.config(), store.taxonomy()
    sector = taxonomy.sector_key(request.sector)
    query = build_query(
        request.text,
        encoder,
        sector=sector,
        language=request.language,
        taxonomy=taxonomy,
        config=config,
        embedded=request.embedded,
    )
    kinds = ["expert", "method", *(source.kind for source in sources.CASE_SOURCES)]
    matrices = store.matrices(kinds)
    if not matrices["expert"].keys:
        from . import tasks

        tasks.ensure_current_encoder()
    profiles, expert_lexical, concept_lexical, employers = _expert_candidates(
        query, matrices["expert"], request.text
    )
    cases, case_lexical = _case_candidates(query, matrices, request.text, request.exclude, viewer)
    conflicts = parties.conflicts_for(
        [p.id for p in profiles],
        request.text,
        query.embedded,
        request.organisation_id,
        employers=employers,
    )
    overridden = frozenset()
    if request.exclude and request.exclude[0] == "inquiry":
        overridden = frozenset(
            ConflictOverride.objects.filter(inquiry_id=request.exclude[1]).values_list(
                "expert_id", flat=True
            )
        )
    result = match_inquiry(
        request.text,
        encoder,
        profiles,
        cases,
        sector=sector,
        language=query.language,
        conflicts=conflicts,
        overridden=overridden,
        slot_hours=request.slot_hours,
        expert_lexical=expert_lexical,
        case_lexical=case_lexical,
        concept_lexical=concept_lexical,
        config=config,
        taxonomy=taxonomy,
        limit=LIMIT,
        query=query,
    )
    staff = access.can_see_expert_matches(viewer)
    experts = _experts_shown(_shown_ids(result)) if staff else {}
    return MatchOutcome(
        language=query.language,
        sector=sector,
        needs=dict(sorted(query.needs.items(), key=lambda kv: -kv[1])),
        experts=_expert_hits(result.experts, experts, staff, conflicts, overridden),
        cases=_case_hits(result.cases, viewer),
        methods=_method_hits(
            query_in(query, store.compared_in("method"), taxonomy), matrices["method"]
        ),
        team=_team_view(result.team, experts, config, request) if staff else None,
        shows_experts=staff,
    )


def _shown_ids(result) -> list:
    ids = [m.id for m in result.experts]
    for member in result.team.members:
        ids += [member.id, *(a.id for a in member.alternatives)]
    return ids + [pk for pk, _ in result.team.flagged]


def _expert_hits(
    matches: list[Match], experts: dict, staff: bool, conflicts: dict, overridden
) -> list[ExpertHit]:
    if not staff:
        return []
    return [
        ExpertHit(
            expert=experts[m.id],
            score=m.score,
            contributions=dict(m.contributions),
            reason=dict(m.reason),
            evidence=m.evidence,
            free_hours=max(0, experts[m.id].capacity_hours - experts[m.id].load),
            conflicts=[_conflict_view(c) for c in conflicts.get(m.id, ())],
            overridden=m.id in overridden and bool(conflicts.get(m.id)),
        )
        for m in matches
    ]


def _case_hits(matches: list[Match], viewer) -> list[CaseHit]:
    hits = []
    by_kind = {source.kind: source for source in sources.CASE_SOURCES}
    for kind, source in by_kind.items():
        pks = [m.id[1] for m in matches if m.id[0] == kind]
        if not pks:
            continue
        visible = source.visible(viewer, pks)
        views = source.describe(sorted(visible))
        contacts = source.contacts(sorted(set(pks) - visible))
        for m in matches:
            if m.id[0] != kind:
                continue
            pk = m.id[1]
            if pk in visible:
                hits.append(CaseHit(kind, pk, m.score, dict(m.reason), True, views.get(pk)))
            else:
                hidden = redact_case(m)
                hits.append(
                    CaseHit(
                        kind,
                        pk,
                        hidden.score,
                        dict(hidden.reason),
                        False,
                        None,
                        contacts.get(pk, ""),
                    )
                )
    hits.sort(key=lambda h: -h.score)
    return hits


def _method_hits(query, matrix) -> list[MethodHit]:
    if not matrix.keys:
        from . import tasks

        tasks.ensure_method_embeddings()
        return []
    entries = sources.method_entries()
    scores = matrix.matrix @ query.embedded.vectors[0]
    order = np.argsort(-scores, kind="stable")
    hits = []
    for i in order:
        entry = entries.get(matrix.keys[i])
        if entry is not None:
            hits.append(MethodHit(entry, round(float(scores[i]), 6)))
        if len(hits) >= METHODS:
            break
    return hits


def _team_view(proposal: TeamProposal, experts: dict, config, request: MatchInput) -> TeamView:
    def candidate(pk: Hashable, fit: float | None, conflicts, overridden=False) -> Candidate:
        return Candidate(experts[pk], fit, [_conflict_view(c) for c in conflicts], overridden)

    labels = {r["key"]: r.get("label") or {} for r in config.team.get("requirements") or []}
    slots = [
        Slot(
            member=candidate(m.id, m.fit, m.conflicts, m.overridden),
            covers=[pick(labels.get(key) or _discipline_label(key)) for key in m.covers],
            reason=dict(m.reason),
            alternatives=[
                candidate(a.id, a.fit, a.conflicts, a.overridden) for a in m.alternatives
            ],
            kind=m.slot,
            hours=int(m.hours),
        )
        for m in proposal.members
    ]
    current = []
    if request.exclude and request.exclude[0] == "inquiry":
        current = list(
            Expert.objects.filter(
                assignments__inquiry_id=request.exclude[1], assignments__active=True
            ).values_list("pk", flat=True)
        )
    return TeamView(
        slots=slots,
        unmet=[UnmetView(pick(u.label), u.hard, u.available, u.why) for u in proposal.unmet],
        flagged=[candidate(pk, None, found) for pk, found in proposal.flagged],
        satisfied=proposal.satisfied,
        method=proposal.method,
        hours_per_member=int(proposal.slot_hours.get("core", 8)),
        current=current,
        slot_hours={k: int(v) for k, v in proposal.slot_hours.items()},
    )


def _discipline_label(key: str) -> dict:
    # soft slots added for a needed discipline are keyed "discipline:<code>"
    code = key.split(":", 1)[-1]
    concept = store.taxonomy().disciplines.get(code)
    return dict(concept.label) if concept else {"de": code, "en": code}


def _conflict_view(conflict) -> ConflictView:
    return ConflictView(conflict.code, pick(conflict.reason))
