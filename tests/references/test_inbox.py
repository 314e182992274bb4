"""The curation inbox at the size of a real library: a page at a time, with
filters, and bulk actions on the whole filtered selection (issue 29, item 3)."""

import datetime

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Citation
from portal import page_cache
from references import importing, selectors, services
from references.editorial_views import INBOX_PAGE_SIZE
from references.models import ImportBatch, Reference
from tests.factories import SectionFactory, editor, make_article

pytestmark = pytest.mark.django_db

RIS = (
    b"TY  - JOUR\r\nAU  - Chung, Lorinda\r\nTI  - Lenabasum in dermatomyositis\r\n"
    b"JO  - Arthritis Rheumatol\r\nPY  - 2022\r\nER  - \r\n"
    b"TY  - JOUR\r\nAU  - Oddis, Chester\r\nTI  - Rituximab in refractory myositis\r\n"
    b"JO  - Arthritis Rheum\r\nPY  - 2013\r\nER  - \r\n"
)


@pytest.fixture
def section():
    return SectionFactory(topic__slug="myositis")


def fill_inbox(topic, count, *, summary="", kind=Reference.Kind.RESEARCH, start=0):
    """``count`` references waiting in ``topic``'s inbox, written in bulk as
    an import writes them."""
    return Reference.objects.bulk_create(
        Reference(
            title=f"Waiting study {n}",
            authors="Marie, Isabelle",
            source="Autoimmun Rev",
            year=2020,
            kind=kind,
            summary=summary,
            abstract="An abstract long enough to weigh on the page. " * 20,
            citation_key=f"waiting-{n}",
            inbox_topic=topic,
        )
        for n in range(start, start + count)
    )


def inbox_url(topic, query=""):
    return f"/editorial/literature/inbox/{topic.slug}/" + (f"?{query}" if query else "")


@pytest.fixture
def signed_in(client):
    user = editor()
    user.save()
    client.force_login(user)
    return user


def test_the_inbox_is_paginated_without_abstracts(client, signed_in, section):
    fill_inbox(section.topic, INBOX_PAGE_SIZE + 5)
    page = client.get(inbox_url(section.topic)).content.decode()
    assert page.count('name="references"') == INBOX_PAGE_SIZE
    assert "An abstract long enough" not in page
    assert f"References 1 to {INBOX_PAGE_SIZE} of {INBOX_PAGE_SIZE + 5}" in page
    second = client.get(inbox_url(section.topic, "page=2")).content.decode()
    assert second.count('name="references"') == 5


def test_the_inbox_costs_the_same_queries_whatever_waits(
    client, signed_in, section, django_assert_num_queries, django_assert_max_num_queries
):
    fill_inbox(section.topic, 3)
    client.get(inbox_url(section.topic))
    # Ten: the session and user (fewer with sessions in Redis), the topic,
    # the two permission lists, the files to filter by, the count, the page
    # the sections and the saved searches' findings.
    with django_assert_max_num_queries(10) as few:
        client.get(inbox_url(section.topic, "filter_kind=research&page=1"))
    fill_inbox(section.topic, 150, start=3)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(inbox_url(section.topic, "filter_kind=research&page=2"))


def test_ten_thousand_waiting_make_a_page_under_a_megabyte(client, signed_in, section):
    fill_inbox(section.topic, 10_000)
    response = client.get(inbox_url(section.topic))
    assert response.status_code == 200
    assert len(response.content) < 1_000_000
    assert "All 10000 references in this inbox" in response.content.decode()


def test_filters_by_file_date_kind_and_summary(client, signed_in, section):
    topic = section.topic
    parsed = importing.read_file(RIS, filename="chung.ris")
    importing.import_records(records=parsed.records, topic=topic, filename="chung.ris")
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.count, batch.topic) == ("chung.ris", 2, topic)
    [by_hand] = fill_inbox(topic, 1, summary="Ours.", kind=Reference.Kind.TRIAL)
    old = timezone.now() - datetime.timedelta(days=40)
    Reference.objects.filter(pk=by_hand.pk).update(created_at=old)

    def titles(query):
        page = client.get(inbox_url(topic, query)).content.decode()
        return sorted(
            r.title for r in Reference.objects.in_inbox(topic) if r.title in page
        )

    assert titles(f"batch={batch.pk}") == [
        "Lenabasum in dermatomyositis",
        "Rituximab in refractory myositis",
    ]
    assert titles("batch=by-hand") == ["Waiting study 0"]
    assert titles("filter_kind=trial") == ["Waiting study 0"]
    assert titles("summary=written") == ["Waiting study 0"]
    assert len(titles("summary=missing")) == 2
    until = (old + datetime.timedelta(days=1)).date().isoformat()
    assert titles(f"added_until={until}") == ["Waiting study 0"]
    assert len(titles(f"added_from={timezone.localdate().isoformat()}")) == 2
    # A filter that cannot be read is ignored, never a 500.
    assert len(titles("batch=999999&added_from=yesterday&filter_kind=x")) == 3
    assert "chung.ris" in client.get(inbox_url(topic)).content.decode()


def test_a_bulk_action_applies_to_the_whole_filtered_selection(
    client, signed_in, section
):
    """1,200 references: more than Django accepts as fields of one post
    (DATA_UPLOAD_MAX_NUMBER_FIELDS), placed by posting the filter."""
    topic = section.topic
    ready = fill_inbox(topic, 1200, summary="A summary in our words.")
    fill_inbox(topic, 3, start=5000)
    response = client.post(
        inbox_url(topic, "summary=written"),
        {
            "summary": "written",
            "scope": "all",
            "expected": "1200",
            "action": "place",
            "section": section.pk,
            "kind": "",
        },
    )
    assert response.status_code == 302
    assert response.url == inbox_url(topic, "summary=written")
    assert section.entries.count() == 1200
    assert Reference.objects.in_inbox(topic).count() == 3
    [version] = Version.objects.get_for_object(ready[0])
    assert version.revision.user == signed_in
    assert "1200 references were placed" in client.get(response.url).content.decode()


