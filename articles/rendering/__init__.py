"""Article rendering: Markdown with Pandoc-style citations, then sanitising.

``render()`` turns Markdown into HTML once, when an article is saved; the HTML
is stored and served as it is. Its parts, one job each:

- ``sanitising``: ``sanitize_html()``, the only place HTML is cleaned (all
  that reaches a page from an editor's text goes through it), and its
  allowlist;
- ``extensions``: the Markdown extensions (citations, headings, tables,
  lists, recommendation boxes);
- ``limits``: ``check_limits()`` refuses text beyond what renders in bounded
  time, and ``defuse()`` escapes what python-markdown would scan
  quadratically;
- ``blocks``: ``check_blocks()``, the faults of the recommendation blocks;
- ``syntax``: the citation and list grammar the others share.

Callers import from here: ``from articles.rendering import render``.
"""

import re
from dataclasses import dataclass, field

import markdown
from django.core.exceptions import ValidationError

from .. import grading
from .blocks import BlockError, check_blocks
from .extensions import NESTED_INDENT, CitationExtension, RecommendationBlocksExtension
from .limits import (
    MARKUP_CHARS,
    MAX_BLOCK_CHARS,
    MAX_BRACKET_DEPTH,
    MAX_CHARS,
    MAX_CITATION_MARKERS,
    MAX_LINES,
    MAX_MARKUP_CHARS,
    MAX_NESTING,
    already_checked,
    check_limits,
    defuse,
)
from .sanitising import is_safe_href, sanitize_html

__all__ = [
    "MARKUP_CHARS",
    "MAX_BLOCK_CHARS",
    "MAX_BRACKET_DEPTH",
    "MAX_CHARS",
    "MAX_CITATION_MARKERS",
    "MAX_LINES",
    "MAX_MARKUP_CHARS",
    "MAX_NESTING",
    "BlockError",
    "Rendered",
    "ValidationError",
    "check_blocks",
    "check_limits",
    "defuse",
    "is_safe_href",
    "render",
    "sanitize_html",
    "with_id_prefix",
]


@dataclass
class Rendered:
    """The result of rendering: the safe HTML and the keys cited, in order."""

    html: str
    keys: list[str] = field(default_factory=list)
    # One dict per recommendation box, in order: kind, number, anchor,
    # strength and certainty (empty for a good practice statement), text.
    recommendations: list[dict] = field(default_factory=list)
    # Each statement that cites something (paragraph, list item, box), with
    # the keys it cites: kind, anchor (a box's), text, keys.
    statements: list[dict] = field(default_factory=list)
    # How many times each key is cited in this text.
    occurrences: dict = field(default_factory=dict)


def render(text, numbering=None, *, plain=False):
    """Render Markdown with citations and recommendation boxes to sanitised HTML.

    ``numbering`` maps citation keys to numbers already given (so a second
    body of the same article, such as its plain-language version, reuses the
    reference list's numbers); new keys are numbered after them. It is updated
    in place. Keys are returned in the order they were first cited. ``plain``
    words the boxes' grades for patients. Check the text with
    ``check_blocks()`` first: a block it refuses is not made into a box.
    Text over the limits raises ValidationError (``check_limits``).
    """
    text = text or ""
    if not already_checked(text):
        check_limits(text)
    numbering = {} if numbering is None else numbering
    citations = CitationExtension(numbering, plain=plain)
    md = markdown.Markdown(
        extensions=[
            "mdx_truly_sane_lists",
            "tables",
            citations,
            RecommendationBlocksExtension(),
        ],
        extension_configs={
            "mdx_truly_sane_lists": {"nested_indent": NESTED_INDENT, "truly_sane": True}
        },
        output_format="html",
    )
    html = sanitize_html(md.convert(defuse(text)))
    cited = list(citations.occurrences)
    return Rendered(
        html=html,
        keys=cited,
        recommendations=citations.recommendations,
        statements=citations.statements,
        occurrences=dict(citations.occurrences),
    )


# Attributes of the rendered HTML that name an id on the page.
_ID_REF_RE = re.compile(r'\b(id|aria-labelledby)="([^"]*)"|\bhref="#([^"]*)"')


def with_id_prefix(html: str, prefix: str) -> str:
    """Rendered HTML whose ids (and the links and labels naming them) start
    with ``prefix``, so two texts can share one page without repeating ids
    (the review page shows the clinical and the plain-language text).

    Citation links keep pointing at the page's one reference list, and the
    recommendations' labels at the page's one explanation of the grades.
    """

    def rename(match):
        if match.group(3) is not None:
            if re.fullmatch(r"ref-\d+", match.group(3)) or (
                match.group(3) == grading.EXPLANATION_ANCHOR
            ):
                return match.group(0)
            return f'href="#{prefix}{match.group(3)}"'
        return f'{match.group(1)}="{prefix}{match.group(2)}"'

    return _ID_REF_RE.sub(rename, html)
