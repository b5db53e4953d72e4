"""Tokens of private links (status pages, check results, invitations), and
:class:`PrivateLink`, the abstract model of every object a private link opens.

A token is an HMAC of a random nonce under SECRET_KEY; the database stores the nonce and
the token's hash, and looks links up by the hash. A copy of the database alone therefore
opens no link, while a job can still recompute a token to put it into an email.
"""

import hashlib
import secrets

from django.db import models
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


def for_session(token: str) -> str:
    """What a session keeps of a link just made, so the next page can show it: the
    token's hash. A session store never holds a token that opens anything; the page finds
    the object by the hash and recomputes its link (``PrivateLink.by_hash``)."""
    return hash_token(token) if token else ""


def plausible(token: str) -> bool:
    """Whether ``token`` could be a link's token at all (not empty, not absurdly long)."""
    return bool(token) and len(token) <= MAX_LENGTH


class PrivateLink(models.Model):
    """A model opened by a private link (an inquiry's status page, a standalone check, a
    respondent's invitation): the token is an HMAC of ``token_nonce`` under SECRET_KEY
    and salt ``TOKEN_SALT``; only its hash is stored and looked up.

    ``Model.objects.get(token_hash=hash_token(token))`` finds the object of a link;
    :meth:`by_token` does that and refuses implausible tokens first.
    """

    TOKEN_SALT = ""

    token_nonce = models.CharField(max_length=32, editable=False, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)

    class Meta:
        abstract = True

    TOKEN_FIELDS = ["token_nonce", "token_hash"]

    def new_token(self) -> str:
        """Set a fresh token and return it (an earlier link stops working)."""
        self.token_nonce = new_nonce()
        self.token_hash = hash_token(self.token())
        return self.token()

    def token(self) -> str:
        """The current token, recomputed from the nonce (e.g. for an email); "" if none."""
        return token_for(self.TOKEN_SALT, self.token_nonce)

    def revoke_token(self) -> None:
        """No link opens this object any more (save ``TOKEN_FIELDS`` afterwards)."""
        self.token_nonce = ""
        self.token_hash = None

    @classmethod
    def by_hash(cls, token_hash: str | None, queryset=None):
        """The object whose link has the hash ``token_hash`` (from a session), or None
        (the link was revoked or renewed since)."""
        queryset = cls._default_manager.all() if queryset is None else queryset
        return queryset.filter(token_hash=token_hash).first() if token_hash else None

    @classmethod
    def by_token(cls, token: str, queryset=None):
        """The object of a link; ``DoesNotExist`` for a wrong or implausible token."""
        queryset = cls._default_manager.all() if queryset is None else queryset
        if not plausible(token):
            raise cls.DoesNotExist
        return queryset.get(token_hash=hash_token(token))
