"""Failed logins are limited per account and per address on every login form."""

import pytest
from django.urls import reverse

from humaine.tests.factories import PASSWORD

FORMS = {"hub": "/accounts/login/", "admin": "/admin/login/"}


def attempt(client, form, username, password, address="198.51.100.1"):
    return client.post(
        FORMS[form], {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def accounts(db):
    """Two accounts that may use both forms (the admin's needs staff status)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    return [users.create_superuser(name, f"{name}@example.org", PASSWORD) for name in ("a1", "a2")]


@pytest.mark.parametrize("form", FORMS)
def test_guessing_one_account_from_many_addresses_locks_the_account(
    client, accounts, settings, form
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    for i in range(5):
        assert attempt(client, form, "a1", "wrong", f"203.0.113.{i}").status_code == 200
    response = attempt(client, form, "a1", PASSWORD, "203.0.113.99")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not logged_in(client)
    page = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldungen" in page
    assert "Bitte versuchen Sie es in" in page
    # another account is not affected
    assert attempt(client, form, "a2", PASSWORD, "203.0.113.99").status_code == 302


@pytest.mark.parametrize("form", FORMS)
def test_guessing_many_accounts_from_one_address_locks_the_address(
    client, accounts, settings, form
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    settings.LOGIN_FAILURES_PER_MINUTE = 100
    for i in range(6):
        assert attempt(client, form, f"guess{i}", "wrong").status_code == 200
    assert attempt(client, form, "a1", PASSWORD).status_code == 429
    assert not logged_in(client)
    # from another address the account still logs in
    assert attempt(client, form, "a1", PASSWORD, "192.0.2.50").status_code == 302


def test_no_more_than_a_few_guesses_a_minute_even_below_the_window_limits(
    client, accounts, settings
):
    settings.LOGIN_FAILURES_PER_MINUTE = 3
    for i in range(3):
        assert attempt(client, "hub", f"guess{i}", "wrong").status_code == 200
    response = attempt(client, "hub", "a1", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_while_another_password_is_checked_a_login_is_refused_without_counting(
    client, accounts, settings
):
    from django.core.cache import cache

    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    cache.add("slot:password-check:0", 1)  # another process is checking a password
    busy = attempt(client, "hub", "a1", "wrong")
    assert busy.status_code == 429 and busy["Retry-After"] == "5"
    assert "Gerade werden zu viele Anmeldungen geprüft." in busy.content.decode()
    cache.delete("slot:password-check:0")
    assert attempt(client, "hub", "a1", PASSWORD).status_code == 302


def test_only_failures_count(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(6):
        assert attempt(client, "hub", "staff", PASSWORD).status_code == 302
        client.logout()
    for _ in range(2):
        attempt(client, "hub", "staff", "wrong")
    assert attempt(client, "hub", "staff", PASSWORD).status_code == 302


def test_the_account_name_counts_whatever_its_case(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    attempt(client, "hub", "Staff", "wrong")
    attempt(client, "hub", " STAFF", "wrong")
    assert attempt(client, "hub", "staff", PASSWORD).status_code == 429


def test_staff_logs_in_with_the_right_password(client, cast):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.staff.pk)


@pytest.mark.parametrize("form", FORMS)
def test_once_locked_a_login_is_refused_at_once_without_a_write(client, accounts, settings, form):
    from humaine.core.models import RateCounter

    settings.LOGIN_FAILURES_PER_MINUTE = 2
    for i in range(2):
        assert attempt(client, form, f"guess{i}", "wrong").status_code == 200
    counts = sorted(RateCounter.objects.values_list("key", "count"))
    for i in range(3):
        refused = attempt(client, form, f"other{i}", "wrong")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        # a short answer before the form: no page, no CSRF token, no session
        page = refused.content.decode()
        assert "Zu viele fehlgeschlagene Anmeldungen" in page and "csrfmiddlewaretoken" not in page
        assert not refused.templates
    # nothing counted, nothing written: the counters are as the lock left them
    assert sorted(RateCounter.objects.values_list("key", "count")) == counts


def test_the_short_refusal_speaks_the_language_of_the_form(client, accounts, settings):
    settings.LOGIN_FAILURES_PER_MINUTE = 1
    client.post("/en/accounts/login/", {"username": "x", "password": "y"})
    refused = client.post("/en/accounts/login/", {"username": "a1", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert not logged_in(client)
