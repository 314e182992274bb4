"""Load the myositis demo content (and, in development, demo accounts)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from articles import notifications, roles, services, workflow
from articles.models import Article, BoardMember, ChangeClass, Disclosure
from references import identifiers
from references.fields import normalize_text
from references.models import Entry, Reference, Section, Topic
from references.revisions import revision

from ..models import GlossaryTerm, SearchSynonym
from . import content

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"

# Development-only accounts; seed_demo refuses to create them unless DEBUG is on.
DEMO_ACCOUNTS = [
    {
        "username": "editor",
        "password": "demo-editor-pass",
        "first_name": "Erin",
        "last_name": "Editor",
        "groups": [roles.EDITORS],
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "board",
        "password": "demo-board-pass",
        "first_name": "Dr Bao",
        "last_name": "Board",
        "groups": [roles.BOARD],
        "is_staff": True,
        "is_superuser": False,
        "board_profile": {
            "credentials": "MD, PhD",
            "role": "Consultant rheumatologist, chair of the editorial board",
        },
    },
    {
        "username": "admin",
        "password": "demo-admin-pass",
        "first_name": "Ada",
        "last_name": "Admin",
        "groups": [],
        "is_staff": True,
        "is_superuser": True,
    },
]


@dataclass
class LoadReport:
    """What a load created or changed, for the command to print."""

    # Whether rows that exist are brought back to the demo's values
    # (``seed_demo --reset``); otherwise they are kept as they are.
    reset: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    # Rows as (model, pk): a section several references are placed in is
    # one row, however often the load meets it.
    _touched: set = field(default_factory=set)
    _kept: set = field(default_factory=set)

    def note(self, obj, created):
        label = f"{obj._meta.verbose_name}: {obj}"
        (self.created if created else self.updated).append(label)
        self._touched.add((obj._meta.label, obj.pk))

    def keep(self, obj):
        """Count ``obj`` as an existing row left as it was."""
        row = (obj._meta.label, obj.pk)
        if row not in self._touched:
            self._kept.add(row)

    @property
    def kept(self) -> int:
        return len(self._kept)


@transaction.atomic
def load_demo_content(*, with_accounts: bool, reset: bool = False) -> LoadReport:
    """Create whatever of the demo content and accounts is missing.

    A row that exists is never changed or deleted: an editor's draft of the
    demo article, an edited summary or a changed password survive any number
    of runs. With ``reset=True`` the existing rows are brought back to the
    demo's values instead, and the article's demo text is approved again.
    """
    report = LoadReport(reset=reset)
    with notifications.silenced():
        with revision(user=None, comment="Loaded the myositis demo content"):
            if with_accounts:
                report.accounts = _load_accounts(report)
            topics = _load_topics(report)
            references = _load_references(topics, report)
        _load_glossary(report)
        _load_synonyms(report)
        _load_article(topics["myositis-treatment"], references, report, with_accounts)
    return report


def _ensure(model, report, lookup, values):
    """The row ``lookup`` finds, created with ``values`` if missing.

    An existing row is kept as it is, unless the load resets the demo.
    Returns the row and whether it was created.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.note(obj, created=True)
        return obj, True
    if report.reset and any(
        getattr(obj, name) != value for name, value in values.items()
    ):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.note(obj, created=False)
    else:
        report.keep(obj)
    return obj, False


def _load_accounts(report):
    User = get_user_model()
    accounts = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account["username"])
        accounts.append(account)
        if account["username"] in content.DISCLOSURES:
            _ensure(
                Disclosure,
                report,
                {"user": user},
                {"statement": content.DISCLOSURES[account["username"]]},
            )
        if not created and not report.reset:
            report.keep(user)
            continue
        report.note(user, created=created)
        user.first_name = account["first_name"]
        user.last_name = account["last_name"]
        user.email = f"{account['username']}@example.org"
        user.is_staff = account["is_staff"]
        user.is_superuser = account["is_superuser"]
        user.set_password(account["password"])
        user.save()
        user.groups.set(Group.objects.filter(name__in=account["groups"]))
        if "board_profile" in account:
            BoardMember.objects.update_or_create(
                user=user, defaults=account["board_profile"]
            )
    return accounts


def _load_topics(report):
    topics, created = {}, set()
    for data in content.TOPICS:
        topics[data["slug"]], new = _ensure(
            Topic,
            report,
            {"slug": data["slug"]},
            {"title": data["title"], "summary": data["summary"]},
        )
        if new:
            created.add(data["slug"])
    for data in content.TOPICS:
        if data["slug"] in created or report.reset:
            topics[data["slug"]].also_see.set(
                [topics[slug] for slug in data["also_see"]]
            )
    for position, data in enumerate(content.SECTIONS):
        _ensure(
            Section,
            report,
            {"topic": topics["myositis-treatment"], "slug": data["slug"]},
            {
                "title": data["title"],
                "intro": data.get("intro", ""),
                "position": position,
            },
        )
    return topics


