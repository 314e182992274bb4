"""One reversion revision per write, with who made it and why.

Every multi-step write of the portal (articles and literature alike) records
itself the same way: one revision holding the changed rows, the user when a
person made it, and a comment for the history pages. ``revision()`` is that
one way; the services, the workflow and the demo loader all use it.
"""

import itertools
import json
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.utils import timezone
from reversion.models import Revision, Version


@dataclass
class RevisionNote:
    """The comment a revision will carry; a write may settle it at its end
    (``note.comment = ...``) when it depends on what the write did."""

    comment: str = ""


@contextmanager
def revision(*, user, comment: str = ""):
    """Open one reversion revision recording ``user`` (when signed in) and
    ``comment``; yields a ``RevisionNote`` whose comment may be changed
    before the block ends."""
    note = RevisionNote(comment=str(comment))
    with reversion.create_revision():
        yield note
        if user is not None and getattr(user, "is_authenticated", False):
            reversion.set_user(user)
        reversion.set_comment(str(note.comment))


def bulk_revision(objects, *, user, comment):
    """Save one reversion revision holding a version of each object.

    For writes of thousands of rows (an import, a bulk action of the curation
    inbox). This writes reversion's own Revision and Version rows, serialised
    as ``reversion.add_to_revision`` would (JSON, all fields). It exists
    because add_to_revision copies the revision's whole version map on every
    call, so thousands of objects take minutes. The Version rows go in with
    ``bulk_create``. A write that goes batch by batch calls
    ``add_to_bulk_revision`` with each batch instead of handing all at once.
    """
    revision = Revision.objects.create(
        date_created=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        comment=comment,
    )
    add_to_bulk_revision(revision, objects)
    return revision


def add_to_bulk_revision(revision: Revision, objects) -> None:
    """Add a version of each object to ``revision`` (see ``bulk_revision``)."""
    versions = []
    for model, group in itertools.groupby(objects, key=type):
        group = list(group)
        content_type = ContentType.objects.get_for_model(model)
        database = router.db_for_write(model)
        for obj, data in zip(
            group, serializers.serialize("python", group), strict=True
        ):
            versions.append(
                Version(
                    revision=revision,
                    object_id=str(obj.pk),
                    content_type=content_type,
                    db=database,
                    format="json",
                    serialized_data=json.dumps([data], cls=DjangoJSONEncoder),
                    object_repr=str(obj)[:191],
                )
            )
    Version.objects.bulk_create(versions, batch_size=1000)
