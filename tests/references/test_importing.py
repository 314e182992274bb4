"""The import service: real exports, duplicates, bad files, one revision."""

import pytest
from reversion.models import Revision, Version

from references import importing
from references.models import Entry, Reference, Section
from tests.factories import ReferenceFactory, SectionFactory, TopicFactory, editor

from .conftest import FIXTURE_FILES

pytestmark = pytest.mark.django_db


def import_bytes(data, *, filename="refs.ris", topic=None, **kwargs):
    parsed = importing.read_file(data, filename=filename)
    return importing.import_records(
        records=parsed.records, topic=topic or TopicFactory(), **kwargs
    )


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_real_export_imports_cleanly(fixture_bytes, name):
    fmt, records, created = FIXTURE_FILES[name]
    parsed = importing.read_file(fixture_bytes(name), filename=name)
    assert parsed.format == fmt
    assert len(parsed.records) == records
    preview = importing.preview(parsed.records)
    assert preview.problems == []
    assert len(preview.new) == created
    assert all(record.title for record in parsed.records)

    topic = TopicFactory()
    result = importing.import_records(records=parsed.records, topic=topic)
    assert result.created == created == Reference.objects.count()
    assert Reference.objects.in_inbox(topic).count() == created
    assert not Entry.objects.exists()


def test_pubmed_nbib_keeps_names_groups_dates_and_identifiers(fixture_bytes):
    import_bytes(
        fixture_bytes("pubmed-nbib-balloongui-set-truncated.nbib"),
        filename="pubmed.nbib",
    )
    stratis = Reference.objects.get(pmid="30776994")
    assert stratis.doi == "10.1161/strokeaha.118.021126"
    assert (stratis.year, stratis.month, stratis.day) == (2019, 3, None)
    assert stratis.author_list[-1] == "STRATIS Investigators"
    assert stratis.author_list[0] == "Zaidat, Osama O"
    everyone = "\n".join(Reference.objects.values_list("authors", flat=True))
    for name in ("Velasco Gonzalez, Aglaé", "Görlich, Dennis", "Münnich, Nico"):
        assert name in everyone
    assert Reference.objects.filter(authors__contains="Rovira, Àlex").exists()
    assert Reference.objects.filter(year=2018, month=11, day=1).exists()
    assert Reference.objects.filter(kind="systematic_review").exists()


def test_old_medline_record_without_doi_imports(fixture_bytes):
    import_bytes(
        fixture_bytes("pubmed-medline-biopython-result2.txt"), filename="m.txt"
    )
    record = Reference.objects.get(pmid="14630660")
    assert record.doi == ""
    assert record.best_url == "https://pubmed.ncbi.nlm.nih.gov/14630660/"
    assert "de Hoon, M J L" in Reference.objects.get(pmid="14871861").authors


def test_bom_and_crlf_files_import(fixture_bytes):
    import_bytes(fixture_bytes("embase-export-asreview.ris"))
    import_bytes(fixture_bytes("zotero-pubmed-asreview.ris"))
    titles = Reference.objects.values_list("title", flat=True)
    assert not any(title.startswith("\ufeff") or "\r" in title for title in titles)
    assert Reference.objects.get(doi="10.4103/2303-9027.138783").authors == (
        "Liu, R.\nAdler, D.G."
    )


def test_endnote_pmids_come_from_the_accession_number(fixture_bytes):
    import_bytes(fixture_bytes("endnote-pubmed-asreview.ris"))
    reference = Reference.objects.get(pmid="21553931")
    assert (reference.year, reference.month) == (2011, 6)


def test_decomposed_names_are_stored_composed(fixture_bytes):
    import_bytes(fixture_bytes("jabref-chocolate.bib"), filename="c.bib")
    assert Reference.objects.filter(authors__contains="Lüscher, Thomas F.").exists()
    assert not Reference.objects.filter(authors__contains="u\u0308").exists()
    assert Reference.objects.filter(authors__contains="Djoussé").exists()
    assert Reference.objects.filter(citation_key="Corti_2009").exists()


def test_bibtex_entries_without_keys_get_generated_keys(fixture_bytes):
    import_bytes(
        fixture_bytes("mendeley-export-bbt-fixture-truncated.bib"), filename="m.bib"
    )
    keys = list(Reference.objects.values_list("citation_key", flat=True))
    assert "" not in keys
    assert len(keys) == len(set(keys)) == 58
    assert Reference.objects.filter(title__contains="Mémoires").exists() or (
        Reference.objects.filter(source__contains="Mémoires").exists()
    )


