"""Keeping private links' tokens out of the hub's logs.

A private link's token (``core.tokens``: 43 lowercase hexadecimal characters) opens a
person's inquiry or check to whoever has it, so no log line may hold one. ``MaskTokens``
is a logging filter on the hub's handler (``settings.LOGGING``): it replaces every token
in a record's message and arguments (the path of a 404, a request line) by ``[token]``.
:class:`humaine.core.gunicorn_logger.TokenMaskingLogger` does the same for gunicorn's
access log; docs/operations.md shows a reverse proxy's log format that drops them.
"""

from __future__ import annotations

import logging
import re

# core.tokens.TOKEN_LENGTH, not imported: logging is set up before the models can be
# (a test keeps the two equal).
TOKEN_LENGTH = 43
MASK = "[token]"
TOKEN = re.compile(rf"(?<![0-9A-Za-z])[0-9a-f]{{{TOKEN_LENGTH}}}(?![0-9A-Za-z])")


def mask(text: str) -> str:
    """``text`` with every private-link token replaced by ``[token]``.

    >>> mask("GET /status/" + "ab12" * 10 + "abc/ HTTP/1.1")
    'GET /status/[token]/ HTTP/1.1'
    """
    return TOKEN.sub(MASK, text)


def _masked(value):
    return mask(value) if isinstance(value, str) else value


class MaskTokens(logging.Filter):
    """Mask private-link tokens in every record (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_masked(value) for value in record.args)
        return True
