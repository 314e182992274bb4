"""Pages of a long list whose depth costs an index, not the table.

``OFFSET 50,000`` on a query that selects whole rows makes the database
fetch (or sort) every row it skips: PostgreSQL chose a parallel scan and a
sort of the whole library on disk (0.24 s at page 2,000 of 100,000). A
subquery asking for the page's keys alone lets an index that holds the order
and the key answer by itself; the page's rows are then fetched by key (a
"deferred join").
"""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """A ``Paginator`` over a QuerySet whose pages are the rows whose keys a
    subquery finds (which the order's index answers), in the same order,
    with whatever the QuerySet selects and prefetches.

    The page stays a lazy QuerySet, read in one query: a page whose rendering
    is kept (a public fragment) reads nothing.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
