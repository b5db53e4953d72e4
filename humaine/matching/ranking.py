"""Hybrid ranking of experts and past cases for one inquiry.

Every function here is pure: the caller (the Django side, or the bench) supplies the
candidates with their stored vectors, the full-text scores its database computed, and the
structured facts; nothing is read or written here.

The score of a candidate is

    score = similarity                                  (multilingual embeddings: the backbone)
          + lexical_weight * (effective_lexical - mean)   (bounded, language-neutral boost)
          + discipline_weight * discipline + sector_weight * sector
          + language_weight * language + capacity_weight * capacity

* ``similarity`` compares the inquiry with the whole profile and with its best-matching
  segment (mean of the two), so one fitting sentence in a long profile counts.
* ``lexical`` is the database's full-text score scaled to [0, 1] for this query. A lexical
  ranker cannot cross languages: a German inquiry never matches an English profile, and
  that absence says nothing about relevance. So a candidate's lexical score counts only
  for the share of its text in the query's language (``reach``); for the rest the score is
  imputed from candidates the ranker can read that have the same embedding similarity.
  The boost is centred and bounded by ``lexical_weight``: candidates whose similarities
  differ by more than that keep their embedding order, a candidate in the other language
  is treated like one in the query's language with the same similarity, and when the
  ranker can read nothing the ranking is exactly the embedding ranking. Naive fusion
  (adding raw lexical scores or reciprocal ranks) instead demotes every relevant
  candidate in the other language. See docs/matching.md for the argument.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from humaine.core.text import squash
from humaine.matching import lexicon, reranker
from humaine.matching.config import MatchingConfig, load_config
from humaine.matching.coverage import (
    Aspect,
    Stack,
    aspect_fits,
    best_aspect,
    query_aspects,
    scaled,
    stacked_similarities,
    topical_gate,
    xquad,
)
from humaine.matching.encoders import (
    Encoder,
    first_part,
    part_rows,
)
from humaine.matching.taxonomy import Taxonomy, asked, infer
from humaine.matching.text import LANGUAGES, detect_language, language_shares, segments

EVIDENCE_CHARS = 140
# how many directions of language (not topic) the centred similarities remove
LANGUAGE_AXES = 3
LANGUAGE_NAMES = {
    "de": {"de": "Deutsch", "en": "German"},
    "en": {"de": "Englisch", "en": "English"},
}


@dataclass(frozen=True, eq=False)
class EmbeddedText:
    """A text's stored vectors: row 0 embeds the whole text, row i the segment i-1.

    Compute once with :func:`embed_texts`, store with :meth:`to_record`, and refresh when
    the text or the encoder changes (``text.fingerprint``).
    """

    vectors: np.ndarray
    segments: tuple[str, ...]
    language: Mapping[str, float]

    def to_record(self) -> dict:
        """Return a JSON- and database-friendly dict (vectors as float32 bytes)."""
        return {
            "vectors": np.ascontiguousarray(self.vectors, dtype=np.float32).tobytes(),
            "dim": int(self.vectors.shape[1]),
            "segments": list(self.segments),
            "language": dict(self.language),
        }

    @classmethod
    def from_record(cls, record: Mapping) -> "EmbeddedText":
        vectors = np.frombuffer(record["vectors"], dtype=np.float32).reshape(-1, record["dim"])
        return cls(vectors, tuple(record["segments"]), dict(record["language"]))


def embed_texts(
    texts: Sequence[str], encoder: Encoder, config: MatchingConfig | None = None
) -> list[EmbeddedText]:
    """Embed many texts in one encoder call: each whole text and each of its segments,
    each row pulled towards its concepts' keywords in both languages (:func:`glossed`,
    with the ``lexicon`` of ``config``, default: the hub's defaults).

    >>> from humaine.matching.encoders import HashingEncoder
    >>> [doc] = embed_texts(["Claims handling. Acceptance of AI tools."], HashingEncoder(64))
    >>> doc.vectors.shape, doc.segments
    ((3, 64), ('Claims handling.', 'Acceptance of AI tools.'))
    """
    return [embedded for embedded, _plain in _embed(texts, encoder, config or load_config())]


def _embed(texts, encoder, config) -> list[tuple[EmbeddedText, np.ndarray]]:
    """Each text's stored vectors (glossed) and its rows as the encoder gives them."""
    terms = lexicon.for_config(config.lexicon)
    weight = float(config.lexicon.get("weight", 0.0)) if terms is not None else 0.0
    pieces = [[text, *(segments(text) or [text])] for text in texts]
    flat = [p for group in pieces for p in group]
    glosses = {p: terms.gloss(p) for p in dict.fromkeys(flat)} if weight > 0 else {}
    unique = dict.fromkeys([*flat, *(g for g in glosses.values() if g)])
    rows = dict(zip(unique, encoder.encode(list(unique)))) if unique else {}
    out = []
    for text, group in zip(texts, pieces):
        plain = np.stack([rows[p] for p in group]).astype(np.float32)
        vectors = glossed(
            plain, [rows[glosses[p]] if glosses.get(p) else None for p in group], weight
        )
        out.append((EmbeddedText(vectors, tuple(group[1:]), language_shares(text)), plain))
    return out


