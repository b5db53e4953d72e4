"""A fixed-window rate limit per client address (or account), shared by every web process.

The count lives in the cache when the cache counts atomically (Redis, memcached: set
``REDIS_URL``); otherwise in the database table ``core.RateCounter``, incremented by one
``UPDATE`` so that parallel requests cannot slip past the limit (the database cache's
``incr`` reads and writes in two steps and would lose hits under load).
"""

import contextlib
import datetime as dt
import hashlib
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

HOUR = 3600  # seconds: the window of every limit counted per hour

ATOMIC_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}


def client_address(request) -> str:
    """The client's address; with ``NUM_PROXIES`` set, taken from X-Forwarded-For."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def _name(scope: str, key: str, window: int) -> tuple[str, int]:
    # Addresses are personal data: only a hash is stored.
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    bucket = int(time.time() // window)
    return f"rl:{digest}:{bucket}", bucket


def _atomic_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"] in ATOMIC_CACHES


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key`` in ``scope``; False once the window's limit is used up."""
    name, bucket = _name(scope, key, window)
    if _atomic_cache():
        count = _count_in_cache(name, window)
    else:
        ends = dt.datetime.fromtimestamp((bucket + 1) * window + 5, tz=dt.UTC)
        count = _count_in_database(name, ends)
    return count <= limit


def used_up(limits) -> int | None:
    """Seconds until the client may try again if any of ``limits`` (``(scope, key, limit,
    window)``) is used up already, else None.

    Only reads (one cache or database read for all of them), so a client that keeps
    knocking once refused costs no write and takes no lock.
    """
    names: dict[str, tuple[int, int]] = {}
    for scope, key, limit, window in limits:
        names[_name(scope, key, window)[0]] = (limit, window)
    if _atomic_cache():
        counts = cache.get_many(list(names))
    else:
        from .models import RateCounter

        rows = RateCounter.objects.filter(key__in=list(names)).values_list("key", "count")
        counts = dict(rows)
    waits = [
        retry_after(window)
        for name, (limit, window) in names.items()
        if (counts.get(name) or 0) >= limit
    ]
    return max(waits) if waits else None


def allow_request(request, scope: str, *, limit: int, window: int) -> bool:
    return allow(scope, client_address(request), limit=limit, window=window)


def refund(scope: str, key: str, *, window: int) -> None:
    """Take back one hit of the current window (a hit that turned out not to count)."""
    from .models import RateCounter

    name, _bucket = _name(scope, key, window)
    if _atomic_cache():
        # ValueError: the window ended meanwhile.
        with contextlib.suppress(ValueError):
            cache.decr(name)
        return
    RateCounter.objects.filter(key=name, count__gt=0).update(count=F("count") - 1)


def refund_request(request, scope: str, *, window: int) -> None:
    refund(scope, client_address(request), window=window)


def retry_after(window: int) -> int:
    """Seconds until the current window ends and a limited client may try again."""
    return math.ceil(window - time.time() % window)


def try_again_text(seconds: int) -> str:
    """'Please try again in N minutes.', for the page of a refused request."""
    minutes = max(1, math.ceil(seconds / 60))
    text = ngettext(
        "Please try again in %(minutes)d minute.",
        "Please try again in %(minutes)d minutes.",
        minutes,
    )
    return text % {"minutes": minutes}


def try_again_in_window(window: int) -> str:
    return try_again_text(retry_after(window))


def too_many(response, window: int, request=None):
    """Make ``response`` a 429 that says (in ``Retry-After``) when to try again.

    With ``request`` (whose client used up the limit), the answer waits first
    (:data:`TARPIT`)."""
    if request is not None:
        TARPIT.hold(request, retry_after(window))
    response.status_code = 429
    response["Retry-After"] = str(retry_after(window))
    return response


SLOT_POLL_SECONDS = 0.05  # how often a request waiting for a place (slot) looks again


