"""The optional self-generated code that pairs a person's answers across waves.

A respondent answers a few questions only they know (e.g. the first two letters of their
mother's first name). The same answers give the same code in every wave; the hub stores
only a keyed hash of it (HMAC-SHA256 under a key outside the database, scoped to one
survey), so the same person's answers can be paired while nobody learns who they are,
and codes of two surveys cannot be linked. No Django here.

    >>> from humaine.scenarios.instruments import default_library
    >>> questions = default_library().code_questions
    >>> a = code_hash(b"k", "survey-1", questions, {"mother": "Jü", "birthday": "7",
    ...                                               "birthplace": "Bochum"})
    >>> b = code_hash(b"k", "survey-1", questions, {"mother": "ju ", "birthday": "07",
    ...                                               "birthplace": "BO"})
    >>> a == b, len(a)
    (True, 64)
    >>> code_hash(b"k", "survey-1", questions, {}) is None
    True
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Mapping, Sequence

from .instruments import CodeQuestion


class CodeError(ValueError):
    """A code answer does not fit its question (``question_id``, ``code``)."""

    MESSAGES = {
        "letters": {
            "de": "Bitte {length} Buchstaben (oder das Feld leer lassen).",
            "en": "Please {length} letters (or leave the field empty).",
        },
        "digits": {
            "de": "Bitte eine Zahl mit höchstens {length} Ziffern (oder das Feld leer lassen).",
            "en": "Please a number of at most {length} digits (or leave the field empty).",
        },
        "partial": {
            "de": "Bitte alle Felder des Codes ausfüllen oder alle leer lassen.",
            "en": "Please fill in every field of the code or leave them all empty.",
        },
    }

    def __init__(self, question_id: str, code: str, **params):
        self.question_id, self.code, self.params = question_id, code, params
        super().__init__(f"{question_id}: {self.text('en')}")

    def text(self, lang: str) -> str:
        lang = "en" if (lang or "de")[:2] == "en" else "de"
        return self.MESSAGES[self.code][lang].format(**self.params)


def _letters(value: str) -> str:
    # Umlauts and accents fold to their base letter, so "Jü" and "Ju" give the same code.
    folded = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in folded if ch.isalpha() and not unicodedata.combining(ch))


def normalise(question: CodeQuestion, value: str) -> str:
    """One code answer in normal form, or "" when empty; CodeError when it does not fit."""
    value = (value or "").strip()
    if not value:
        return ""
    if question.kind == "letters":
        letters = _letters(value)[: question.length]
        if len(letters) < question.length:
            raise CodeError(question.id, "letters", length=question.length)
        return letters.upper()
    digits = value.lstrip("0") or "0"
    if not digits.isdigit() or len(digits) > question.length:
        raise CodeError(question.id, "digits", length=question.length)
    return digits.zfill(question.length)


def code_hash(
    key: bytes, scope: str, questions: Sequence[CodeQuestion], answers: Mapping[str, str]
) -> str | None:
    """The keyed hash of a code, or None when no code was given.

    Raises :class:`CodeError` when an answer does not fit or only some were given.
    """
    parts = [normalise(q, answers.get(q.id, "")) for q in questions]
    if not any(parts):
        return None
    missing = [q.id for q, part in zip(questions, parts) if not part]
    if missing:
        raise CodeError(missing[0], "partial")
    message = "\x1f".join([scope, *parts]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
