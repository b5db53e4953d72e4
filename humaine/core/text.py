"""Small text helpers every app shares."""

import re


def squash(text: str) -> str:
    """Collapse every run of whitespace (newlines, tabs) to one space and trim the ends.

    >>> squash("  Kfz-\\n  Schaden\\tprüfung ")
    'Kfz- Schaden prüfung'
    """
    return " ".join((text or "").split())


def redact(text: str, needles, placeholder: str) -> str:
    """Replace every occurrence of each of ``needles`` (ignoring case) by ``placeholder``.

    >>> redact("Rückruf Erika Muster, 0201 555", ["erika muster", "0201 555"], "[erased]")
    'Rückruf [erased], [erased]'
    """
    words = sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True)
    for needle in words:
        text = re.sub(re.escape(needle), lambda _match: placeholder, text, flags=re.IGNORECASE)
    return text
