"""Tokens of private links (status pages, check results, invitations).

A token is an HMAC of a random nonce under SECRET_KEY; the database stores the nonce and
the token's hash, and looks links up by the hash. A copy of the database alone therefore
opens no link, while a job can still recompute a token to put it into an email.
"""

import hashlib
import secrets

from django.utils.crypto import salted_hmac

TOKEN_LENGTH = 43
# Longer values are refused before any lookup (a link's token is TOKEN_LENGTH long).
MAX_LENGTH = 100


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(salt: str, nonce: str) -> str:
    """The token for ``nonce``; empty when there is no nonce."""
    if not nonce:
        return ""
    return salted_hmac(salt, nonce, algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str) -> bool:
    """Whether ``token`` could be a link's token at all (not empty, not absurdly long)."""
    return bool(token) and len(token) <= MAX_LENGTH
