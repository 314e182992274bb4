"""Pages of a long list whose depth costs an index, not the table.

``OFFSET 50,000`` on a query that selects whole rows makes the database
fetch (or sort) every row it skips: PostgreSQL chose a parallel scan and a
sort of the whole library on disk (0.24 s at page 2,000 of 100,000). Asking
first for the page's keys alone lets an index that holds the order and the
key answer by itself; the page's rows are then fetched by key (a "deferred
join").
"""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """A ``Paginator`` over a QuerySet whose pages are read as their keys
    (one query the order's index answers), then those rows in the same
    order, with whatever the QuerySet selects and prefetches."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
