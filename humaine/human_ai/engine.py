"""The hub's side of the engine: builds in a child process, saved teams loaded once.

- :func:`run_build` starts :func:`humaine.human_ai.fitting.main` in a fresh process
  (``spawn``: no database connection or thread of the worker is inherited), passes on its
  progress, ends it when the run is cancelled, and says how it ended.
- :func:`load_team` loads a saved team with the engine's safe persistence
  (``teaming.load_team``: skops, no pickle) from a local folder, once per process.

Only ``teaming``'s public API is used.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import fitting

__all__ = ["BuildOutcome", "load_team", "read_team", "run_build"]

POLL_SECONDS = 0.5
# Teams kept loaded per web process (a few services' active versions).
TEAM_CACHE_SIZE = 8


@dataclass
class BuildOutcome:
    status: str  # done, data_error, failed, cancelled
    result: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] = field(default_factory=dict)


def run_build(
    spec: fitting.BuildSpec,
    *,
    on_progress: Callable[[str, int, int, str], None],
    should_cancel: Callable[[], bool],
    beat: Callable[[], None] = lambda: None,
    check_every: float = 1.0,
) -> BuildOutcome:
    """Build in a child process; call back with progress; stop it when asked to."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=fitting.main, args=(asdict(spec), send, os.getpid()), name="human-ai-build"
    )
    child.start()
    send.close()
    last_check = 0.0
    try:
        while True:
            message = _receive(receive)
            if message is not None:
                if message[0] == "progress":
                    on_progress(*message[1:])
                    continue
                child.join(timeout=30)
                if message[0] == "done":
                    return BuildOutcome("done", result=message[1])
                kind = "data_error" if message[1] == "data" else "failed"
                return BuildOutcome(kind, error=message[2])
            if not child.is_alive():
                child.join()
                return BuildOutcome(
                    "failed", error={"message": f"the build stopped (exit code {child.exitcode})"}
                )
            if time.monotonic() - last_check >= check_every:
                last_check = time.monotonic()
                beat()
                if should_cancel():
                    return BuildOutcome("cancelled")
    finally:
        if child.is_alive():
            child.terminate()
            child.join(timeout=10)
            if child.is_alive():
                child.kill()
                child.join()
        receive.close()


def _receive(receive):
    try:
        if receive.poll(POLL_SECONDS):
            return receive.recv()
    except (EOFError, OSError):
        return None
    return None


# ------------------------------------------------------------------------------ teams

_TEAMS: OrderedDict[str, Any] = OrderedDict()
_LOCK = threading.Lock()
# One load at a time per process. A team is loaded once, so threads asking for it at the
# same moment wait for the first one's load instead of repeating it. And loads must not
# run side by side: reading the saved arrays parses their headers with ``ast``, and
# CPython 3.11 keeps the AST constructor's recursion depth in state shared by all
# threads, so two parses at once can fail with "SystemError: AST constructor recursion
# depth mismatch" (CPython gh-106905; seen in CI with three threads loading one team).
_LOADING = threading.Lock()


def _cached(key: str):
    with _LOCK:
        team = _TEAMS.get(key)
        if team is not None:
            _TEAMS.move_to_end(key)
        return team


def read_team(folder: Path | str):
    """The saved team in ``folder``, read now (not kept): for the hub's code that reads a
    team once, such as an erasure. It waits while another thread of the process loads one."""
    import teaming

    with _LOADING:
        return teaming.load_team(Path(folder))


def load_team(key: str, folder: Path | str, fetch: Callable[[Path], None] | None = None):
    """The saved team in ``folder`` (fetched there first by ``fetch`` when missing), loaded
    once per process under ``key`` (the version's id and checksum)."""
    import teaming

    team = _cached(key)
    if team is not None:
        return team
    with _LOADING:
        team = _cached(key)
        if team is not None:
            return team
        folder = Path(folder)
        if not (folder / "metadata.json").exists() and fetch is not None:
            fetch(folder)
        team = teaming.load_team(folder)
        with _LOCK:
            _TEAMS[key] = team
            while len(_TEAMS) > TEAM_CACHE_SIZE:
                _TEAMS.popitem(last=False)
    return team


def warm_up() -> None:
    """Import what loading a saved team needs, so that a web process pays for it when it
    starts and not in its first routed request: the engine's safe persistence (skops)
    lists scikit-learn's estimators when it is imported, which imports their optional
    array libraries too (about 4 s on the development machine with the optional torch
    installed, against 0.2 s for the team's own files)."""
    import skops.io  # noqa: F401


def forget_teams() -> None:
    with _LOCK:
        _TEAMS.clear()