def test_csl_json_keeps_pmids_and_36_authors(fixture_bytes):
    import_bytes(fixture_bytes("csl-items-manubot.json"), filename="items.json")
    deep = Reference.objects.get(pmid="29618526")
    assert len(deep.author_list) == 36
    assert (deep.year, deep.month, deep.day) == (2018, 4, None)


def test_duplicate_of_an_existing_reference_is_skipped_and_named(fixture_bytes):
    existing = ReferenceFactory(doi="10.1161/circulationaha.108.827022")
    parsed = importing.read_file(fixture_bytes("jabref-chocolate.bib"))
    preview = importing.preview(parsed.records)
    [skipped] = preview.skipped
    assert skipped.existing == existing
    assert existing.title in skipped.reason
    assert len(preview.new) == 14


def test_duplicate_inside_one_file_is_skipped_naming_the_first():
    data = (
        b"TY  - JOUR\nTI  - First\nDO  - 10.1000/abc\nER  - \n\n"
        b"TY  - JOUR\nTI  - Again\nDO  - https://doi.org/10.1000/ABC\nER  - \n"
    )
    preview = importing.preview(importing.read_file(data).records)
    [skipped] = preview.skipped
    assert skipped.record.title == "Again"
    assert "record 1 (line 1)" in skipped.reason
    assert [record.title for record, _ in preview.new] == ["First"]


def test_keep_imports_a_probable_duplicate_inside_one_file():
    data = (
        b"TY  - JOUR\nTI  - Myositis: a trial\nAU  - Reed, Ann\nPY  - 2012\nER  - \n\n"
        b"TY  - JOUR\nTI  - MYOSITIS a trial.\nAU  - REED, A\nPY  - 2012\nER  - \n"
    )
    records = importing.read_file(data).records
    [skipped] = importing.preview(records).skipped
    assert skipped.probable and "record 1 (line 1) of this file" in skipped.reason
    kept = importing.preview(records, keep={2})
    assert kept.skipped == []
    assert [record.number for record, _ in kept.new] == [1, 2]
    assert kept.new[0][1].citation_key != kept.new[1][1].citation_key


def test_keep_never_imports_a_second_copy_of_an_identifier():
    data = (
        b"TY  - JOUR\nTI  - First\nDO  - 10.1000/abc\nER  - \n\n"
        b"TY  - JOUR\nTI  - First\nDO  - 10.1000/abc\nER  - \n"
    )
    plan = importing.preview(importing.read_file(data).records, keep={1, 2})
    assert [record.number for record, _ in plan.new] == [1]
    [skipped] = plan.skipped
    assert not skipped.probable and "Same DOI as record 1" in skipped.reason


@pytest.mark.parametrize(
    "field_line, message",
    [
        ("DO  - 10.1000/has space", "is not a DOI"),
        ("AN  - 1234567890\nDP  - NLM", "“1234567890” is not a PubMed ID"),
        ("VL  - " + "9" * 60, "Volume “" + "9" * 60 + "”: Ensure"),
    ],
)
def test_bad_value_is_a_problem_naming_record_and_line(field_line, message):
    data = (
        "TY  - JOUR\nTI  - Good\nER  - \n\n"
        f"TY  - JOUR\nTI  - Bad\n{field_line}\nER  - \n"
    ).encode()
    records = importing.read_file(data).records
    [problem] = importing.preview(records).problems
    assert str(problem).startswith("Record 2 (line 5)")
    assert message in str(problem)
    result = importing.import_records(records=records, topic=TopicFactory())
    assert [p.record.number for p in result.problems] == [2]
    assert list(Reference.objects.values_list("title", flat=True)) == ["Good"]


def test_a_url_that_is_not_one_is_left_out_with_a_warning():
    data = (
        b"TY  - JOUR\nTI  - Linked\nUR  - http://example_url.com\n"
        b"UR  - https://example.org/a\nUR  - notaurl\nER  - \n"
    )
    records = importing.read_file(data).records
    plan = importing.preview(records)
    assert plan.problems == []
    [(record, warnings)] = plan.warned
    assert warnings == [
        "The URL “http://example_url.com” is not a valid web address and was left out.",
        "The link “notaurl” is not a valid web address and was left out.",
    ]
    importing.import_records(records=records, topic=TopicFactory())
    reference = Reference.objects.get()
    # The next address the file gave takes the URL's place.
    assert (reference.url, reference.links) == ("https://example.org/a", [])


def test_pmid_with_letters_is_refused():
    data = b"PMID- 12a45\nTI  - A title\n"
    records = importing.read_file(data, filename="x.nbib").records
    [problem] = importing.preview(records).problems
    assert "is not a PubMed ID" in str(problem)


def test_malformed_file_is_rejected_whole_with_record_and_line():
    data = b"TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\n"
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(data)
    assert "Record 2, line 5" in excinfo.value.messages[0]


