"""Every DOI that becomes a link is percent-encoded as the DOI Handbook asks:
a real DOI with "<" and ">" (SICI) gives a valid href and JSON-LD sameAs."""

from html.parser import HTMLParser

import pytest

from references import identifiers
from tests.factories import EntryFactory, ReferenceFactory
from tests.portal.test_findability import jsonld

pytestmark = pytest.mark.django_db

SICI = "10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-m"
ENCODED = (
    "https://doi.org/10.1002/(sici)1097-4636(199706)35:4%3C401::aid-jbm1%3E3.0.co;2-m"
)


class Links(HTMLParser):
    """The href of every link of a page, as a browser reads it."""

    def __init__(self, html):
        super().__init__()
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href"]


def test_doi_url_encodes_what_the_handbook_asks():
    assert identifiers.doi_url(SICI) == ENCODED
    assert identifiers.doi_url('10.1000/a b#c?d%e"f') == (
        "https://doi.org/10.1000/a%20b%23c%3Fd%25e%22f"
    )
    # What needs no encoding stays readable.
    assert identifiers.doi_url("10.1016/j.autrev.2011.06.007") == (
        "https://doi.org/10.1016/j.autrev.2011.06.007"
    )


def test_a_sici_doi_links_validly_from_pages_and_json_ld(client):
    reference = ReferenceFactory(doi=SICI, url="", title="A SICI paper")
    EntryFactory(reference=reference)
    page = client.get(reference.get_absolute_url()).content.decode()
    assert ENCODED in Links(page).hrefs
    assert ENCODED in jsonld(page)["sameAs"]
    assert jsonld(page)["identifier"]["value"] == SICI
    listing = client.get("/literature/").content.decode()
    assert ENCODED in Links(listing).hrefs
    for html in (page, listing):
        assert not any("<" in href or ">" in href for href in Links(html).hrefs)
