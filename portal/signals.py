"""The portal's signal receivers, connected once in ``PortalConfig.ready``.

They keep what the portal derives from the apps' data (the page cache, the
search index, the glossary and synonym caches) in step with it, and record
sign-ins for the login audit; signals, because ``articles`` and
``references`` must not know about ``portal``. What an app does about its own
data (the board's e-mail about a new notice) is that app's receiver
(``articles.receivers``).

Public pages are cached (portal/page_cache.py) and must be invalidated
whatever changed what they show: the review workflow, the admin, an import or
the link checker. Receivers on the models catch all of these in one place.
Bulk ``QuerySet.update()`` and ``bulk_create()`` send no ``post_save``: the
import, the link checker and the recording of notices send
``references.signals.references_changed`` instead. Search documents go with
their article or reference (ON DELETE CASCADE), and the database's triggers
clean the full-text engine.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import (
    ApprovedCitation,
    ApprovedVersion,
    Article,
    BoardMember,
    Disclosure,
)
from references.models import Entry, Reference, ReferenceNotice, Section, Topic
from references.signals import references_changed

from . import accounts, glossary, planner, throttling
from .models import GlossaryTerm, LoginEvent, SearchSynonym
from .page_cache import invalidate_public_pages
from .search import indexing, synonyms

# Whatever the public pages show. Any save or delete of one of these models
# invalidates them; issue-specific models that appear on public pages belong
# here too.
PUBLIC_MODELS = [
    Topic,
    Section,
    Reference,
    Entry,
    ApprovedVersion,
    ApprovedCitation,
    GlossaryTerm,
    ReferenceNotice,
    # What search finds (the search page is cached like any other).
    SearchSynonym,
    # Who wrote and approved an article, and what they declared, show on its
    # page and on the editorial board's.
    BoardMember,
    Disclosure,
]
# Fields of an Article row that public pages show directly: which version is
# live (text, address, topic and overview flag come from that version), and
# its status, for the note that an update is with the board.
ARTICLE_PUBLIC_FIELDS = {"live", "status"}


def _public_model_changed(sender, instance=None, signal=None, **kwargs):
    # A reference deleted while it waited in a curation inbox was never
    # public: nothing shown changes (and an inbox emptied of thousands would
    # otherwise start thousands of generations).
    if signal is post_delete and isinstance(instance, Reference):
        if instance.is_in_inbox:
            return
    invalidate_public_pages()


def _article_saved(sender, instance, update_fields=None, **kwargs):
    """A draft being written changes nothing public; approval or a rename does."""
    if instance.live_id is None:
        return
    if update_fields is None or ARTICLE_PUBLIC_FIELDS & set(update_fields):
        invalidate_public_pages()


def _index_article(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_article(instance)


def _index_reference(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_reference(instance)


def _references_changed(sender, references, **kwargs):
    indexing.index_references(references)
    invalidate_public_pages()
    if len(references) >= planner.BULK_WRITE_ROWS and not _refresh_pending():
        transaction.on_commit(planner.refresh_statistics)


def _refresh_pending() -> bool:
    """Whether the transaction already refreshes the statistics when it
    commits: an import sends ``references_changed`` once per batch, and the
    planner needs reading the tables once, not once per batch."""
    return any(
        func is planner.refresh_statistics
        for _savepoints, func, _robust in connection.run_on_commit
    )


def _forget_glossary(sender, **kwargs):
    glossary.forget()


def _forget_synonyms(sender, **kwargs):
    synonyms.forget()


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """Authors' and approvers' names appear on article pages; nobody else's do."""
    if created or (update_fields is not None and set(update_fields) == {"last_login"}):
        return
    if ApprovedVersion.objects.filter(
        Q(approved_by=instance) | Q(authors=instance) | Q(approvers=instance)
    ).exists():
        invalidate_public_pages()


def _logged_in(sender, request, user, **kwargs):
    throttling.login_succeeded(request=request, username=user.get_username())
    accounts.record_login_event(
        kind=LoginEvent.Kind.SUCCESS,
        username=user.get_username(),
        user=user,
        request=request,
    )


def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    throttled = throttling.is_throttled(request=request, username=username)
    throttling.record_failure(request=request, username=username)
    accounts.record_login_event(
        kind=(LoginEvent.Kind.THROTTLED if throttled else LoginEvent.Kind.FAILURE),
        username=username,
        user=None,
        request=request,
    )


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        accounts.record_login_event(
            kind=LoginEvent.Kind.LOGOUT,
            username=user.get_username(),
            user=user,
            request=request,
        )


def connect() -> None:
    """Connect the receivers (``dispatch_uid`` keeps a second call harmless)."""
    for model in PUBLIC_MODELS:
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                _public_model_changed,
                sender=model,
                dispatch_uid=f"portal-public-{model._meta.label}-{name}",
            )
    post_save.connect(_article_saved, sender=Article, dispatch_uid="portal-article")
    post_delete.connect(
        _public_model_changed, sender=Article, dispatch_uid="portal-article-delete"
    )
    m2m_changed.connect(
        _public_model_changed,
        sender=Topic.also_see.through,
        dispatch_uid="portal-topic-also-see",
    )
    post_save.connect(
        _index_article, sender=Article, dispatch_uid="portal-index-article"
    )
    post_save.connect(
        _index_reference, sender=Reference, dispatch_uid="portal-index-reference"
    )
    references_changed.connect(
        _references_changed, dispatch_uid="portal-references-changed"
    )
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _forget_glossary,
            sender=GlossaryTerm,
            dispatch_uid=f"portal-glossary-{name}",
        )
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(
            _forget_synonyms,
            sender=SearchSynonym,
            dispatch_uid=f"portal-synonyms-{name}",
        )
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="portal-user")
    user_logged_in.connect(_logged_in, dispatch_uid="portal-logged-in")
    user_login_failed.connect(_login_failed, dispatch_uid="portal-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="portal-logged-out")
