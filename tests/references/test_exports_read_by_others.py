"""The export links as other tools read them: citation-js, rispy, pybtex and
citeproc-js (the readers of reference managers), and the pages that offer
them. Each test downloads the export the way a reader does, by its URL."""

import json
import re

import pytest
import rispy
from pybtex.database import parse_string as pybtex_parse

from references.formats import is_et_al
from tests.factories import EntryFactory, ReferenceFactory, SectionFactory
from tests.readers import citation_js, citeproc_js

from .test_citeproc_js import LOCALE

pytestmark = pytest.mark.django_db

READERS = {"ris": "ris", "bib": "bibtex", "json": "csl"}


def download(client, extension, query=""):
    response = client.get(f"/literature/export.{extension}{query}")
    assert response.status_code == 200
    # Exports stream, a reference at a time.
    return b"".join(response.streaming_content).decode()


def _vancouver(items):
    """citeproc-js's Vancouver entries of CSL items citation-js read."""
    from references import citations

    clean = [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
    style = citations.CSL_DIR / citations.STYLES["vancouver"][1]
    return citeproc_js(
        clean, style=style.read_text(encoding="utf-8"), locale=LOCALE.read_text()
    )


# 1. The PMID in RIS


def test_the_ris_pmid_is_no_start_page_and_reaches_citation_js_csl(client):
    EntryFactory(
        reference=ReferenceFactory(
            title="Treatment guidelines for idiopathic inflammatory myopathies",
            source="Rheumatology (Oxford)",
            volume="64",
            issue="6",
            pages="3288-3302",
            pmid="39999025",
            doi="10.1093/rheumatology/keaf116",
        )
    )
    text = download(client, "ris")
    [item] = citation_js(text, "ris")
    # citation-js reads a journal article's M2 as its start page.
    assert item["page"] == "3288-3302"
    assert item.get("page-first", "3288") == "3288"
    assert "PMID: 39999025" in item["note"]
    # A CSL processor reads the note's "PMID: ..." line as the PMID.
    [entry] = _vancouver([item])
    assert "PubMed PMID: 39999025." in entry
    # rispy (and EndNote) keep it as the accession number, with NLM.
    [record] = rispy.loads(text)
    assert record["accession_number"] == "39999025"
    assert record["database_provider"] == "NLM"
    assert "PMID: 39999025" in record["notes"]


# 2. "et al." is no author


def test_an_incomplete_author_list_is_exported_as_its_people_and_groups(client):
    EntryFactory(
        reference=ReferenceFactory(
            title="Rituximab in refractory myositis",
            authors="Oddis, Chester V\nRIM Study Group",
            authors_incomplete=True,
            source="Arthritis Rheum",
            volume="65",
        )
    )
    for extension, reader in READERS.items():
        [item] = citation_js(download(client, extension), reader)
        names = [
            name.get("literal") or name.get("family", "") for name in item["author"]
        ]
        assert len(names) == 2, (extension, item["author"])
        assert not any(is_et_al(name) for name in names), extension
        # Nor does a processor given the file count a third author.
        [entry] = _vancouver([item])
        assert "et al" not in entry and "others" not in entry, (extension, entry)
    [record] = rispy.loads(download(client, "ris"))
    assert record["authors"] == ["Oddis, Chester V", "RIM Study Group"]
    [bib] = pybtex_parse(download(client, "bib"), "bibtex").entries.values()
    assert [str(person) for person in bib.persons["author"]] == [
        "Oddis, Chester V",
        "{RIM Study Group}",
    ]


def test_pages_and_citations_still_say_et_al(client):
    reference = ReferenceFactory(
        title="Rituximab in refractory myositis",
        authors="Oddis, Chester V\nRIM Study Group",
        authors_incomplete=True,
        source="Arthritis Rheum",
        volume="65",
    )
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "Oddis, Chester V, et al.; RIM Study Group" in page
    assert "Oddis CV, et al., RIM Study Group. Rituximab" in page


@pytest.mark.parametrize(
    "name, text",
    [
        (
            "et-al.ris",
            "TY  - JOUR\nTI  - A\nAU  - Oddis, C. V.\nAU  - et al.\n"
            "AU  - RIM Study Group\nER  - \n",
        ),
        (
            "others.bib",
            "@article{a, title = {A}, author = {Oddis, C. V. and others}}\n",
        ),
        (
            "et-al.json",
            '[{"id": "a", "type": "article-journal", "title": "A", "author": '
            '[{"family": "Oddis", "given": "C. V."}, {"literal": "et al."}]}]',
        ),
        (
            "old-export.json",
            '[{"id": "a", "type": "article-journal", "title": "A", "author": '
            '[{"family": "Oddis", "given": "C. V."}, {"family": "et al.", '
            '"given": ""}]}]',
        ),
    ],
)
def test_importers_read_et_al_as_an_incomplete_list(tmp_path, name, text):
    from django.core.management import call_command

    from references.models import Reference

    section = SectionFactory()
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_references", str(path), topic=section.topic.slug, verbosity=0)
    reference = Reference.objects.get()
    assert reference.authors_incomplete
    assert not any(is_et_al(name) for name in reference.author_list)
    assert reference.author_list[0] == "Oddis, C. V."


def test_an_et_al_line_an_editor_types_becomes_the_flag(client):
    from references.models import Reference

    from .test_editorial_views import editor, login

    login(client, editor())
    section = SectionFactory()
    response = client.post(
        "/editorial/literature/add/",
        {
            "identifier": "",
            "kind": "research",
            "title": "Therapy of myositis",
            "authors": "Marie, Isabelle\r\net al.\r\n",
            "source": "Autoimmun Rev",
            "year": "2011",
            "month": "",
            "topic": section.topic.pk,
        },
    )
    assert response.status_code == 302
    reference = Reference.objects.get()
    assert reference.authors == "Marie, Isabelle"
    assert reference.authors_incomplete
    assert reference.citation_vancouver.startswith("Marie I, et al. Therapy")


# 3. The kind in CSL-JSON (and RIS, BibTeX) in words


def test_the_csl_genre_is_words_a_style_may_print(client):
    EntryFactory(
        reference=ReferenceFactory(
            kind="systematic_review",
            title="Physical therapy in adult inflammatory myopathy patients",
            source="Clin Rheumatol",
            volume="38",
        )
    )
    EntryFactory(
        reference=ReferenceFactory(
            kind="research", title="A plain study", source="J", volume="1"
        )
    )
    items = {item["title"]: item for item in json.loads(download(client, "json"))}
    review = items["Physical therapy in adult inflammatory myopathy patients"]
    assert review["type"] == "article-journal"
    assert review["genre"] == "Systematic review"
    # A journal article's type already says "research".
    assert "genre" not in items["A plain study"]
    entries = _vancouver(citation_js(download(client, "json"), "csl"))
    assert not any("_" in re.sub(r"<[^>]+>", "", entry) for entry in entries)
    assert any("[Systematic review]" in entry for entry in entries)
    assert "M3  - Systematic review" in download(client, "ris")
    assert "type = {Systematic review}" in download(client, "bib")


def test_web_pages_and_registry_records_have_their_own_types(client):
    EntryFactory(
        reference=ReferenceFactory(
            kind="trial",
            item_type="webpage",
            title="DETERMINE: a phase 3 study of lenabasum in dermatomyositis",
            authors="",
            source="ClinicalTrials.gov",
            year=None,
            url="https://clinicaltrials.gov/study/NCT03813160",
        )
    )
    [item] = json.loads(download(client, "json"))
    assert item["type"] == "webpage" and item["genre"] == "Trial"
    assert item["container-title"] == "ClinicalTrials.gov"
    assert "TY  - ELEC" in download(client, "ris")
    assert download(client, "bib").startswith("@online{")
    [ris_item] = citation_js(download(client, "ris"), "ris")
    assert ris_item["type"] == "webpage"


# 8. Downloads only of something


def test_an_empty_list_offers_no_downloads_but_still_its_feed(client):
    EntryFactory(reference__kind="trial", reference__title="A trial")
    empty = client.get("/literature/?kind=observational").content.decode()
    assert "0 references" in empty
    assert "/literature/export." not in empty
    assert 'href="/feeds/literature/"' in empty
    full = client.get("/literature/?kind=trial").content.decode()
    for extension in READERS:
        assert f"/literature/export.{extension}?kind=trial" in full


def test_a_topic_without_visible_literature_offers_no_downloads(client):
    section = SectionFactory()
    page = client.get(section.topic.get_absolute_url()).content.decode()
    assert "/literature/export." not in page
    assert f"/feeds/topics/{section.topic.slug}/literature/" in page
    EntryFactory(section=section)
    page = client.get(section.topic.get_absolute_url()).content.decode()
    assert f"/literature/export.ris?topic={section.topic.slug}" in page
