"""What each app gives the hub-wide common tests: examples of its personal data, and the
objects its URLs need (the access matrix).

An app puts these in ``humaine/<app>/tests/hooks.py`` (a module that registers into the
registries below when imported); :func:`load_hooks` imports every installed app's. A
registered section of personal data without an example, or a URL with parameters and
no route, fails the common tests: a new app is covered from its first registration.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps

from humaine.core.registry import Registry


@dataclass(frozen=True)
class PersonalDataExample:
    """``make(person, marker, cast)`` stores data of section ``section`` about ``person``
    with ``marker`` in every text the section must export and erase."""

    section: str
    make: Callable[[Any, str, Any], None]


EXAMPLES: Registry[PersonalDataExample] = Registry("personal data examples", key="section")


@cache
def load_hooks() -> None:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.tests.hooks")
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.hooks"):
                raise
