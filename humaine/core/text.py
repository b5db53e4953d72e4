"""Small text helpers every app shares."""


def squash(text: str) -> str:
    """Collapse every run of whitespace (newlines, tabs) to one space and trim the ends.

    >>> squash("  Kfz-\\n  Schaden\\tprüfung ")
    'Kfz- Schaden prüfung'
    """
    return " ".join((text or "").split())
