"""A request refused because its client used up a limit waits before its 429 (the tarpit),
under a threaded server only, never longer than the configured bound or Retry-After, and
at most so many at once per process; an accepted request never waits.

The waits go through ``ratelimit.TARPIT.sleep``, which these tests replace by one that
records the seconds the code decided on (no test waits or measures time).
"""

import re
from pathlib import Path

import pytest
from django.test import Client

from humaine.core import ratelimit
from humaine.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
THREADED = {"wsgi.multithread": True}  # what gunicorn's gthread worker says of itself


@pytest.fixture
def waits(monkeypatch):
    recorded: list[float] = []
    monkeypatch.setattr(ratelimit.TARPIT, "sleep", recorded.append)
    return recorded


@pytest.fixture
def account(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("a1", "a1@example.org", PASSWORD)


def login(client, username, password, address="198.51.100.7", **extra):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **{**THREADED, **extra},
    )


def lock_address(client, settings, address="198.51.100.7"):
    settings.LOGIN_FAILURES_PER_MINUTE = 2
    for i in range(2):
        assert login(client, f"guess{i}", "wrong", address).status_code == 200


def test_a_refused_login_waits_up_to_the_bound_then_gets_429_with_retry_after(
    client, account, settings, waits
):
    settings.REFUSAL_DELAY_SECONDS = 3
    lock_address(client, settings)
    assert waits == []  # failures within the limit are answered at once
    refused = login(client, "a1", PASSWORD)
    assert refused.status_code == 429
    retry = int(refused["Retry-After"])
    assert 1 <= retry <= 60
    assert len(waits) == 1
    # the bound, or less when the window ends sooner (never past the moment to try again)
    assert 0 < waits[0] <= 3
    assert waits[0] == 3 or retry == 1
    assert "_auth_user_id" not in client.session


def test_an_accepted_login_never_waits(client, account, settings, waits):
    settings.REFUSAL_DELAY_SECONDS = 3
    assert login(client, "a1", "wrong").status_code == 200
    assert login(client, "a1", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)
    assert waits == []


def test_a_delay_of_zero_answers_at_once(client, account, settings, waits):
    settings.REFUSAL_DELAY_SECONDS = 0
    lock_address(client, settings)
    refused = login(client, "a1", PASSWORD)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert waits == []


def test_a_server_without_threads_never_waits(client, account, settings, waits):
    """Under a sync worker the whole process would serve no one while it waited."""
    settings.REFUSAL_DELAY_SECONDS = 3
    lock_address(client, settings)
    refused = login(client, "a1", PASSWORD, **{"wsgi.multithread": False})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert waits == []


def test_over_the_cap_a_refusal_is_answered_at_once(account, settings, monkeypatch):
    settings.REFUSAL_DELAY_SECONDS = 2
    settings.REFUSAL_DELAY_MAX_WAITING = 1
    first, second = Client(), Client()
    lock_address(first, settings, "198.51.100.1")
    lock_address(second, settings, "198.51.100.2")
    waits, inner = [], []

    def sleep(seconds):
        # While the first refusal waits, another locked client knocks: the only place is
        # taken, so it is refused at once.
        waits.append(seconds)
        if len(waits) == 1:
            assert ratelimit.TARPIT.waiting == 1
            inner.append(login(second, "a1", PASSWORD, "198.51.100.2"))

    monkeypatch.setattr(ratelimit.TARPIT, "sleep", sleep)
    refused = login(first, "a1", PASSWORD, "198.51.100.1")
    assert refused.status_code == 429
    assert inner[0].status_code == 429 and int(inner[0]["Retry-After"]) > 0
    assert len(waits) == 1  # the second one did not wait
    # once the first has been answered, its place is free again
    assert ratelimit.TARPIT.waiting == 0
    assert login(second, "a1", PASSWORD, "198.51.100.2").status_code == 429
    assert len(waits) == 2


def test_while_another_password_is_checked_a_login_waits_for_its_turn(
    client, account, settings, monkeypatch
):
    from django.core.cache import cache

    settings.REFUSAL_DELAY_SECONDS = 2
    cache.add("slot:password-check:0", 1)  # another process is checking a password
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 3:
            cache.delete("slot:password-check:0")  # ... and is done

    monkeypatch.setattr(ratelimit.TARPIT, "sleep", sleep)
    assert login(client, "a1", PASSWORD).status_code == 302
    assert waits == [ratelimit.SLOT_POLL_SECONDS] * 3


def test_a_login_that_never_gets_its_turn_is_refused_after_the_bound_without_counting(
    client, account, settings, waits
):
    from django.core.cache import cache

    settings.REFUSAL_DELAY_SECONDS = 0.5
    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    cache.add("slot:password-check:0", 1)
    busy = login(client, "a1", "wrong")
    assert busy.status_code == 429 and busy["Retry-After"] == "5"
    assert sum(waits) == pytest.approx(0.5)
    assert max(waits) <= ratelimit.SLOT_POLL_SECONDS
    cache.delete("slot:password-check:0")
    waits.clear()
    assert login(client, "a1", PASSWORD).status_code == 302  # the refused one did not count
    assert waits == []


def test_a_refused_inquiry_waits_too(client, db, settings, waits):
    """Refusals in a view (not only at the top of the middleware chain) wait the same way."""
    from humaine.tests.factories import inquiry_form_data

    settings.REFUSAL_DELAY_SECONDS = 2
    settings.INQUIRY_RATE_LIMIT = 1
    data = inquiry_form_data()
    first = client.post("/inquiry/", data, REMOTE_ADDR="203.0.113.9", **THREADED)
    assert first.status_code == 302 and waits == []
    refused = client.post("/inquiry/", data, REMOTE_ADDR="203.0.113.9", **THREADED)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert len(waits) == 1 and 0 < waits[0] <= 2


def test_the_settings_and_the_threaded_start_are_documented(settings):
    operations = (ROOT / "docs" / "operations.md").read_text()
    for name in ("REFUSAL_DELAY_SECONDS", "REFUSAL_DELAY_MAX_WAITING"):
        assert f"`{name}`" in operations
    # the documented start runs more threads per process than may wait at once
    start = re.search(r"gunicorn humaine\.wsgi[^\n]*(?:\\\n[^\n]*)*", operations).group(0)
    threads = int(re.search(r"--threads (\d+)", start).group(1))
    assert threads > settings.REFUSAL_DELAY_MAX_WAITING
