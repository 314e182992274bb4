"""The articles app's signal receivers, connected once in ``ArticlesConfig.ready``.

``references`` cannot know about articles, so it sends signals about its
literature and this app follows the ones that concern the board.
"""

from references.signals import notices_recorded

from . import notifications


def _notices_recorded(sender, notices, **kwargs):
    notifications.notices_found(notices=notices)


def connect() -> None:
    """Connect the receivers (``dispatch_uid`` keeps a second call harmless)."""
    notices_recorded.connect(
        _notices_recorded, dispatch_uid="articles-notices-recorded"
    )
