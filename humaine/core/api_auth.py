"""Authentication for the HTTP API: personal tokens for machines, sessions for people."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .tokens import plausible


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hm_...`` with a personal token created in the UI."""

    def authenticate(self, request, token: str):
        if not plausible(token):
            return None
        try:
            api_token = (
                ApiToken.objects.active()
                .select_related("user")
                .get(key_hash=ApiToken.hash_key(token))
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        now = timezone.now()
        # Recording every use would write on every request; once a minute is enough.
        if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class OptionalAuth:
    """Accept anyone; identify a token or session user when one is given (public endpoints)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = TokenAuth().authenticate(request, header[7:].strip())
            return user or "anonymous"
        return request.user if request.user.is_authenticated else "anonymous"


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]
