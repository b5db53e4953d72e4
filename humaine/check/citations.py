"""Citations of the law as each language writes them.

The catalogue cites in the English style ("Art. 6(3)(d)", "Annex III point 4(a)"); German
readers expect "Art. 6 Abs. 3 Buchst. d" and "Anhang III Nr. 4 Buchst. a". German norms
("§ 87 Abs. 1 Nr. 6 BetrVG") are already written the German way and pass unchanged.
"""

from __future__ import annotations

import re

LAW_NAMES = {"AI Act": {"de": "KI-VO", "en": "AI Act"}, "GDPR": {"de": "DSGVO", "en": "GDPR"}}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_ANNEX_POINT = re.compile(r"Annex ([IVX]+) point (\d+)((?:\(\w+\))?)")
_ANNEX_SECTION = re.compile(r"Annex ([IVX]+) Section ([A-Z])")
_ANNEX = re.compile(r"Annex ([IVX]+)")
_RANGE = re.compile(r"\((\d+)\) to \((\d+)\)")
_ARTICLE = re.compile(r"Art\. (\d+)((?:\(\w+\))*)")
_SUBPARAGRAPH = re.compile(r", (first|second|third|fourth) subparagraph")


def _parts(brackets: str) -> list[str]:
    return re.findall(r"\((\w+)\)", brackets)


def _article(match: re.Match) -> str:
    number, parts = match.group(1), _parts(match.group(2))
    if not parts:
        return f"Art. {number}"
    # Art. 3 lists definitions as numbered points, not paragraphs.
    first = f"Nr. {parts[0]}" if number == "3" else f"Abs. {parts[0]}"
    rest = [f"Buchst. {p}" if not p.isdigit() else f"Nr. {p}" for p in parts[1:]]
    return " ".join([f"Art. {number}", first, *rest])


def _annex_point(match: re.Match) -> str:
    letter = _parts(match.group(3))
    suffix = f" Buchst. {letter[0]}" if letter else ""
    return f"Anhang {match.group(1)} Nr. {match.group(2)}{suffix}"


def _german(text: str) -> str:
    text = _RANGE.sub(r"(\1) bis \2", text)
    text = _ANNEX_POINT.sub(_annex_point, text)
    text = _ANNEX_SECTION.sub(r"Anhang \1 Abschnitt \2", text)
    text = _ANNEX.sub(r"Anhang \1", text)
    text = _ARTICLE.sub(_article, text)
    text = _SUBPARAGRAPH.sub(lambda m: f" Unterabs. {ORDINALS[m.group(1)]}", text)
    text = text.replace(" and ", " und ").replace(" to ", " bis ")
    for name, names in LAW_NAMES.items():
        text = text.replace(name, names["de"])
    return text


def cite(article: str, lang: str, law: str = "") -> str:
    """``article`` as ``lang`` cites it, with the ``law`` named once where it is not yet.

    >>> cite("Art. 6(3)(d)", "de")
    'Art. 6 Abs. 3 Buchst. d'
    >>> cite("Art. 26(7)", "de", law="AI Act")
    'Art. 26 Abs. 7 KI-VO'
    """
    article, law = str(article or ""), str(law or "")
    named = bool(law) and law not in article
    if lang != "de":
        return f"{law} {article}" if named else article
    text = _german(article)
    if not named:
        return text
    return f"{text} {LAW_NAMES.get(law, {}).get('de', law)}"
