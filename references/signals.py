"""Signals of the literature library.

Bulk writes (an import, a link check) bypass ``post_save``; they send
``references_changed`` instead, so whatever derives from references (the page
cache, the search index) can follow without this app knowing about it.
"""

from django.dispatch import Signal

# Sent with ``references``: the Reference objects created or changed in bulk.
references_changed = Signal()

# Sent with ``notices``: the ReferenceNotice rows just recorded for the first
# time (never again when a source reports them again), once committed.
notices_recorded = Signal()
