"""Keywords and MeSH headings: read from every format, kept, shown to
editors, and searched, so that a reader's word finds a paper filed under it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from references import importing, services
from references.models import Reference
from references.sources import pubmed
from tests.factories import SectionFactory, editor

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
FILES = Path(__file__).parent / "files"

MEDLINE = (
    b"PMID- 30000099\r\n"
    b"TI  - Physical therapy for adults with dermatomyositis: a review.\r\n"
    b"AU  - Doe J\r\n"
    b"DP  - 2020\r\n"
    b"PT  - Review\r\n"
    b"MH  - Dermatomyositis/*rehabilitation\r\n"
    b"MH  - Exercise Therapy/methods\r\n"
    b"MH  - Humans\r\n"
    b"OT  - physiotherapy\r\n"
    b"OT  - humans\r\n"
)


def keywords_of(data, filename):
    [record] = importing.read_file(data, filename=filename).records
    return record.keywords


@pytest.mark.parametrize(
    "data, filename, expected",
    [
        (
            MEDLINE,
            "x.nbib",
            [
                "Dermatomyositis/rehabilitation",
                "Exercise Therapy/methods",
                "Humans",
                "physiotherapy",
            ],
        ),
        (
            b"TY  - JOUR\nTI  - T\nKW  - Exercise Therapy\nKW  - Myositis\nER  - \n",
            "x.ris",
            ["Exercise Therapy", "Myositis"],
        ),
        (
            b"@article{k, title={T}, keywords={Exercise Therapy; Myositis, Humans}}",
            "x.bib",
            ["Exercise Therapy", "Myositis", "Humans"],
        ),
        (
            b'[{"type": "article-journal", "title": "T",'
            b' "keyword": "Exercise Therapy, Myositis"}]',
            "x.json",
            ["Exercise Therapy", "Myositis"],
        ),
    ],
)
def test_every_format_reads_its_keywords(data, filename, expected):
    assert keywords_of(data, filename) == expected


def test_real_files_keep_their_keywords():
    nbib = SHARED / "references" / "pubmed-nbib-balloongui-set-truncated.nbib"
    records = importing.read_file(nbib.read_bytes(), filename=nbib.name).records
    assert "Catheterization/methods" in records[0].keywords
    ris = FILES / "rispy-example-full.ris"
    records = importing.read_file(ris.read_bytes(), filename=ris.name).records
    assert records[0].keywords == ["Pippi", "Nordwind", "Piraten"]


def test_pubmed_answers_give_mesh_headings_and_keywords(scholarly_api):
    work = pubmed.fetch_one("900000002")
    assert work.record.keywords == [
        "Polymyositis/drug therapy",
        "Humans",
        "infusion therapy",
    ]


def test_imported_keywords_are_shown_to_editors_and_found_by_readers(client):
    user = editor()
    user.save()
    client.force_login(user)
    section = SectionFactory()
    client.post(
        "/editorial/literature/import/",
        {
            "file": SimpleUploadedFile("review.nbib", MEDLINE),
            "topic": section.topic.pk,
        },
    )
    client.post("/editorial/literature/import/preview/", {"confirm": ""})
    reference = Reference.objects.get()
    assert reference.keywords[1] == "Exercise Therapy/methods"
    inbox = client.get(f"/editorial/literature/inbox/{section.topic.slug}/")
    assert "Exercise Therapy/methods" in inbox.content.decode()

    reference.summary = "Supervised training improved strength."
    reference.save()
    services.place_in_section(references=[reference], section=section, user=user)
    client.logout()
    # Only its MeSH headings say "exercise" (Exercise Therapy) and
    # "rehabilitation"; only its author keyword says "physiotherapy".
    found = client.get("/search/", {"q": "exercise"}).content.decode()
    assert "Physical therapy for adults with dermatomyositis" in found
    found = client.get("/search/", {"q": "rehabilitation"}).content.decode()
    assert "Physical therapy for adults with dermatomyositis" in found
    found = client.get("/search/", {"q": "physiotherapy"}).content.decode()
    assert "Physical therapy for adults with dermatomyositis" in found