def glossed(rows: np.ndarray, glosses: Sequence[np.ndarray | None], weight: float) -> np.ndarray:
    """Each row plus ``weight`` times its gloss's vector (None: no gloss), unit length again.

    A text's gloss (``lexicon.Lexicon.gloss``) names the concepts it speaks of in German
    and English keyword form ("Betriebsrat works council"). It is the same whichever
    language the text is written in, so it pulls a German and an English text on one topic
    towards the same point: a profile in the other language loses less to the encoder's
    same-language bias, across the inquiry's parts and the profiles' segments alike.

    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    >>> moved = glossed(rows, [np.array([0.0, 1.0], dtype=np.float32), None], 1.0)
    >>> moved.astype(float).round(3).tolist()
    [[0.707, 0.707], [0.0, 1.0]]
    """
    if weight <= 0 or not any(g is not None for g in glosses):
        return rows
    rows = np.array(rows, dtype=np.float32, copy=True)
    for i, gloss in enumerate(glosses):
        if gloss is not None:
            rows[i] = rows[i] + weight * gloss
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def vector_space(encoder: Encoder, config: MatchingConfig | None = None) -> str:
    """The name of the space stored vectors live in: the encoder's, and the lexicon's
    file and weight when texts are glossed (``text.fingerprint`` hashes it, so changing
    the lexicon makes stored vectors stale: run ``rebuild_matching_index``)."""
    config = config or load_config()
    terms = lexicon.for_config(config.lexicon)
    weight = float(config.lexicon.get("weight", 0.0))
    if terms is None or weight <= 0:
        return encoder.name
    return f"{encoder.name}+lexicon:{terms.signature}:{weight:g}"


@dataclass(frozen=True)
class ExpertProfile:
    """What ranking and team forming need to know about one expert."""

    id: Hashable
    embedded: EmbeddedText
    disciplines: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    free_hours: float = 0.0
    employer: Hashable | None = None
    employer_kind: str = ""
    employer_sector: str = ""


@dataclass(frozen=True)
class CaseRecord:
    """What ranking needs to know about one past inquiry or scenario."""

    id: Hashable
    embedded: EmbeddedText
    sector: str = ""
    kind: str = "inquiry"


@dataclass(frozen=True)
class MatchQuery:
    """An inquiry prepared for matching: its vectors, language, and what it needs."""

    text: str
    language: str
    embedded: EmbeddedText
    needs: Mapping[str, float]
    sectors: Mapping[str, float]
    sector: str | None = None
    hours_needed: float = 8.0
    # its parts: segments and explicitly asked disciplines (``coverage.query_aspects``)
    aspects: tuple[Aspect, ...] = ()
    # the disciplines it asks for explicitly
    asked: tuple[str, ...] = ()
    # the encoder's directions of language rather than topic (``Taxonomy.language_axes``)
    language_axes: np.ndarray | None = None


@dataclass(frozen=True)
class Match:
    """One ranked candidate with the parts of its score and a reason in German and English."""

    id: Hashable
    score: float
    contributions: Mapping[str, float]
    evidence: str = ""
    reason: Mapping[str, str] = field(default_factory=dict)
    # the best similarity to the inquiry or one of its parts (team forming's fit floor)
    topical: float = 1.0


def build_query(
    text: str,
    encoder: Encoder,
    *,
    sector: str | None = None,
    language: str | None = None,
    taxonomy: Taxonomy | None = None,
    config: MatchingConfig | None = None,
    hours_needed: float | None = None,
    embedded: EmbeddedText | None = None,
) -> MatchQuery:
    """Prepare an inquiry: embed it and infer the disciplines and sectors it needs.

    Pass ``embedded`` when the text's vectors are already stored (same encoder and
    lexicon: ``vector_space``).

    The inquiry's own ``sector`` field counts fully; without one (or with ``"other"``)
    the sectors its text points to are used. The hub's baseline needs (what every
    human-centred project needs) are a floor under the inferred ones.
    """
    taxonomy = taxonomy or default_taxonomy()
    config = config or load_config()
    need_encoder = first_part(encoder)
    if embedded is None:
        [(embedded, plain)] = _embed([text], encoder, config)
        plain = part_rows(plain, need_encoder)
    elif vector_space(encoder, config) != encoder.name:
        # stored rows are glossed: the needs are told from the text's own rows
        plain = need_encoder.encode([text, *(embedded.segments or (text,))])
    else:
        plain = part_rows(embedded.vectors, need_encoder)
    # the prototypes' scale (``taxonomy``) is the encoder's own: no gloss here
    inferred = infer(text, plain, taxonomy, "disciplines", need_encoder)
    pieces = embedded.segments or (text,)
    asks = tuple(asked(list(pieces), taxonomy))
    needs = {
        key: max(value, config.baseline_needs.get(key, 0.0), 1.0 if key in asks else 0.0)
        for key, value in inferred.items()
    }
    if sector and sector in taxonomy.sectors:
        wanted = {sector: 1.0}
    else:
        scores = infer(text, plain, taxonomy, "sectors", need_encoder)
        wanted = {k: v for k, v in scores.items() if v >= config.need_threshold}
    hours = config.team.get("hours_per_member", 8) if hours_needed is None else hours_needed
    return MatchQuery(
        text=text,
        language=language or detect_language(text),
        embedded=embedded,
        needs=needs,
        sectors=wanted,
        sector=sector,
        hours_needed=float(hours),
        aspects=query_aspects(pieces, taxonomy, float(config.coverage.get("ask_weight", 1.0))),
        asked=asks,
        language_axes=taxonomy.language_axes(encoder, LANGUAGE_AXES),
    )


