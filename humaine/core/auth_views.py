"""Logins with a limit on failed attempts per account and per client address.

Every login form (the hub's and the admin's) goes through ``authenticate()``, where
:class:`LimitedModelBackend` (Django's ModelBackend, the only backend) counts the attempt
against the account and the address before the password is checked, and refuses once
either has used up its failures for the window (without hashing the password, so guessing
stays cheap for us). A successful login takes its attempt back: only failures count.

Once an account or an address is locked, ``core.middleware.EarlyRefusalMiddleware`` (at
the top of the middleware chain) refuses its logins before sessions, CSRF, the form and
the page: one read of the counters and a few hundred bytes of answer, no write.
"""

import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import user_logged_in
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import ratelimit

ACCOUNT_SCOPE = "login-account"
ADDRESS_SCOPE = "login-address"
BUSY_RETRY_SECONDS = 5


def _limits(request, username: str) -> list[tuple[str, str, int, int]]:
    """(scope, key, limit, window) of every limit an attempt counts against."""
    account = username.strip().lower()
    address = ratelimit.client_address(request)
    window, burst = settings.LOGIN_FAILURE_WINDOW_SECONDS, settings.LOGIN_FAILURES_PER_MINUTE
    return [
        (ACCOUNT_SCOPE, account, settings.LOGIN_FAILURES_PER_ACCOUNT, window),
        (ADDRESS_SCOPE, address, settings.LOGIN_FAILURES_PER_ADDRESS, window),
        # Each checked guess costs a password hash: no bursts either.
        (ACCOUNT_SCOPE + "-minute", account, burst, 60),
        (ADDRESS_SCOPE + "-minute", address, burst, 60),
    ]


class LimitedModelBackend(ModelBackend):
    """Count a login attempt; refuse it when the account or the address is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return super().authenticate(request, username=username, password=password, **kwargs)
        self.count_attempt(request, username)
        try:
            # Hashing a password costs a processor for a moment: only so many at once.
            # While another password is checked, wait a little for a place (threaded
            # servers only: ratelimit.Tarpit), so a busy moment does not refuse at once.
            with ratelimit.slot(
                "password-check",
                settings.LOGIN_CHECKS_AT_ONCE,
                timeout=30,
                wait=ratelimit.TARPIT.waiter(request),
            ):
                return super().authenticate(request, username=username, password=password, **kwargs)
        except ratelimit.Busy:
            _refund(request)  # not checked: it does not count
            request.login_retry_after = BUSY_RETRY_SECONDS
            request.login_busy = True
            raise PermissionDenied from None

    def count_attempt(self, request, username: str) -> None:
        limits = _limits(request, username)
        # Locked already (e.g. the form was opened before the lock): refused without a write.
        locked = ratelimit.used_up(limits)
        if locked:
            request.login_attempt = []
            request.login_retry_after = locked
            raise PermissionDenied
        counted, waits = [], []
        for scope, key, limit, window in limits:
            counted.append((scope, key, window))
            if not ratelimit.allow(scope, key, limit=limit, window=window):
                waits.append(ratelimit.retry_after(window))
        request.login_attempt = counted
        if waits:
            request.login_retry_after = max(waits)
            raise PermissionDenied


def _refund(request) -> None:
    for scope, key, window in getattr(request, "login_attempt", []):
        ratelimit.refund(scope, key, window=window)
    request.login_attempt = []


@receiver(user_logged_in, dispatch_uid="humaine.core.login_success_does_not_count")
def _success_does_not_count(sender, request, user, **kwargs) -> None:
    if request is not None:
        _refund(request)


class LimitedLoginMixin:
    def get_invalid_login_error(self):
        seconds = getattr(self.request, "login_retry_after", None)
        if seconds:
            message = _("Too many failed logins for this account or from your address.")
            if getattr(self.request, "login_busy", False):
                message = _("Too many logins are being checked right now.")
            return ValidationError(f"{message} {ratelimit.try_again_text(seconds)}", code="locked")
        return super().get_invalid_login_error()


class LoginForm(LimitedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(LimitedLoginMixin, AdminAuthenticationForm):
    pass


def _refused(request, response):
    seconds = getattr(request, "login_retry_after", None)
    if seconds:
        if not getattr(request, "login_busy", False):
            # Locked: the refusal waits (a login refused because others are being checked
            # right now does not: that is not this client's doing).
            waited = ratelimit.TARPIT.hold(request, seconds)
            seconds = max(1, math.ceil(seconds - waited))
        response.status_code = 429
        response["Retry-After"] = str(seconds)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_invalid(self, form):
        return _refused(self.request, super().form_invalid(form))


def admin_login(request, extra_context=None):
    """The admin's login page (its form set in CoreConfig.ready), with a 429 when refused."""
    return _refused(request, admin.site.login(request, extra_context))


def register_early_refusal() -> None:
    """Once an account or an address is locked, its logins are refused at the top of the
    middleware chain (core.middleware.EarlyRefusalMiddleware), before the form."""

    def limits(request):
        username = request.POST.get("username", "")
        return _limits(request, username) if username else []

    ratelimit.refuse_early(
        ["POST"],
        ratelimit.language_prefix() + r"accounts/login/$|^/admin/login/$",
        limits,
        lambda: _("Too many failed logins for this account or from your address."),
    )
