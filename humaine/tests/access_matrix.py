"""The access matrix: every URL of the hub, called as every user of the test cast.

:func:`url_patterns` walks the URL resolver, so a new app's URLs are in the matrix the
moment they are included. A pattern with parameters needs a :class:`~humaine.tests.hooks.Route`
(registered in the app's ``tests/hooks.py``) that gives objects to open and the rules
that decide who sees them (404 otherwise) and who may act on them (403 otherwise); a
pattern without parameters is called as every user and must answer neither 404 nor an
error unless its route says more. :func:`rule_pairs_agree` checks that each registered
rule's list and predicate agree on every object.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from humaine import policy

from .hooks import ROUTES, Route, load_hooks
from .registries import cast_users

# Not ours to check: Django's admin (its own staff check), media in DEBUG.
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = ("",)


@dataclass(frozen=True)
class Pattern:
    name: str
    params: tuple[str, ...]
    path: str

    @property
    def api(self) -> bool:
        return self.name.startswith("api:")


def url_patterns(resolver=None, namespace: str = "", prefix: str = "") -> list[Pattern]:
    """Every named URL pattern under ``resolver`` (the hub's root by default)."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if inner.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            found += url_patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name not in (None, *SKIPPED_NAMES):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = tuple(sorted(entry.pattern.converters))
            found.append(Pattern(name, params, prefix + str(entry.pattern)))
    return list({(p.name, p.params): p for p in found}.values())


def routes_for(pattern: Pattern) -> list[Route]:
    load_hooks()
    return [
        r for r in ROUTES if r.name == pattern.name and tuple(sorted(r.params)) == pattern.params
    ]


def unrouted(patterns: list[Pattern]) -> list[Pattern]:
    """Patterns with parameters that no registered route tells how to open."""
    return [p for p in patterns if p.params and not routes_for(p)]


def _forged(kwargs: dict) -> dict:
    forged = {}
    for key, value in kwargs.items():
        if isinstance(value, bool):
            forged[key] = value
        elif isinstance(value, int):
            forged[key] = 2_000_000_000
        elif isinstance(value, uuid.UUID):
            forged[key] = uuid.uuid4()
        elif key in ("kind", "phase"):
            forged[key] = value  # a slug naming a part of the page, not an object
        else:
            forged[key] = "f" * 43
    return forged


def _call(client, route: Route, url: str, api: bool, cast):
    method = route.method.lower()
    data = route.data(cast) if callable(route.data) else route.data
    if api and data is not None:
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, data or {})


def _login(client, user):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client


def _expected(route: Route, api: bool, user, obj, forged: bool) -> str:
    if route.login and not user.is_authenticated:
        return "unauthenticated"
    if forged and route.see is None and route.may is not None and not route.may(user, None):
        return "forbidden"  # a staff-only area refuses before it looks anything up
    if forged or (route.see is not None and not route.see(user, obj)):
        return "not found"
    if route.may is not None and not route.may(user, obj):
        return "forbidden"
    return "allowed"


def _outcome(response, api: bool) -> str:
    status = response.status_code
    if status == 404:
        return "not found"
    if status == 403:
        return "forbidden"
    if status == 401 or (
        status == 302 and not api and response.url.split("?")[0].endswith("/accounts/login/")
    ):
        return "unauthenticated"
    if status >= 500:
        return f"error {status}"
    return "allowed"


def check_route(pattern: Pattern, route: Route, cast, client) -> list[str]:
    """Call ``route`` as every user; return what differs from the rules, if anything."""
    cases = route.objects(cast) if route.objects else [({}, None)]
    assert cases, f"{route.name}: no objects to open"
    if pattern.params:
        cases = [*cases, (_forged(cases[0][0]), "forged")]
    problems = []
    users = cast_users(cast)
    if route.see is None and route.may is None:
        # the same answer for every user who is logged in (or not): one of each will do
        users = {"visitor": users["visitor"], "member": users["member"]}
    for role, user in users.items():
        for kwargs, obj in cases:
            url = reverse(route.name, kwargs=kwargs)
            forged = obj == "forged"
            expected = _expected(route, pattern.api, user, None if forged else obj, forged)
            response = _call(_login(client, user), route, url, pattern.api, cast)
            got = _outcome(response, pattern.api)
            if got != expected and response.status_code not in route.accept:
                problems.append(f"{route.method} {url} as {role}: expected {expected}, got {got}")
    return problems


def check_pattern(pattern: Pattern, cast, client) -> list[str]:
    routes = routes_for(pattern)
    if not routes and pattern.params:
        return [f"{pattern.name} {pattern.params}: register a Route in the app's tests/hooks.py"]
    if not routes:
        return _check_plain(pattern, cast, client)
    return [problem for route in routes for problem in check_route(pattern, route, cast, client)]


def _check_plain(pattern: Pattern, cast, client) -> list[str]:
    """A page without parameters and without a route: no 404, no error, for anyone."""
    problems = []
    url = reverse(pattern.name)
    for role, user in cast_users(cast).items():
        response = _login(client, user).get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if response.status_code == 404 or response.status_code >= 500:
            problems.append(f"{url} as {role}: {response.status_code}")
    return problems


def rule_pairs_agree(cast, rules=None) -> list[str]:
    """Each rule's list and predicate decide alike on every object (every registered rule
    unless ``rules`` names some)."""
    from django.apps import apps

    problems = []
    for rule in policy.RULES if rules is None else rules:
        model = apps.get_model(rule.model)
        objects = list(model._default_manager.all())
        assert objects, f"rule {rule.name}: the cast has no {rule.model}"
        for role, user in cast_users(cast).items():
            listed = set(rule.visible_to(user).values_list("pk", flat=True))
            for obj in objects:
                if (obj.pk in listed) != rule.can(user, obj):
                    problems.append(
                        f"rule {rule.name} for {role} on {rule.model} {obj.pk}: "
                        f"list says {obj.pk in listed}, predicate says {obj.pk not in listed}"
                    )
    return problems
