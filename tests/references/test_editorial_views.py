"""The editorial literature pages: who may use them, the import steps, adding."""

import re
from pathlib import Path
from urllib.parse import urlencode

import lxml.html
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from reversion.models import Revision

from references.models import Entry, Reference
from tests.factories import (
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    administrator,
    board_member,
    editor,
)

pytestmark = pytest.mark.django_db

RIS = (
    b"TY  - JOUR\nTI  - Rituximab in myositis\nAU  - M\xc3\xbcller, Anna\n"
    b"DO  - 10.1002/art.37754\nPY  - 2013\nER  - \n\n"
    b"TY  - JOUR\nTI  - IVIg in dermatomyositis\nPY  - 1993\nER  - \n"
)
PAGES = [
    "/editorial/literature/",
    "/editorial/literature/import/",
    "/editorial/literature/add/",
    "/editorial/literature/inbox/",
]


def login(client, user):
    # The factory sets the password after saving; save it so that the
    # session's password hash matches the database.
    user.save()
    client.force_login(user)
    return user


def upload(client, data=RIS, name="refs.ris", topic=None):
    topic = topic or TopicFactory()
    return client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile(name, data), "topic": topic.pk},
    )


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("url", PAGES)
def test_board_members_may_not_add_literature(client, url):
    login(client, board_member())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("make_user", [editor, administrator])
@pytest.mark.parametrize("url", PAGES)
def test_editors_and_administrators_may(client, url, make_user):
    login(client, make_user())
    assert client.get(url).status_code == 200


def test_the_file_is_parsed_and_checked_once_at_upload_not_per_preview(
    client, monkeypatch
):
    from references import importing
    from references.formats import ris

    login(client, editor())
    existing = ReferenceFactory(doi="10.1002/art.37754")
    calls = []

    def spy(function):
        def wrapper(*args, **kwargs):
            calls.append(function.__name__)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(ris, "parse", spy(ris.parse))
    monkeypatch.setattr(importing, "preview", spy(importing.preview))
    upload(client)
    assert calls == ["parse", "preview"]

    def preview_page():
        page = client.get("/editorial/literature/import/preview/").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

    first, second = preview_page(), preview_page()
    assert calls == ["parse", "preview"]  # neither GET read or checked again
    assert second == first
    assert "IVIg in dermatomyositis" in second
    assert "Already in the library" in second and existing.title in second
    # The session names the draft; the records are not in it.
    assert "records" not in client.session["references_import_pending"]


def test_a_cancelled_import_leaves_no_draft_behind(client):
    from references import import_jobs

    login(client, editor())
    upload(client)
    draft = client.session["references_import_pending"]["draft"]
    assert import_jobs.load_draft(draft) is not None
    client.post("/editorial/literature/import/preview/", {"cancel": "1"})
    assert import_jobs.load_draft(draft) is None
    assert client.get("/editorial/literature/import/preview/").status_code == 302


def test_a_damaged_or_outdated_draft_asks_for_the_file_again(client):
    from references import import_jobs

    login(client, editor())
    upload(client)
    draft = client.session["references_import_pending"]["draft"]
    (import_jobs.jobs_dir() / f"{draft}.preview.pickle").write_bytes(b"\x80\x05junk")
    response = client.get("/editorial/literature/import/preview/")
    assert response["Location"] == "/editorial/literature/import/"
    assert "references_import_pending" not in client.session
    assert import_jobs.load_draft(draft) is None  # dropped with it


def test_board_member_cannot_post_an_import(client):
    login(client, board_member())
    assert upload(client).status_code == 403
    assert not Reference.objects.exists()


