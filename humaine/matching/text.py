"""Plain text helpers for matching: language shares, segments, terms and full-text queries.

Nothing here knows the database; the query builders return strings that the database's
own full-text machinery understands (SQLite FTS5 ``MATCH`` and PostgreSQL ``to_tsquery``),
built from words only, so user text can never inject query syntax.
"""

import hashlib
import re
import unicodedata

# Short, high-frequency function words; enough to tell German from English and to keep
# full-text queries on content words.
_GERMAN_STOP_WORDS = """
    aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis
        bisher bitte da damit dann das dass dem den denen der des deshalb die dies diese
        diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines
        er es etwa etwas euch für gegen gibt hat hatte haben hier ich ihr ihre ihrem ihren
        ihrer im in ins ist ja jede jedem jeden jeder jedes jetzt kann kein keine können
        könnte man mehr mit muss müssen nach nicht noch nun nur ob oder ohne schon sehr
        sein seine seit sich sie sind so solche soll sollen sowie über um und uns unser
        unsere unserer unseren unserem vom von vor war wären was weil welche wenn wer werden
        wie wir wird wo wollen würde zu zum zur zwischen möchten möchte viele wurde wurden
        bzw sowohl beim derzeit künftig bereits"""
_ENGLISH_STOP_WORDS = """
    a about after all also am an and any are as at be because been before being but
        by can could did do does doing for from had has have having he her here his how i
        if in into is it its itself just me more most my no not now of off on once only or
        other our ours out over own same she should so some such than that the their them
        then there these they this those through to too under until up very was we were
        what when where which while who whom why will with would you your yours us want
        wants would like get per each many much every whether"""
