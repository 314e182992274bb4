"""Writes to articles that take more than one step."""

from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from references.models import Reference
from references.revisions import revision

from . import diff, evidence_profile, rendered_diff, rendering, workflow
from .models import Article, Citation

# The fields that make up an article's text: what a revert restores.
TEXT_FIELDS = ("title", "summary", "body", "plain_summary", "plain_body")


class EditConflict(Exception):
    """The text was saved by someone else since this copy was loaded."""

    def __init__(self, *, expected: int, current: int):
        self.expected, self.current = expected, current
        super().__init__(
            _(
                "Someone else saved this article (now version %(current)s) after "
                "you opened version %(expected)s. Your text was not saved: copy "
                "it, compare the versions, and edit the new version."
            )
            % {"current": current, "expected": expected}
        )


def check_version(*, current: int, expected: int | None) -> None:
    """Raise EditConflict if the edit was made on another version than ``current``.

    Optimistic locking: an edit form carries the version it was loaded at;
    ``expected=None`` means the caller edits whatever is stored (scripts).
    """
    if expected is not None and int(expected) != current:
        raise EditConflict(expected=int(expected), current=current)


@transaction.atomic
def save_article(
    *, article: Article, user, comment: str = "", expected_version: int | None = None
) -> Article:
    """Validate, render and save an article's working copy, with its citations.

    The Markdown is rendered here, once; pages serve the stored HTML. The
    citation list is rebuilt from the text, and the whole write is one
    reversion revision carrying the user and comment. The workflow decides
    whether the text may change now (and whether this starts a new draft);
    ``expected_version`` refuses a save over someone else's newer one; forms
    always send it (``ArticleForm`` refuses a post without it), and only
    scripts, which edit whatever is stored, leave it out.
    """
    workflow.check_writer(user)
    stored = workflow.prepare_edit(article=article)
    if stored is not None:
        check_version(current=stored.version, expected=expected_version)
    # full_clean() renders the text once (Article.clean) and keeps the
    # references it cites.
    article.full_clean()
    cited = article.cited_references
    article.evidence_profile = evidence_profile.profile_of(
        source=article.evidence_source, references=cited
    )
    if stored is not None:
        article.version = stored.version + 1
    comment = comment or str(_("Saved"))
    with revision(user=user, comment=comment):
        article.save()
        article.citations.all().delete()
        citations = Citation.objects.bulk_create(
            Citation(article=article, reference=reference, number=number)
            for number, reference in enumerate(cited, start=1)
        )
        # bulk_create sends no signals: put the version's citations in its
        # revision by hand, so the history knows what each version cited.
        for citation in citations:
            reversion.add_to_revision(citation)
    workflow.record_edit(
        article=article,
        user=user,
        comment=comment,
        from_state=stored.status if stored else "",
    )
    return article


def refresh_evidence_profile(*, article: Article) -> dict:
    """Work the working text's evidence profile out again from the references
    as they are now, and store it (the live version's too, when the live
    version is this text and has none: it was approved before profiles
    existed). Derived data, like the rendered HTML: no new version, no
    revision."""
    profile = evidence_profile.current_profile(article)
    article.evidence_profile = profile
    article.save(update_fields=["evidence_profile"])
    live = article.live
    if (
        live is not None
        and live.number == article.version
        and not live.evidence_profile
    ):
        live.evidence_profile = profile
        live.save(update_fields=["evidence_profile"])
    return profile


def revert_article(
    *, article: Article, number: int, user, expected_version: int | None = None
) -> Article:
    """Save the text of an earlier version as a new version (a new draft).

    Nothing is rewritten: the old text comes back as the next version, which
    goes through review like any other, and the live text stays until then.
    """
    saved = text_versions(article).get(int(number))
    if saved is None:
        raise workflow.WorkflowError(
            _("There is no version %s to go back to.") % number
        )
    for name in TEXT_FIELDS:
        setattr(article, name, saved.fields[name])
    return save_article(
        article=article,
        user=user,
        comment=str(_("Reverted to version %s")) % number,
        expected_version=expected_version,
    )


class SavedText:
    """One saved version of an article's text, read from its reversion history."""

    def __init__(self, version: Version):
        data = version.field_dict
        self.number = data["version"]
        self.fields = {name: data.get(name, "") for name in TEXT_FIELDS}
        self.saved_at = version.revision.date_created
        self.saved_by = version.revision.user
        self.comment = version.revision.comment
        self.version_id = version.pk
        self.revision_id = version.revision_id

    def cited_reference_ids(self) -> list:
        """The references this version cited, in citation order.

        Read from the same revision: the article's citations are saved with
        its text (``save_article``) and followed by reversion.
        """
        citations = Version.objects.get_for_model(Citation).filter(
            revision_id=self.revision_id
        )
        rows = sorted(
            (v.field_dict["number"], v.field_dict["reference_id"]) for v in citations
        )
        return [reference_id for _number, reference_id in rows]


