"""The project's own small files, one per construct other tools write.

Each file in tests/references/files shows one construct that a reader can get
wrong without failing (a field lost, a name garbled); each test imports it
through the real path (read_file, preview, import_records) and checks what
is stored, field by field.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from references import importing
from references.models import Reference
from tests.factories import ReferenceFactory, TopicFactory, editor

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


def read(name):
    return importing.read_file((FILES / name).read_bytes(), filename=name)


def imported(name, topic=None):
    """Import a corpus file; return its references by title."""
    parsed = read(name)
    importing.import_records(records=parsed.records, topic=topic or TopicFactory())
    return {reference.title: reference for reference in Reference.objects.all()}


def refused(name):
    """The file refused whole, or its only record not importable: either
    way nothing is written and the message names the record."""
    with pytest.raises(importing.ImportRejected) as excinfo:
        parsed = read(name)
        importing.import_records(records=parsed.records, topic=TopicFactory())
    assert not Reference.objects.exists()
    return " ".join(excinfo.value.messages)


def fields(reference, *names):
    return {name: getattr(reference, name) for name in names}


# 1. A \href in a title crashed the LaTeX decoder.
def test_href_in_a_bibtex_title_keeps_its_text():
    [reference] = imported("bibtex-href-in-title.bib").values()
    assert fields(reference, "title", "authors", "year", "source", "doi", "pages") == {
        "title": "Outcome measures in myositis: see the IMACS set",
        "authors": "Rider, Lisa G.\nAggarwal, Rohit",
        "year": 2021,
        "source": "Rheumatology",
        "doi": "10.5555/myo.corpus.001",
        "pages": "100-110",
    }


# 2. @string macros and # concatenation were stored raw.
def test_string_macros_and_concatenation_are_expanded():
    [reference] = imported("bibtex-string-concatenation.bib").values()
    assert fields(reference, "title", "source", "year", "month", "doi") == {
        "title": "Thrombectomy outcomes",
        "source": "Arthritis Rheumatol",
        "year": 2019,
        "month": 3,
        "doi": "10.5555/myo.corpus.002",
    }


# 3. Text inside LaTeX commands was dropped.
def test_text_inside_latex_commands_keeps_its_words():
    [reference] = imported("bibtex-latex-commands.bib").values()
    assert reference.title == "BibTeX Tips for IVIg dosing in Müller's cohort"
    assert reference.source == "G-Animal's Journal"
    assert reference.author_list == ["Müller, Jörg", "Østergaard, Anne"]
    assert reference.pmid == "30000001"


# 4. The \noopsort sorting trick gave the sorting year.
def test_noopsort_keeps_the_printed_year():
    [reference] = imported("bibtex-noopsort-year.bib").values()
    assert (reference.year, reference.source) == (1981, "Myositis Press")
    assert reference.kind == "other"


# 5. crossref children lost their parent's fields.
def test_crossref_child_inherits_the_parents_fields():
    references = imported("bibtex-crossref.bib")
    child = references["Intravenous immunoglobulin in dermatomyositis"]
    assert fields(child, "source", "year", "pages", "authors") == {
        "source": "Proceedings of the Global Myositis Meeting",
        "year": 2020,
        "pages": "11-19",
        "authors": "Aggarwal, Rohit",
    }
    assert "Proceedings of the Global Myositis Meeting" in references


# 6. BibLaTeX subtitle, \url in howpublished, several RIS UR lines.
def test_subtitle_joins_the_title_and_howpublished_url_is_the_link():
    [reference] = imported("biblatex-subtitle-howpublished.bib").values()
    assert reference.title == (
        "Treating idiopathic inflammatory myopathies: A practical guide for clinicians"
    )
    assert reference.url == "https://example.org/guides/myositis_2022%20final.html"
    assert reference.source == ""
    assert (reference.year, reference.month, reference.day) == (2022, 5, 4)
    assert reference.author_list == ["Myositis Guideline Group"]
    assert reference.kind == "guideline"


def test_every_ris_url_is_kept_and_a_mime_line_before_the_record_is_skipped():
    parsed = read("ris-oxford-mime-line-several-urls.ris")
    assert parsed.skipped_lines == 1
    [reference] = imported("ris-oxford-mime-line-several-urls.ris").values()
    assert reference.url == "https://example.org/nejm/1"
    assert reference.links == [
        "https://example.org/nejm/1.pdf",
        "https://example.org/nejm/supplement",
    ]
    assert fields(reference, "source", "volume", "issue", "pages", "doi") == {
        "source": "New England Journal of Medicine",
        "volume": "372",
        "issue": "18",
        "pages": "1734-1747",
        "doi": "10.5555/myo.corpus.005",
    }


# 7. A repeated field refused the file in bibtexparser's words.
def test_a_field_repeated_with_the_same_value_is_read_once():
    [reference] = imported("bibtex-repeated-identical-field.bib").values()
    assert (reference.pmid, reference.year) == ("30000002", 2017)


def test_a_field_repeated_with_two_values_is_refused_in_words():
    message = refused("bibtex-repeated-conflicting-field.bib")
    assert "Record 2, line 8" in message
    assert "“pmid” is given twice with different values" in message
    assert "30000002" in message and "30000003" in message
    assert "ignore_error_block" not in message
    assert "()" not in message


# 8. Vendor headers before the first record.
def test_sciencedirect_header_lines_are_skipped_and_counted():
    parsed = read("ris-sciencedirect-header.ris")
    assert parsed.skipped_lines == 3
    [reference] = imported("ris-sciencedirect-header.ris").values()
    assert fields(reference, "title", "doi", "year", "month", "day", "pages") == {
        "title": "Lenabasum in refractory skin-predominant dermatomyositis",
        "doi": "10.5555/myo.corpus.004",
        "year": 2021,
        "month": 11,
        "day": 1,
        "pages": "1453-1454",
    }
    assert reference.abstract == "An abstract from the publisher."


# 9. Encodings.
@pytest.mark.parametrize("name", ["ris-utf16le-no-bom.ris", "ris-utf16-bom.ris"])
def test_utf16_files_are_read_with_or_without_a_byte_order_mark(name):
    [reference] = imported(name).values()
    assert reference.title == "Juvenile dermatomyositis in Zürich"
    assert reference.author_list == ["Müller, Anna"]
    assert reference.doi == "10.5555/myo.corpus.006"


def test_latin1_is_refused_naming_the_encoding():
    message = refused("ris-latin1.ris")
    assert "not UTF-8" in message and "line 2" in message
    assert "Latin-1" in message


# 10. Duplicates without identifiers.
def test_a_reimport_without_identifiers_creates_no_second_copy():
    topic = TopicFactory()
    first = imported("ris-no-identifiers.ris", topic)
    # The second record differs only in case, punctuation and diacritics.
    assert set(first) == {
        "Myositis without identifiers",
        "A second paper without identifiers",
    }
    parsed = read("ris-no-identifiers.ris")
    plan = importing.preview(parsed.records)
    assert plan.new == []
    reasons = [skipped.reason for skipped in plan.skipped]
    assert all("Probably the same as" in reason for reason in reasons)
    assert {s.existing.title for s in plan.skipped if s.existing} == set(first)
    importing.import_records(records=parsed.records, topic=topic)
    assert Reference.objects.count() == 2


def test_a_probable_duplicate_in_the_library_is_linked_in_the_preview(client):
    existing = ReferenceFactory(
        title="Myositis without identifiers.",
        authors="SCHMOLLER, A",
        year=2012,
        url="",
    )
    user = editor()
    user.save()
    client.force_login(user)
    data = (FILES / "ris-no-identifiers.ris").read_bytes()
    client.post(
        "/editorial/literature/import/",
        {
            "file": SimpleUploadedFile("ris-no-identifiers.ris", data),
            "topic": TopicFactory().pk,
        },
    )
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "Probably the same as “Myositis without identifiers.”" in page
    assert existing.get_absolute_url() in page


# 11. Keys differing only by case.
def test_keys_differing_by_case_get_distinct_keys():
    references = imported("bibtex-keys-differing-by-case.bib")
    keys = [r.citation_key.lower() for r in references.values()]
    assert len(set(keys)) == 2
    assert references["First of two keys"].citation_key == "Keytest"


def test_an_imported_key_taken_in_another_case_gets_a_fresh_one():
    ReferenceFactory(citation_key="KEYTEST")
    references = imported("bibtex-keys-differing-by-case.bib")
    keys = {r.citation_key.lower() for r in references.values()}
    assert len(keys) == 3


# 12. Hostile values: a refusal (or the record left out) naming the record,
# nothing written.
@pytest.mark.parametrize(
    "name, words",
    [
        ("csl-hostile-author-number.json", "“author” should be a list of names"),
        ("csl-hostile-family-number.json", "“author” should be text"),
        ("csl-hostile-date-parts-number.json", "“issued” should be a date"),
        ("csl-hostile-date-part-infinite.json", "“issued” should be whole numbers"),
        ("csl-hostile-year-10000.json", "A year is a number from 1000 to 2100."),
        ("ris-nul-in-title.ris", "holds a NUL character"),
    ],
)
def test_hostile_values_are_refused_naming_the_record(name, words):
    message = refused(name)
    assert words in message
    assert "Record 1" in message


def test_deeply_nested_json_is_refused():
    data = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(data, filename="deep.json")
    assert "nested too deeply" in excinfo.value.messages[0]


def test_deeply_nested_bibtex_braces_are_refused():
    data = b"@article{deep, title = {" + b"{" * 5000 + b"}" * 5000 + b"}}\n"
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(data, filename="deep.bib")
    assert "nested more than" in excinfo.value.messages[0]


# 13. Kinds from what the file says, and abstracts.
def test_medline_publication_types_give_kinds_and_abstracts_are_kept():
    references = {
        r.pmid: r for r in imported("medline-publication-types.nbib").values()
    }
    assert {pmid: r.kind for pmid, r in references.items()} == {
        "30000011": "trial",
        "30000012": "systematic_review",
        "30000013": "guideline",
        "30000014": "case_report",
        "30000015": "news",
        "30000016": "observational",
    }
    trial = references["30000011"]
    assert trial.abstract == (
        "Patients were randomised to IVIg or placebo and followed for sixteen weeks."
    )
    assert fields(trial, "doi", "source", "year", "month", "day", "pages") == {
        "doi": "10.5555/myo.corpus.011",
        "source": "N Engl J Med",
        "year": 2022,
        "month": 10,
        "day": 6,
        "pages": "1264-1278",
    }
    assert references["30000015"].author_list == ["Myositis Association"]


def test_ris_types_give_kinds_and_n2_is_the_abstract():
    references = imported("ris-kinds.ris")
    trial = references["A randomised trial recorded by EndNote"]
    assert trial.kind == "trial"
    assert trial.abstract == "EndNote keeps the abstract in N2."
    assert references["New myositis drug approved"].kind == "news"
    assert references["Myositis: a handbook"].kind == "other"


def test_bibtex_types_give_kinds_and_abstracts_are_kept():
    references = imported("bibtex-kinds-and-abstract.bib")
    trial = references["Rituximab in refractory adult and juvenile myositis"]
    assert trial.kind == "trial"
    assert trial.abstract == "A randomized, placebo-phase trial of rituximab."
    leaflet = references["Myositis patient leaflet"]
    assert (leaflet.kind, leaflet.url) == ("other", "https://example.org/leaflet")


def test_csl_types_give_kinds_and_abstracts_are_kept():
    references = imported("csl-kinds-and-abstract.json")
    trial = references["Abatacept in myositis"]
    assert fields(trial, "kind", "abstract", "doi", "pmid", "year", "month") == {
        "kind": "trial",
        "abstract": "An open-label study of abatacept.",
        "doi": "10.5555/myo.corpus.021",
        "pmid": "30000021",
        "year": 2018,
        "month": 1,
    }
    assert trial.author_list == ["Tjärnlund, Anna"]
    news = references["A patient's story"]
    assert (news.kind, news.year, news.month, news.day) == ("news", 2020, 6, 2)
    book = references["Myositis for carers"]
    assert (book.kind, book.source, book.year) == ("other", "Carers Press", 2011)


# 14. Real files with a few records that cannot be imported: the others are.
# pybtex-xampl.bib is pybtex's tests/data/xampl.bib (Oren Patashnik's BibTeX
# example, copied unmodified; pybtex commit fc6f83e5); pybtex-tugboat-excerpt.bib
# is lines 1-153 (header, @String, @Preamble) and 41437-41498 (four entries)
# of pybtex's examples/tugboat/tugboat.bib (Nelson Beebe's TUGboat
# bibliography, public domain; 2,720 entries, two with title = "{}");
# rispy-example-full.ris is rispy's tests/data/example_full.ris (MIT).
@pytest.mark.parametrize(
    "name, created, skipped, left_out",
    [
        ("pybtex-xampl.bib", 18, 15, {"whole-journal", "misc-minimal"}),
        ("pybtex-tugboat-excerpt.bib", 3, 0, {"program:TB24-3-306"}),
        ("rispy-example-full.ris", 2, 0, set()),
    ],
)
def test_real_files_import_every_record_that_can_be(name, created, skipped, left_out):
    parsed = read(name)
    result = importing.import_records(records=parsed.records, topic=TopicFactory())
    assert (result.created, len(result.skipped)) == (created, skipped)
    assert left_out <= {problem.record.citation_key for problem in result.problems}
    assert all(
        problem.messages == ["Title: This field cannot be blank."]
        for problem in result.problems
    )
    assert Reference.objects.count() == created


def test_every_corpus_file_is_used_by_a_test():
    source = Path(__file__).read_text(encoding="utf-8")
    unused = [path.name for path in FILES.iterdir() if path.name not in source]
    assert unused == []


def test_the_editor_may_import_a_probable_duplicate_anyway(client):
    topic = TopicFactory()
    imported("ris-no-identifiers.ris", topic)
    user = editor()
    user.save()
    client.force_login(user)
    data = (FILES / "ris-no-identifiers.ris").read_bytes()
    client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile("again.ris", data), "topic": topic.pk},
    )
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert page.count('name="keep"') == 3
    assert 'name="confirm"' in page
    # Record 3 is "A second paper without identifiers": the editor says it is
    # another publication.
    client.post("/editorial/literature/import/preview/", {"confirm": "1", "keep": "3"})
    assert (
        Reference.objects.filter(title="A second paper without identifiers").count()
        == 2
    )
    assert Reference.objects.count() == 3
