"""Running one piece of work in several threads at the same moment (tests of races)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def at_once(
    count: int, work: Callable[[], Any], *, timeout: float = 120
) -> tuple[list[Any], list[BaseException]]:
    """Start ``count`` threads that wait for one another, then each call ``work()``;
    return what the calls returned and what they raised (to be asserted in the test's
    own thread, where a failure is reported)."""
    start = threading.Barrier(count)
    results: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            results.append(work())
        except BaseException as error:  # reported in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, failures