def query_in(query: MatchQuery, encoder: Encoder, taxonomy: Taxonomy) -> MatchQuery:
    """``query`` in ``encoder``'s space, the first part of the encoder it was built with
    (``encoders.part_rows``): how cases, methods and the knowledge base are compared when
    the hub's encoder is combined. The same query when it is already of that width.

    >>> from humaine.matching.encoders import CombinedEncoder, HashingEncoder
    >>> first, taxonomy = HashingEncoder(16), default_taxonomy()
    >>> both = CombinedEncoder([first, HashingEncoder(8)], [1, 1])
    >>> query = build_query("Claims handling with AI.", both, taxonomy=taxonomy)
    >>> query_in(query, first, taxonomy).embedded.vectors.shape[1]
    16
    """
    if query.embedded.vectors.shape[1] == encoder.dim:
        return query
    embedded = query.embedded
    return replace(
        query,
        embedded=EmbeddedText(
            part_rows(embedded.vectors, encoder), embedded.segments, embedded.language
        ),
        language_axes=taxonomy.language_axes(encoder, LANGUAGE_AXES),
    )


_TAXONOMY: Taxonomy | None = None


def default_taxonomy() -> Taxonomy:
    global _TAXONOMY
    if _TAXONOMY is None:
        _TAXONOMY = Taxonomy.load()
    return _TAXONOMY


# --- signals ---------------------------------------------------------------------------


def similarity(query: EmbeddedText, doc: EmbeddedText) -> tuple[float, int, int]:
    """Return the embedding similarity of a document to the query, with the index of the
    document segment and of the query segment that match best.

    The similarity is the mean of whole-text cosine and the cosine of the query with the
    document's best segment.
    """
    q, d = query.vectors, doc.vectors
    whole = float(q[0] @ d[0])
    by_segment = d[1:] @ q[0] if len(d) > 1 else np.array([whole])
    best = int(np.argmax(by_segment))
    query_segment = int(np.argmax(q[1:] @ d[0])) if len(q) > 1 else 0
    return 0.5 * whole + 0.5 * float(by_segment[best]), best, query_segment


def reach(query_language: Mapping[str, float], doc_language: Mapping[str, float]) -> float:
    """Share of a document a lexical ranker can see for this query: the probability that a
    query word and a document word are in the same language.

    >>> reach({"de": 1.0, "en": 0.0}, {"de": 0.0, "en": 1.0})
    0.0
    """
    return float(sum(query_language.get(x, 0.0) * doc_language.get(x, 0.0) for x in LANGUAGES))


def normalise_lexical(scores: Mapping[Hashable, float], lower_is_better: bool) -> dict:
    """Scale a database's full-text scores to [0, 1] for one query (best match = 1).

    Use ``lower_is_better=True`` for SQLite FTS5 ``bm25()`` (negative, lower is better)
    and ``False`` for PostgreSQL ``ts_rank``/``ts_rank_cd``.

    >>> normalise_lexical({"a": -4.0, "b": -1.0}, lower_is_better=True)
    {'a': 1.0, 'b': 0.25}
    """
    signed = {k: (-v if lower_is_better else v) for k, v in scores.items()}
    top = max((v for v in signed.values() if v > 0), default=0.0)
    if top <= 0:
        return dict.fromkeys(signed, 0.0)
    return {k: max(0.0, v) / top for k, v in signed.items()}


def expected_lexical(
    similarity_: np.ndarray, lexical: np.ndarray, reach_: np.ndarray
) -> np.ndarray:
    """Predict the lexical score each candidate would get if the lexical ranker could read
    it: a least-squares line of lexical on embedding similarity over the candidates it can
    read (weighted by reach), never decreasing; the plain mean when there are too few."""
    seen = reach_ > 0
    if seen.sum() == 0:
        return np.zeros_like(lexical)
    mean = float((reach_ * lexical).sum() / reach_.sum())
    x, y, w = similarity_[seen], lexical[seen], reach_[seen]
    x_mean = float((w * x).sum() / w.sum())
    spread = float((w * (x - x_mean) ** 2).sum())
    if seen.sum() < 3 or spread <= 1e-12:
        return np.full_like(lexical, mean)
    slope = max(0.0, float((w * (x - x_mean) * (y - mean)).sum()) / spread)
    return np.clip(mean + slope * (similarity_ - x_mean), 0.0, 1.0)


