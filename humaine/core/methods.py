"""Where a method of the toolbox is described in the hub: one toolbox, not two.

The check's recommendations and matching's fitting methods name methods (keys such as
``check:REC-HC-SURVEYS``); a capability that describes methods in depth (the knowledge
base) registers a :class:`MethodPages` in its ``AppConfig.ready()``::

    methods.METHOD_PAGES.register(MethodPages("knowledge_base", pages=kb_pages))

``pages(user, keys)`` returns ``{key: [MethodPage, ...]}`` for the keys it knows, only
pages ``user`` may open. Templates show them with ``{% method_pages key %}`` (``humaine``
tag library): the recommendation or method links to its description, maturity and
evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .registry import Registry

__all__ = ["MethodPage", "MethodPages", "METHOD_PAGES", "pages_for"]


@dataclass(frozen=True)
class MethodPage:
    title: str
    url: str
    label: str = ""  # e.g. the maturity


@dataclass(frozen=True)
class MethodPages:
    name: str
    pages: Callable[[Any, list[str]], dict[str, list[MethodPage]]]
    order: int = 100


METHOD_PAGES: Registry[MethodPages] = Registry("method pages")


def pages_for(user, keys: Iterable[str]) -> dict[str, list[MethodPage]]:
    """Every registered source's pages for ``keys`` that ``user`` may open."""
    keys = [key for key in keys if key]
    out: dict[str, list[MethodPage]] = {}
    for source in METHOD_PAGES:
        for key, pages in source.pages(user, keys).items():
            out.setdefault(key, []).extend(pages)
    return out
