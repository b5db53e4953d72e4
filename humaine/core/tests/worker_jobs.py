"""Jobs that the worker-process tests run in a real worker (importable by it)."""

import os
import time
from pathlib import Path

from django.core.mail import send_mail

from humaine.core.jobs import job, run_once


def _wait_for_gate(folder: Path, marker: str) -> None:
    deadline = time.monotonic() + 300
    while not (folder / f"open-{marker}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


@job
def mail_at_gate(marker: str, folder: str, wait: str) -> str:
    """Say it started, wait for the gate ``open-<marker>`` before or after the email."""
    here = Path(folder)
    (here / f"started-{marker}-{os.getpid()}").touch()
    if wait == "before":
        _wait_for_gate(here, marker)
    sent = run_once(
        f"test.mail:{marker}",
        lambda: send_mail(f"mail {marker}", "body", None, ["someone@example.org"]),
    )
    if wait == "after":
        _wait_for_gate(here, marker)
    return "sent" if sent else "already sent"


@job
def note(marker: str, folder: str) -> str:
    """Leave a file: the worker ran this job."""
    (Path(folder) / f"ran-{marker}-{time.monotonic_ns()}").touch()
    return "noted"