def lexical_boost(
    lexical: np.ndarray, reach_: np.ndarray, weight: float, similarity_: np.ndarray
) -> np.ndarray:
    """Turn per-candidate lexical scores in [0, 1] into bounded, language-neutral boosts.

    The part of a candidate the lexical ranker cannot read (``1 - reach``: text in the
    other language) is not scored 0 but imputed by :func:`expected_lexical`, the score
    candidates it can read get at the same embedding similarity. The effective score is
    centred on the candidates' mean and scaled by ``weight``. Hence

    * every boost lies in ``[-weight, weight]``: candidates whose similarities differ by
      more than ``weight`` keep their embedding order;
    * when the lexical ranker can read no candidate, or matches nothing, or all
      candidates are in the other language, the boost is a non-decreasing function of the
      similarity and the ranking is exactly the embedding ranking;
    * a candidate in the other language is treated like one in the query's language with
      the same similarity, so lexical evidence cannot favour the query's language as such.

    >>> boost = lexical_boost(np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0, 0.0]), 0.1,
    ...                       np.array([0.5, 0.4, 0.45]))
    >>> [round(float(b), 3) for b in boost]
    [0.05, -0.05, 0.0]
    """
    lexical = np.clip(np.asarray(lexical, dtype=float), 0.0, 1.0)
    reach_ = np.clip(np.asarray(reach_, dtype=float), 0.0, 1.0)
    similarity_ = np.asarray(similarity_, dtype=float)
    if weight == 0 or len(lexical) == 0:
        return np.zeros_like(lexical)
    effective = reach_ * lexical + (1 - reach_) * expected_lexical(similarity_, lexical, reach_)
    return weight * (effective - effective.mean())


def discipline_signal(needs: Mapping[str, float], disciplines: Sequence[str]) -> float:
    """How strongly the inquiry needs the expert's best-fitting discipline (0 to 1)."""
    return max((needs.get(d, 0.0) for d in disciplines), default=0.0)


def sector_signal(wanted: Mapping[str, float], sectors: Sequence[str]) -> float:
    """Whether the candidate knows a sector the inquiry is about (weighted, 0 to 1)."""
    return max((wanted.get(s, 0.0) for s in sectors), default=0.0)


def language_signal(language: str, languages: Sequence[str]) -> float:
    """1 if the expert speaks the inquiry's language, 0 if not, 0.5 if unknown."""
    if not languages:
        return 0.5
    return 1.0 if language in languages else 0.0


def capacity_signal(free_hours: float, hours_needed: float) -> float:
    """Share of the hours a project needs that the expert has free (0 to 1)."""
    if hours_needed <= 0:
        return 1.0
    return float(np.clip(free_hours / hours_needed, 0.0, 1.0))


# --- ranking ---------------------------------------------------------------------------


def _text_parts(query: MatchQuery, docs: Sequence[EmbeddedText], ids, lexical, weight):
    sims = [similarity(query.embedded, d) for d in docs]
    backbone = np.array([s for s, _, _ in sims])
    lex = np.array([float((lexical or {}).get(i, 0.0)) for i in ids])
    query_language = query.embedded.language
    reaches = np.array([reach(query_language, d.language) for d in docs])
    boost = lexical_boost(lex, reaches, weight, backbone)
    return sims, backbone, boost


# The signals of an expert for an inquiry, one column each (``expert_signals``); the learned
# ranker (``reranker``) weighs them, the hand-set fusion uses some of them.
EXPERT_SIGNALS = (
    "whole",  # cosine of the whole inquiry with the whole profile
    "best_segment",  # cosine of the whole inquiry with the profile's best segment
    "best_part",  # best similarity to one part (segment) of the inquiry
    "mean_part",  # mean similarity over the inquiry's parts
    "part_lead",  # how far behind the best candidate of the part they fit best (0: ahead)
    "lead",  # how far the fused similarity is behind the best candidate's (0: the best)
    "lexical",  # full-text evidence, bounded and language-neutral (centred on the candidates)
    "need",  # how strongly the inquiry needs the expert's discipline (gated by topical fit)
    "asked",  # the expert has a discipline the inquiry asks for explicitly (gated)
    "coverage",  # how much of the inquiry's parts the expert covers (aspect weight x fit)
    "sector",  # experience in the inquiry's sector (gated)
    "language",  # speaks the inquiry's language (1), not (0), unknown (0.5)
    "other_language",  # share of the profile in the other language (the encoder's bias)
    "capacity",  # share of the needed hours free
    "part_rank",  # 1 / log2(1 + rank) among the candidates on the part they rank best for
    "whole_rank",  # 1 / log2(1 + rank) among the candidates by the whole texts
    "asked_fit",  # how well they fit a part that asks for a discipline of theirs
    "cross_whole",  # whole-text cosine of a profile in the other language
    "whole_centred",  # "whole" without the encoder's directions of language
    "part_centred",  # "best_part" without them
    "discipline_rank",  # part_rank among the candidates of the expert's own discipline
)
# which part of a Match's contributions each signal counts towards
SIGNAL_GROUPS = {
    "whole": "embedding",
    "best_segment": "embedding",
    "best_part": "embedding",
    "mean_part": "embedding",
    "part_lead": "embedding",
    "lead": "embedding",
    "coverage": "embedding",
    "other_language": "embedding",
    "lexical": "lexical",
    "need": "discipline",
    "asked": "discipline",
    "sector": "sector",
    "language": "language",
    "capacity": "capacity",
    "part_rank": "embedding",
    "whole_rank": "embedding",
    "asked_fit": "discipline",
    "cross_whole": "embedding",
    "whole_centred": "embedding",
    "part_centred": "embedding",
    "discipline_rank": "embedding",
}


