"""Read-only questions about articles under review, asked by the workflow and
by the pages: who wrote the text, this round's approvals, the board's open
comments, the version it last sent back, the retracted papers it cites, the
papers the topic's saved searches found since its live version was approved.

Nothing here writes or decides: the rules that use these answers are the
workflow's (``articles.workflow``).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from references.models import Finding, Reference, ReferenceNotice

from .models import Article, Citation, Conflict, ReviewEvent

Status = Article.Status
Action = ReviewEvent.Action

# Board actions whose comments speak to the editors about the text.
COMMENTED_BOARD_ACTIONS = frozenset(
    {Action.START_REVIEW, Action.REQUEST_CHANGES, Action.APPROVE}
)


def approvals_required() -> int:
    """How many board members must approve a text before it is published."""
    return settings.PORTAL_APPROVALS_REQUIRED


def writers(article: Article) -> set:
    """Ids of the people who wrote the current text.

    The author, and everyone who saved a version since the last approval.
    """
    since = article.live.number if article.live_id else 0
    edited_by = ReviewEvent.objects.filter(
        article=article, action=Action.EDIT, version__gt=since, actor__isnull=False
    ).values_list("actor_id", flat=True)
    return {article.author_id, *edited_by} - {None}


@dataclass
class ReviewFacts:
    """What the review rules need to know about an article, read once."""

    writer_ids: set = field(default_factory=set)
    conflicted_ids: set = field(default_factory=set)
    # Who approved the current text in this round, not yet enough to publish.
    approver_ids: list = field(default_factory=list)


def _round_start(article_ref):
    # A round of review starts with each submission; a request for changes or
    # a withdrawal ends it, and the next submission starts afresh.
    started = (
        ReviewEvent.objects.filter(article=article_ref, action=Action.SUBMIT)
        .order_by("-pk")
        .values("pk")[:1]
    )
    return Coalesce(Subquery(started), Value(0))


def _round_approvals(article_ref):
    # Approvals recorded in this round that did not (yet) publish the text.
    return ReviewEvent.objects.filter(
        article=article_ref,
        action=Action.APPROVE,
        to_state=Status.IN_REVIEW,
        pk__gt=_round_start(article_ref),
    )


def round_approver_ids(article: Article) -> list:
    """Ids of the board members who approved the current text in this round."""
    return list(_round_approvals(article.pk).values_list("actor_id", flat=True))


def review_facts(article: Article) -> ReviewFacts:
    """Writers, conflicted members and this round's approvers of ``article``."""
    return ReviewFacts(
        writer_ids=writers(article),
        conflicted_ids=set(
            Conflict.objects.filter(article=article).values_list("member_id", flat=True)
        ),
        approver_ids=round_approver_ids(article),
    )