@dataclass
class RenderedText:
    """One version's text as readers get it: the rendered bodies, the
    recommendation boxes and the reference each citation number means."""

    body_html: str
    plain_body_html: str
    recommendations: list
    # Citation number -> the cited reference's id.
    references: dict


def rendered_text(source, citations) -> RenderedText:
    """The stored rendering of the working copy or an approved version
    (``source``), with its ``citations`` (numbered)."""
    return RenderedText(
        source.body_html,
        source.plain_body_html,
        source.recommendations,
        {c.number: c.reference_id for c in citations},
    )


def rendered_version(saved: "SavedText", *, reference_ids) -> RenderedText | None:
    """An earlier saved version rendered as it would be now, or None if the
    renderer refuses it (a text saved under older rules). ``reference_ids``:
    the references it cited, in order (``saved.cited_reference_ids()``)."""
    numbering = {}
    try:
        body = rendering.render(saved.fields["body"], numbering)
        plain = rendering.render(saved.fields["plain_body"], numbering, plain=True)
    except ValidationError:
        return None
    return RenderedText(
        body.html,
        plain.html,
        body.recommendations,
        dict(enumerate(reference_ids, start=1)),
    )


class Comparison:
    """What changed from an earlier saved version to the article's working copy:
    the text, field by field, and the references cited or no longer cited;
    and the same in the rendered text, block by block, with a summary."""

    def __init__(
        self,
        *,
        article: Article,
        saved: SavedText,
        labels: dict,
        before,
        after,
        rendered_before: RenderedText | None = None,
        rendered_after: RenderedText | None = None,
    ):
        """``before`` and ``after``: the references (in citation order) the
        earlier version and the working copy cite; ``rendered_before`` and
        ``rendered_after`` their rendered texts, for the rendered diff."""
        current = {name: getattr(article, name) for name in labels}
        self.saved = saved
        self.changes = diff.field_diffs(saved.fields, current, labels)
        self.added, self.removed = diff.citation_changes(before, after)
        self.rendered = None
        if rendered_before is not None and rendered_after is not None:
            self.rendered = RenderedChanges(
                before=rendered_before,
                after=rendered_after,
                added=self.added,
                removed=self.removed,
                fields=dict(zip(labels, self.changes, strict=True)),
            )


class RenderedChanges:
    """The rendered diff of the clinical and plain-language texts, and the
    summary of it a reviewer reads first: the sections, recommendations and
    references that changed, each with the anchor of its change."""

    def __init__(self, *, before, after, added, removed, fields):
        self.body = rendered_diff.rendered_diff(
            before.body_html,
            after.body_html,
            old_references=before.references,
            new_references=after.references,
            prefix="diff-",
        )
        self.plain = None
        if before.plain_body_html.strip() or after.plain_body_html.strip():
            self.plain = rendered_diff.rendered_diff(
                before.plain_body_html,
                after.plain_body_html,
                old_references=before.references,
                new_references=after.references,
                prefix="diff-plain-",
            )
        self.recommendations = rendered_diff.recommendation_changes(
            before.recommendations, after.recommendations, self.body
        )
        diffs = [d for d in (self.body, self.plain) if d is not None]
        self.added = [
            (ref, next((d.cited_in[ref.pk] for d in diffs if ref.pk in d.cited_in), ""))
            for ref in added
        ]
        self.removed = [
            (
                ref,
                next(
                    (d.uncited_in[ref.pk] for d in diffs if ref.pk in d.uncited_in), ""
                ),
            )
            for ref in removed
        ]
        # Field name -> (label, word diff, changed?), as Comparison.changes.
        self.fields = fields
        # The changed title and summaries: plain text, shown as a word diff.
        self.headline = [
            row
            for name, row in fields.items()
            if name in ("title", "summary", "plain_summary") and row[2]
        ]

    @property
    def first_change(self) -> str:
        """The anchor of the first change in the text, or empty."""
        for d in (self.body, self.plain):
            if d is not None and d.changes:
                return d.changed_sections[0].anchor
        return ""

    @property
    def has_changes(self) -> bool:
        return bool(self.headline or self.first_change)


def cited_references(saved: SavedText, *, known=(), ids=None) -> list:
    """The references ``saved`` cited, in order; ``known`` ones need no query,
    nor ``ids`` (their ids in order) when the caller has read them."""
    by_pk = {reference.pk: reference for reference in known}
    ids = saved.cited_reference_ids() if ids is None else ids
    missing = [pk for pk in ids if pk not in by_pk]
    if missing:
        by_pk.update(Reference.objects.in_bulk(missing))
    return [by_pk[pk] for pk in ids if pk in by_pk]


def text_versions(article: Article) -> dict:
    """Every saved version of the article's text, by number, newest first.

    Transitions also make revisions (of an unchanged text); the first revision
    that carries a number is the save that wrote that version.
    """
    versions = {}
    history = (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("pk")
    )
    for version in history:
        saved = SavedText(version)
        versions.setdefault(saved.number, saved)
    return dict(sorted(versions.items(), reverse=True))
