"""Password hashes and PDF renders run at the lowest scheduling priority (core.low_priority),
with the same results as in the request's own thread."""

import os
import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password

from humaine.core import low_priority
from humaine.core.hashers import LowPriorityPBKDF2PasswordHasher


def nice_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="thread priorities: Linux")
def test_the_work_runs_in_a_thread_of_lower_priority_and_returns_its_result(settings):
    settings.LOW_PRIORITY_NICE = 19
    mine = nice_of_this_thread()
    assert low_priority.run(nice_of_this_thread) == 19
    assert nice_of_this_thread() == mine  # the request's thread keeps its priority
    with pytest.raises(ZeroDivisionError):  # an error reaches the caller
        low_priority.run(lambda: 1 / 0)


def test_nice_zero_runs_the_work_in_the_calling_thread(settings):
    settings.LOW_PRIORITY_NICE = 0
    assert low_priority.run(threading.get_native_id) == threading.get_native_id()


def test_the_low_priority_hasher_makes_and_checks_djangos_own_hashes(settings):
    settings.LOW_PRIORITY_NICE = 19
    settings.PASSWORD_HASHERS = ["humaine.core.hashers.LowPriorityPBKDF2PasswordHasher"]
    ours, django = LowPriorityPBKDF2PasswordHasher(), PBKDF2PasswordHasher()
    assert ours.algorithm == django.algorithm == "pbkdf2_sha256"
    assert ours.encode("secret", "salt", 1000) == django.encode("secret", "salt", 1000)
    # a hash stored before (Django's hasher) still logs in, and new ones are the same kind
    stored = django.encode("secret", django.salt(), 1000)
    assert check_password("secret", stored)
    assert not check_password("wrong", stored)
    assert make_password("secret").startswith("pbkdf2_sha256$")


def test_the_production_hashers_start_with_the_low_priority_one(tmp_path):
    """Outside tests (which use a fast hash) new passwords are hashed at low priority."""
    from humaine.core.tests.test_settings import run_python

    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import get_hasher;"
        "print(type(get_hasher()).__name__)"
    )
    out = run_python(code, tmp_path, DEBUG="1", HUMAINE_TESTING="0")
    assert out.stdout.strip() == "LowPriorityPBKDF2PasswordHasher", out.stderr
