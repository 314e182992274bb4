"""Writes to the literature library that take more than one step."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .models import Entry, Reference, Section, Topic
from .revisions import revision


def next_position(items) -> int:
    """The position after the last of ``items`` (a section's entries, a topic's
    sections): where something added goes."""
    last = items.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_to_inbox(
    *, reference: Reference, topic: Topic, user, comment: str = ""
) -> Reference:
    """Validate and save a new reference into ``topic``'s curation inbox.

    The one way a single reference enters the library (the add form, a DOI
    or PMID lookup): it waits, hidden from readers, until an editor places it
    in a section with ``place_in_section``. A DOI, PMID or citation key
    already in the library is refused by validation, naming the existing
    entry. One revision records it.
    """
    reference.inbox_topic = topic
    reference.set_default_citation_key()
    reference.full_clean()
    # Formatted now, once, rather than by the first reader's request.
    reference.refresh_citations()
    with revision(
        user=user,
        comment=comment
        or _("Added to the curation inbox of %(topic)s") % {"topic": topic.title},
    ):
        reference.save()
    return reference


def _locked(references):
    """The references as a locked list, in the order the editor saw them."""
    pks = [getattr(reference, "pk", reference) for reference in references]
    return list(Reference.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


@transaction.atomic
def place_in_section(
    *, references: Iterable[Reference], section: Section, user, comment: str = ""
) -> list[Entry]:
    """List ``references`` last in ``section``, taking them out of any inbox.

    This is what makes a reference visible to readers. A reference already in
    the section is left where it is. One revision records the entries and the
    references.
    """
    placed = []
    position = next_position(section.entries)
    already = set(section.entries.values_list("reference_id", flat=True))
    with revision(user=user, comment=comment) as note:
        for reference in _locked(references):
            if reference.pk not in already:
                placed.append(
                    Entry.objects.create(
                        section=section, reference=reference, position=position
                    )
                )
                position += 1
            if reference.inbox_topic_id is not None:
                reference.inbox_topic = None
                reference.save(update_fields=["inbox_topic", "updated_at"])
        note.comment = comment or _("Placed %(count)s references in %(section)s") % {
            "count": len(placed),
            "section": section,
        }
    return placed


@transaction.atomic
def set_kind(
    *, references: Iterable[Reference], kind: str, user, comment: str = ""
) -> int:
    """Set the kind of several references at once; returns how many changed."""
    if kind not in Reference.Kind.values:
        raise ValidationError(
            _("“%(kind)s” is not a kind of publication."), params={"kind": kind}
        )
    changed = 0
    with revision(user=user, comment=comment) as note:
        for reference in _locked(references):
            if reference.kind != kind:
                reference.kind = kind
                fields = ["kind", "updated_at"]
                if reference.refresh_citations():
                    fields.extend(Reference.CITATION_FIELDS)
                reference.save(update_fields=fields)
                changed += 1
        note.comment = comment or _("Marked %(count)s references as %(kind)s") % {
            "count": changed,
            "kind": Reference.Kind(kind).label,
        }
    return changed


@transaction.atomic
def delete_from_inbox(*, references: Iterable[Reference]) -> int:
    """Delete references still waiting in an inbox; returns how many went.

    Only inbox references: one placed in a section is curated literature, and
    deleting it is the admin's job. A deleted reference keeps its history, so
    the admin can recover it.
    """
    doomed = [r for r in _locked(references) if r.is_in_inbox]
    for reference in doomed:
        reference.delete()
    return len(doomed)


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
    with revision(user=user, comment=comment or _("Reordered the section")):
        for position, other in enumerate(entries):
            if other.position != position:
                other.position = position
                other.save(update_fields=["position"])
    return entries[target]
