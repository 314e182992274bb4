"""Writes to the literature library that take more than one step."""

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import Entry, Reference, Section


def next_position(items) -> int:
    """The position after the last of ``items`` (a section's entries, a topic's
    sections): where something added goes."""
    last = items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_reference(
    *, reference: Reference, section: Section | None = None, user, comment: str = ""
) -> Reference:
    """Validate and save a new reference, listed last in ``section`` if given.

    A DOI or PMID already in the library is refused by validation, naming the
    existing entry. One revision records the reference and its entry.
    """
    reference.full_clean()
    with reversion.create_revision():
        reference.save()
        if section is not None:
            Entry.objects.create(
                section=section,
                reference=reference,
                position=next_position(section.entries),
            )
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment or _("Added"))
    return reference


@transaction.atomic
def move_entry(*, entry: Entry, offset: int, user, comment: str = "") -> Entry:
    """Move an entry ``offset`` places within its section (negative: up).

    The section's positions are renumbered 0, 1, 2... in the new order, so
    gaps and ties left by earlier edits disappear; the move stops at either
    end of the list.
    """
    entries = list(
        Entry.objects.select_for_update()
        .filter(section_id=entry.section_id)
        .order_by("position", "id")
    )
    index = next(i for i, other in enumerate(entries) if other.pk == entry.pk)
    target = max(0, min(len(entries) - 1, index + offset))
    entries.insert(target, entries.pop(index))
    with reversion.create_revision():
        for position, other in enumerate(entries):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment or _("Reordered the section"))
    return entries[target]
