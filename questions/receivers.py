"""The questions app's receivers, connected once in ``QuestionsConfig.ready``.

``articles`` knows nothing of readers' questions: an approval that
publishes a version creates an ``ApprovedVersion``, and that is the moment a
planned answer is reviewed and may be sent.
"""

from django.db.models.signals import post_save

from articles.models import ApprovedVersion

from . import services


def _version_approved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        services.answer_planned(version=instance)


def connect() -> None:
    """Connect the receivers (``dispatch_uid`` keeps a second call harmless)."""
    post_save.connect(
        _version_approved,
        sender=ApprovedVersion,
        dispatch_uid="questions-version-approved",
    )