STOP_WORDS = {
    "de": frozenset(_GERMAN_STOP_WORDS.split()),
    "en": frozenset(_ENGLISH_STOP_WORDS.split()),
}
_GERMAN_LETTERS = re.compile(r"[äöüß]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_ACRONYM = re.compile(r"\b[A-ZÄÖÜ]{3,6}\b")
_SEGMENT_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
LANGUAGES = ("de", "en")


def words(text: str) -> list[str]:
    """Return the lower-cased words of ``text`` (letters and inner hyphens only)."""
    return [w.lower() for w in _WORD.findall(text or "")]


def language_shares(text: str) -> dict[str, float]:
    """Estimate how much of ``text`` is German and how much English.

    Counts stop words of each language (umlauts and ß count for German); a text with no
    evidence gets 0.5 each.

    >>> language_shares("Wir möchten die Schadenbearbeitung mit KI unterstützen.")["de"]
    1.0
    >>> language_shares("We want to support claims handling with AI.")["en"]
    1.0
    """
    tokens = words(text)
    de = sum(t in STOP_WORDS["de"] for t in tokens) + len(_GERMAN_LETTERS.findall(text or ""))
    en = sum(t in STOP_WORDS["en"] for t in tokens)
    if de + en == 0:
        return {"de": 0.5, "en": 0.5}
    return {"de": de / (de + en), "en": en / (de + en)}


def detect_language(text: str, default: str = "de") -> str:
    """Return ``"de"`` or ``"en"``, whichever dominates ``text``; ``default`` on a tie."""
    shares = language_shares(text)
    if shares["de"] == shares["en"]:
        return default
    return max(shares, key=shares.__getitem__)


# Raise when ``segments`` changes: stored vectors then count as stale (``fingerprint``).
SEGMENTS_VERSION = 2
_CLAUSE_BREAK = re.compile(r"\s*[,;:]\s+")
_CONJUNCTION = re.compile(r"\s+\b(?:und|and|sowie|as well as|oder|or)\b\s+", re.IGNORECASE)


def segments(text: str, max_segments: int = 12, min_words: int = 3) -> list[str]:
    """Split ``text`` into clause-like segments for embedding.

    Sentences are split at commas, semicolons and colons, and at "und"/"and" between
    pieces of at least ``min_words`` words each, so that "help with the safety concept, an
    ergonomic assessment and legal advice" gives each ask its own vector. Shorter pieces
    are merged into their predecessor; beyond ``max_segments`` the tail is merged into the
    last segment so that no text is dropped.

    >>> segments("Topic one is here. Topic two is there; methods follow. Short.")
    ['Topic one is here.', 'Topic two is there; methods follow. Short.']
    >>> segments("We read claims and invoices, and we need advice on the works council.")
    ['We read claims and invoices', 'and we need advice on the works council.']
    """
    pieces = []
    for sentence in _SEGMENT_BREAK.split(text or ""):
        for part in _CLAUSE_BREAK.split(sentence):
            split = _CONJUNCTION.split(part)
            if len(split) > 1 and all(len(words(x)) >= min_words for x in split):
                pieces += split
            else:
                pieces.append(part)
    merged: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if merged and len(words(piece)) < min_words:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    if len(merged) > max_segments:
        merged = merged[: max_segments - 1] + [" ".join(merged[max_segments - 1 :])]
    return merged


def fold(word: str) -> str:
    """Fold umlauts and accents the way FTS5's ``remove_diacritics 2`` does (ä -> a)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "ing", "ed", "e", "n", "s")


def stem(word: str, min_length: int = 4) -> str:
    """Strip one common German or English inflection suffix (a deliberately light stemmer).

    The result is used as a prefix query, so ``Schadenmeldungen`` and ``Schadenmeldung``
    meet at ``schadenmeld*``.

    >>> stem("schadenmeldungen"), stem("claims"), stem("ki")
    ('schadenmeld', 'claim', 'ki')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_length:
            return word[: -len(suffix)]
    return word


def content_terms(text: str, max_terms: int = 40) -> list[str]:
    """Return the distinct content words of ``text`` (no stop words, at least 3 letters).

    Hyphenated words are split into their parts; the order of first occurrence is kept.
    """
    stop = STOP_WORDS["de"] | STOP_WORDS["en"]
    seen: dict[str, None] = {}
    for token in words(text):
        for part in token.split("-"):
            if len(part) >= 3 and part not in stop:
                seen.setdefault(part, None)
    return list(seen)[:max_terms]


def search_terms(text: str, size: int = 12, keep: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The words to search a full-text index for: ``keep`` first (the words that name what
    the text asks for), then acronyms (MDR, DSGVO), then the longest content words.

    Longest-first alone drops short words that matter most ("law", "emotion", "AI Act").

    >>> search_terms("We need advice on the AI Act and the GDPR for our claims handling.", 4,
    ...              keep=["ai", "act"])
    ['ai', 'act', 'gdpr', 'handling']
    """
    acronyms = [w.lower() for w in _ACRONYM.findall(text or "")]
    longest = sorted(content_terms(text, 60), key=len, reverse=True)
    return list(dict.fromkeys([*keep, *acronyms, *longest]))[:size]


def fts5_match(text: str, max_terms: int = 40) -> str:
    """Build an SQLite FTS5 ``MATCH`` expression: any stemmed content word as a prefix.

    >>> fts5_match("Akzeptanz von KI in der Schadenbearbeitung")
    '"akzeptanz"* OR "schadenbearbeit"*'
    """
    terms = {stem(fold(t)): None for t in content_terms(text, max_terms)}
    return " OR ".join(f'"{t}"*' for t in terms)


def tsquery_text(text: str, max_terms: int = 40) -> str:
    """Build the text for PostgreSQL ``to_tsquery(config, ...)``: content words joined by OR.

    Each configuration (german, english) stems the words itself; pass the same string to
    both and OR the two queries.

    >>> tsquery_text("Akzeptanz von KI in der Schadenbearbeitung")
    'akzeptanz | schadenbearbeitung'
    """
    return " | ".join(content_terms(text, max_terms))


def fingerprint(text: str, encoder_name: str) -> str:
    """Return a stable hash of a text and the encoder that embedded it.

    Store it next to the vectors; a different fingerprint means the vectors are stale.
    """
    digest = hashlib.sha256(f"{encoder_name}\x00{SEGMENTS_VERSION}\x00{text}".encode())
    return digest.hexdigest()[:32]
