"""What each recommendation of an approved text cites.

Rendering stores a recommendation's kind, number, grade and statement
(``ApprovedVersion.recommendations``) but not its citations; they are in the
approved HTML, as the numbered links of its box (``<section
id="recommendation-1"> ... <a href="#ref-3">``). The API reads them from
there, once per public change (its answers are kept per cache generation).
"""

import re

from lxml import etree, html

REFERENCE_LINK = re.compile(r"#ref-(\d+)")


def cited_numbers(body_html: str) -> dict[str, list[int]]:
    """{box anchor: the citation numbers its text cites, in order, once each}."""
    if not body_html.strip():
        return {}
    try:
        root = html.fragment_fromstring(body_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return {}
    cited = {}
    for box in root.iter("section"):
        anchor = box.get("id", "")
        if not anchor:
            continue
        numbers = []
        for link in box.iter("a"):
            match = REFERENCE_LINK.fullmatch(link.get("href", ""))
            if match and int(match[1]) not in numbers:
                numbers.append(int(match[1]))
        cited[anchor] = numbers
    return cited
