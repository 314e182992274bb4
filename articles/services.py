"""Writes to articles that take more than one step."""

import reversion
from django.db import transaction

from .models import Article, Citation


@transaction.atomic
def save_article(*, article: Article, user, comment: str = "") -> Article:
    """Validate, render and save an article's working copy, with its citations.

    The Markdown is rendered here, once; pages serve the stored HTML. The
    citation list is rebuilt from the text, and the whole write is one
    reversion revision carrying the user and comment.
    """
    article.full_clean()
    cited = article.render()
    if article.pk:
        article.version += 1
    with reversion.create_revision():
        article.save()
        article.citations.all().delete()
        Citation.objects.bulk_create(
            Citation(article=article, reference=reference, number=number)
            for number, reference in enumerate(cited, start=1)
        )
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment or "Saved")
    return article
