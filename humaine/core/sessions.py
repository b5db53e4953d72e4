"""Finding and ending stored sessions, for the erasure of a person (GDPR art. 17).

Sessions live in the database (``SESSION_ENGINE`` ``db`` or ``cached_db``, see
docs/operations.md): a person's erasure deletes every session of their account and every
session whose data mentions them, so no session row keeps their name or address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _mentions(data: dict, needles: list[str]) -> bool:
    text = json.dumps(data, default=str, ensure_ascii=False).lower()
    escaped = json.dumps(data, default=str).lower()
    return any(needle in text or needle in escaped for needle in needles)


def delete_sessions(*, user_id: int | None = None, mentioning: Iterable[str] = ()) -> int:
    """Delete the stored sessions of account ``user_id`` and those whose data mentions one
    of ``mentioning`` (ignoring case); return how many were deleted.

    Only session stores kept in the database can be searched; with a cache-only engine
    this deletes nothing (the sessions of a deactivated account still end at their next
    request, as its password no longer matches).
    """
    store_class = _store_class()
    if not hasattr(store_class, "get_model_class"):
        return 0
    needles = sorted({text.strip().lower() for text in mentioning if text and text.strip()})
    needles += [json.dumps(needle)[1:-1] for needle in needles]
    deleted = 0
    for row in store_class.get_model_class().objects.only("session_key", "session_data"):
        data = store_class().decode(row.session_data)
        ours = user_id is not None and str(data.get(SESSION_KEY)) == str(user_id)
        if ours or (needles and _mentions(data, needles)):
            store_class(row.session_key).delete()
            deleted += 1
    return deleted