def _load_references(topics, report):
    references = {}
    positions = {}
    for data in content.REFERENCES:
        values = {
            name: data[name]
            for name in (
                "kind",
                "title",
                "source",
                "year",
                "month",
                "day",
                "volume",
                "issue",
                "pages",
                "url",
                "doi",
                "pmid",
                "summary",
                "link_status",
                "authors_incomplete",
                "item_type",
            )
        }
        values["authors"] = "\n".join(data["authors"])
        # Stored as every other path stores it (lower case), so an import of
        # the same DOI as a publisher writes it finds this reference.
        values["doi"] = identifiers.normalize_doi(data["doi"])
        reference, _created = _ensure(
            Reference, report, {"citation_key": data["citation_key"]}, values
        )
        references[reference.citation_key] = reference
        for topic_slug, section_slug in data["placements"]:
            section, created = Section.objects.get_or_create(
                topic=topics[topic_slug],
                slug=section_slug,
                defaults={"title": section_slug.replace("-", " ").capitalize()},
            )
            if created:
                report.note(section, created=True)
            else:
                report.keep(section)
            position = positions.setdefault(section.pk, 0)
            positions[section.pk] += 1
            _ensure(
                Entry,
                report,
                {"section": section, "reference": reference},
                {"position": position},
            )
    return references


def _load_glossary(report):
    for data in content.GLOSSARY:
        _ensure(
            GlossaryTerm,
            report,
            {"slug": data["slug"]},
            {
                "term": data["term"],
                "synonyms": "\n".join(data["synonyms"]),
                "definition": data["definition"],
            },
        )


def _load_synonyms(report):
    # A set is the demo's when it lists the demo's first form: an editor may
    # have added or removed other forms since, and their set is kept.
    existing = {
        synonym.forms[0].lower(): synonym
        for synonym in SearchSynonym.objects.all()
        if synonym.forms
    }
    for forms in content.SEARCH_SYNONYMS:
        found = existing.get(forms[0].lower())
        if found is None:
            _ensure(SearchSynonym, report, {"terms": "\n".join(forms)}, {})
        elif report.reset:
            _ensure(
                SearchSynonym, report, {"pk": found.pk}, {"terms": "\n".join(forms)}
            )
        else:
            report.keep(found)


def _article_text(*, recommendations: bool) -> dict:
    """The demo article's text, with or without its graded recommendations."""
    data = content.ARTICLE
    text = {
        "title": data["title"],
        "summary": data["summary"],
        "plain_summary": data["plain_summary"],
    }
    for name, suffix in (("body", ""), ("plain_body", ".plain")):
        body = (ARTICLES_DIR / f"{data['slug']}{suffix}.md").read_text(encoding="utf-8")
        if recommendations:
            section = (
                ARTICLES_DIR / f"{data['slug']}{suffix}.recommendations.md"
            ).read_text(encoding="utf-8")
            # Before the first heading: the recommendations lead the article.
            intro, heading, rest = body.partition("\n## ")
            body = f"{intro}\n{section}{heading.lstrip()}{rest}"
        text[name] = body
    # Stored text is normalised (references.fields): compare like with like.
    return {name: normalize_text(value) for name, value in text.items()}


# The note of a version that puts the demo text back (seed_demo --reset).
RESTORED = {
    "change_note": "The original demo text was restored.",
    "change_class": ChangeClass.CORRECTION,
}


def _load_article(topic, references, report, with_accounts):
    """Create the demo article with its approved history, if it is missing.

    A fresh database gets every version of ``content.ARTICLE_HISTORY``, each
    approved with its change note. An existing article is kept as it is;
    with ``--reset`` its text goes back to the last demo version, approved
    as a correction.
    """
    User = get_user_model()
    editor = User.objects.filter(username="editor").first() if with_accounts else None
    board = User.objects.filter(username="board").first() if with_accounts else None
    slug = content.ARTICLE["slug"]
    # Found by its working slug or any address it was published at: an
    # editor may be renaming it.
    article = (
        Article.objects.filter(Q(slug=slug) | Q(approved_versions__slug=slug))
        .distinct()
        .first()
    )
    if article is not None and not report.reset:
        # Whatever state an editor or the board left it in stays.
        report.keep(article)
        return
    history = [
        (_article_text(recommendations=step["recommendations"]), step)
        for step in content.ARTICLE_HISTORY
    ]
    latest_text = history[-1][0]
    if article is None:
        steps = history
        article = Article(slug=slug, topic=topic, is_overview=True, author=editor)
    elif all(getattr(article, k) == v for k, v in latest_text.items()):
        if article.live_id and article.status == Article.Status.APPROVED:
            report.keep(article)
            return
        steps = [(None, RESTORED if article.live_id else history[-1][1])]
    else:
        steps = [(latest_text, RESTORED)]
    created = article.pk is None
    for text, step in steps:
        if text is not None:
            if editor is not None and article.status not in workflow.EDITABLE:
                workflow.withdraw(article=article, user=editor)
            for name, value in text.items():
                setattr(article, name, value)
            services.save_article(
                article=article, user=editor, comment="Demo content loaded by seed_demo"
            )
        _approve_demo(article, step, editor=editor, board=board)
    report.note(article, created=created)


def _approve_demo(article, step, *, editor, board):
    note = workflow.ChangeNote(
        text=step["change_note"], change_class=step["change_class"]
    )
    # A version whose recommendations rest on no checkable evidence is
    # approved with the board's acknowledgement, as the workflow asks.
    acknowledged = step.get("approval_comment", "")
    if board is None:
        workflow.record_approval(
            article=article,
            approved_by=None,
            comment=acknowledged or "Demo content, reviewed",
            note=note,
        )
        return
    # With accounts the demo goes through the real review, as the site would.
    if article.status in workflow.TRANSITIONS[workflow.Action.SUBMIT].sources:
        workflow.submit(article=article, user=editor)
    if article.status == Article.Status.SUBMITTED:
        workflow.start_review(article=article, user=board)
    workflow.approve(
        article=article,
        user=board,
        comment=acknowledged or "Demo content approved",
        note=note,
    )
