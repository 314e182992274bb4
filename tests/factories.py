"""factory_boy factories shared by the suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles import roles, services, workflow
from articles.models import Article, BoardMember
from references.models import Entry, Reference, SavedSearch, Section, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    # Hashed at build time, so it is saved with the row (a post-generation
    # set_password() would never be saved with skip_postgeneration_save).
    password = factory.django.Password("correct horse 42")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


def editor(**kwargs):
    return UserFactory(groups=[roles.EDITORS], **kwargs)


def board_member(**kwargs):
    return UserFactory(groups=[roles.BOARD], **kwargs)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    summary = "A topic for tests."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(int)


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    kind = Reference.Kind.RESEARCH
    title = factory.Sequence(lambda n: f"A study of myositis number {n}")
    authors = "Marie, Isabelle\nHachulla, Eric"
    source = "Autoimmun Rev"
    year = 2011
    summary = "A summary written for the tests."
    citation_key = factory.Sequence(lambda n: f"ref-{n}")
    url = factory.Sequence(lambda n: f"https://example.org/paper/{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the editorial services and the admin store a reference: with a
        # key (the suggested one if none is given) and its citations
        # formatted (an import leaves them to the first reader).
        reference = model_class(*args, **kwargs)
        reference.set_default_citation_key()
        reference.refresh_citations()
        reference.save()
        return reference


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    topic = factory.SubFactory(TopicFactory)
    label = factory.Sequence(lambda n: f"Trials in dermatomyositis {n}")
    service = SavedSearch.Service.PUBMED
    query = "dermatomyositis[mh] AND randomized controlled trial[pt]"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    section = factory.SubFactory(SectionFactory)
    reference = factory.SubFactory(ReferenceFactory)
    position = factory.Sequence(int)


def make_article(
    *,
    body="Text.",
    topic=None,
    author=None,
    approve=False,
    approval_comment="",
    **fields,
):
    """Create an article through the service, as the editorial screens do.

    With ``approve=True`` a board member approves it, so it is public, with
    ``approval_comment`` (which acknowledges, say, recommendations resting on
    references the tests leave without a kind of study or an identifier).
    """
    author = author or editor()
    article = Article(
        topic=topic or TopicFactory(),
        slug=fields.pop("slug", None) or f"article-{Article.objects.count() + 1}",
        title=fields.pop("title", "An article for tests"),
        summary=fields.pop("summary", "What the article says, in short."),
        body=body,
        author=author,
        **fields,
    )
    services.save_article(article=article, user=author)
    if approve:
        approve_through_review(article, comment=approval_comment)
    return article


def approve_through_review(article, *, editor_user=None, reviewer=None, comment=""):
    """Take an article through submit, review and approval, as the board would."""
    editor_user = editor_user or article.author
    reviewer = reviewer or board_member()
    workflow.submit(article=article, user=editor_user)
    workflow.start_review(article=article, user=reviewer)
    workflow.approve(
        article=article, user=reviewer, comment=comment, note=change_note(article)
    )
    article.refresh_from_db()
    return article


def change_note(article, change_class="minor"):
    """The note for readers an approval of a version after the first carries."""
    if article.live_id is None:
        return None
    return workflow.ChangeNote(
        text=f"Version {article.version}: wording brought up to date.",
        change_class=change_class,
    )


def advance_to(article, status, *, reviewer=None):
    """Bring a new draft to ``status`` through the real workflow."""
    Status = Article.Status
    if status == Status.DRAFT:
        return article
    if status == Status.APPROVED:
        return approve_through_review(article, reviewer=reviewer)
    reviewer = reviewer or board_member()
    workflow.submit(article=article, user=article.author)
    if status in (Status.IN_REVIEW, Status.CHANGES_REQUESTED):
        workflow.start_review(article=article, user=reviewer)
    if status == Status.CHANGES_REQUESTED:
        workflow.request_changes(
            article=article, user=reviewer, comment="Cite the guideline."
        )
    article.refresh_from_db()
    return article


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    user = factory.SubFactory(UserFactory, groups=[roles.BOARD])
    credentials = "MD, PhD"
    role = "Rheumatologist"


def administrator(**kwargs):
    return UserFactory(is_superuser=True, **kwargs)


# An approver's comment acknowledging recommendations that rest on references
# the tests leave as plain research (articles.workflow's guard).
ACK = "Acknowledged: these recommendations rest on the references cited."
