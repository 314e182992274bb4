"""Exports: each format re-imports to the same references; the download URLs."""

import json

import pytest

from references import exporting, importing
from references.models import Reference
from tests.factories import EntryFactory, ReferenceFactory, SectionFactory

from .conftest import FIXTURE_FILES

pytestmark = pytest.mark.django_db

COMPARED = [
    "kind",
    "item_type",
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
    "citation_key",
]


def snapshot():
    return sorted(Reference.objects.values_list(*COMPARED), key=lambda row: row[-1])


def round_trip(extension):
    """Export everything, empty the library, import the export: the rows."""
    before = snapshot()
    text = exporting.export(Reference.objects.order_by("pk"), extension)
    Reference.objects.all().delete()
    parsed = importing.read_file(text.encode(), filename=f"export.{extension}")
    section = SectionFactory()
    importing.import_records(records=parsed.records, topic=section.topic)
    return before, snapshot()


def hand_made_references():
    ReferenceFactory(
        kind="systematic_review",
        title="Rituximab & IVIg in {refractory} myositis: 50% respond_ well",
        authors="Müller, Anna Marie\nOddis, Chester V\nPRIME Study Group\n"
        "Fulton, James E., Jr.",
        source="Arthritis Rheum",
        year=2013,
        month=2,
        day=5,
        volume="65",
        issue="2",
        pages="314-324",
        doi="10.1002/art.37754",
        pmid="23124935",
        url="https://example.org/a_b?x=1%202",
        citation_key="oddis-2013",
    )
    ReferenceFactory(
        kind="guideline",
        title="Lüscher’s guideline — “quoted”",
        authors="",
        source="",
        year=None,
        url="",
        citation_key="guideline",
    )
    ReferenceFactory(kind="news", year=2020, month=11, citation_key="news-item")
    ReferenceFactory(
        kind="trial",
        item_type="webpage",
        title="DETERMINE: a phase 3 study of lenabasum (NCT03813160)",
        source="ClinicalTrials.gov",
        url="https://clinicaltrials.gov/study/NCT03813160",
        citation_key="registry-record",
    )
    ReferenceFactory(
        kind="other",
        item_type="document",
        title="How is Polymyositis Treated?",
        source="",
        url="",
        citation_key="a-document",
    )


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
def test_export_reimports_to_the_same_references(extension):
    hand_made_references()
    before, after = round_trip(extension)
    assert after == before


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_real_exports_survive_a_round_trip(fixture_bytes, name, extension):
    parsed = importing.read_file(fixture_bytes(name), filename=name)
    importing.import_records(records=parsed.records, topic=SectionFactory().topic)
    before, after = round_trip(extension)
    assert after == before


def test_csl_json_export_is_valid_csl():
    hand_made_references()
    items = json.loads(exporting.export(Reference.objects.all(), "json"))
    oddis = next(item for item in items if item["id"] == "oddis-2013")
    assert oddis["issued"] == {"date-parts": [[2013, 2, 5]]}
    assert {"literal": "PRIME Study Group"} in oddis["author"]
    assert oddis["PMID"] == "23124935"


def test_topic_export_download(client, django_assert_max_num_queries):
    entry = EntryFactory(reference__title="In the topic")
    ReferenceFactory(title="Elsewhere")
    url = f"/literature/export.ris?topic={entry.section.topic.slug}"
    with django_assert_max_num_queries(3):
        response = client.get(url)
        body = response.getvalue().decode()  # the rows are read as it streams
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert "attachment" in response["Content-Disposition"]
    assert "In the topic" in body and "Elsewhere" not in body


def test_section_and_kind_filters_apply_to_exports(client):
    entry = EntryFactory(reference__kind="trial", reference__title="A trial")
    EntryFactory(section=entry.section, reference__kind="news", reference__title="News")
    EntryFactory(reference__title="Other section")
    response = client.get(
        f"/literature/export.bib?section={entry.section.pk}&kind=trial"
    )
    body = response.getvalue().decode()
    assert "A trial" in body and "News" not in body and "Other section" not in body


