"""One form per endpoint, whatever the client's Accept header says.

The JSON API answers JSON and the FHIR endpoints FHIR JSON; a client asking
for ``application/fhir+json`` (as FHIR clients do), ``text/html`` or
anything else gets that, not a 406. It also keeps every answer the same
for everybody, as the caches of the answers assume (their keys hold no
Accept header).
"""

from rest_framework.negotiation import BaseContentNegotiation


class OneForm(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