def test_upload_preview_confirm_result(client, django_assert_max_num_queries):
    user = login(client, editor())
    existing = ReferenceFactory(doi="10.1002/art.37754")
    topic = TopicFactory()
    response = upload(client, topic=topic)
    assert response.status_code == 302
    assert response["Location"] == "/editorial/literature/import/preview/"

    with django_assert_max_num_queries(12):
        preview = client.get("/editorial/literature/import/preview/")
    page = preview.content.decode()
    assert "IVIg in dermatomyositis" in page
    assert "Already in the library" in page and existing.title in page
    assert existing.get_absolute_url() in page
    assert not Entry.objects.exists()

    response = client.post("/editorial/literature/import/preview/", {"confirm": "1"})
    assert response["Location"] == "/editorial/literature/import/done/"
    result = client.get(response["Location"]).content.decode()
    assert "1 reference from refs.ris was added to the curation inbox" in result
    created = Reference.objects.get(title="IVIg in dermatomyositis")
    assert created.inbox_topic == topic
    assert not created.entries.exists()
    # One revision for the import, none left behind by the request's own.
    assert Revision.objects.get().comment == "Imported from refs.ris"
    assert Revision.objects.get().user == user
    # The parsed records are gone from the session once imported.
    follow = client.get("/editorial/literature/import/preview/")
    assert follow.status_code == 302


def test_cancel_writes_nothing(client):
    login(client, editor())
    upload(client)
    client.post("/editorial/literature/import/preview/", {"cancel": "1"})
    assert not Reference.objects.exists()


def test_preview_lists_problems_and_imports_the_good_records(client):
    login(client, editor())
    data = (
        b"TY  - JOUR\r\nTI  - Fine\r\nER  - \r\n\r\n"
        b"TY  - JOUR\r\nTI  - Bad\r\nDO  - 10.1000/a b\r\nER  - \r\n"
    )
    upload(client, data=data)
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "Record 2 (line 5)" in page
    assert "“10.1000/a b” is not a DOI" in page
    response = client.post(
        "/editorial/literature/import/preview/",
        confirm_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )
    assert response["Location"] == "/editorial/literature/import/done/"
    result = client.get(response["Location"]).content.decode()
    assert "Not imported" in result and "Record 2 (line 5)" in result
    assert list(Reference.objects.values_list("title", flat=True)) == ["Fine"]


def test_a_file_with_only_bad_records_offers_no_import(client):
    login(client, editor())
    upload(client, data=b"TY  - JOUR\nTI  - Bad\nDO  - 10.1000/a b\nER  - \n")
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "is not a DOI" in page
    assert 'name="confirm"' not in page


@pytest.mark.parametrize(
    "name, imported, problems",
    [
        # pybtex's copy of BibTeX's xampl.bib: three entries without a
        # title; of the 33 others, 15 repeat a minimal entry in full (skipped
        # as probable duplicates).
        (
            "pybtex-xampl.bib",
            18,
            [
                "Record 4 (line 43)",
                "Record 22 (line 226)",
                "Record 36 (line 358)",
            ],
        ),
        # An excerpt of tugboat.bib: "Conference program" has title = "{}".
        ("pybtex-tugboat-excerpt.bib", 3, ["Record 2 (line 169)"]),
    ],
)
def test_real_files_with_untitled_entries_import_the_rest(
    client, name, imported, problems
):
    login(client, editor())
    assert (
        upload(client, data=(CORPUS / name).read_bytes(), name=name).status_code == 302
    )
    page = client.get("/editorial/literature/import/preview/").content.decode()
    [section] = lxml.html.fromstring(page).find_class("import-problems")
    listed = [item.text_content() for item in section.iter("li")]
    assert [item.split(":")[0] for item in listed] == problems
    assert all("Title: This field cannot be blank." in item for item in listed)
    client.post(
        "/editorial/literature/import/preview/",
        confirm_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )
    assert Reference.objects.count() == imported


