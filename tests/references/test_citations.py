import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django.template import Context, Template

from references import citations, importing, services
from references.citations import format_citation
from references.models import Reference
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    make_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    return ReferenceFactory.build(
        title="Rituximab in the treatment of refractory myositis",
        authors="Oddis, Chester V\nReed, Ann M\nPRIME Study Group",
        source="Arthritis Rheum",
        year=2013,
        month=2,
        volume="65",
        issue="2",
        pages="314-324",
        doi="10.1002/art.37754",
        pmid="23124935",
    )


def test_vancouver_citation(reference):
    assert format_citation(reference, "vancouver") == (
        "Oddis CV, Reed AM, PRIME Study Group. Rituximab in the treatment of "
        "refractory myositis. Arthritis Rheum. 2013 Feb;65(2):314–24. "
        "doi:10.1002/art.37754 PubMed PMID: 23124935."
    )


def test_ama_citation(reference):
    assert format_citation(reference, "ama") == (
        "Oddis CV, Reed AM, PRIME Study Group. Rituximab in the treatment of "
        "refractory myositis. <i>Arthritis Rheum</i>. 2013;65(2):314-324. "
        "doi:10.1002/art.37754"
    )


def test_markup_in_a_title_is_escaped(reference):
    reference.title = "<script>alert(1)</script> & more"
    html = format_citation(reference, "ama")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; more" in html


def test_non_ascii_names_survive(reference):
    reference.authors = "Müller, Ägnes\nSørensen, Åse"
    assert format_citation(reference).startswith("Müller Ä, Sørensen Å.")


def test_unknown_style_is_an_error(reference):
    with pytest.raises(ValueError):
        format_citation(reference, "harvard")


def test_citation_filter_for_templates(reference):
    html = Template('{% load citations %}{{ r|citation:"ama" }}').render(
        Context({"r": reference})
    )
    assert "<i>Arthritis Rheum</i>" in html


def test_reference_page_has_a_cite_box(client, django_assert_max_num_queries):
    reference = ReferenceFactory(
        title="Therapy of myositis", source="Autoimmun Rev", year=2011
    )
    # The reference, its notices, its entries, and the one UPDATE that keeps
    # the citations formatted on this first view (a plain save formats none).
    with django_assert_max_num_queries(4):
        response = client.get(reference.get_absolute_url())
    page = response.content.decode()
    assert 'aria-labelledby="cite-heading"' in page
    assert (
        "Marie I, Hachulla E. Therapy of myositis. Autoimmun Rev [Internet]. 2011."
        in page
    )


def test_an_expired_link_is_left_out_of_citations(reference):
    reference.url = "https://gone.example/paper"
    reference.link_status = "expired"
    assert "gone.example" not in format_citation(reference)


# The styles' page-range-format: Vancouver (NLM) "minimal", AMA "expanded".
# Expected strings follow the CSL files, as citeproc-js renders them.
PAGE_RANGES = [
    ("1453-4", "1453–4", "1453-1454"),
    ("1453-1454", "1453–4", "1453-1454"),
    ("2039-51", "2039–51", "2039-2051"),
    ("12-15", "12–5", "12-15"),
    ("99-102", "99–102", "99-102"),
    ("45", "45", "45"),
]


@pytest.mark.parametrize("pages, vancouver, ama", PAGE_RANGES)
def test_page_ranges_follow_each_styles_page_range_format(
    reference, pages, vancouver, ama
):
    reference.pages = pages
    assert f":{vancouver}." in format_citation(reference, "vancouver")
    assert f":{ama}." in format_citation(reference, "ama")


def test_adding_a_reference_stores_both_citations():
    reference = ReferenceFactory.build(
        title="Therapy of myositis", source="Autoimmun Rev", year=2011
    )
    services.add_to_inbox(reference=reference, topic=TopicFactory(), user=None)
    reference.refresh_from_db()
    assert reference.citation_vancouver == format_citation(reference, "vancouver")
    assert reference.citation_ama == format_citation(reference, "ama")
    assert "Therapy of myositis" in reference.citation_ama
    assert reference.citation_source == citations.fingerprint(reference)


def test_a_change_by_any_path_is_formatted_again_on_first_use(client):
    entry = EntryFactory(reference__title="Old title", reference__year=2011)
    reference = entry.reference
    url = reference.get_absolute_url()
    assert "Old title" in client.get(url).content.decode()
    # A bulk update: no save(), no signal, no service.
    Reference.objects.filter(pk=reference.pk).update(title="New title")
    reference.refresh_from_db()
    assert "New title" in citations.stored_citation(reference, "ama")
    reference.refresh_from_db()
    assert "New title" in reference.citation_vancouver
    assert "Old title" not in reference.citation_ama


