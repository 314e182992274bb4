"""The shape of the queries that must hold at 100,000 references.

No timings: these check that the database is asked in a way that does not
grow with the library (an index serves the order, no DISTINCT join, no
window numbering every entry), and that the query counts stay fixed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import planner
from portal import topics as topics_module
from references.models import Entry, Reference
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def plan(queryset):
    """The database's plan for ``queryset``, as one lower-case string, with
    the statistics a site keeps (``portal.planner``)."""
    planner.refresh_statistics()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " ".join(str(row[-1]) for row in cursor.fetchall()).lower()
        # A handful of test rows would be scanned (or fetched and sorted)
        # whatever the indexes: ask what PostgreSQL would do with a table too
        # large to scan or sort, so the plan says which index serves the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(row[0] for row in cursor.fetchall()).lower()


def assert_served_by(index, query_plan):
    """The plan reads ``index``. On PostgreSQL, whose planner chooses among
    equally cheap plans for a few test rows (the choice moves with the
    statistics earlier tests left), it is enough that the index exists and
    that no table is scanned whole; bench/library_scale.py shows the plans
    at 100,000."""
    if connection.vendor == "sqlite" or index in query_plan:
        assert index in query_plan
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
        assert cursor.fetchone(), f"no index {index}"
    assert "seq scan" not in query_plan


def test_the_newest_first_order_of_visible_references_is_read_from_an_index():
    ReferenceFactory.create_batch(3)
    query_plan = plan(Reference.objects.visible().newest_first()[40:60])
    assert_served_by("reference_newest_first", query_plan)
    assert "temp b-tree" not in query_plan  # SQLite: no sort of the whole table


def test_a_section_s_entries_in_order_are_read_from_an_index():
    section = SectionFactory()
    EntryFactory.create_batch(3, section=section)
    query_plan = plan(section.entries.order_by("position", "id")[:25])
    assert_served_by("entry_in_order", query_plan)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("size", [4, 40])
def test_a_filtered_literature_list_counts_without_a_distinct_join(client, size):
    section = SectionFactory()
    for reference in ReferenceFactory.create_batch(size):
        EntryFactory(section=section, reference=reference)
        # Listed twice in the topic: still one row on the list.
        EntryFactory(section=SectionFactory(topic=section.topic), reference=reference)
    url = f"/literature/?topic={section.topic.slug}"
    response = client.get(url)
    assert response.context["paginator"].count == size
    sqls = queries_of(client, url)
    assert not [sql for sql in sqls if "DISTINCT" in sql.upper()]
    # Each reference asks its own entries (EXISTS), never a list of the
    # topic's: a page then walks the order's index and stops.
    [counting] = [sql for sql in sqls if "COUNT(*)" in sql.upper()]
    assert "EXISTS" in counting.upper()
    assert " IN (SELECT" not in counting.upper()


def test_the_topic_page_reads_each_section_s_first_entries_without_numbering_all(
    client, settings
):
    settings.PORTAL_TOPIC_SECTION_ENTRIES = 2
    first = SectionFactory()
    second = SectionFactory(topic=first.topic)
    entries = {
        section.pk: [EntryFactory(section=section, position=n) for n in range(5)]
        for section in (first, second)
    }
    sqls = queries_of(client, first.topic.get_absolute_url())
    assert not [sql for sql in sqls if "ROW_NUMBER" in sql.upper()]
    page = client.get(first.topic.get_absolute_url()).content.decode()
    for section_entries in entries.values():
        shown = [e.reference.get_absolute_url() in page for e in section_entries]
        assert shown == [True, True, False, False, False]


@pytest.mark.parametrize("feed", ["topic", "library"])
def test_a_literature_feed_costs_the_same_queries_without_grouping_the_topic(
    client, feed
):
    counts = []
    for size in (5, 50):
        section = SectionFactory()
        for reference in ReferenceFactory.create_batch(size):
            EntryFactory(section=section, reference=reference)
            EntryFactory(
                section=SectionFactory(topic=section.topic), reference=reference
            )
        url = (
            f"/feeds/topics/{section.topic.slug}/literature/"
            if feed == "topic"
            else "/feeds/literature/"
        )
        sqls = queries_of(client, url)
        assert not [sql for sql in sqls if "GROUP BY" in sql.upper()]
        counts.append(len(sqls))
    assert counts[0] == counts[1]


def test_the_topic_feed_lists_each_reference_once_by_its_latest_listing(client):
    first = SectionFactory()
    second = SectionFactory(topic=first.topic)
    older, newer = (
        ReferenceFactory(title="Older listing"),
        ReferenceFactory(title="Newer listing"),
    )
    EntryFactory(section=first, reference=newer)
    EntryFactory(section=first, reference=older)
    EntryFactory(section=second, reference=newer)  # listed again, later
    xml = client.get(f"/feeds/topics/{first.topic.slug}/literature/").content.decode()
    assert xml.count("Newer listing") == 1
    assert xml.index("Newer listing") < xml.index("Older listing")


def test_a_section_s_newest_visible_entries_are_read_from_an_index():
    section = SectionFactory()
    EntryFactory.create_batch(3, section=section)
    newest = Entry.objects.visible().filter(section=section).order_by("-added_at")[:30]
    query_plan = plan(newest)
    assert_served_by("entry_newest", query_plan)
    # Visibility is asked of each entry's reference, never by listing them all.
    assert "list subquery" not in query_plan


def test_the_sitemap_index_finds_the_latest_change_by_an_index():
    ReferenceFactory.create_batch(3)
    latest = (
        Reference.objects.visible()
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)[:1]
    )
    query_plan = plan(latest)
    assert_served_by("reference_visible_updated", query_plan)
    assert "temp b-tree" not in query_plan


def test_statistics_count_the_visible_library_exactly_whatever_its_size():
    """A sampled ANALYZE (2,000 rows) counted 60 % of 100,000 visible
    references and a thousand a value of ``inbox_topic``, whose NULL holds
    nearly all: the planner then fetched the visible library through the
    inbox_topic index and sorted it whole for every deep page."""
    visible = ReferenceFactory.build_batch(2500)
    waiting = ReferenceFactory.build_batch(20, inbox_topic=TopicFactory())
    Reference.objects.bulk_create(visible + waiting)
    query_plan = plan(Reference.objects.visible().newest_first()[2000:2020])
    assert_served_by("reference_newest_first", query_plan)
    assert "temp b-tree" not in query_plan
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE idx = 'reference_newest_first'"
            )
            rows = int(cursor.fetchone()[0].split()[0])
        assert rows == Reference.objects.visible().count()


def test_the_topic_page_counts_its_sections_from_the_entries_less_the_hidden(
    client, settings
):
    """Counting the visible entries through a join to every reference cost
    PostgreSQL 0.15 s at 100,000 (a correlated count per section, 0.8 s):
    each section's entries are counted from their own index, less the few
    whose reference went back to an inbox."""
    settings.PORTAL_TOPIC_SECTION_ENTRIES = 1
    section = SectionFactory()
    EntryFactory.create_batch(3, section=section)
    back_in_inbox = EntryFactory(section=section)
    emptied = EntryFactory(section=SectionFactory(topic=section.topic))
    Reference.objects.filter(
        pk__in=[back_in_inbox.reference_id, emptied.reference_id]
    ).update(inbox_topic=section.topic)
    sqls = queries_of(client, section.topic.get_absolute_url())
    [counting] = [sql for sql in sqls if 'FROM "references_section"' in sql]
    assert counting.upper().count("SELECT") == 1
    assert '"references_reference"' not in counting
    page = client.get(section.topic.get_absolute_url()).content.decode()
    assert "All 3 references in" in page
    # A section whose only reference went back to an inbox is not shown.
    assert emptied.section.title not in page
    assert back_in_inbox.reference.get_absolute_url() not in page


def test_each_section_s_first_entries_are_one_limited_walk_per_section():
    """An OR of one IN per section made PostgreSQL scan every entry of the
    library for each; where a LIMIT may sit inside a UNION, the sections'
    shares are united."""
    sections = [SectionFactory(), SectionFactory()]
    for section in sections:
        EntryFactory.create_batch(3, section=section)
    first = Entry.objects.first_in_each(sections, "position", "id", limit=2)
    sql = str(first.query).upper()
    assert sql.count("LIMIT 2") == 2
    if connection.features.supports_slicing_ordering_in_compound:
        assert "UNION ALL" in sql and " OR " not in sql
    assert sorted(first.values_list("section", flat=True)) == sorted(
        [sections[0].pk] * 2 + [sections[1].pk] * 2
    )
    assert not Entry.objects.first_in_each([], "position", limit=2).exists()


def test_a_sitemap_page_is_read_in_the_order_of_an_index():
    visible = ReferenceFactory.build_batch(2500)
    waiting = ReferenceFactory.build_batch(20, inbox_topic=TopicFactory())
    Reference.objects.bulk_create(visible + waiting)
    query_plan = plan(
        Reference.objects.visible().order_by("pk").only("pk", "updated_at")[1:3]
    )
    if connection.vendor == "sqlite":
        # SQLite walks the table in its own order (the rowid) and stops.
        assert "temp b-tree" not in query_plan
    else:
        assert_served_by("reference_visible_by_number", query_plan)


@pytest.mark.parametrize("same_topic", [True, False])
def test_a_section_filter_lists_the_same_references_with_or_without_its_topic(
    client, same_topic
):
    section = SectionFactory()
    listed = ReferenceFactory(title="Listed in the section")
    EntryFactory(section=section, reference=listed)
    EntryFactory(section=SectionFactory(topic=section.topic))  # same topic
    other_topic = TopicFactory()
    topic = section.topic if same_topic else other_topic
    url = f"/literature/?topic={topic.slug}&section={section.pk}"
    shown = list(client.get(url).context["references"])
    # A section of another topic: only what is in both (nothing here).
    assert shown == ([listed] if same_topic else [])
    if same_topic:
        sqls = queries_of(client, url)
        assert not [
            sql for sql in sqls if "references_section" in sql and " IN (SELECT" in sql
        ]


def test_topics_count_their_visible_entries_in_one_grouped_pass():
    """A correlated count per topic made PostgreSQL hash the whole reference
    table once a topic (the home page's first render), and a join to every
    reference cost it 0.16 s at 100,000."""
    section = SectionFactory()
    EntryFactory.create_batch(2, section=section)
    waiting = EntryFactory(section=section)
    Reference.objects.filter(pk=waiting.reference_id).update(inbox_topic=section.topic)
    topics = topics_module.with_content()
    assert [(t.pk, t.entry_count) for t in topics] == [(section.topic.pk, 2)]
    sql = str(topics.query).upper()
    assert "GROUP BY" in sql
    assert "COUNT(U" not in sql  # no correlated count subquery
    # Counted from the entries alone: no join to every reference.
    assert 'OUTER JOIN "REFERENCES_REFERENCE"' not in sql


def test_a_deep_literature_page_reads_its_keys_from_the_index_alone(client):
    """Selecting whole rows past an OFFSET of 50,000 made PostgreSQL scan
    and sort the whole table on disk (0.24 s); the page's keys come from the
    index, then its 25 rows by key."""
    visible = ReferenceFactory.build_batch(2500)
    Reference.objects.bulk_create(visible)
    keys = Reference.objects.visible().newest_first().values_list("pk", flat=True)
    query_plan = plan(keys[2000:2020])
    assert_served_by("reference_newest_first", query_plan)
    assert "temp b-tree" not in query_plan
    sqls = queries_of(client, "/literature/?page=90")
    [page] = [sql for sql in sqls if " OFFSET " in sql.upper()]
    keys = page[page.index("IN (SELECT") :]
    assert keys.split(" FROM ")[0] == 'IN (SELECT U0."id" AS "pk"'


def test_a_literature_page_kept_rendered_reads_no_row(client, settings):
    """The page's rows are read where the page is rendered: a request whose
    page is a kept fragment counts, and reads nothing more."""
    ReferenceFactory.create_batch(30)
    client.get("/literature/?page=2")
    sqls = queries_of(client, "/literature/?page=2")
    assert not [sql for sql in sqls if " OFFSET " in sql.upper()]


def test_references_of_one_day_and_title_keep_their_place_from_page_to_page(client):
    twins = ReferenceFactory.create_batch(60, title="Same title", year=2020)
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/literature/?page={page}")
        seen += [reference.pk for reference in response.context["references"]]
    assert sorted(seen) == sorted(twin.pk for twin in twins)
    assert seen == sorted(seen)  # by number within the same date and title