def test_an_invalid_url_is_left_out_with_a_warning_not_a_refusal(client):
    # rispy's example_full.ris: both records say UR  - http://example_url.com
    # (an underscore is not allowed in a host name).
    login(client, editor())
    data = (CORPUS / "rispy-example-full.ris").read_bytes()
    upload(client, data=data, name="example_full.ris")
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert (
        page.count(
            "The URL “http://example_url.com” is not a valid web address and was "
            "left out."
        )
        == 2
    )
    client.post(
        "/editorial/literature/import/preview/",
        confirm_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )
    assert sorted(Reference.objects.values_list("title", "url")) == [
        ("The title of the reference", ""),
        ("Title of reference", ""),
    ]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n", "latin1.ris", "not UTF-8"),
        (b"TY  - JOUR\nTI  - No end\n", "broken.ris", "Record 1, line 1"),
        (b"hello", "notes.docx", "none of the formats"),
        (b"x" * (50 * 1024 * 1024), "huge.ris", "files of up to 5.0"),
    ],
)
def test_bad_files_are_refused_with_a_message(client, data, name, message):
    login(client, editor())
    response = upload(client, data=data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "references_import_pending" not in client.session
    assert not Reference.objects.exists()


def test_add_a_reference_by_pasting_a_doi(client):
    login(client, editor())
    section = SectionFactory()
    response = client.post(
        "/editorial/literature/add/",
        {
            "identifier": "https://doi.org/10.1016/J.AUTREV.2011.04.010",
            "kind": "systematic_review",
            "title": "Therapy of polymyositis and dermatomyositis",
            "authors": "Marie, Isabelle",
            "source": "Autoimmun Rev",
            "year": "2011",
            "topic": section.topic.pk,
        },
    )
    reference = Reference.objects.get()
    assert response["Location"] == f"/editorial/literature/inbox/{section.topic.slug}/"
    assert reference.doi == "10.1016/j.autrev.2011.04.010"
    assert reference.inbox_topic == section.topic
    assert not reference.entries.exists()
    page = client.get(response["Location"]).content.decode()
    assert "was added to the curation inbox" in page
    assert reference.title in page


def test_add_a_reference_by_pasting_a_pmid(client):
    login(client, editor())
    client.post(
        "/editorial/literature/add/",
        {
            "identifier": "PMID: 21504801",
            "kind": "research",
            "title": "A",
            "source": "B",
            "topic": TopicFactory().pk,
        },
    )
    assert Reference.objects.get().pmid == "21504801"


def test_required_fields_are_named(client):
    login(client, editor())
    response = client.post("/editorial/literature/add/", {"kind": "research"})
    page = response.content.decode()
    assert "Give the reference its title." in page
    assert "Give the journal, publisher or website it appeared in." in page
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    "identifier, message",
    [
        ("10.1000/has space", "is neither a DOI"),
        ("2150480a", "is neither a DOI"),
    ],
)
def test_bad_identifiers_are_refused(client, identifier, message):
    login(client, editor())
    response = client.post(
        "/editorial/literature/add/",
        {"identifier": identifier, "kind": "research", "title": "A", "source": "B"},
    )
    assert message in response.content.decode()
    assert not Reference.objects.exists()


def test_duplicate_doi_is_refused_with_a_link_to_the_existing_entry(client):
    login(client, editor())
    existing = ReferenceFactory(doi="10.1000/abc")
    response = client.post(
        "/editorial/literature/add/",
        {
            "identifier": "doi:10.1000/ABC",
            "kind": "research",
            "title": "A",
            "source": "B",
        },
    )
    page = response.content.decode()
    assert "already exists" in page and existing.get_absolute_url() in page
    assert Reference.objects.count() == 1


def test_preview_after_the_topic_was_deleted_starts_again(client):
    login(client, editor())
    topic = TopicFactory()
    upload(client, topic=topic)
    topic.delete()
    response = client.get("/editorial/literature/import/preview/")
    assert response["Location"] == "/editorial/literature/import/"
    assert "references_import_pending" not in client.session


