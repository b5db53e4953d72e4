"""Demo data: ``humaine demo`` fills an empty hub; each capability loads its own share.

An app registers a :class:`DemoData` in its ``AppConfig.ready()``; ``load(demo)`` creates
the app's demo objects through the app's services (so the audit trail and every side
effect are as in real use) and shares what later loaders need in ``demo.objects``::

    demo.DEMO_DATA.register(DemoData("check", load=load_demo_checks, order=40))

Loaders run in ``order`` (the hub's identity 0, the contact point 10, matching 20, the
check 30; a new app keeps the default 100), all in one transaction. ``present()`` says
whether the app's data is there already (the hub then counts as not empty).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .registry import Registry

__all__ = ["DemoData", "Demo", "DEMO_DATA", "DEMO_PASSWORD", "load_demo", "present"]

DEMO_PASSWORD = "humaine-demo"  # noqa: S105 - printed for everyone to try the demo


@dataclass
class Demo:
    """What loaders share: the time the demo is set in, accounts, named objects."""

    now: datetime
    password: str = DEMO_PASSWORD
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoData:
    name: str
    load: Callable[[Demo], None]
    order: int = 100
    # whether this app's demo data (or real data) is in the database already
    present: Callable[[], bool] | None = None
    # what is present, for the message (e.g. "inquiries")
    holds: str = ""
    # the demo accounts this loader creates, as (role, username), printed for visitors
    accounts: tuple[tuple[str, str], ...] = ()


DEMO_DATA: Registry[DemoData] = Registry("demo data")


def accounts() -> list[tuple[str, str]]:
    return [account for data in DEMO_DATA for account in data.accounts]


def present() -> list[str]:
    """What the hub already holds, per loader that says so (empty: the hub is empty)."""
    return [data.holds or data.name for data in DEMO_DATA if data.present and data.present()]


@transaction.atomic
def load_demo(now: datetime | None = None) -> Demo:
    """Run every registered loader in order; all or nothing."""
    demo = Demo(now=now or timezone.now())
    for data in DEMO_DATA:
        data.load(demo)
    return demo
