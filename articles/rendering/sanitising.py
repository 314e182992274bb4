"""The portal's one HTML sanitiser and the allowlist it applies.

Everything that reaches a page from an editor's text goes through
``sanitize_html()``. The allowlist is the markup the renderer makes: its
headings' ids, its citation links, its table wrapper and its recommendation
boxes, each with exactly the attributes and classes the renderer gives them.
"""

import re

import bleach

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


def _allowed_attribute(tag, name, value):
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


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html):
    """Clean HTML against the allowlist: the one sanitiser of the portal.

    Disallowed tags are removed (their text kept, as text), attributes outside
    the allowlist dropped, and links kept only for http, https and mailto,
    fragments and same-site paths starting with a single "/".
    """
    # Script and style bodies are code, not prose: drop them with their tags
    # rather than leaving their source behind as visible text.
    html = re.sub(
        r"<(script|style)\b[^>]*>.*?</\1\s*>", "", html, flags=re.IGNORECASE | re.DOTALL
    )
    return _cleaner.clean(html)