def test_wrong_encoding_is_refused_with_the_line():
    data = "TY  - JOUR\nTI  - Caf\u00e9\nER  - \n".encode("latin-1")
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(data)
    assert "not UTF-8" in excinfo.value.messages[0]
    assert "line 2" in excinfo.value.messages[0]


def test_broken_utf16_is_refused_naming_the_encoding():
    data = "TY  - JOUR\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(data)
    assert "looks like UTF-16 text" in excinfo.value.messages[0]


def test_file_over_the_size_limit_is_refused(settings):
    settings.REFERENCES_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(b"x" * (50 * 1024 * 1024))
    assert "50.0\xa0MB" in excinfo.value.messages[0]
    assert "5.0\xa0MB" in excinfo.value.messages[0]


def test_unknown_format_is_refused_naming_the_known_ones():
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(b"just some notes\n", filename="notes.docx")
    assert "RIS" in excinfo.value.messages[0] and "BibTeX" in excinfo.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(importing.ImportRejected):
        importing.read_file(b"\xef\xbb\xbf  \n")


def test_import_is_one_revision_with_user_and_comment():
    user = editor()
    data = b"TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n"
    topic = TopicFactory()
    result = import_bytes(data, topic=topic, user=user, comment="From PubMed")
    assert Revision.objects.count() == 1
    revision = Revision.objects.get()
    assert (revision.user, revision.comment) == (user, "From PubMed")
    one = Reference.objects.get(title="One")
    [version] = Version.objects.get_for_object(one)
    assert version.revision == revision
    assert version.field_dict["title"] == "One"
    assert Version.objects.filter(revision=revision).count() == 2
    assert result.topic == topic


def test_imported_references_wait_in_the_topics_inbox_not_in_a_section():
    section = SectionFactory()
    data = b"TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n"
    import_bytes(data, topic=section.topic)
    assert set(
        Reference.objects.in_inbox(section.topic).values_list("title", flat=True)
    ) == {"One", "Two"}
    assert not Reference.objects.visible().exists()
    assert not section.entries.exists()
    assert not Section.objects.filter(slug="imported").exists()


def test_citation_key_from_file_is_kept_unless_taken():
    ReferenceFactory(citation_key="smith2020")
    data = (
        b"@article{smith2020, title={Taken}, author={Smith, Ann}, year=2020}\n"
        b"@article{jones2021, title={Free}, author={Jones, Bo}, year=2021}\n"
    )
    import_bytes(data, filename="x.bib")
    assert Reference.objects.get(title="Taken").citation_key == "smith-2020"
    assert Reference.objects.get(title="Free").citation_key == "jones2021"


def test_preview_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    records = importing.read_file(
        "".join(
            f"TY  - JOUR\nTI  - Title {n}\nDO  - 10.1000/{n}\nER  - \n\n"
            for n in range(300)
        ).encode()
    ).records
    with django_assert_max_num_queries(2):
        importing.preview(records, batch_size=1000)


def test_a_reader_tripping_unexpectedly_is_a_refusal_not_a_500(monkeypatch, caplog):
    def trip(text):
        raise KeyError("year")  # as rispy once did on a stray line

    monkeypatch.setattr(importing.FORMATS["ris"], "parse", trip)
    with pytest.raises(importing.ImportRejected) as excinfo:
        importing.read_file(b"TY  - JOUR\nTI  - x\nER  - \n", filename="x.ris")
    assert "cannot be read" in excinfo.value.messages[0]
    assert "Unexpected error reading a ris file" in caplog.text


def test_an_import_holds_one_batch_of_references_at_a_time():
    import gc

    from references.formats import Record

    topic = TopicFactory()
    records = [
        Record(number=n, line=n, title=f"Streamed study {n}", year=2011)
        for n in range(1, 61)
    ]
    alive = []

    def references_alive():
        gc.collect()
        # type(), not isinstance(): a dead weak proxy among the objects
        # raises ReferenceError when isinstance() asks it for its class.
        return sum(type(o) is Reference for o in gc.get_objects())

    # What earlier tests left alive (caches, fixtures) is not this import's.
    before = references_alive()

    def progress(done, total):
        alive.append(references_alive() - before)

    result = importing.import_records(
        records=records, topic=topic, batch_size=10, progress=progress
    )

    assert result.created == 60 == Reference.objects.count()
    assert len(alive) == 6
    # The batch just written, never the ones before it.
    assert max(alive) <= 10
    revision = Revision.objects.get()
    assert Version.objects.filter(revision=revision).count() == 60
    assert revision.comment.startswith("Imported 60 references")
