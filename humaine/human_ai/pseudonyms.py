"""Pseudonyms of the people whose decisions a data set holds.

Employees' decisions are personal data about their performance. The hub never keeps the
identifiers a company's file uses for its people (names, staff numbers): when a data set
is prepared, each becomes a keyed hash under the scenario's own key
(:class:`~humaine.human_ai.models.ScenarioKey`), the same for the same person in every data
set of that scenario and different in every other scenario. The key stays in the hub's
database; no export, report, model or API answer contains it.

>>> key = bytes(32)
>>> pseudonym(key, "Anna K.") == pseudonym(key, " Anna K. ")
True
>>> pseudonym(key, "Anna K.").startswith("P-"), len(pseudonym(key, "Anna K."))
(True, 14)
>>> pseudonym(key, "Anna K.") != pseudonym(bytes([1]) * 32, "Anna K.")
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "P-"
LENGTH = 12  # hex digits: 48 bits, collisions in a scenario's few hundred people are negligible


def new_key() -> bytes:
    return secrets.token_bytes(32)


def normalise(identifier: object) -> str:
    text = str(identifier).strip()
    # 12 and 12.0 from two spreadsheets are the same person
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def pseudonym(key: bytes, identifier: object) -> str:
    """The pseudonym of one person's identifier under a scenario's key."""
    digest = hmac.new(key, normalise(identifier).encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:LENGTH].upper()


def erased_pseudonym() -> str:
    """A fresh pseudonym that no identifier and no key leads to (after an erasure)."""
    return "X-" + secrets.token_hex(LENGTH // 2).upper()
