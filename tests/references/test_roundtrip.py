"""Exports read back: by pybtex (an independent BibTeX parser) and by our own
importers, for the whole demo library plus the shared real-world fixtures.

Every export must give back as many records as it holds, with the same DOIs,
PMIDs and citation keys. Fields that may legitimately differ, and why:

- ``abstract``: never exported (it is the publisher's text, kept for editors).
- ``links`` (further URLs of an imported file): shown to editors only, so
  no export carries them (exports hold what readers see).
- ``kind``: written in words (RIS M3, BibTeX ``type``, CSL-JSON ``genre``)
  wherever the record's type does not already imply it, so all three keep
  it; it is compared.
- ``authors``: compared as written; a name without a given name ("WHO")
  is written as a group author and read back as one.
- ``doi``: compared without regard to case (DOIs are case-insensitive and
  the importers store them lower-cased).
"""

import pytest
from django.core.management import call_command
from pybtex.database import parse_string as pybtex_parse

from references import exporting, importing
from references.models import Reference
from tests.factories import TopicFactory

from .conftest import FIXTURE_FILES, FIXTURES

pytestmark = pytest.mark.django_db

COMPARED = [
    "title",
    "authors",
    "source",
    "year",
    "month",
    "day",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "kind",
]


@pytest.fixture
def library(settings):
    """The demo library, plus every shared real-world file when present."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    if FIXTURES.is_dir():
        topic = TopicFactory()
        for name in FIXTURE_FILES:
            parsed = importing.read_file((FIXTURES / name).read_bytes(), filename=name)
            importing.import_records(records=parsed.records, topic=topic)
    references = list(Reference.objects.order_by("pk"))
    assert len(references) >= 10
    return references


def values(reference):
    found = {name: getattr(reference, name) for name in COMPARED}
    # DOIs are case-insensitive; the importers store them lower-cased, while
    # a row written without validation may keep the publisher's capitals.
    found["doi"] = found["doi"].lower()
    return found


def test_exports_are_read_back_by_our_importers_and_by_pybtex(library):
    for extension in ("ris", "bib", "json"):
        text = exporting.export(library, extension)
        parsed = importing.read_file(text.encode("utf-8"), filename=f"x.{extension}")
        assert len(parsed.records) == len(library), extension
        plan = importing.preview(parsed.records)
        # Everything is already in the library: each record is found again,
        # by identifier or (without one) by title, year and first author.
        assert plan.problems == []
        assert plan.new == []
        assert len(plan.skipped) == len(library)
        back = {record.citation_key: record for record in parsed.records}
        for reference in library:
            record = back[reference.citation_key]
            read = values(importing.reference_from_record(record)[0])
            assert read == values(reference), (extension, reference.citation_key)

    data = pybtex_parse(exporting.export(library, "bib"), "bibtex")
    assert len(data.entries) == len(library)
    for reference in library:
        entry = data.entries[reference.citation_key]
        assert entry.fields.get("doi", "").lower() == reference.doi.lower()
        assert entry.fields.get("pmid", "") == reference.pmid
        assert entry.fields.get("url", "") == reference.url


TRICKY_TITLES = [
    "Anti-MDA5 -- a marker of interstitial lung disease",
    "Grade 3---4 adverse events",
    "IL--6^2 and TNF~alpha in dermatomyositis",
    "Myositis ^ and ~ and -- in one title",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_bibtex_titles_with_dashes_carets_and_tildes_come_back_as_written(title):
    from pybtex.richtext import Text

    from tests.factories import ReferenceFactory

    reference = ReferenceFactory(title=title)
    text = exporting.export([reference], "bib")
    [record] = importing.read_file(text.encode(), filename="x.bib").records
    assert record.title == title
    # pybtex reads the file and turns its LaTeX into text: no en or em dash
    # where the title had hyphens. (It leaves \textasciicircum{}, LaTeX's
    # "^", for LaTeX to print: latexcodec has no entry for it.)
    [entry] = pybtex_parse(text, "bibtex").entries.values()
    rendered = Text.from_latex(entry.fields["title"]).render_as("text")
    assert "–" not in rendered and "—" not in rendered
    if "^" not in title and "~" not in title:
        assert rendered == title