def test_all_that_match_beyond_the_bulk_limit_is_done_a_part_at_a_time(
    client, signed_in, section, monkeypatch
):
    """A request over all of 100,000 would outlive the worker's timeout and
    be undone: each applies to the first part as listed, and says how many
    are left for the next."""
    from references.forms import InboxActionForm

    monkeypatch.setattr(InboxActionForm, "BULK_LIMIT", 3)
    topic = section.topic
    fill_inbox(topic, 5, summary="A summary in our words.")
    listed_first = [r.pk for r in selectors.inbox(topic)[:3]]
    page = client.get(inbox_url(topic)).content.decode()
    assert "(the first 3 as listed; apply again for the next)" in page

    post = {"scope": "all", "action": "place", "section": section.pk, "kind": ""}
    response = client.post(inbox_url(topic), {**post, "expected": "5"}, follow=True)
    assert sorted(section.entries.values_list("reference", flat=True)) == sorted(
        listed_first
    )
    page = response.content.decode()
    assert "3 references were placed" in page
    assert "2 more references match: apply again for the next 2." in page

    response = client.post(inbox_url(topic), {**post, "expected": "2"}, follow=True)
    assert section.entries.count() == 5
    assert not Reference.objects.in_inbox(topic).exists()
    assert "more reference" not in response.content.decode()


def test_all_that_match_is_refused_when_the_inbox_changed_meanwhile(
    client, signed_in, section
):
    fill_inbox(section.topic, 5)
    response = client.post(
        inbox_url(section.topic),
        {"scope": "all", "expected": "4", "action": "delete"},
    )
    assert response.status_code == 200
    assert "5 references match now" in response.content.decode()
    assert Reference.objects.in_inbox(section.topic).count() == 5


def test_bulk_kind_and_delete_on_all_that_match(client, signed_in, section):
    topic = section.topic
    fill_inbox(topic, 4)
    fill_inbox(topic, 2, kind=Reference.Kind.TRIAL, start=10)
    client.post(
        inbox_url(topic),
        {
            "filter_kind": "research",
            "scope": "all",
            "expected": "4",
            "action": "kind",
            "kind": "observational",
        },
    )
    assert Reference.objects.filter(kind="observational").count() == 4
    client.post(
        inbox_url(topic),
        {"filter_kind": "trial", "scope": "all", "expected": "2", "action": "delete"},
    )
    assert set(Reference.objects.values_list("kind", flat=True)) == {"observational"}


def test_placing_without_a_summary_is_refused_in_words(client, signed_in, section):
    [waiting] = fill_inbox(section.topic, 1)
    response = client.post(
        inbox_url(section.topic),
        {"references": [waiting.pk], "action": "place", "section": section.pk},
    )
    assert response.status_code == 200
    assert "Write its summary before placing it" in response.content.decode()
    assert Reference.objects.get(pk=waiting.pk).is_in_inbox
    with pytest.raises(Exception, match="summary"):
        services.place_in_section(references=[waiting], section=section, user=None)


def test_deleting_a_reference_an_article_cites_is_refused(client, signed_in, section):
    [cited] = fill_inbox(section.topic, 1)
    article = make_article(body="Lenabasum [@waiting-0].", topic=section.topic)
    assert Citation.objects.filter(article=article, reference=cited).exists()
    response = client.post(
        inbox_url(section.topic), {"references": [cited.pk], "action": "delete"}
    )
    assert response.status_code == 200
    assert "cited by an article" in response.content.decode()
    assert Reference.objects.filter(pk=cited.pk).exists()


def test_the_inbox_selector_is_what_the_page_lists(section):
    fill_inbox(section.topic, 2)
    fill_inbox(SectionFactory().topic, 1, start=10)
    listed = selectors.inbox(section.topic)
    # Newest first; rows written at the same instant, the last written first.
    assert [r.title for r in listed] == ["Waiting study 1", "Waiting study 0"]


def test_emptying_an_inbox_leaves_the_public_pages_cached(section):
    """Nothing deleted from an inbox was ever public: one generation a row
    would cost seconds per thousand (a shared cache written each time)."""
    fill_inbox(section.topic, 30)
    page_cache.invalidate_public_pages()
    before = page_cache.current_generation()
    services.delete_from_inbox(references=selectors.inbox(section.topic))
    assert page_cache.current_generation() == before
    assert not Reference.objects.in_inbox(section.topic).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"scope": "all", "expected": "abc", "action": "delete"},
        {"scope": "all", "expected": "3", "action": "delete", "batch": "999999"},
        {"scope": "all", "expected": "3", "action": "delete", "added_from": "x"},
        {"scope": "bogus", "action": "delete"},
        {"references": ["abc", "-1"], "action": "delete"},
        {"references": ["1" * 30], "action": "delete"},
        {"scope": "all", "expected": "3", "action": "x"},
    ],
)
def test_hostile_bulk_posts_change_nothing(client, signed_in, section, data):
    fill_inbox(section.topic, 3)
    response = client.post(inbox_url(section.topic), data)
    assert response.status_code == 200
    assert 'id="refusals"' in response.content.decode()
    assert Reference.objects.in_inbox(section.topic).count() == 3
