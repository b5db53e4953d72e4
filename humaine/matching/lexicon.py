"""A bilingual domain lexicon: the German and English terms of the hub's fields.

A multilingual encoder places a German inquiry and an English profile on the same topic
less close than two texts in one language, and a full-text index cannot cross languages
at all. The lexicon (``data/lexicon.yaml``: concepts of AI, human-AI work, work science,
law, co-determination, health, insurance, industry, each with German and English terms)
names the concepts a text speaks of, so that

* each part of an inquiry can be *glossed* with its concepts' keyword forms in both
  languages (``gloss``): the gloss's vector, added to the part's, pulls the inquiry
  towards the topic and away from its language (``ranking.build_query``);
* the full-text query can be *translated* (``translate``): the other language's terms of
  the concepts the inquiry names, searched as a query in that language
  (``ranking.expert_signals``: the ``lexicon`` signal).

Plain Python, no Django. Matching rules (``Lexicon.concepts_in``), word by word after a
light inflection suffix is cut off the term's words and umlauts are folded: a word of a
term matches a word of the text that begins with it and has at most ``INFLECTION`` letters
more ("works council" finds "works councils", not "council" "councillor"); German words
of at least ``COMPOUND_MIN`` letters also match as the last part of a compound
("Vorschlag" in "Befundvorschläge"), of at least ``MODIFIER_MIN`` as its first
("Betriebsrat" in "Betriebsratsvorsitz"); words shorter than ``SHORT`` letters ("KI",
"AI", "Kfz") match whole words only. A text is matched against the terms of its own
language (``gloss``), so false friends ("plant") do not cross.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from humaine.matching.text import LANGUAGES, detect_language, fold, stem, words

DATA = Path(__file__).parent / "data"
DEFAULT_LEXICON = DATA / "lexicon.yaml"
# German words this long or longer also match as the last part of a compound
COMPOUND_MIN = 6
# and this long or longer as its first part
MODIFIER_MIN = 8
# terms shorter than this match whole words only
SHORT = 4
# other terms match words that begin with them and have at most this many letters more
INFLECTION = 3


class LexiconError(ValueError):
    """A lexicon file that cannot be used (the message says where and why)."""


@dataclass(frozen=True)
class Concept:
    """One concept: its domain and its terms per language (the first is its keyword form);
    ``system``: the kind of system or technology a vendor sells that the concept names
    ("language" for "chatbot" and "language model", "vision" for "camera" and "visual
    inspection"), "" for broad concepts ("AI", "software", "data") and settings ("customer
    service", "radiology"): the vendor rule of conflicts of interest compares these kinds
    (``Lexicon.systems_in``)."""

    domain: str
    terms: Mapping[str, tuple[str, ...]]
    system: str = ""

    def keyword(self, language: str) -> str:
        return self.terms[language][0]


@dataclass(frozen=True)
class _Pattern:
    concept: int
    language: str
    parts: tuple[str, ...]  # folded, stemmed words
    compound: bool  # its first word is German and long: found inside compounds too


def _tokens(text: str) -> list[str]:
    return [fold(part) for token in words(text) for part in token.split("-") if part]


def _pattern_parts(term: str) -> tuple[str, ...]:
    tokens = _tokens(term)
    return tuple(token if len(token) < SHORT else stem(token) for token in tokens)


class Lexicon:
    """Concepts with German and English terms, and how to find them in a text."""

    def __init__(self, concepts: Sequence[Concept]):
        self.concepts = tuple(concepts)
        # names this lexicon's content (stored vectors glossed with another are stale)
        self.signature = hashlib.sha256(
            repr([(c.terms["de"], c.terms["en"]) for c in self.concepts]).encode()
        ).hexdigest()[:12]
        patterns = []
        for index, concept in enumerate(self.concepts):
            for language in LANGUAGES:
                for term in concept.terms[language]:
                    parts = _pattern_parts(term)
                    if not parts:
                        continue
                    compound = language == "de" and len(parts[0]) >= COMPOUND_MIN
                    patterns.append(_Pattern(index, language, parts, compound))
        self._patterns = tuple(patterns)

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "lexicon") -> "Lexicon":
        concepts = []
        for domain, entries in (data.get("domains") or {}).items():
            for number, entry in enumerate(entries or (), start=1):
                terms = {}
                for language in LANGUAGES:
                    values = entry.get(language) if isinstance(entry, Mapping) else None
                    if isinstance(values, str):
                        values = [values]
                    values = tuple(str(v).strip() for v in values or () if str(v).strip())
                    if not values:
                        raise LexiconError(
                            f"{source}: {domain}, entry {number}: no {language!r} term"
                        )
                    terms[language] = values
                system = str(entry.get("system") or "").strip()
                concepts.append(Concept(str(domain), terms, system))
        return cls(concepts)

    def concepts_in(self, text: str, language: str | None = None) -> list[int]:
        """Indices of the concepts ``text`` names (in order of first mention), with terms
        of ``language`` only, or of either language.

        >>> lex = Lexicon.from_dict({"domains": {"law": [
        ...     {"de": ["Betriebsrat"], "en": ["works council"]},
        ...     {"de": ["KI"], "en": ["AI"]}]}})
        >>> lex.concepts_in("Was sagen unsere Betriebsräte zur KI?")
        [0, 1]
        >>> lex.concepts_in("Our works councils and the kitchen")
        [0]
        """
        tokens = _tokens(text)
        haystack = " " + " ".join(tokens) + " "
        starts: dict[str, list[int]] = {}
        for k, token in enumerate(tokens):
            starts.setdefault(token[:3], []).append(k)
        found: dict[int, int] = {}
        for pattern in self._patterns:
            if language and pattern.language != language:
                continue
            first = pattern.parts[0]
            if first not in haystack:
                continue
            if pattern.compound:
                positions = [
                    k for k, token in enumerate(tokens) if _word_matches(token, first, "de")
                ]
            else:
                positions = starts.get(first[:3], ())
            for k in positions:
                window = tokens[k : k + len(pattern.parts)]
                if len(window) == len(pattern.parts) and all(
                    _word_matches(w, p, pattern.language) for w, p in zip(window, pattern.parts)
                ):
                    if k < found.get(pattern.concept, len(tokens)):
                        found[pattern.concept] = k
                    break
        return sorted(found, key=lambda c: (found[c], c))

    def systems_in(self, text: str, language: str | None = None) -> list[int]:
        """The concepts ``text`` names (``concepts_in``) that name a kind of system
        (``Concept.system``).

        >>> lex = Lexicon.from_dict({"domains": {"ai": [
        ...     {"de": ["KI"], "en": ["AI"]},
        ...     {"de": ["Chatbot"], "en": ["chatbot"], "system": "language"}]}})
        >>> lex.systems_in("KI-Chatbots für den Kundenservice")
        [1]
        >>> lex.systems_in("AI for our customer service")
        []
        """
        return [c for c in self.concepts_in(text, language) if self.concepts[c].system]

    def gloss(self, text: str, languages: Sequence[str] = LANGUAGES) -> str:
        """The keyword forms, in ``languages``, of the concepts ``text`` names in its own
        language (``text.detect_language``; so the German "plant" (plans) is not the
        English "plant"): a short bilingual description of what it is about ("" when it
        names none).

        >>> lex = Lexicon.from_dict({"domains": {"codetermination": [
        ...     {"de": ["Betriebsrat"], "en": ["works council"]}]}})
        >>> lex.gloss("How do we involve the works council?")
        'Betriebsrat works council'
        >>> lex.gloss("Wie beteiligen wir den Betriebsrat?", ["en"])
        'works council'
        """
        found = self.concepts_in(text, detect_language(text))
        keywords = [self.concepts[c].keyword(lang) for c in found for lang in languages]
        return " ".join(dict.fromkeys(keywords))

    def translate(self, text: str, language: str) -> list[str]:
        """The terms, in the other language than ``language``, of the concepts that
        ``text`` names in ``language``: the words to search the other language's texts for.

        >>> lex = Lexicon.from_dict({"domains": {"law": [
        ...     {"de": ["Datenschutz"], "en": ["data protection", "privacy"]}]}})
        >>> lex.translate("Fragen zum Datenschutz", "de")
        ['data protection', 'privacy']
        >>> lex.translate("questions on privacy", "en")
        ['Datenschutz']
        """
        other = "en" if language == "de" else "de"
        found = self.concepts_in(text, language)
        return list(dict.fromkeys(t for c in found for t in self.concepts[c].terms[other]))


def _word_matches(word: str, part: str, language: str) -> bool:
    """Whether a word of a text is the term's word ``part``.

    Short parts: the whole word. Long German parts: the last part of a compound
    ("Befundvorschläge" for "Vorschlag"), or, from ``MODIFIER_MIN`` letters, its first
    ("Betriebsratsvorsitz" for "Betriebsrat"; not "vertraulich" for "vertrau").
    Otherwise: the word's beginning with at most ``INFLECTION`` letters after it.
    """
    if len(part) < SHORT:
        return word == part
    if language == "de" and len(part) >= COMPOUND_MIN:
        at = word.rfind(part)
        if at >= 0 and len(word) - at - len(part) <= INFLECTION:
            return True
        if len(part) >= MODIFIER_MIN and word.startswith(part):
            return True
    return word.startswith(part) and len(word) - len(part) <= INFLECTION


def load(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon file (a path, or a name in ``data/``; default ``lexicon.yaml``)."""
    path = Path(path or DEFAULT_LEXICON)
    if not path.is_absolute():
        path = DATA / path
    return _load(str(path))


@cache
def _load(path: str) -> Lexicon:
    with open(path, encoding="utf-8") as fh:
        return Lexicon.from_dict(yaml.safe_load(fh) or {}, source=path)


def for_config(settings: Mapping | None) -> Lexicon | None:
    """The lexicon the hub's ``lexicon`` setting names, or None when it is off
    (``file: ""``).

    >>> for_config({"file": ""}) is None
    True
    >>> len(for_config({"file": "lexicon.yaml"}).concepts) > 200
    True
    """
    settings = settings or {}
    name = settings.get("file", "lexicon.yaml")
    return load(name) if name else None
