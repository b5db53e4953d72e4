"""Pagination for long lists."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows per page of a long list on the hub's pages (the triage queue, a user's checks).
PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Count at most ``cap`` rows.

    An exact count of a 100,000-row queue costs more than the page itself, and nobody pages
    that far: past the cap the list says "more than N" and offers pages up to the cap.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