class Tarpit:
    """Slow down a client that keeps knocking once it has used up a limit.

    A request refused because its client used up a limit (a locked login, saves or PDFs
    over the address's share, the inquiry and check forms, the API) waits before its 429:
    ``REFUSAL_DELAY_SECONDS``, never past the moment the client may try again
    (``Retry-After``). A client that sends its next request as soon as the last one is
    answered then sends a few a second instead of hundreds, and the hub's processors are
    left to everyone else. Only refusals wait: an accepted request, a login that succeeds
    or fails within the limit, never does.

    Waiting costs no processor but holds the request's thread, so it is done only where
    the server runs each process's requests in threads (``wsgi.multithread``: gunicorn's
    gthread worker, ``--threads``; under a sync worker the process would serve no one
    meanwhile), and at most ``REFUSAL_DELAY_MAX_WAITING`` requests of one process wait at
    a time: beyond that a refusal is answered at once, so the tarpit cannot take every
    thread of a process (run more threads than that: docs/operations.md).

    ``sleep`` is the clock the waits use (tests give one that records).
    """

    def __init__(self, sleep: Callable[[float], None] = time.sleep):
        self.sleep = sleep
        self.waiting = 0
        self._lock = threading.Lock()

    def delay(self, request, retry_after_seconds: float) -> float:
        """Seconds a refusal of ``request`` waits before it is answered (0: at once)."""
        bound = float(settings.REFUSAL_DELAY_SECONDS)
        if bound <= 0 or not request.META.get("wsgi.multithread"):
            return 0.0
        return max(0.0, min(bound, float(retry_after_seconds)))

    def hold(self, request, retry_after_seconds: float) -> float:
        """Wait before refusing ``request``; the seconds waited (0 when not at all: off, a
        server without threads, or ``REFUSAL_DELAY_MAX_WAITING`` waiting already)."""
        delay = self.delay(request, retry_after_seconds)
        return delay if delay and self._wait(delay) else 0.0

    def waiter(self, request, poll: float = SLOT_POLL_SECONDS) -> Callable[[], bool]:
        """For :func:`slot`: while all places are taken, ``request`` waits in steps of
        ``poll`` seconds, ``REFUSAL_DELAY_SECONDS`` in all (under the same conditions and
        cap as :meth:`hold`), instead of being refused at once. The callable waits one step
        and says whether it did (False: give up)."""
        left = [self.delay(request, math.inf)]

        def wait() -> bool:
            step = min(poll, left[0])
            if step <= 0 or not self._wait(step):
                return False
            left[0] -= step
            return True

        return wait

    def _wait(self, seconds: float) -> bool:
        with self._lock:
            if self.waiting >= settings.REFUSAL_DELAY_MAX_WAITING:
                return False
            self.waiting += 1
        try:
            self.sleep(seconds)
        finally:
            with self._lock:
                self.waiting -= 1
        return True


# One per process: its cap counts the requests of this process waiting at once.
TARPIT = Tarpit()


def _count_in_cache(name: str, window: int) -> int:
    if cache.add(name, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 5)
        return 1


@transaction.atomic
def _count_in_database(name: str, expires_at: dt.datetime) -> int:
    from .models import RateCounter

    counters = RateCounter.objects.filter(key=name)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=name, count=1, expires_at=expires_at)
        except IntegrityError:  # a parallel request opened the window first
            counters.update(count=F("count") + 1)
        else:
            # A new window: forget the ones that ended.
            RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
            return 1
    # The row stays locked by our UPDATE until commit: the count includes every earlier hit.
    return counters.values_list("count", flat=True).get()


@dataclass(frozen=True)
class EarlyRefusal:
    """Requests that :class:`~humaine.core.middleware.EarlyRefusalMiddleware` refuses at
    the top of the middleware chain once a limit they count against is used up.

    ``path`` matches ``request.path_info`` (a group ``language`` picks the answer's
    language); ``limits(request)`` lists the ``(scope, key, limit, window)`` to look at
    (only read: the view counts); ``message()`` says why, in the active language.
    """

    methods: frozenset[str]
    path: re.Pattern
    limits: Callable[..., list[tuple[str, str, int, int]]]
    message: Callable[[], str]


EARLY_REFUSALS: list[EarlyRefusal] = []


def refuse_early(methods, path: str, limits, message) -> None:
    """Register an :class:`EarlyRefusal` (from an app's ``ready()``)."""
    EARLY_REFUSALS.append(EarlyRefusal(frozenset(methods), re.compile(path), limits, message))


def language_prefix() -> str:
    """The optional language prefix of a page's path, as a regex group ``language``."""
    codes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return rf"^/(?:(?P<language>{codes})/)?"


class Busy(Exception):
    """All places for an expensive operation are taken right now."""


@contextlib.contextmanager
def slot(name: str, places: int, *, timeout: int = 120, wait: Callable[[], bool] | None = None):
    """Hold one of ``places`` installation-wide places for ``name``, or raise :class:`Busy`.

    For operations that cost a processor for a while (a PDF, a password hash): however many
    clients ask at once, at most ``places`` run, and the others are answered at once, or
    after waiting for a place while ``wait()`` (:meth:`Tarpit.waiter`) waits a step and
    says it did. The places live in the cache (``add`` is atomic there); ``timeout`` frees
    the place of a process that died holding it.
    """
    while True:
        for i in range(places):
            key = f"slot:{name}:{i}"
            if cache.add(key, 1, timeout=timeout):
                try:
                    yield
                finally:
                    cache.delete(key)
                return
        if wait is None or not wait():
            raise Busy(name)
