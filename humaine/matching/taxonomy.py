"""What an inquiry needs: disciplines and sectors told from its text, defined as data.

Each discipline and sector has keywords (word beginnings, German and English) and a few
prototype sentences. An inquiry's need for a discipline is the stronger of two pieces of
evidence: keyword hits, and its embedding similarity to the prototypes (which also works
when the inquiry is in the other language). Nothing here is fitted to an evaluation set.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from humaine.matching.encoders import Encoder
from humaine.matching.text import detect_language, fold, words

DEFAULT_TAXONOMY = Path(__file__).parent / "data" / "taxonomy.yaml"

# Prototype similarity mapped to [0, 1]: below FLOOR is no evidence, from CEIL on it is full.
# Chosen from the encoder's scale (FACTS.md: related pairs ~0.4, unrelated 0.03-0.19).
PROTOTYPE_FLOOR = 0.20
PROTOTYPE_CEIL = 0.45
# Keyword evidence saturates: one hit gives 0.5, two 0.75, three 0.875.
KEYWORD_HALF = 1


@dataclass(frozen=True)
class Concept:
    """One discipline or sector: its key, labels, keywords and prototype sentences."""

    key: str
    label: dict[str, str]
    keywords: tuple[str, ...] = ()
    prototypes: tuple[str, ...] = ()
    technical_ai: bool = False
    # phrases that ask explicitly for this discipline's help (see ``asked``)
    asks: tuple[str, ...] = ()

    def label_in(self, language: str) -> str:
        return self.label.get(language) or self.label.get("en") or self.key


@dataclass
class Taxonomy:
    """The disciplines and sectors a hub knows, with their keywords and prototypes."""

    disciplines: dict[str, Concept]
    sectors: dict[str, Concept]
    # a hub's sector slug -> the sector key here (``aliases:`` of each sector)
    sector_aliases: dict[str, str] = field(default_factory=dict)
    # the hub's catch-all sector slugs ("other"): matched by what the text points to
    general_sectors: frozenset[str] = frozenset()
    # prototype vectors and language axes, per (what, encoder's name): a hub with a combined
    # encoder asks for both it and its first part
    _vectors: dict[tuple[str, str], object] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_TAXONOMY) -> "Taxonomy":
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(yaml.safe_load(fh))

    @classmethod
    def from_dict(cls, data: dict) -> "Taxonomy":
        def concepts(section: dict) -> dict[str, Concept]:
            return {
                key: Concept(
                    key=key,
                    label=dict(entry.get("label") or {}),
                    keywords=tuple(
                        fold(k.lower()).replace("-", " ") for k in entry.get("keywords") or ()
                    ),
                    prototypes=tuple(entry.get("prototypes") or ()),
                    technical_ai=bool(entry.get("technical_ai", False)),
                    asks=tuple(fold(k.lower()).replace("-", " ") for k in entry.get("asks") or ()),
                )
                for key, entry in (section or {}).items()
            }

        aliases = {
            str(alias): key
            for key, entry in (data.get("sectors") or {}).items()
            for alias in (entry or {}).get("aliases") or ()
        }
        return cls(
            concepts(data.get("disciplines")),
            concepts(data.get("sectors")),
            sector_aliases=aliases,
            general_sectors=frozenset(str(s) for s in data.get("general_sectors") or ()),
        )

    def sector_key(self, slug: str | None) -> str | None:
        """Map a hub's sector slug to this taxonomy's key.

        Aliases map to their sector; a catch-all sector ("other") and no sector give
        ``None`` (matching then goes by the text); an unknown slug stays as it is, so a
        sector a hub adds never breaks matching.

        >>> taxonomy = Taxonomy.load()
        >>> taxonomy.sector_key("health"), taxonomy.sector_key("other"), taxonomy.sector_key("x")
        ('health_care', None, 'x')
        """
        if not slug or slug in self.general_sectors:
            return None
        return self.sector_aliases.get(slug, slug)

    def prototype_vectors(self, group: str, encoder: Encoder) -> tuple[list[str], np.ndarray]:
        """Return the concept key of each prototype and their vectors (encoded once)."""
        cached = self._vectors.get((group, encoder.name))
        if cached is not None:
            return cached
        concepts = getattr(self, group).values()
        keys = [c.key for c in concepts for _ in c.prototypes]
        vectors = encoder.encode([p for c in concepts for p in c.prototypes])
        self._vectors[(group, encoder.name)] = (keys, vectors)
        return keys, vectors

    def language_axes(self, encoder: Encoder, count: int = 3) -> np.ndarray:
        """Directions in which the encoder separates German from English text rather than
        one topic from another: the main directions (SVD) of the differences between a
        concept's German and English prototypes (the i-th German with the i-th English).
        Shape ``(count, dim)``, orthonormal rows; no rows without prototype pairs.

        Removing them from two vectors makes their cosine less sensitive to the language
        they are written in (``ranking.expert_signals``: the ``*_centred`` signals).
        """
        key = (f"axes:{count}", encoder.name)
        cached = self._vectors.get(key)
        if cached is not None:
            return cached
        differences = []
        for group in ("disciplines", "sectors"):
            concepts = list(getattr(self, group).values())
            _keys, vectors = self.prototype_vectors(group, encoder)
            start = 0
            for concept in concepts:
                rows = vectors[start : start + len(concept.prototypes)]
                start += len(concept.prototypes)
                languages = [detect_language(p) for p in concept.prototypes]
                german = [r for r, lang in zip(rows, languages) if lang == "de"]
                english = [r for r, lang in zip(rows, languages) if lang == "en"]
                differences += [g - e for g, e in zip(german, english)]
        if len(differences) < 2 or count <= 0:
            axes = np.zeros((0, encoder.dim), dtype=np.float32)
        else:
            _u, _s, vt = np.linalg.svd(np.asarray(differences, dtype=float), full_matrices=False)
            axes = vt[: min(count, len(differences) - 1)].astype(np.float32)
        self._vectors[key] = axes
        return axes


def keyword_hits(text: str, keywords: tuple[str, ...]) -> int:
    """Count the keywords that begin a word (or a run of words) of ``text``.

    >>> keyword_hits("Betriebsrat und Datenschutz", ("betriebsrat", "datenschutz", "gdpr"))
    2
    """
    haystack = " " + " ".join(fold(w) for w in words(text)) + " "
    haystack = haystack.replace("-", " ")
    return sum(f" {k}" in haystack for k in keywords)


def asked(segments: list[str] | tuple[str, ...], taxonomy: Taxonomy) -> dict[str, tuple[int, ...]]:
    """The disciplines an inquiry asks for explicitly, each with the segments that ask.

    >>> taxonomy = Taxonomy.load()
    >>> asked(["Wir prüfen Gussteile mit Kameras.", "Was muss der Betriebsrat wissen?"], taxonomy)
    {'law': (1,)}
    """
    found: dict[str, list[int]] = {}
    for index, segment in enumerate(segments):
        for key, concept in taxonomy.disciplines.items():
            if concept.asks and keyword_hits(segment, concept.asks):
                found.setdefault(key, []).append(index)
    return {key: tuple(indices) for key, indices in found.items()}


def asking_words(text: str, taxonomy: Taxonomy) -> list[str]:
    """The words of ``text`` that ask for a discipline (a full-text query keeps them).

    >>> asking_words("Is emotion recognition allowed under the AI Act?", Taxonomy.load())
    ['emotion', 'allowed', 'ai', 'act']
    """
    original = [w for token in words(text) for w in token.split("-")]
    folded = [fold(w) for w in original]
    haystack = " " + " ".join(folded) + " "
    found: dict[str, None] = {}
    for concept in taxonomy.disciplines.values():
        for ask in concept.asks:
            if f" {ask}" not in haystack:
                continue
            parts = ask.split()
            for k in range(len(folded) - len(parts) + 1):
                if folded[k].startswith(parts[0]) and all(
                    w.startswith(p) for w, p in zip(folded[k + 1 : k + len(parts)], parts[1:])
                ):
                    found.update(dict.fromkeys(original[k : k + len(parts)]))
    return list(found)


def _keyword_evidence(hits: int) -> float:
    return 1.0 - 0.5 ** (hits / KEYWORD_HALF) if hits else 0.0


def _prototype_evidence(similarity: float) -> float:
    return float(np.clip((similarity - PROTOTYPE_FLOOR) / (PROTOTYPE_CEIL - PROTOTYPE_FLOOR), 0, 1))


def infer(
    text: str,
    vectors: np.ndarray,
    taxonomy: Taxonomy,
    group: str,
    encoder: Encoder,
) -> dict[str, float]:
    """Score how strongly ``text`` calls for each concept of ``group`` (0 to 1).

    ``vectors`` are the text's own rows (whole text first, then segments) from the same
    encoder; ``group`` is ``"disciplines"`` or ``"sectors"``.
    """
    keys, protos = taxonomy.prototype_vectors(group, encoder)
    best: dict[str, float] = {}
    if len(keys) and len(vectors):
        sims = (vectors @ protos.T).max(axis=0)
        for key, sim in zip(keys, sims):
            best[key] = max(best.get(key, 0.0), float(sim))
    scores = {}
    for key, concept in getattr(taxonomy, group).items():
        by_words = _keyword_evidence(keyword_hits(text, concept.keywords))
        by_meaning = _prototype_evidence(best.get(key, 0.0))
        scores[key] = round(max(by_words, by_meaning), 4)
    return scores
