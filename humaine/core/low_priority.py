"""Work that may wait, at the lowest scheduling priority: password hashes and PDF renders.

Each web process runs such work in one thread of its own whose scheduling priority is
lowered to ``LOW_PRIORITY_NICE`` (Linux sets the priority per thread), and the request
that asked for it waits for the result. Under load the operating system then gives the
processor to the pages first, and what the limits still allow an attacker (a few password
hashes and PDF renders a minute) takes only the time the pages leave. With
``LOW_PRIORITY_NICE=0`` the work runs in the request's own thread as before.
"""

import concurrent.futures
import contextlib
import os
import threading

from django.conf import settings

_lock = threading.Lock()
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_owner = 0  # the process that made the executor (a forked child makes its own)


def run(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in this process's low-priority thread; its result."""
    nice = settings.LOW_PRIORITY_NICE
    if nice <= 0:
        return function(*args, **kwargs)
    return _pool(nice).submit(function, *args, **kwargs).result()


def _pool(nice: int) -> concurrent.futures.ThreadPoolExecutor:
    global _executor, _owner
    with _lock:
        if _executor is None or _owner != os.getpid():
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1,
                thread_name_prefix="humaine-low-priority",
                initializer=_lower,
                initargs=(nice,),
            )
            _owner = os.getpid()
        return _executor


def _lower(nice: int) -> None:
    # Lowering one's own priority needs no privilege (raising it again would). Not on
    # Linux: the work runs at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
