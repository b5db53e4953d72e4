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


@dataclass(frozen=True)
class Route:
    """How the access matrix calls one URL pattern and what each user must get.

    ``objects(cast)`` gives the URL's parameters for some objects and the object each
    opens, as ``[(kwargs, obj), ...]``. A user who may not ``see`` the object gets 404; one
    who sees it but ``may`` not do this gets 403; a visitor gets the login page (the API:
    401) unless the route is public (``login=False``). Forged parameters (ids that do not
    exist, wrong tokens) get 404 for everyone.
    """

    name: str  # "namespace:url_name"
    params: tuple[str, ...] = ()  # the pattern's parameters (one name may have two patterns)
    method: str = "GET"
    objects: Callable[[Any], list[tuple[dict, Any]]] | None = None
    see: Callable[[Any, Any], bool] | None = None
    may: Callable[[Any, Any], bool] | None = None
    login: bool = True
    # the request's body: a dict, or data(cast) -> dict
    data: Any = None
    # statuses that are also fine, whatever the rules say (e.g. 503 of a health check)
    accept: tuple[int, ...] = ()


ROUTES: Registry[Route] = Registry("routes", key=lambda r: (r.name, r.params, r.method))


def route(name: str, *params: str, **options) -> Route:
    """Register a :class:`Route` (``route("contact:inquiry_detail", "pk", objects=...)``)."""
    return ROUTES.register(Route(name, tuple(params), **options))


@dataclass(frozen=True)
class CastAddition:
    """``make(cast)`` adds an app's own objects to the test cast (e.g. a row its full-text
    index needs); what it returns is kept in ``cast.extras[name]``. Keep it to a few rows."""

    name: str
    make: Callable[[Any], Any]


CAST_ADDITIONS: Registry[CastAddition] = Registry("cast additions")


@cache
def load_hooks() -> None:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.tests.hooks")
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.hooks"):
                raise


def once(cast, key: str, make: Callable[[], Any]) -> Any:
    """``make()`` once per test cast: objects several routes open share one instance."""
    made = cast.__dict__.setdefault("_hooks", {})
    if key not in made:
        made[key] = make()
    return made[key]
