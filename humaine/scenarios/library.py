"""The instrument library in force: the shipped YAML files plus the items staff added."""

from __future__ import annotations

from django.db.models import Count, Max

from .instruments import Library, default_library, load_library

_cache: dict[tuple, Library] = {}


def current_library() -> Library:
    """The library with the hub's own items (reloaded when those change; one query)."""
    from .models import InstrumentItem

    state = InstrumentItem.objects.aggregate(n=Count("pk"), last=Max("pk"))
    key = (state["n"], state["last"])
    if key == (0, None):
        return default_library()
    if key not in _cache:
        _cache.clear()
        extra = [item.as_entry() for item in InstrumentItem.objects.all()]
        _cache[key] = load_library(extra=extra)
    return _cache[key]
