"""Writes to the literature library that take more than one step."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Entry, Reference, Section, Topic
from .revisions import bulk_revision, revision
from .signals import references_changed

# Rows written, and ids named in one statement, at a time.
BATCH = 500


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


class EditConflict(Exception):
    """The reference was saved by someone else since the editor loaded it."""


@transaction.atomic
def save_reference(
    *,
    reference: Reference,
    user,
    comment: str = "",
    loaded_at: datetime.datetime | None = None,
    section: Section | None = None,
) -> Reference:
    """Save an editor's changes to a reference already in the library.

    Validated as everywhere (``full_clean``: identifiers, dates, the citation
    key, duplicates through ``references.matching``); ``loaded_at`` is the
    ``updated_at`` the editor's form was loaded with: a save since then by
    anyone else raises EditConflict rather than being overwritten. With
    ``section``, the reference is placed there in the same step (and the
    same revision), which needs its summary (``place_in_section``).
    """
    stored = Reference.objects.select_for_update().get(pk=reference.pk)
    if loaded_at is not None and stored.updated_at != loaded_at:
        raise EditConflict(
            _(
                "Someone else saved this reference since you opened it. Your "
                "changes are below, not saved: compare them with the page as it "
                "is now, then save again."
            )
        )
    if section is not None:
        check_summaries([reference])
        reference.inbox_topic = None
    reference.full_clean()
    reference.refresh_citations()
    with revision(
        user=user,
        comment=comment
        or (
            _("Edited and placed in %(section)s") % {"section": section}
            if section is not None
            else _("Edited on the editorial screens")
        ),
    ):
        reference.save()
        if section is not None:
            for entry in _new_entries([reference], section):
                entry.save()
    return reference


def _locked(references):
    """The references as a locked list, in the order of their ids.

    ``references`` is a queryset (the whole filtered selection of an inbox,
    read by the database, never as a list of ids in the request) or any
    iterable of references or their ids.
    """
    if isinstance(references, QuerySet):
        # Without joins: PostgreSQL locks no row on the nullable side of an
        # outer join (the inbox's list reads each import batch along).
        chosen = references.select_related(None)
    else:
        pks = [getattr(reference, "pk", reference) for reference in references]
        chosen = Reference.objects.filter(pk__in=pks)
    return list(chosen.select_for_update().order_by("pk"))


def check_summaries(references):
    """Refuse (ValidationError on ``summary``) references without a summary:
    a reference goes public with one in our words, never without. The
    placing services ask it, and the admin before it takes one out of an
    inbox."""
    missing = [reference for reference in references if not reference.summary.strip()]
    if not missing:
        return
    titles = "; ".join(f"“{reference.title}”" for reference in missing[:3])
    raise ValidationError(
        {
            "summary": ngettext(
                "Write its summary before placing it: %(titles)s has none.",
                "Write their summaries before placing them: %(count)s of the "
                "chosen references have none (%(titles)s…).",
                len(missing),
            )
            % {"count": len(missing), "titles": titles}
        },
        code="no_summary",
    )


@transaction.atomic
def place_in_section(
    *, references: Iterable[Reference], section: Section, user, comment: str = ""
) -> list[Entry]:
    """List ``references`` last in ``section``, taking them out of any inbox.

    This is what makes a reference visible to readers, so each must have its
    summary: a ValidationError on ``summary`` refuses the whole placement
    otherwise. A reference already in the section is left where it is. One
    revision records the entries and the references; the writes are in bulk,
    so a whole filtered inbox of thousands takes seconds.
    """
    chosen = _locked(references)
    check_summaries(chosen)
    placed = Entry.objects.bulk_create(_new_entries(chosen, section), batch_size=BATCH)
    now = timezone.now()
    waiting = [reference for reference in chosen if reference.is_in_inbox]
    _update_in_batches(waiting, inbox_topic=None, updated_at=now)
    for reference in waiting:
        reference.inbox_topic, reference.updated_at = None, now
    bulk_revision(
        [*placed, *chosen],
        user=user,
        comment=comment
        or _("Placed %(count)s references in %(section)s")
        % {"count": len(placed), "section": section},
    )
    references_changed.send(sender=Reference, references=chosen)
    return placed


def _new_entries(references, section) -> list[Entry]:
    """Unsaved entries listing ``references`` last in ``section``, but for
    those already listed there."""
    position = next_position(section.entries)
    already = set(section.entries.values_list("reference_id", flat=True))
    entries = []
    for reference in references:
        if reference.pk not in already:
            entries.append(
                Entry(section=section, reference=reference, position=position)
            )
            position += 1
    return entries


def _update_in_batches(references, **values):
    """``QuerySet.update`` of many rows, a batch of ids at a time (databases
    bound the parameters of one statement)."""
    for start in range(0, len(references), BATCH):
        Reference.objects.filter(
            pk__in=[r.pk for r in references[start : start + BATCH]]
        ).update(**values)


@transaction.atomic
def set_kind(
    *, references: Iterable[Reference], kind: str, user, comment: str = ""
) -> int:
    """Set the kind of several references at once; returns how many changed.

    Their stored citations are formatted again on first use (the fingerprint
    tells them stale), as after an import: thousands at once would otherwise
    take minutes of citeproc.
    """
    if kind not in Reference.Kind.values:
        raise ValidationError(
            _("“%(kind)s” is not a kind of publication."), params={"kind": kind}
        )
    changed = [r for r in _locked(references) if r.kind != kind]
    now = timezone.now()
    _update_in_batches(changed, kind=kind, updated_at=now)
    for reference in changed:
        reference.kind, reference.updated_at = kind, now
    bulk_revision(
        changed,
        user=user,
        comment=comment
        or _("Marked %(count)s references as %(kind)s")
        % {"count": len(changed), "kind": Reference.Kind(kind).label},
    )
    references_changed.send(sender=Reference, references=changed)
    return len(changed)


@transaction.atomic
def delete_from_inbox(*, references: Iterable[Reference]) -> int:
    """Delete references still waiting in an inbox; returns how many went.

    Only inbox references: one placed in a section is curated literature, and
    deleting it is the admin's job. One cited by an article is refused (a
    ValidationError; nothing is deleted). A deleted reference keeps its
    history, so the admin can recover it.
    """
    doomed = [r.pk for r in _locked(references) if r.is_in_inbox]
    try:
        with transaction.atomic():
            for start in range(0, len(doomed), BATCH):
                Reference.objects.filter(pk__in=doomed[start : start + BATCH]).delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "Nothing was deleted: some of these references are cited by an "
                "article. Remove the citations first, or choose fewer references."
            ),
            code="cited",
        ) from None
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