def test_a_database_refusing_the_write_still_gives_the_reader_the_citation(
    client, monkeypatch, caplog
):
    entry = EntryFactory(reference__title="Old title", reference__year=2011)
    reference = entry.reference
    Reference.objects.filter(pk=reference.pk).update(title="New title")
    update = QuerySet.update

    def locked(self, **kwargs):
        if "citation_source" in kwargs:
            raise OperationalError("database is locked")
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", locked)
    response = client.get(reference.get_absolute_url())
    assert response.status_code == 200
    assert "New title" in response.content.decode()
    assert "Could not store the citations" in caplog.text
    reference.refresh_from_db()
    assert "Old title" in reference.citation_vancouver
    # The next use that formats it stores it.
    monkeypatch.setattr(QuerySet, "update", update)
    citations.stored_citation(Reference.objects.get(pk=reference.pk))
    reference.refresh_from_db()
    assert "New title" in reference.citation_vancouver


def test_a_stale_citation_never_overwrites_a_newer_one():
    reference = ReferenceFactory(title="First title")
    Reference.objects.filter(pk=reference.pk).update(title="Second title")
    # A reader's request reads the row, whose citations are now stale...
    reading = Reference.objects.get(pk=reference.pk)
    # ...while an editor saves a third title through the admin's path.
    reference.title = "Third title"
    reference.refresh_citations()
    reference.save()
    assert "Second title" in citations.stored_citation(reading, "vancouver")
    reference.refresh_from_db()
    # The reader's late formatting of what it read is not stored over it.
    assert "Third title" in reference.citation_vancouver


def test_an_edit_in_the_admin_formats_the_citations_again(admin_client):
    reference = ReferenceFactory(title="Old title", year=2011)
    url = f"/admin/references/reference/{reference.pk}/change/"
    context = admin_client.get(url).context
    form = context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update(
            {
                f"{management.prefix}-{name}": value
                for name, value in management.initial.items()
            }
        )
    data.update(
        title="New title\r\n",
        authors="Oddis, Chester V\r\nReed, Ann M",
        kind=reference.kind,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reference.refresh_from_db()
    assert "New title" in reference.citation_vancouver
    assert reference.citation_vancouver.startswith("Oddis CV, Reed AM.")
    assert "Old title" not in reference.citation_ama


def test_a_plain_save_formats_nothing(monkeypatch):
    reference = ReferenceFactory()

    def fail(*args, **kwargs):
        raise AssertionError("formatted by save()")

    monkeypatch.setattr("references.citations.format_citation", fail)
    reference.title = "A new title"
    reference.save()


def test_article_page_lists_its_references_without_formatting(client, monkeypatch):
    references = ReferenceFactory.create_batch(3)
    body = " ".join(f"Claim [@{r.citation_key}]." for r in references)
    article = make_article(body=body, approve=True)

    def fail(*args, **kwargs):
        raise AssertionError("formatted per request")

    monkeypatch.setattr("references.citations.format_citation", fail)
    page = client.get(article.get_absolute_url()).content.decode()
    # Listed as the topic page lists them: title linked to the source.
    for reference in references:
        assert f'href="{reference.best_url}" rel="noopener">{reference.title}</a>' in (
            page
        )


def test_imported_references_are_formatted_on_first_use_and_stored_once(
    client, django_assert_max_num_queries
):
    ris = (
        b"TY  - JOUR\r\nAU  - Oddis, Chester V\r\nTI  - Rituximab <b>in</b> myositis"
        b"\r\nJO  - Arthritis Rheum\r\nPY  - 2013\r\nER  - \r\n"
    )
    parsed = importing.read_file(ris, filename="one.ris")
    topic = TopicFactory()
    importing.import_records(records=parsed.records, topic=topic)
    reference = Reference.objects.get()
    # Written in bulk, as an import writes: the citations wait for first use.
    Reference.objects.filter(pk=reference.pk).update(summary="Rituximab trial.")
    services.place_in_section(
        references=[reference], section=SectionFactory(topic=topic), user=None
    )
    reference.refresh_from_db()
    assert reference.citation_vancouver == reference.citation_ama == ""

    page = client.get(reference.get_absolute_url()).content.decode()
    reference.refresh_from_db()
    # <b> in a title is markup, as citeproc-js reads it (test_citeproc_js.py).
    assert reference.citation_vancouver.startswith("Oddis CV. Rituximab <b>in</b>")
    assert reference.citation_ama in page
    with django_assert_max_num_queries(3):
        client.get(reference.get_absolute_url())
