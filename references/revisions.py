"""One reversion revision per write, with who made it and why.

Every multi-step write of the portal (articles and literature alike) records
itself the same way: one revision holding the changed rows, the user when a
person made it, and a comment for the history pages. ``revision()`` is that
one way; the services, the workflow and the demo loader all use it.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import reversion


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
