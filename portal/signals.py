"""Signal receivers that keep derived data in step: the search index, the glossary.

Signals are used here, and only here, because what they maintain is derived
data that ``manage.py rebuild_search_index`` can recreate at any time, and
because ``articles`` and ``references`` must not know about ``portal``.
Deletions need no receiver: a search document goes with its article or
reference (ON DELETE CASCADE), and the database's triggers clean the engine.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from references.models import Reference

from . import glossary
from .models import GlossaryTerm
from .search import indexing


@receiver(post_save, sender=Article, dispatch_uid="portal_index_article")
def index_article(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_article(instance)


@receiver(post_save, sender=Reference, dispatch_uid="portal_index_reference")
def index_reference(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_reference(instance)


@receiver(post_save, sender=GlossaryTerm, dispatch_uid="portal_glossary_saved")
@receiver(post_delete, sender=GlossaryTerm, dispatch_uid="portal_glossary_deleted")
def forget_glossary(sender, **kwargs):
    cache.delete(glossary.CACHE_KEY)
