"""The kinds of items a scenario holds, as a registry: one more kind is one registration.

Each kind names its model (with a ``scenario`` foreign key), how it is called, the
workspace section that lists it, and the page of one item. Comments, the activity feed
and the workspace work over every registered kind, so a new app (the human-AI teams'
data sets and runs, say) adds its kind in its ``AppConfig.ready()``::

    from humaine.scenarios.kinds import ItemKind, register

    register(ItemKind(key="dataset", model=DataSet, label=_("data set"),
                      label_plural=_("data sets"), section_template="human_ai/_section.html",
                      detail_url="human_ai:dataset", order=60))

``detail_url`` is a URL name taking ``(scenario_pk, item_pk)``; ``section_template`` is
included in the workspace with ``scenario``, ``access`` and ``items`` (the first
``section_size`` items of ``queryset(scenario)``); ``visible`` decides whether a user's
:class:`~humaine.scenarios.access.ScenarioAccess` sees the section at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import reverse

from humaine.core.registry import Registry

__all__ = ["ItemKind", "KINDS", "register", "kinds", "get_kind", "item_of"]


def _everyone(access) -> bool:
    return True


def _default_queryset(kind: ItemKind, scenario):
    return kind.model.objects.filter(scenario=scenario)


@dataclass(frozen=True)
class ItemKind:
    key: str
    model: type
    label: Any
    label_plural: Any
    detail_url: str
    section_template: str | None = None
    order: int = 100
    section_size: int = 20
    commentable: bool = True
    visible: Callable[[Any], bool] = _everyone
    queryset: Callable[[Any], Any] | None = None

    def items(self, scenario):
        if self.queryset is not None:
            return self.queryset(scenario)
        return _default_queryset(self, scenario)

    def url(self, scenario_pk: int, item_pk: int) -> str:
        return reverse(self.detail_url, args=[scenario_pk, item_pk])


KINDS: Registry[ItemKind] = Registry("scenario item kinds", key="key")


def register(kind: ItemKind) -> ItemKind:
    """Add (or replace, e.g. on a reload in tests) one kind of item."""
    return KINDS.register(kind)


def kinds() -> list[ItemKind]:
    return KINDS.all()


def get_kind(key: str) -> ItemKind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def item_of(scenario, key: str, pk) -> Any:
    """One item of a kind in this scenario; 404 for another scenario's item or a bad id."""
    kind = get_kind(key)
    try:
        return kind.items(scenario).get(pk=int(pk))
    except (kind.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