@pytest.mark.parametrize("year", ["10000", "999", "32767", "2101"])
def test_a_year_out_of_range_is_refused_in_words_not_a_500(client, year):
    login(client, editor())
    response = client.post(
        "/editorial/literature/add/",
        {
            "kind": "research",
            "title": "A",
            "source": "B",
            "year": year,
            "month": "1",
            "topic": TopicFactory().pk,
            "url": "",
            "summary": "Line one\r\nline two",
        },
    )
    assert response.status_code == 200
    assert "A year is a number from 1000 to 2100." in response.content.decode()
    assert not Reference.objects.exists()


def test_a_citation_key_taken_in_another_case_is_refused(client):
    ReferenceFactory(citation_key="Keytest")
    login(client, administrator())
    response = client.post(
        "/admin/references/reference/add/",
        {
            "kind": "research",
            "title": "Another",
            "citation_key": "keytest",
            "link_status": "unchecked",
            "links": "[]",
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The key “Keytest” is taken by" in response.content.decode()
    assert Reference.objects.count() == 1


CORPUS = Path(__file__).parent / "files"


def test_a_bibtex_href_title_previews_instead_of_a_500(client):
    login(client, editor())
    data = (CORPUS / "bibtex-href-in-title.bib").read_bytes()
    response = upload(client, data=data, name="href.bib")
    assert response.status_code == 302
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "Outcome measures in myositis: see the IMACS set" in page


def test_a_year_of_10000_is_a_problem_in_the_preview_not_a_stuck_import(client):
    login(client, editor())
    data = (CORPUS / "csl-hostile-year-10000.json").read_bytes()
    assert upload(client, data=data, name="future.json").status_code == 302
    preview = client.get("/editorial/literature/import/preview/")
    assert preview.status_code == 200
    assert "A year is a number from 1000 to 2100." in preview.content.decode()
    confirm = client.post("/editorial/literature/import/preview/", {"confirm": "1"})
    assert confirm.status_code == 200
    assert not Reference.objects.exists()
    cancel = client.post("/editorial/literature/import/preview/", {"cancel": "1"})
    assert cancel.status_code == 302
    follow = client.get("/editorial/literature/import/preview/")
    assert follow.status_code == 302  # nothing left pending


def test_the_editor_changes_an_inferred_kind_in_the_preview(client):
    login(client, editor())
    data = (CORPUS / "medline-publication-types.nbib").read_bytes()
    upload(client, data=data, name="pubmed.nbib")
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert '<option value="trial" selected>' in page
    assert '<option value="observational" selected>' in page
    client.post(
        "/editorial/literature/import/preview/",
        {"confirm": "1", "kind-1": "observational", "kind-2": "not-a-kind"},
    )
    assert Reference.objects.get(pmid="30000011").kind == "observational"
    assert Reference.objects.get(pmid="30000012").kind == "systematic_review"


def test_the_preview_counts_skipped_header_lines(client):
    login(client, editor())
    data = (CORPUS / "ris-sciencedirect-header.ris").read_bytes()
    upload(client, data=data, name="sd.ris")
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "3 lines before the first record" in page


def test_the_add_form_refuses_a_probable_duplicate_naming_it(client):
    existing = ReferenceFactory(
        title="Myositis without identifiers", authors="Schmöller, Anna", year=2012
    )
    login(client, editor())
    response = client.post(
        "/editorial/literature/add/",
        {
            "kind": "research",
            "title": "MYOSITIS, without identifiers.",
            "authors": "Schmoller, A.\r\n",
            "source": "Muscle Nerve",
            "year": "2012",
            "topic": TopicFactory().pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is probably the same as" in page
    assert existing.get_absolute_url() in page
    assert Reference.objects.count() == 1


def confirm_form_as_posted(page, *, tick_keep=()):
    """The preview's confirm form encoded as a browser sends it: its hidden
    fields, the selects' chosen options, the "import it anyway" boxes the
    editor ticked (unticked ones left out) and the button pressed."""
    [form] = lxml.html.fromstring(page).find_class("import-confirm")
    for number in tick_keep:
        [box] = form.xpath(f'.//input[@name="keep"][@value="{number}"]')
        box.checked = True
    return urlencode([*form.form_values(), ("confirm", "")])


def test_import_it_anyway_imports_a_probable_duplicate_inside_the_same_file(client):
    login(client, editor())
    topic = TopicFactory()
    # Written on Windows: CRLF line ends. The second record is the first one
    # again as another tool spells it (case, punctuation, diacritics).
    data = (
        "TY  - JOUR\r\nTI  - Myositis without identifiers\r\n"
        "AU  - Schmöller, Anna\r\nJO  - Muscle Nerve\r\nPY  - 2012\r\nER  - \r\n\r\n"
        "TY  - JOUR\r\nTI  - MYOSITIS, without identifiers.\r\n"
        "AU  - Schmoller, A.\r\nJO  - Muscle Nerve\r\nPY  - 2012\r\nER  - \r\n"
    ).encode()
    upload(client, data=data, name="twice.ris", topic=topic)
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "Probably the same as record 1 (line 1) of this file" in page
    response = client.post(
        "/editorial/literature/import/preview/",
        confirm_form_as_posted(page, tick_keep=[2]),
        content_type="application/x-www-form-urlencoded",
    )
    assert response["Location"] == "/editorial/literature/import/done/"
    result = client.get(response["Location"]).content.decode()
    assert "2 references from twice.ris were added to the curation inbox" in result
    titles = Reference.objects.in_inbox(topic).values_list("title", flat=True)
    assert sorted(titles) == [
        "MYOSITIS, without identifiers.",
        "Myositis without identifiers",
    ]


RECORDED = Path(__file__).parent.parent / "recorded"


def test_a_saved_crossref_answer_is_read_with_the_lookups_mapping(client):
    # Saved from https://api.crossref.org/works/{doi}: not CSL-JSON, but
    # {"status": "ok", "message-type": "work", "message": {...}}.
    login(client, editor())
    data = (RECORDED / "crossref" / "10.5555_myo.2020.002.json").read_bytes()
    assert upload(client, data=data, name="work.json").status_code == 302
    page = client.get("/editorial/literature/import/preview/").content.decode()
    assert "(Crossref JSON)" in page
    client.post(
        "/editorial/literature/import/preview/",
        confirm_form_as_posted(page),
        content_type="application/x-www-form-urlencoded",
    )
    reference = Reference.objects.get()
    assert reference.title == (
        "A placebo-controlled trial of an invented infusion in polymyositis"
    )
    assert reference.author_list == ["Fictional, Dee", "Notreal, Eli"]
    assert (reference.doi, reference.year, reference.pages) == (
        "10.5555/myo.2020.002",
        2020,
        "101-110",
    )
    assert reference.abstract.startswith("To compare an invented infusion")


@pytest.mark.parametrize(
    "data, looks_like",
    [
        # A Zenodo record (its REST API), shortened: it has a title, which
        # was all a CSL-JSON reading kept.
        (
            b'{"created": "2021-03-01T10:00:00+00:00", "conceptrecid": "4550000",'
            b' "doi": "10.5281/zenodo.4550001", "id": 4550001,'
            b' "metadata": {"title": "Muscle MRI scores", "creators":'
            b' [{"name": "Doe, Jane"}], "publication_date": "2021-03-01"},'
            b' "title": "Muscle MRI scores"}',
            "this is a Zenodo record, not CSL-JSON",
        ),
        (
            b'{"status": "ok", "message-type": "journal", "message":'
            b' {"title": "Test Journal of Myositis"}}',
            "this Crossref answer describes a “journal”, not works",
        ),
        (
            b'[{"id": "https://openalex.org/W1", "title": "x"}]',
            "this is an OpenAlex record, not CSL-JSON",
        ),
    ],
)
def test_json_that_is_not_csl_json_is_refused_naming_what_it_is(
    client, data, looks_like
):
    login(client, editor())
    response = upload(client, data=data, name="record.json")
    assert response.status_code == 200
    assert looks_like in response.content.decode()
    assert not Reference.objects.exists()
