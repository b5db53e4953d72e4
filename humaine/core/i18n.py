"""The active language and texts kept in both languages, for every app.

The hub speaks German first and English too: every text that is data (a catalogue's
question, a method's title, the hub's legal texts) is kept in both, and shown in the
language of the request (or of the email's recipient, under ``translation.override``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

LANGUAGES = ("de", "en")
DEFAULT = "de"


def active_language() -> str:
    """``"en"`` when English is active, else ``"de"`` (German first).

    >>> from django.utils import translation
    >>> with translation.override("en-gb"):
    ...     active_language()
    'en'
    >>> with translation.override(None):
    ...     active_language()
    'de'
    """
    return "en" if (get_language() or DEFAULT).startswith("en") else DEFAULT


def pick(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text of a ``{"de": ..., "en": ...}`` mapping in the active language, falling back
    to the other language when it is missing.

    >>> pick({"de": "Prüfung", "en": "inspection"}, "en"), pick({"de": "Prüfung"}, "en")
    ('inspection', 'Prüfung')
    """
    if not texts:
        return ""
    language = language or active_language()
    return texts.get(language) or texts.get("en") or texts.get(DEFAULT) or ""


def localized(obj, field: str) -> str:
    """``obj.<field>_<language>`` for the active language, falling back to German."""
    value = getattr(obj, f"{field}_{active_language()}", "") or ""
    return value or getattr(obj, f"{field}_{DEFAULT}", "") or ""
