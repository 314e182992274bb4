"""The portal's one HTML sanitiser and the allowlist it applies.

Everything that reaches a page from an editor's text goes through
``sanitize_html()``. The allowlist is the markup the renderer makes: its
headings' ids, its citation links, its table wrapper and its recommendation
boxes, each with exactly the attributes and classes the renderer gives them.
"""

import re

import nh3

from .. import grading

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Ids the renderer gives section headings, for the "On this page" contents.
HEADING_ID_PREFIX = "h-"
HEADING_ID_RE = re.compile(rf"{HEADING_ID_PREFIX}[a-z0-9]+(?:-[a-z0-9]+)*")
# The renderer's wrapper that lets a wide table scroll on a narrow screen.
TABLE_WRAPPER = {
    "class": "table-scroll",
    "role": "region",
    "tabindex": "0",
}


# Absolute http(s) and mailto links, fragments on the page, and paths on this
# site: a single "/" (a "//host" or "/\\host" path would leave the site).
SAFE_HREF_RE = re.compile(r"(?:https?://|mailto:|#|/(?![/\\]))", re.IGNORECASE)
# Browsers drop tabs and newlines inside URLs ("/\t/host" is "//host").
HREF_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]")


def is_safe_href(value: str) -> bool:
    """Whether a link target may stay: see ``SAFE_HREF_RE``."""
    value = value.strip()
    return SAFE_HREF_RE.match(value) is not None and not HREF_CONTROL_RE.search(value)


# What the recommendation boxes carry (see extensions.RecommendationBoxes).
BOX_ID = r"(?:recommendation|good-practice)-\d+"
BOX_CLASSES = frozenset(
    {"recommendation", *(f"recommendation--{kind}" for kind in grading.Kind.values)}
)
BADGE_CLASSES = frozenset(
    {
        "badge",
        "badge--grade",
        *(
            f"badge--{value}"
            for choices in (grading.Strength, grading.Certainty, grading.Kind)
            for value in choices.values
        ),
    }
)


def _classes_in(value, allowed):
    return bool(value) and set(value.split()) <= allowed


# The attributes each tag may carry at all; _allowed_value() then decides
# whether the value is one the renderer makes.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "aria-label"},
    "abbr": {"title"},
    "div": {"aria-label", *TABLE_WRAPPER},
    "ol": {"start"},
    "p": {"class"},
    "section": {"class", "id", "aria-labelledby"},
    "span": {"class"},
    "sup": {"class"},
    "td": {"colspan", "rowspan", "scope"},
    "th": {"colspan", "rowspan", "scope"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
# Script and style bodies are code, not prose: a whole element goes with its
# contents.
CODE_ELEMENT_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
# What a browser reads as one piece of markup: a comment, a declaration or
# processing instruction, or a start or end tag (its name in group 1).
MARKUP_RE = re.compile(r"<!--.*?-->|<[!?][^>]*>|</?([A-Za-z][^\s/>]*)[^>]*>", re.DOTALL)
# A start tag as nh3 writes it (attribute values double-quoted, escaped),
# and one of its attributes.
CLEAN_START_TAG_RE = re.compile(r'<([a-z0-9]+)((?: [^\s="/>]+="[^"]*")+)>')
CLEAN_ATTRIBUTE_RE = re.compile(r' [^\s="/>]+="[^"]*"')
# Control characters (a "&#1;" in the text) have no place on a page.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _allowed_value(tag, name, value):
    if tag == "section":
        if name == "class":
            return _classes_in(value, BOX_CLASSES)
        if name == "id":
            return re.fullmatch(BOX_ID, value) is not None
        return name == "aria-labelledby" and bool(
            re.fullmatch(BOX_ID + "-heading", value)
        )
    if tag == "span":
        return name == "class" and _classes_in(value, BADGE_CLASSES)
    if tag == "p" and name == "class":
        return value == "recommendation__grade"
    if re.fullmatch(r"h[2-6]", tag) and name == "id":
        if tag == "h2" and HEADING_ID_RE.fullmatch(value):
            return True
        return re.fullmatch(BOX_ID + "-heading", value) is not None
    if tag == "a":
        if name == "href":
            return is_safe_href(value)
        if name == "title":
            return True
        # Only the citation links the renderer makes carry ids and labels.
        if name == "id":
            return re.fullmatch(r"cite-\d+-\d+", value) is not None
        return name == "aria-label"
    if tag == "sup":
        return name == "class" and value == "citation"
    if tag == "abbr":
        return name == "title"
    if tag in {"td", "th"}:
        return name in {"colspan", "rowspan", "scope"} and value.isalnum()
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "div":
        if name == "aria-label":
            return True
        return TABLE_WRAPPER.get(name) == value
    return False


def _filter_attribute(tag, name, value):
    """nh3's attribute filter: the value kept, or None to drop the attribute."""
    return value if _allowed_value(tag, name, value) else None


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # No element takes its contents with it (see CODE_ELEMENT_RE).
    clean_content_tags=set(),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=set(ALLOWED_PROTOCOLS),
    strip_comments=True,
    # The portal's links are its own or the literature's: no rel added.
    link_rel=None,
)


def _without_disallowed_tags(html):
    """``html`` without the tags outside the allowlist, their text kept.

    Removed before nh3 reads the HTML, so that their text stays text
    whatever they are: a browser (and nh3) would show an iframe's or a
    textarea's content as typed, tags and all, drop SVG and MathML with the
    text inside, and let any of them left open take the rest of the page.
    A "<" no ">" follows can finish no tag: it is shown as typed, rather than
    dropped with all that follows it.
    """

    def keep(match):
        name = match.group(1)
        return "" if name and name.lower() not in ALLOWED_TAGS else match.group(0)

    tail = html.rfind(">") + 1
    return MARKUP_RE.sub(keep, html[:tail]) + html[tail:].replace("<", "&lt;")


def _sorted_attributes(html):
    """Each tag's attributes in alphabetical order: the stored HTML depends
    on neither the order the renderer set them in nor the order nh3 leaves
    them in after dropping some (and reads as it did under bleach)."""

    def sort(match):
        attributes = sorted(CLEAN_ATTRIBUTE_RE.findall(match.group(2)))
        return f"<{match.group(1)}{''.join(attributes)}>"

    return CLEAN_START_TAG_RE.sub(sort, html)


def sanitize_html(html):
    """Clean HTML against the allowlist: the one sanitiser of the portal.

    Disallowed tags are removed and their text kept, as text (a whole script
    or style element goes with its contents); attributes outside the
    allowlist are dropped, and links kept only for http, https and mailto,
    fragments and same-site paths starting with a single "/". Comments and
    control characters go; attributes are written in alphabetical order.
    nh3 (the Ammonia sanitiser) does the cleaning, reading the HTML as a
    browser does.
    """
    html = _cleaner.clean(_without_disallowed_tags(CODE_ELEMENT_RE.sub("", html)))
    return _sorted_attributes(CONTROL_CHARS_RE.sub("", html))