def test_unknown_export_format_is_not_found(client):
    assert client.get("/literature/export.docx").status_code == 404


def test_export_of_many_references_costs_the_same_queries(
    client, django_assert_max_num_queries
):
    ReferenceFactory.create_batch(60)
    with django_assert_max_num_queries(1):
        response = client.get("/literature/export.json")
        assert response.status_code == 200
        response.getvalue()


@pytest.mark.parametrize("extension", ["ris", "bib", "json"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_an_export_streams_the_same_file_a_reference_at_a_time(
    client, extension, count
):
    ReferenceFactory.create_batch(count)
    response = client.get(f"/literature/export.{extension}")
    assert response.streaming
    chunks = list(response.streaming_content)
    # A chunk per reference (CSL-JSON: and the closing bracket).
    assert len(chunks) == count + (extension == "json")
    expected = exporting.export(Reference.objects.visible().newest_first(), extension)
    assert b"".join(chunks).decode() == expected


def test_a_streamed_export_reads_the_library_in_chunks(client, monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK_SIZE", 2)
    ReferenceFactory.create_batch(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/literature/export.ris").getvalue().decode()
    assert body.count("TY  - ") == 5
    # One query however large the library: its rows are fetched a chunk at
    # a time from one cursor (on PostgreSQL a server-side one).
    assert len(queries) == 1


def test_bibtex_writes_verbatim_fields_unescaped():
    reference = ReferenceFactory(
        title="Under_scores & 100% of patients",
        doi="10.4103/jnrp.jnrp_519_17",
        url="https://example.org/Peter%20Jackson_notes.html",
    )
    text = exporting.export([reference], "bib")
    assert "doi = {10.4103/jnrp.jnrp_519_17}," in text
    assert "url = {https://example.org/Peter%20Jackson_notes.html}," in text
    # Ordinary text is still escaped for BibTeX.
    assert r"title = {{Under\_scores \& 100\% of patients}}," in text
    [record] = importing.read_file(text.encode(), filename="x.bib").records
    assert (record.doi, record.url) == (reference.doi, reference.url)


def test_ris_export_keeps_the_pmid_for_endnote_and_for_zotero():
    reference = ReferenceFactory(pmid="21504801", doi="")
    text = exporting.export([reference], "ris")
    lines = text.split("\r\n")
    # EndNote: the accession number with the NLM database.
    assert "AN  - 21504801" in lines and "DP  - NLM" in lines
    # A note line "PMID: ..." for Zotero and citation processors; never M2,
    # which citation-js reads as a journal article's start page.
    assert "N1  - PMID: 21504801" in lines
    assert not any(line.startswith("M2  - ") for line in lines)
    [record] = importing.read_file(text.encode(), filename="x.ris").records
    assert record.pmid == "21504801"


def test_a_zotero_style_pmid_in_m2_is_read():
    data = b"TY  - JOUR\nTI  - From Zotero\nM2  - PMID: 21504801\nER  - \n"
    [record] = importing.read_file(data, filename="z.ris").records
    assert record.pmid == "21504801"


def test_exports_carry_the_link_readers_see_not_those_shown_to_editors(client):
    # The further links of an imported record are in the editors' box only:
    # the public page does not show them, so no public export carries them.
    reference = EntryFactory(
        reference=ReferenceFactory(links=["https://example.org/editors-only"])
    ).reference
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "editors-only" not in page
    for extension in ("ris", "bib", "json"):
        text = client.get(f"/literature/export.{extension}").content.decode()
        assert reference.url in text, extension
        assert "editors-only" not in text, extension


def test_the_abstract_is_never_exported():
    reference = ReferenceFactory(abstract="The publisher's own words.")
    for extension in ("ris", "bib", "json"):
        assert "publisher's own words" not in exporting.export([reference], extension)
