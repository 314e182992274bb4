"""Load the myositis demo content (and, in development, demo accounts)."""

from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from articles import services, workflow
from articles.models import Article, BoardMember, Disclosure
from references.fields import normalize_text
from references.models import Entry, Reference, Section, Topic

from ..models import GlossaryTerm
from . import content

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"

# Development-only accounts; seed_demo refuses to create them unless DEBUG is on.
DEMO_ACCOUNTS = [
    {
        "username": "editor",
        "password": "demo-editor-pass",
        "first_name": "Erin",
        "last_name": "Editor",
        "groups": [workflow.EDITORS],
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "board",
        "password": "demo-board-pass",
        "first_name": "Dr Bao",
        "last_name": "Board",
        "groups": [workflow.BOARD],
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

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)

    def note(self, obj, created):
        label = f"{obj._meta.verbose_name}: {obj}"
        (self.created if created else self.updated).append(label)


@transaction.atomic
def load_demo_content(*, with_accounts: bool) -> LoadReport:
    """Create or bring up to date the demo topics, literature and article.

    Running it again changes nothing that is already as the demo defines it;
    the article gets a new approved version only when its text changed.
    """
    report = LoadReport()
    with reversion.create_revision():
        reversion.set_comment("Loaded the myositis demo content")
        if with_accounts:
            report.accounts = _load_accounts()
        topics = _load_topics(report)
        references = _load_references(topics, report)
    _load_glossary(report)
    _load_article(topics["myositis-treatment"], references, report, with_accounts)
    return report


def _update_or_create(model, report, lookup, values):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.note(obj, created=True)
    elif any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.note(obj, created=False)
    return obj


def _load_accounts():
    User = get_user_model()
    accounts = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account["username"])
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
        if account["username"] in content.DISCLOSURES:
            Disclosure.objects.update_or_create(
                user=user,
                defaults={"statement": content.DISCLOSURES[account["username"]]},
            )
        accounts.append(account)
    return accounts


def _load_topics(report):
    topics = {}
    for data in content.TOPICS:
        topics[data["slug"]] = _update_or_create(
            Topic,
            report,
            {"slug": data["slug"]},
            {"title": data["title"], "summary": data["summary"]},
        )
    for data in content.TOPICS:
        topics[data["slug"]].also_see.set([topics[slug] for slug in data["also_see"]])
    for position, data in enumerate(content.SECTIONS):
        _update_or_create(
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
            )
        }
        values["authors"] = "\n".join(data["authors"])
        reference = _update_or_create(
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
            position = positions.setdefault(section.pk, 0)
            positions[section.pk] += 1
            _update_or_create(
                Entry,
                report,
                {"section": section, "reference": reference},
                {"position": position},
            )
    return references


def _load_glossary(report):
    for data in content.GLOSSARY:
        _update_or_create(
            GlossaryTerm,
            report,
            {"slug": data["slug"]},
            {
                "term": data["term"],
                "synonyms": "\n".join(data["synonyms"]),
                "definition": data["definition"],
            },
        )


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


def _load_article(topic, references, report, with_accounts):
    """Bring the demo article to its last version, approved with its note.

    A fresh database gets the whole history (each version approved with its
    change note); an article whose text differs from the last version gets
    that version; one already there is left alone.
    """
    User = get_user_model()
    editor = User.objects.filter(username="editor").first() if with_accounts else None
    board = User.objects.filter(username="board").first() if with_accounts else None
    slug = content.ARTICLE["slug"]
    history = [
        (_article_text(recommendations=step["recommendations"]), step)
        for step in content.ARTICLE_HISTORY
    ]
    article = Article.objects.filter(slug=slug).first()
    latest_text, latest = history[-1]
    if article is None:
        steps = history
        article = Article(slug=slug, topic=topic, is_overview=True, author=editor)
    elif all(getattr(article, k) == v for k, v in latest_text.items()):
        if article.live_id and article.live.number == article.version:
            return
        steps = [(None, latest)]
    else:
        steps = [history[-1]]
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
    if board is None:
        workflow.record_approval(
            article=article,
            approved_by=None,
            comment="Demo content, reviewed",
            note=note,
        )
        return
    # With accounts the demo goes through the real review, as the site would.
    if article.status in workflow.TRANSITIONS[workflow.Action.SUBMIT].sources:
        workflow.submit(article=article, user=editor)
    if article.status == Article.Status.SUBMITTED:
        workflow.start_review(article=article, user=board)
    workflow.approve(
        article=article, user=board, comment="Demo content approved", note=note
    )