@dataclass(frozen=True, eq=False)
class ExpertSignals:
    """Every signal of each candidate expert for one inquiry, with what the reasons and
    the coverage re-ranking need. ``values`` has one row per expert, one column per name
    in :data:`EXPERT_SIGNALS`."""

    values: np.ndarray
    # the hand-set fusion's similarity: whole text and best segment, with ``part_weight``
    # of the best part
    backbone: np.ndarray
    topical: np.ndarray
    fits: np.ndarray
    evidence: tuple[int, ...]
    similarity: tuple[float, ...]

    def column(self, name: str) -> np.ndarray:
        return self.values[:, EXPERT_SIGNALS.index(name)]


def expert_signals(
    query: MatchQuery,
    experts: Sequence[ExpertProfile],
    lexical: Mapping[Hashable, float] | None,
    config: MatchingConfig,
    *,
    concept_lexical: Mapping[Hashable, float] | None = None,
) -> ExpertSignals:
    """Compute every signal of each expert for the inquiry (pure; see EXPERT_SIGNALS).

    ``concept_lexical`` are full-text scores (scaled like ``lexical``) of a query made of
    the lexicon's terms, in both languages, of the concepts the inquiry names
    (``matches.concept_query``): a profile in either language is read by the terms of
    its own language, so this evidence crosses languages. ``lexicon.fulltext`` of the
    settings is its share of the ``lexical`` signal (centred like the rest).
    """
    docs = [e.embedded for e in experts]
    q = query.embedded.vectors
    # all profiles' rows in one matrix: one product scores every row against the inquiry
    stack = Stack.of([d.vectors for d in docs])
    (whole_rows, best_rows), by_part = stacked_similarities(q, stack)
    whole = whole_rows[:, 0].astype(float)
    best_segment = best_rows[:, 0].astype(float)
    to_whole = stack.rows @ q[0]
    best_index = [
        int(np.argmax(to_whole[start + 1 : start + size])) if size > 1 else 0
        for start, size in zip(stack.starts, stack.sizes)
    ]
    similarity_ = 0.5 * whole + 0.5 * best_segment
    by_part = by_part.astype(float)
    best_part = by_part.max(axis=1)
    part_weight = float(config.coverage.get("part_weight", 0.0))
    backbone = (1 - part_weight) * similarity_ + part_weight * best_part
    topical = np.maximum(backbone, best_part)
    gate = topical_gate(topical, config.topical)
    lex = np.array([float((lexical or {}).get(e.id, 0.0)) for e in experts])
    reaches = np.array([reach(query.embedded.language, d.language) for d in docs])
    effective = lexical_boost(lex, reaches, 1.0, similarity_)
    share = float(config.lexicon.get("fulltext", 0.0)) if concept_lexical else 0.0
    if share > 0 and max(concept_lexical.values(), default=0.0) > 0:
        concept = np.array([float(concept_lexical.get(e.id, 0.0)) for e in experts])
        concept = np.clip(concept, 0.0, 1.0)
        effective = (1 - share) * effective + share * (concept - concept.mean())
    fits = aspect_fits(
        by_part,
        query.aspects,
        [frozenset(e.disciplines) for e in experts],
        float(config.coverage.get("floor", 0.15)),
        config.coverage.get("full"),
    )
    weights = np.array([a.weight for a in query.aspects])
    asks = set(query.asked)
    asked_columns = [k for k, a in enumerate(query.aspects) if a.disciplines]
    columns = {
        "whole": whole,
        "best_segment": best_segment,
        "best_part": best_part,
        "mean_part": by_part.mean(axis=1),
        "part_lead": (by_part - by_part.max(axis=0)).max(axis=1),
        "lead": backbone - backbone.max(),
        "lexical": effective,
        "need": gate * np.array([discipline_signal(query.needs, e.disciplines) for e in experts]),
        "asked": gate * np.array([float(bool(asks & set(e.disciplines))) for e in experts]),
        "coverage": fits @ weights if len(weights) else np.zeros(len(experts)),
        "sector": gate * np.array([sector_signal(query.sectors, e.sectors) for e in experts]),
        "language": np.array([language_signal(query.language, e.languages) for e in experts]),
        "other_language": 1.0 - reaches,
        "capacity": np.array([capacity_signal(e.free_hours, query.hours_needed) for e in experts]),
        "part_rank": _rank_gain(by_part).max(axis=1),
        "whole_rank": _rank_gain(whole[:, None])[:, 0],
        "asked_fit": fits[:, asked_columns].max(axis=1)
        if asked_columns
        else np.zeros(len(experts)),
        "cross_whole": whole * (1.0 - reaches),
        "discipline_rank": _discipline_rank(by_part, [e.disciplines for e in experts]),
        **_centred(q, stack, query.language_axes),
    }
    return ExpertSignals(
        values=np.column_stack([columns[name] for name in EXPERT_SIGNALS]).astype(float),
        backbone=backbone,
        topical=topical,
        fits=fits,
        evidence=tuple(best_index),
        similarity=tuple(float(s) for s in similarity_),
    )


