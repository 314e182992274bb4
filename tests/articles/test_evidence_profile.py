"""The evidence profile: worked out on save and approval, shown to the board
and to readers, and the guard on recommendations resting on nothing
checkable."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services, workflow
from articles.models import Article
from references.models import ReferenceNotice
from tests.factories import (
    ReferenceFactory,
    approve_through_review,
    board_member,
    editor,
    make_article,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

BODY = """Rituximab helps refractory myositis [@rim; @summary].

- Methotrexate is started at 15 mg weekly [@summary].
- IVIG improved dermatomyositis [@proderm].
  - In a registry record too [@registered].

/// recommendation | strength=strong certainty=low
Use the drug the summary favours [@summary; @leaflet].
///

/// recommendation | strength=strong certainty=moderate
Give IVIG in dermatomyositis [@proderm].
///
"""


@pytest.fixture
def library():
    return {
        "rim": ReferenceFactory(
            citation_key="rim", kind="trial", pmid="23124935", url="", year=2013
        ),
        "proderm": ReferenceFactory(
            citation_key="proderm",
            kind="trial",
            doi="10.1056/nejmoa2117912",
            url="",
            year=2022,
        ),
        # A point-of-care summary: no identifier, no link.
        "summary": ReferenceFactory(
            citation_key="summary",
            kind="secondary_summary",
            title="Guideline Directed Topic Overview",
            url="",
            year=2025,
        ),
        # A patient website with a working link, but secondary.
        "leaflet": ReferenceFactory(
            citation_key="leaflet",
            kind="secondary_summary",
            title="Myositis for patients",
            url="https://patients.example/myositis",
            year=2020,
        ),
        "registered": ReferenceFactory(
            citation_key="registered",
            kind="trial",
            url="https://clinicaltrials.gov/study/NCT03813160",
            year=2019,
        ),
    }


def test_saving_the_text_works_out_and_stores_its_profile(library):
    article = make_article(body=BODY)
    profile = Article.objects.get(pk=article.pk).evidence_profile
    assert profile["references"] == 5
    # DOI, PMID and a trial registration; the leaflet has only a link.
    assert profile["with_identifier"] == 3
    assert profile["with_doi_or_pmid"] == 2
    assert profile["with_url_only"] == 1
    assert profile["citations"] == 8
    # Every citation but the three of the summary, which has neither.
    assert profile["checkable_citations"] == 5
    assert profile["checkable_percent"] == 62
    assert profile["by_kind"] == {"trial": 3, "secondary_summary": 2}
    assert profile["newest_year"] == 2025
    weak = [s["text"] for s in profile["weak_statements"]]
    assert weak == [
        "Methotrexate is started at 15 mg weekly.",
        "Use the drug the summary favours.",
    ]
    (unsupported,) = profile["unsupported"]
    assert unsupported["anchor"] == "recommendation-1"


def test_a_trial_registration_counts_as_an_identifier_only_on_the_registry():
    registered = ReferenceFactory(url="https://clinicaltrials.gov/study/NCT03813160")
    press = ReferenceFactory(url="https://news.example/NCT03813160")
    assert registered.trial_registration == "NCT03813160"
    assert press.trial_registration == ""


def _post(client, article, **data):
    return client.post(
        f"/editorial/articles/{article.pk}/act/",
        {"version": article.version, "change_class": "", "change_note": "", **data},
        follow=True,
    )


def test_approval_is_refused_without_a_comment_for_a_recommendation_on_a_summary(
    client, library
):
    article = make_article(body=BODY)
    reviewer = board_member()
    workflow.submit(article=article, user=article.author)
    workflow.start_review(article=article, user=reviewer)
    client.force_login(reviewer)
    page = client.get(f"/editorial/articles/{article.pk}/").content.decode()
    # The review page names the block and why, before anyone presses a button.
    caution = page[page.index("Recommendations resting on no checkable evidence") :]
    assert 'href="#recommendation-1">Recommendation 1</a>' in caution
    assert "“Guideline Directed Topic Overview” (secondary summary, no identifier)" in (
        caution
    )

    refused = _post(client, article, action="approve", comment="  \r\n ")
    assert "Resting on no checkable evidence: Recommendation 1 " in (
        refused.content.decode()
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW and article.live is None

    approved = _post(
        client,
        article,
        action="approve",
        comment="Recommendation 1 rests on a secondary summary:\r\nno trial exists.",
    )
    assert approved.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.live.evidence_profile["unsupported"][0]["anchor"] == (
        "recommendation-1"
    )


def test_a_recommendation_on_a_trial_with_an_identifier_needs_no_comment(library):
    body = (
        "/// recommendation | strength=strong certainty=moderate\n"
        "Give IVIG [@proderm; @summary].\n///\n"
    )
    article = make_article(body=body, approve=True)
    assert article.live.evidence_profile["unsupported"] == []


def test_approval_works_the_profile_out_again_from_the_references_as_they_are(
    library,
):
    article = make_article(body=BODY)
    assert article.evidence_profile["notices"] == []
    ReferenceNotice.objects.create(
        reference=library["rim"], kind="correction", source="editor"
    )
    # The summary is found to be a trial report after all, with a DOI.
    library["summary"].kind = "trial"
    library["summary"].doi = "10.5555/summary"
    library["summary"].save()
    approve_through_review(article)
    profile = article.live.evidence_profile
    assert profile["notices"] == [
        {"key": "rim", "title": library["rim"].title, "kind": "correction"}
    ]
    assert profile["checkable_citations"] == profile["citations"] == 8
    assert profile["unsupported"] == []
    assert Article.objects.get(pk=article.pk).evidence_profile == profile


def test_review_page_compares_the_profile_with_the_live_versions(client, library):
    article = make_article(body="Rituximab helps [@summary]. IVIG too [@summary].")
    approve_through_review(article, comment="Only a summary for now.")
    article.body = "Rituximab helps [@rim]. IVIG too [@summary]."
    services.save_article(
        article=article, user=article.author, expected_version=article.version
    )
    client.force_login(board_member())
    html = client.get(f"/editorial/articles/{article.pk}/").content.decode()
    section = html[html.index('id="evidence-profile-heading"') :]
    section = section[: section.index("</section>")]
    row = re.search(r"Checkable citations.*?</tr>", section, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells == ["0 of 2", "1 of 2"]
    assert "Live (version 1)" in section and "This text (version 2)" in section


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_showing_the_profile_cost_the_same_queries_with_4_and_40_references(
    client,
):
    review, public = [], []
    for n, prefix in ((4, "small"), (40, "large")):
        references = [
            ReferenceFactory(
                citation_key=f"{prefix}-{i}",
                kind="trial" if i % 2 == 0 else "secondary_summary",
                pmid=f"{n * 1000 + i}" if i % 2 == 0 else "",
            )
            for i in range(n)
        ]
        body = " ".join(f"Claim [@{r.citation_key}]." for r in references)
        article = make_article(body=body, approve=True)
        article.body += " More."
        services.save_article(
            article=article, user=article.author, expected_version=article.version
        )
        client.force_login(board_member())
        review.append(queries_of(client, f"/editorial/articles/{article.pk}/"))
        client.logout()
        public.append(queries_of(client, article.get_absolute_url()))
    assert review[0] == review[1]
    assert public[0] == public[1]


def test_readers_see_the_profile_in_one_line_and_every_reference_links_out(
    client, library
):
    article = make_article(body=BODY, approval_comment="Acknowledged.", approve=True)
    html = client.get(article.get_absolute_url(), {"version": "clinical"}).content
    html = html.decode()
    references = html[html.index('id="references-heading"') :]
    references = references[: references.index("</section>")]
    assert '<p class="references__profile">5 sources, 2 linked to PubMed or DOI, ' in (
        references
    )
    assert "newest from 2025</p>" in references
    cited = [c.reference for c in article.live.citations.select_related("reference")]
    pubmed = references.count('class="ref-pubmed" href="https://pubmed.ncbi.nlm.nih')
    doi = references.count('class="ref-doi" href="https://doi.org/')
    assert pubmed == sum(bool(r.pmid) for r in cited) == 1
    assert doi == sum(bool(r.doi) for r in cited) == 1
    # Each title links to the source: its link, else its DOI or PubMed page.
    titles = re.findall(r'<a class="ref-title" href="([^"]+)"', references)
    assert len(titles) == 4  # the summary has nowhere to link to
    assert "https://clinicaltrials.gov/study/NCT03813160" in titles
    start = html.index('<script type="application/ld+json">') + 35
    data = json.loads(html[start : html.index("</script>", start)])
    identifiers = [
        item["identifier"] for item in data["citation"] if "identifier" in item
    ]
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "23124935"} in (
        identifiers
    )
    assert {
        "@type": "PropertyValue",
        "propertyID": "Trial registration",
        "value": "NCT03813160",
    } in identifiers
    assert len(data["citation"]) == 5


def test_dashboard_lists_articles_with_few_checkable_citations(
    client, library, settings
):
    settings.PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT = 90
    weak = make_article(body=BODY, title="Resting on summaries")
    make_article(body="Solid [@rim]. Also [@proderm].", title="Resting on trials")
    make_article(body="Cites nothing.", title="Uncited")
    assert list(Article.objects.with_few_checkable_citations()) == [weak]
    client.force_login(editor())
    html = client.get("/editorial/").content.decode()
    section = html[html.index('id="checkable-heading"') :]
    section = section[: section.index("</section>")]
    assert "Resting on summaries" in section and "5 of 8 (62%)" in section
    assert "Resting on trials" not in section and "Uncited" not in section


def test_the_command_refreshes_profiles_missing_from_older_texts(library):
    article = make_article(body=BODY, approval_comment="Acknowledged.", approve=True)
    # As a text approved before profiles existed holds them: empty.
    Article.objects.filter(pk=article.pk).update(evidence_profile={})
    article.live.__class__.objects.filter(pk=article.live.pk).update(
        evidence_profile={}
    )
    out = io.StringIO()
    call_command("evidence_profiles", "--refresh", "--dry-run", stdout=out)
    assert "Would refresh 1 profile(s)." in out.getvalue()
    assert Article.objects.get(pk=article.pk).evidence_profile == {}
    out = io.StringIO()
    call_command("evidence_profiles", article.slug, "--refresh", stdout=out)
    printed = out.getvalue()
    assert "Checkable citations (identifier or working link): 5 of 8" in printed
    assert "! Recommendation 1: Use the drug the summary favours." in printed
    article.refresh_from_db()
    assert article.evidence_profile["citations"] == 8
    assert article.live.evidence_profile == article.evidence_profile


def test_the_dashboard_list_costs_one_query_however_many_articles_it_holds(
    client, library, settings
):
    settings.PORTAL_CHECKABLE_CITATIONS_MIN_PERCENT = 90
    client.force_login(editor())
    counts = []
    for n in (1, 4):
        while Article.objects.with_few_checkable_citations().count() < n:
            make_article(body=BODY)
        counts.append(queries_of(client, "/editorial/"))
    assert counts[0] == counts[1]
