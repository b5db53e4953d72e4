"""Rank so that the top of the list covers every part of an inquiry, not only its main one.

An inquiry about camera inspection that also asks how to involve the works council and
what the law requires has three parts; matched as one text, the inspection specialists
fill the list and the lawyers sink. Here each *aspect* of an inquiry (each of its
sentence-like segments, and each discipline it asks for explicitly) is matched on its own,
and the first places of the list are chosen with xQuAD (Santos, Macdonald and Ounis,
"Exploiting query reformulations for web search result diversification", WWW 2010):

    pick d maximising  (1 - lam) * relevance(d)
                       + lam * sum_a weight(a) * p(d | a) * prod_{s already picked} (1 - p(s | a))

``relevance`` is the candidate's score scaled to [0, 1]; ``p(d | a)`` how well the
candidate fits aspect ``a`` (its similarity to the aspect's words, scaled among the
candidates; for an asked discipline only candidates of that discipline count). An aspect
someone above already covers adds little, so the next place goes to an uncovered part.
When every aspect is about the same thing, the order stays the order of relevance.

Everything here is plain numpy; nothing is fitted to an evaluation set.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from humaine.matching.taxonomy import Taxonomy, asked


@dataclass(frozen=True)
class Aspect:
    """One part of an inquiry: some of its segments, and for an explicit ask the
    disciplines that can serve it.

    ``segments`` index the inquiry's segments (row ``i + 1`` of its stored vectors).
    """

    key: str
    text: str
    weight: float
    segments: tuple[int, ...]
    disciplines: frozenset[str] = frozenset()


def query_aspects(
    segments: Sequence[str], taxonomy: Taxonomy, ask_weight: float = 1.0
) -> tuple[Aspect, ...]:
    """The aspects of an inquiry: one per segment (weight 1), one per asked discipline
    (weight ``ask_weight``), weights summing to 1.

    >>> [a.key for a in query_aspects(["Kameras prüfen Gussteile.",
    ...                               "Wie beteiligen wir den Betriebsrat?"], Taxonomy.load())]
    ['segment:0', 'segment:1', 'ask:social_science', 'ask:law']
    """
    aspects = [
        Aspect(f"segment:{i}", text, 1.0, (i,)) for i, text in enumerate(segments) if text.strip()
    ]
    for discipline, indices in asked(list(segments), taxonomy).items():
        text = " ".join(segments[i] for i in indices)
        aspects.append(
            Aspect(f"ask:{discipline}", text, ask_weight, indices, frozenset({discipline}))
        )
    total = sum(a.weight for a in aspects) or 1.0
    return tuple(
        Aspect(a.key, a.text, a.weight / total, a.segments, a.disciplines) for a in aspects
    )


@dataclass(frozen=True, eq=False)
class Stack:
    """Many documents' rows as one matrix (row 0 of each its whole text, then its
    segments), so that one matrix product scores all of them."""

    rows: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, docs: Sequence[np.ndarray]) -> "Stack":
        sizes = np.array([len(d) for d in docs], dtype=int)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        rows = np.vstack(docs) if len(docs) else np.zeros((0, 0), dtype=np.float32)
        return cls(rows, starts, sizes)


def stacked_similarities(query_rows: np.ndarray, stack: Stack) -> tuple[np.ndarray, np.ndarray]:
    """For each document: the similarity of each query row to its whole text and to its
    best segment (the whole text for a one-row document), shape (documents, query rows),
    and each query segment's similarity to each document, shape (documents, segments):
    the mean of its cosine with the whole document and with the document's best segment.

    ``query_rows`` are the inquiry's stored rows (row 0 the whole text, then one per
    segment); each document's rows likewise.

    >>> q = np.eye(3, dtype=np.float32)[[0, 1, 2]]      # whole, segment a, segment b
    >>> d = np.eye(3, dtype=np.float32)[[1, 1]]         # a document about segment a only
    >>> stacked_similarities(q, Stack.of([d]))[1].round(2).tolist()
    [[1.0, 0.0]]
    """
    scores = stack.rows @ query_rows.T
    whole = scores[stack.starts]
    # rows after the first of each document are its segments (a one-row document: itself)
    inner = scores.copy()
    inner[stack.starts[stack.sizes > 1]] = -np.inf
    best = np.maximum.reduceat(inner, stack.starts, axis=0)
    best = np.where(np.isfinite(best), best, whole)
    mean = 0.5 * whole + 0.5 * best
    parts = mean[:, 1:] if query_rows.shape[0] > 1 else mean[:, :1]
    return np.stack([whole, best]), parts


def aspect_fits(
    similarities: np.ndarray,
    aspects: Sequence[Aspect],
    disciplines: Sequence[frozenset[str]],
    floor: float,
    full: float | None = None,
) -> np.ndarray:
    """How well each candidate covers each aspect, in [0, 1]: shape (candidates, aspects).

    An aspect's similarity is the best of its segments'; it counts from ``floor`` up and
    fully from ``full`` (without ``full``: from the best candidate's similarity). For an
    asked discipline only candidates of that discipline count.
    """
    n = similarities.shape[0]
    fits = np.zeros((n, len(aspects)), dtype=float)
    for k, aspect in enumerate(aspects):
        raw = similarities[:, list(aspect.segments)].max(axis=1) if n else np.zeros(0)
        if aspect.disciplines:
            raw = np.where([bool(aspect.disciplines & d) for d in disciplines], raw, -np.inf)
        top = raw.max() if n else -np.inf
        if not np.isfinite(top) or top <= floor:
            continue
        ceiling = top if full is None else max(full, floor + 1e-9)
        fits[:, k] = np.clip((raw - floor) / (ceiling - floor), 0.0, 1.0)
    return fits


def xquad(
    relevance: np.ndarray,
    fits: np.ndarray,
    weights: np.ndarray,
    lam: float,
    depth: int,
) -> list[int]:
    """Order candidates: the first ``depth`` places by xQuAD, the rest by relevance.

    >>> relevance = np.array([1.0, 0.9, 0.5])
    >>> fits = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])   # two cover aspect 0
    >>> xquad(relevance, fits, np.array([0.5, 0.5]), lam=0.5, depth=3)
    [0, 2, 1]
    """
    n = len(relevance)
    order = sorted(range(n), key=lambda i: (-relevance[i], i))
    if lam <= 0 or fits.size == 0 or depth <= 0:
        return order
    uncovered = np.ones(fits.shape[1])
    chosen: list[int] = []
    remaining = np.ones(n, dtype=bool)
    for _ in range(min(depth, n)):
        gain = (1 - lam) * relevance + lam * (fits * (weights * uncovered)).sum(axis=1)
        gain = np.where(remaining, gain, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        remaining[best] = False
        uncovered *= 1 - fits[best]
    picked = set(chosen)
    return chosen + [i for i in order if i not in picked]


def scaled(values: np.ndarray) -> np.ndarray:
    """Min-max scale to [0, 1] (all equal: all 1)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low <= 1e-12:
        return np.ones_like(values)
    return (values - low) / (high - low)


def best_aspect(fits_row: np.ndarray, aspects: Sequence[Aspect]) -> Aspect | None:
    """The aspect a candidate covers best (for the reason), if any."""
    if not len(aspects) or fits_row.max(initial=0.0) <= 0:
        return None
    return aspects[int(np.argmax(fits_row))]


def topical_gate(similarity: np.ndarray, settings: Mapping[str, float]) -> np.ndarray:
    """The share of the sector and discipline bonuses a candidate gets: none below
    ``floor`` topical similarity, all from ``full`` on, linear in between. Experience in
    a sector adds to a topical fit; it never replaces one.

    >>> topical_gate(np.array([0.1, 0.25, 0.5]), {"floor": 0.2, "full": 0.3}).round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    floor, full = float(settings.get("floor", 0.2)), float(settings.get("full", 0.35))
    return np.clip((np.asarray(similarity, dtype=float) - floor) / max(full - floor, 1e-9), 0, 1)
