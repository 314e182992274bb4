"""Pages of a list: ``?page=N``, strictly a whole number in plain digits.

Django's paginator would read "٣" (an Arabic-Indic three) as 3 and a
thousand-digit number as a very large page; here a page is 1 to 9 ASCII
digits (or "last"), anything else is a 400 saying so, and a page past the
end a 404 naming the last one.
"""

import re

from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import PageNumberPagination

PAGE_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)


class PublicPagination(PageNumberPagination):
    page_size = settings.PORTAL_PAGE_SIZE

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "1")
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ParseError(
                _("The page must be a whole number from 1 to %(last)d.")
                % {"last": paginator.num_pages}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                _("There is no page %(page)d: the last is %(last)d.")
                % {"page": number, "last": paginator.num_pages}
            ) from None
        self.request = request
        return list(self.page)

    def get_paginated_response_schema(self, schema):
        # DRF writes OpenAPI 3.0's "nullable"; the schema is 3.1.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }
