"""Read-only questions about the literature library that editorial screens ask.

The curation inbox's list is one of them: ``inbox`` is the queryset the page,
its filters and its bulk actions all start from, so a filter or an order
added (by evidence kind) applies to what is shown and to what a
bulk action changes alike.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import Finding, ImportBatch, Reference, Topic


def inbox(topic: Topic) -> QuerySet:
    """The references waiting in ``topic``'s curation inbox, strongest
    evidence first (guidelines, systematic reviews, trials...), newest first
    within a kind; each with the saved searches that found it
    (``findings``, their search read with them)."""
    return (
        Reference.objects.in_inbox(topic)
        .select_related("import_batch")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("search"))
        )
        .strongest_first()
    )


def import_batches_waiting(topic: Topic) -> QuerySet:
    """The files imported into ``topic`` that still have references waiting
    in its inbox, newest first: the choices of the inbox's file filter."""
    return ImportBatch.objects.filter(
        Exists(
            Reference.objects.filter(import_batch=OuterRef("pk"), inbox_topic=topic)
        ),
        topic=topic,
    )
