"""The instrument library in force: the shipped YAML files plus the items staff added."""

from __future__ import annotations

from django.db.models import Count, Max

from .instruments import Library, default_library, load_library

_cache: dict[tuple, Library] = {}


def current_library() -> Library:
    """The library with the hub's own items (reloaded when those are added or edited; one
    query)."""
    from .models import InstrumentItem

    state = InstrumentItem.objects.aggregate(
        n=Count("pk"), last=Max("pk"), changed=Max("changed_at")
    )
    key = (state["n"], state["last"], state["changed"])
    if key == (0, None, None):
        return default_library()
    if key not in _cache:
        _cache.clear()
        extra = [item.as_entry() for item in InstrumentItem.objects.all()]
        _cache[key] = load_library(extra=extra)
    return _cache[key]


def retired_item_ids() -> set[str]:
    """Ids of the items staff retired: no longer put into new surveys."""
    from .models import InstrumentItem

    return set(
        InstrumentItem.objects.filter(retired_at__isnull=False).values_list("item_id", flat=True)
    )


def items_in_surveys(item_id: str) -> int:
    """How many surveys ask the item (their item lists are fixed when they are made)."""
    from .models import Survey

    return sum(
        1 for items in Survey.objects.values_list("items", flat=True) if _asks(items, item_id)
    )


def _asks(items, item_id: str) -> bool:
    return any(item_id in ids for ids in (items or {}).values())