def _without(vectors: np.ndarray, axes: np.ndarray) -> np.ndarray:
    """Rows without their components along ``axes`` (orthonormal), unit length again."""
    rest = vectors - (vectors @ axes.T) @ axes
    norms = np.linalg.norm(rest, axis=1, keepdims=True)
    return rest / np.where(norms > 0, norms, 1.0)


def _centred(q: np.ndarray, stack: Stack, axes) -> dict[str, np.ndarray]:
    """Whole-text and best-part similarity with the directions of language removed."""
    if axes is not None and len(axes):
        q = _without(q, axes)
        stack = Stack(_without(stack.rows, axes), stack.starts, stack.sizes)
    (whole, _best), by_part = stacked_similarities(q, stack)
    return {
        "whole_centred": whole[:, 0].astype(float),
        "part_centred": by_part.max(axis=1).astype(float),
    }


def _rank_gain(scores: np.ndarray) -> np.ndarray:
    """Per column, 1 / log2(1 + rank) of each row (rank 1 = highest score)."""
    ranks = np.empty_like(scores, dtype=float)
    order = np.argsort(-scores, axis=0, kind="stable")
    for column in range(scores.shape[1]):
        ranks[order[:, column], column] = np.arange(1, scores.shape[0] + 1)
    return 1.0 / np.log2(1.0 + ranks)


def _discipline_rank(by_part: np.ndarray, disciplines: Sequence[Sequence[str]]) -> np.ndarray:
    """Per candidate, 1 / log2(1 + rank) among the candidates sharing one of their
    disciplines, on the part of the inquiry they rank best for (0 without a discipline).

    Which lawyer, of all lawyers, fits this inquiry's legal question best: an explicitly
    asked discipline brings every one of its experts near the top, and the similarity to
    the whole network does not tell them apart as well as the order among themselves.

    >>> parts = np.array([[0.5, 0.1], [0.4, 0.3], [0.2, 0.2]])
    >>> _discipline_rank(parts, [("law",), ("law",), ("psychology",)]).round(3).tolist()
    [1.0, 1.0, 1.0]
    >>> _discipline_rank(parts[:, :1], [("law",), ("law",), ()]).round(3).tolist()
    [1.0, 0.631, 0.0]
    """
    gains = np.zeros(by_part.shape[0])
    if not by_part.size:
        return gains
    for discipline in sorted({d for own in disciplines for d in own}):
        rows = np.array([k for k, own in enumerate(disciplines) if discipline in own])
        among = -by_part[rows]
        # rank (1 = best) of each of them within the discipline, per part
        ranks = np.argsort(np.argsort(among, axis=0, kind="stable"), axis=0, kind="stable") + 1
        gains[rows] = np.maximum(gains[rows], (1.0 / np.log2(1.0 + ranks)).max(axis=1))
    return gains


def fused_parts(signals: ExpertSignals, config: MatchingConfig) -> list[dict[str, float]]:
    """The hand-set fusion (docs/matching.md, Fusion): each expert's score in parts."""
    w = config.weights
    column = signals.column
    return [
        {
            "embedding": float(signals.backbone[k]),
            "lexical": w.lexical * float(column("lexical")[k]),
            "discipline": w.discipline * float(column("need")[k]),
            "sector": w.sector * float(column("sector")[k]),
            "language": w.language * float(column("language")[k]),
            "capacity": w.capacity * float(column("capacity")[k]),
        }
        for k in range(len(signals.values))
    ]