def with_approval_counts(queryset):
    """Annotate articles with ``approvals``: this round's approvals so far.

    One subquery for the whole list, for the dashboard.
    """
    votes = (
        _round_approvals(OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        approvals=Coalesce(Subquery(votes, output_field=IntegerField()), Value(0))
    )


def approval_progress(article: Article, facts: ReviewFacts | None = None) -> dict:
    """This round's approvals and how many are needed, for pages.

    ``facts`` (``review_facts()``) may be passed when already known.
    """
    approver_ids = facts.approver_ids if facts else round_approver_ids(article)
    return {"approvals": len(set(approver_ids)), "required": approvals_required()}


def _events(article: Article, events) -> list:
    # A page that lists the record already has the events, in order.
    if events is None:
        events = article.events.select_related("actor").order_by("created_at", "pk")
    return list(events)


def last_reviewed_version(article: Article, events=None) -> int | None:
    """The version the board last sent back with a request for changes.

    None unless it is newer than the live version: once a version is approved,
    the live one is what a new round is read against. ``events``: the
    article's record in order, when the caller has it.
    """
    requests = [
        e.version
        for e in _events(article, events)
        if e.action == Action.REQUEST_CHANGES
    ]
    number = requests[-1] if requests else None
    live = article.live.number if article.live_id else 0
    return number if number and number > live else None


def open_comments(article: Article, events=None) -> list:
    """The board's comments the editors are answering now, oldest first.

    A round of review runs from a submission to the board's decision. The
    comments of the round that ended in a request for changes stay open while
    the editors work and while the board reads the resubmitted text, with any
    comments of the round under way; publishing the text closes them all.
    """
    answered, current, requested = [], [], False
    for event in _events(article, events):
        if event.to_state == Status.APPROVED:
            answered, current, requested = [], [], False
        elif event.action == Action.SUBMIT:
            if requested:
                answered = current
            else:
                answered += current
            current, requested = [], False
        elif event.action in COMMENTED_BOARD_ACTIONS and event.comment.strip():
            current.append(event)
        if event.action == Action.REQUEST_CHANGES:
            # The board decided on the resubmitted text: this round's
            # comments replace those of the round before.
            answered, requested = [], True
    return answered + current


def cited_in_inbox(article: Article, citations=None) -> list:
    """The references the article's current text cites that still wait in a
    curation inbox, by title: readers cannot see them, so the text cannot be
    approved until an editor places each in a section (workflow).

    ``citations``, when given, are the article's citations with their
    references (and inbox topics) read: a page that shows them asks nothing more.
    """
    if citations is not None:
        waiting = {c.reference for c in citations if c.reference.inbox_topic_id}
        return sorted(waiting, key=lambda reference: reference.title)
    return list(
        Reference.objects.filter(
            pk__in=article.citations.values("reference_id"),
            inbox_topic__isnull=False,
        )
        .select_related("inbox_topic")
        .order_by("title")
    )


def cited_retractions(article: Article, citations=None) -> list:
    """The references the article's current text cites that were retracted or
    withdrawn (by a recorded notice), by title.

    ``citations``, when given, are the article's citations with their
    references' notices prefetched: a page that shows them asks nothing more.
    """
    if citations is not None:
        return sorted(
            {
                c.reference
                for c in citations
                for notice in c.reference.notices.all()
                if notice.kind in ReferenceNotice.RETRACTED
            },
            key=lambda reference: reference.title,
        )
    return list(
        Reference.objects.filter(
            pk__in=article.citations.values("reference_id"),
            notices__kind__in=ReferenceNotice.RETRACTED,
        )
        .distinct()
        .order_by("title")
    )


def proposed_note(article: Article, events=None) -> dict:
    """The note for readers the approval form starts from: the one the editor
    proposed on submitting, or, before that, what the editors said of each
    save since the live version ("What changed"), oldest first.

    ``events``: the article's record in order, when the caller has it.
    """
    if article.proposed_change_note or article.proposed_change_class:
        return {
            "text": article.proposed_change_note,
            "change_class": article.proposed_change_class,
        }
    live = article.live.number if article.live_id else 0
    said = []
    for event in _events(article, events):
        text = event.comment.strip()
        if event.action == Action.EDIT and event.version > live and text:
            if text not in said:
                said.append(text)
    return {"text": "\n".join(said), "change_class": ""}


@dataclass(frozen=True)
class FoundPaper:
    """A paper a saved search found, as one article's board sees it."""

    finding: Finding
    # Whether the article's current text cites it already.
    cited: bool


def found_since_approval(articles, *, cited_ids=None) -> dict:
    """{article id: [FoundPaper...]}: for each of ``articles``, the papers its
    topic's saved searches found since its live version was approved (all
    of them for a text never approved), strongest evidence first, leaving
    out those dismissed or no longer in the library. Two queries, however
    many articles: the findings and the citations (none when ``cited_ids``,
    the (article id, reference id) pairs of their citations, is given)."""
    articles = list(articles)
    if not articles:
        return {}
    since = {a.pk: a.live.approved_at if a.live_id else None for a in articles}
    findings = (
        Finding.objects.kept()
        .filter(topic_id__in={a.topic_id for a in articles})
        .select_related("search", "reference")
        .defer(
            "reference__abstract",
            "reference__citation_vancouver",
            "reference__citation_ama",
            "reference__links",
        )
        .strongest_first()
    )
    if None not in since.values():
        findings = findings.filter(found_at__gt=min(since.values()))
    cited = cited_ids
    if cited is None:
        cited = set(
            Citation.objects.filter(article__in=articles).values_list(
                "article_id", "reference_id"
            )
        )
    found = {article.pk: [] for article in articles}
    by_topic = {}
    for article in articles:
        by_topic.setdefault(article.topic_id, []).append(article)
    for finding in findings:
        for article in by_topic[finding.topic_id]:
            after = since[article.pk]
            if after is None or finding.found_at > after:
                found[article.pk].append(
                    FoundPaper(
                        finding=finding,
                        cited=(article.pk, finding.reference_id) in cited,
                    )
                )
    return found
