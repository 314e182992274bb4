"""The admin holds a large library: pages cost fixed queries, search is indexed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from references.models import ReferenceNotice
from tests.factories import (
    EntryFactory,
    ReferenceFactory,
    SectionFactory,
    TopicFactory,
    administrator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = administrator()
    user.save()
    client.force_login(user)
    return client


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "page",
    [
        "/admin/references/section/{section}/change/",
        "/admin/references/entry/",
        "/admin/references/entry/?section__id__exact={section}",
        "/admin/references/reference/",
        "/admin/references/reference/{reference}/change/",
        "/admin/references/referencenotice/",
    ],
)
def test_an_admin_page_costs_the_same_queries_with_3_and_30_entries(admin_client, page):
    counts = []
    for n in (3, 30):
        section = SectionFactory()
        references = ReferenceFactory.create_batch(n)
        for reference in references:
            EntryFactory(section=section, reference=reference)
            EntryFactory(reference=reference)
            ReferenceNotice.objects.create(
                reference=reference, kind="correction", source="editor"
            )
        url = page.format(section=section.pk, reference=references[0].pk)
        queries_of(admin_client, url)  # the first sets up the session's caches
        counts.append(queries_of(admin_client, url)[0])
    assert counts[0] == counts[1]


def test_the_section_page_links_to_its_entries_instead_of_listing_them(admin_client):
    section = SectionFactory()
    for reference in ReferenceFactory.create_batch(3, title="Listed study"):
        EntryFactory(section=section, reference=reference)
    _queries, response = queries_of(
        admin_client, f"/admin/references/section/{section.pk}/change/"
    )
    html = response.content.decode()
    assert "Listed study" not in html
    assert f"/admin/references/entry/?section__id__exact={section.pk}" in html
    assert "3 entries: order and edit them" in html


def search_admin(client, term):
    response = client.get("/admin/references/reference/", {"q": term})
    assert response.status_code == 200
    return {reference.pk for reference in response.context["cl"].result_list}


def test_admin_reference_search_goes_through_the_index_and_identifiers(admin_client):
    lenabasum = ReferenceFactory(
        title="Lenabasum in dermatomyositis", doi="10.1000/lena", pmid="123456"
    )
    other = ReferenceFactory(title="Rituximab in polymyositis", citation_key="oddis")
    waiting = ReferenceFactory(
        title="Waiting lenabasum trial", inbox_topic=TopicFactory()
    )
    assert search_admin(admin_client, "lenabasum") == {lenabasum.pk, waiting.pk}
    assert search_admin(admin_client, "https://doi.org/10.1000/LENA") == {lenabasum.pk}
    assert search_admin(admin_client, "PMID: 123456") == {lenabasum.pk}
    assert search_admin(admin_client, "oddis") == {other.pk}
    assert search_admin(admin_client, "nothing-like-this") == set()


def test_the_reference_autocomplete_uses_the_same_search(admin_client):
    reference = ReferenceFactory(title="Lenabasum in dermatomyositis")
    ReferenceFactory(title="Rituximab in polymyositis")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "lenabasum",
            "app_label": "references",
            "model_name": "entry",
            "field_name": "reference",
        },
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(reference.pk)]


@pytest.mark.parametrize(
    "term", ['"unbalanced', "NEAR(a b", "a* OR -b", "Z" * 60_000, "10.1000/", "%_\\"]
)
def test_hostile_admin_searches_answer_a_page(admin_client, term):
    ReferenceFactory(title="Lenabasum in dermatomyositis")
    response = admin_client.get("/admin/references/reference/", {"q": term})
    # A search too long is refused with a message (portal's request limits).
    assert response.status_code == (400 if len(term) > 1000 else 200)