def _scored(query, experts, lexical, config, concept_lexical=None):
    """Signals, score parts, scores and the coverage-aware order of the candidates."""
    signals = expert_signals(query, experts, lexical, config, concept_lexical=concept_lexical)
    model = reranker.for_config(config.ranker)
    if model is None:
        parts = fused_parts(signals, config)
    else:
        parts = model.contributions(signals.values, EXPERT_SIGNALS, SIGNAL_GROUPS)
    scores = np.array([round(sum(p.values()), 6) for p in parts])
    order = xquad(
        scaled(scores),
        signals.fits,
        np.array([a.weight for a in query.aspects]),
        float(config.coverage.get("weight", 0.0)),
        int(config.coverage.get("depth", 0)),
    )
    return signals, parts, scores, order


def with_feedback(query: MatchQuery, profiles: np.ndarray, weight: float) -> MatchQuery:
    """The inquiry moved towards the mean of the given profiles' whole-text vectors
    (Rocchio's pseudo-relevance feedback in embedding space): each of its rows plus
    ``weight`` times that mean, unit length again.

    The best-ranked profiles say in the network's own words, and often in the other
    language, what the inquiry is about; the moved inquiry finds profiles that share
    that meaning but none of its words, which the encoder alone ranks too low across
    languages.

    >>> from humaine.matching.encoders import HashingEncoder
    >>> query = build_query("Claims letters.", HashingEncoder(16))
    >>> moved = with_feedback(query, np.eye(16, dtype=np.float32)[:1], 0.5)
    >>> bool(moved.embedded.vectors[0, 0] > query.embedded.vectors[0, 0])
    True
    """
    mean = np.asarray(profiles, dtype=np.float32).mean(axis=0)
    rows = query.embedded.vectors + weight * mean
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows = (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    embedded = EmbeddedText(rows, query.embedded.segments, query.embedded.language)
    return replace(query, embedded=embedded)


def rank_experts(
    query: MatchQuery,
    experts: Sequence[ExpertProfile],
    lexical: Mapping[Hashable, float] | None = None,
    *,
    config: MatchingConfig | None = None,
    taxonomy: Taxonomy | None = None,
    limit: int | None = None,
    explain: int | None = None,
    concept_lexical: Mapping[Hashable, float] | None = None,
) -> list[Match]:
    """Rank experts for an inquiry with every signal; best first.

    ``lexical`` maps expert ids to full-text scores already scaled by
    :func:`normalise_lexical` (missing ids count as no match). Pass the candidates the
    database found by full text together with the nearest ones by embedding.
    ``concept_lexical``, scaled the same way, scores them for the lexicon's terms of the
    inquiry's concepts in both languages (see :func:`expert_signals`).

    The score is the learned ranker's (``reranker``, the hub's ``ranker`` setting) or,
    with ``ranker.kind: fused``, the hand-set fusion; either way the first places are then
    chosen so that they cover the inquiry's parts (``coverage.xquad``). With the hub's
    ``feedback`` setting the inquiry is then moved towards its best-ranked profiles
    (:func:`with_feedback`) and ranked again. With ``explain``
    only the first that many matches get their evidence and reason (the rest are ranked
    but never shown; writing every candidate's reason costs more than ranking them).
    """
    if not experts:
        return []
    config = config or load_config()
    taxonomy = taxonomy or default_taxonomy()
    signals, parts, scores, order = _scored(query, experts, lexical, config, concept_lexical)
    depth = int(config.feedback.get("depth", 0))
    weight = float(config.feedback.get("weight", 0.0))
    if depth > 0 and weight > 0 and len(experts) > depth:
        # pseudo-relevance feedback: the inquiry, moved towards its best profiles, again
        top = [experts[k].embedded.vectors[0] for k in order[:depth]]
        query = with_feedback(query, np.asarray(top), weight)
        signals, parts, scores, order = _scored(query, experts, lexical, config, concept_lexical)
    aspects = query.aspects
    if limit:
        order = order[:limit]
    shown = len(order) if explain is None else explain
    matches = []
    for place, k in enumerate(order):
        expert = experts[k]
        evidence, reason = "", {}
        if place < shown:
            segment = signals.evidence[k]
            evidence = expert.embedded.segments[segment] if expert.embedded.segments else ""
            point = best_aspect(signals.fits[k], aspects) if len(aspects) > 1 else None
            reason = expert_reason(
                query, expert, evidence, signals.similarity[k], config, taxonomy, point=point
            )
        matches.append(
            Match(
                id=expert.id,
                score=round(float(scores[k]), 6),
                contributions={key: round(v, 6) for key, v in parts[k].items()},
                evidence=_shorten(evidence),
                reason=reason,
                topical=round(float(signals.topical[k]), 6),
            )
        )
    return matches


def rank_cases(
    query: MatchQuery,
    cases: Sequence[CaseRecord],
    lexical: Mapping[Hashable, float] | None = None,
    *,
    config: MatchingConfig | None = None,
    taxonomy: Taxonomy | None = None,
    limit: int | None = None,
) -> list[Match]:
    """Rank past inquiries and scenarios for an inquiry; best first.

    The evidence and reason quote only the *inquiry's* words, never the case's text, so
    a hit on a confidential case can be shown to anyone (see :func:`redact_case`).
    """
    if not cases:
        return []
    config = config or load_config()
    taxonomy = taxonomy or default_taxonomy()
    w = config.weights
    ids = [c.id for c in cases]
    sims, backbone, boost = _text_parts(query, [c.embedded for c in cases], ids, lexical, w.lexical)
    query_segments = query.embedded.segments or (query.text,)
    matches = []
    for k, case in enumerate(cases):
        parts = {
            "embedding": float(backbone[k]),
            "lexical": float(boost[k]),
            "sector": w.case_sector * sector_signal(query.sectors, [case.sector]),
        }
        evidence = query_segments[min(sims[k][2], len(query_segments) - 1)]
        matches.append(
            Match(
                id=case.id,
                score=round(sum(parts.values()), 6),
                contributions={key: round(v, 6) for key, v in parts.items()},
                evidence=_shorten(evidence),
                reason=case_reason(query, case, evidence, sims[k][0], taxonomy),
            )
        )
    return _sorted(matches, limit)


def top_k_by_vector(query: EmbeddedText, matrix: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` rows of ``matrix`` (whole-text vectors) nearest to the query,
    best first: the embedding half of the candidate set at scale."""
    if len(matrix) == 0:
        return np.zeros(0, dtype=int)
    scores = matrix @ query.vectors[0]
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


def redact_case(match: Match) -> Match:
    """Return a case hit as shown to someone who may not see the case: that a similar case
    exists and its score, nothing of its text."""
    return Match(
        id=match.id,
        score=match.score,
        contributions=match.contributions,
        evidence="",
        reason={
            "de": "Ein ähnlicher Fall existiert; das Hub-Team kann Auskunft geben.",
            "en": "A similar case exists; the hub's staff can tell you more.",
        },
    )


# --- reasons ---------------------------------------------------------------------------


def _shorten(text: str, limit: int = EVIDENCE_CHARS) -> str:
    text = squash(text).rstrip(" ;,")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sorted(matches: list[Match], limit: int | None) -> list[Match]:
    matches.sort(key=lambda m: (-m.score, str(m.id)))
    return matches[:limit] if limit else matches


def expert_reason(query, expert, evidence, sim, config, taxonomy, point=None) -> dict[str, str]:
    """Explain an expert's rank in German and English from the signals that carried it."""
    de, en = [], []
    if point is not None:
        short = _shorten(point.text, 70)
        de.append(f"zu Ihrem Punkt „{short}“")
        en.append(f"on your point “{short}”")
    covered = [d for d in expert.disciplines if query.needs.get(d, 0.0) >= config.need_threshold]
    if covered:
        labels = [taxonomy.disciplines[d] for d in covered if d in taxonomy.disciplines]
        de.append("deckt " + ", ".join(c.label_in("de") for c in labels) + " ab")
        en.append("covers " + ", ".join(c.label_in("en") for c in labels))
    if evidence:
        short = _shorten(evidence, 90)
        de.append(f"passt zu „{short}“ ({sim:.2f})")
        en.append(f"fits “{short}” ({sim:.2f})")
    sectors = [s for s in expert.sectors if query.sectors.get(s, 0.0) > 0]
    if sectors and sectors[0] in taxonomy.sectors:
        concept = taxonomy.sectors[sectors[0]]
        de.append(f"Erfahrung in {concept.label_in('de')}")
        en.append(f"experience in {concept.label_in('en')}")
    if query.language in expert.languages:
        de.append(f"spricht {LANGUAGE_NAMES[query.language]['de']}")
        en.append(f"speaks {LANGUAGE_NAMES[query.language]['en']}")
    de.append(f"{expert.free_hours:g} Std./Monat frei")
    en.append(f"{expert.free_hours:g} h/month free")
    return {"de": "; ".join(de), "en": "; ".join(en)}


def case_reason(query, case, evidence, sim, taxonomy) -> dict[str, str]:
    """Explain a case hit without quoting the case: which part of the inquiry it matches."""
    kind_de = "ähnliches Szenario" if case.kind == "scenario" else "ähnliche Anfrage"
    kind_en = "scenario" if case.kind == "scenario" else "inquiry"
    de = [f"{kind_de} ({sim:.2f})"]
    en = [f"similar {kind_en} ({sim:.2f})"]
    if case.sector and query.sectors.get(case.sector, 0.0) > 0 and case.sector in taxonomy.sectors:
        concept = taxonomy.sectors[case.sector]
        de.append(f"gleiche Branche ({concept.label_in('de')})")
        en.append(f"same sector ({concept.label_in('en')})")
    if evidence:
        short = _shorten(evidence, 90)
        de.append(f"zu Ihrem Punkt „{short}“")
        en.append(f"on your point “{short}”")
    return {"de": "; ".join(de), "en": "; ".join(en)}
