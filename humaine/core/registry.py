"""The one shape of every extension point of the hub: frozen records in a registry.

A capability adds to the rest of the hub by registering small frozen dataclasses in its
``AppConfig.ready()``, never by editing its neighbours::

    from humaine.core import panels

    panels.PANELS.register(panels.Panel("check", host="contact.inquiry", ...))

Each registry keeps its records by a key (``name`` unless said otherwise); registering a
record under a key that is taken replaces it (a reloaded app, a test). Records are read in
their ``order`` (when they have one), then in the order they were registered. Each
registry has one common test that runs every registered record through its contract.

The registries (docs/development.md, "Adding a capability", lists what each expects):

- ``core.panels.PANELS``: parts of an object's page (the inquiry's), each with who sees it
- ``core.navigation.NAV`` and ``DASHBOARD``: menu entries and overview cards, per role
- ``core.personal_data.SECTIONS``: each app's share of a person's export and erasure
- ``core.fulltext.INDEXES``: full-text indexes over text columns
- ``core.demo.DEMO_DATA``: what ``humaine demo`` loads, per app, through its services
- ``core.figures.FIGURES``: each app's counts for a period (the hub's figures)
- ``matching.sources.KINDS``, ``CASE_SOURCES``, ``METHOD_SOURCES``: what matching indexes,
  where similar cases and fitting methods come from
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import is_dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Registry"]


class Registry(Generic[T]):
    """An ordered collection of frozen records, one per key.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Entry:
    ...     name: str
    ...     order: int = 100
    >>> entries = Registry("entries")
    >>> _ = entries.register(Entry("b")), entries.register(Entry("a", order=10))
    >>> [entry.name for entry in entries]
    ['a', 'b']
    >>> with entries.registered(Entry("c", order=0)):
    ...     [entry.name for entry in entries]
    ['c', 'a', 'b']
    >>> "c" in entries
    False
    """

    def __init__(self, name: str, *, key: Callable[[T], Hashable] | str = "name"):
        self.name = name
        self._key = (lambda record: getattr(record, key)) if isinstance(key, str) else key
        self._records: dict[Hashable, T] = {}
        self._position: dict[Hashable, int] = {}
        self._counter = 0

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(map(str, self._records))}>"

    def register(self, record: T) -> T:
        """Add ``record`` (or replace the one with the same key); return it."""
        if not is_dataclass(record) or not record.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            raise TypeError(f"{self.name}: register a frozen dataclass, not {record!r}")
        key = self._key(record)
        if key not in self._position:
            self._counter += 1
            self._position[key] = self._counter
        self._records[key] = record
        return record

    def get(self, key: Hashable, default: T | None = None) -> T | None:
        return self._records.get(key, default)

    def __getitem__(self, key: Hashable) -> T:
        return self._records[key]

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[T]:
        return iter(self.all())

    def all(self) -> list[T]:
        """The records in their ``order``, then in the order they were registered."""
        return sorted(
            self._records.values(),
            key=lambda record: (getattr(record, "order", 0), self._position[self._key(record)]),
        )

    def keys(self) -> list[Hashable]:
        return [self._key(record) for record in self.all()]

    @contextmanager
    def registered(self, *records: T) -> Iterator[None]:
        """Register ``records`` for the duration of a ``with`` block (tests, a toy app)."""
        saved, position, counter = dict(self._records), dict(self._position), self._counter
        try:
            for record in records:
                self.register(record)
            yield
        finally:
            self._records, self._position, self._counter = saved, position, counter
