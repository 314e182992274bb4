"""Issue 15 in real Chromium: what a patient and a clinician notice at once.

Outbound literature links, the home page's topics, nested lists, the plain
view, the pre-selected audience, the contents box, touch-sized citation
numbers, the favicon, search order for readers' own words, and no page wider
than the window on a phone, a small phone or a tablet.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from questions.services import ask
from references.models import Topic
from tests.browser.conftest import PASSWORD, log_in
from tests.browser.test_reader import ARTICLE, PAGES
from tests.factories import editor

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 390, 768)
OVERVIEW = "Choosing antibody therapies in polymyositis and dermatomyositis"


def scroll_overflow(page):
    """How many CSS px the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - innerWidth)"
    )


def test_no_public_or_editorial_page_scrolls_sideways(demo, page, axe_violations):
    author = editor(username="erin")
    assert author.check_password(PASSWORD)
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    question = ask(
        text="Can I exercise with dermatomyositis? " + "Really " * 40,
        asker="patient",
        page=ARTICLE + "?version=plain&" + "x" * 200,
    )
    public = [*PAGES.values(), "/references/1/", "/editorial-board/"]
    editorial = [
        "/editorial/",
        f"/editorial/articles/{article.pk}/",
        f"/editorial/articles/{article.pk}/history/",
        "/editorial/articles/new/",
        "/editorial/literature/",
        "/editorial/literature/add/",
        "/editorial/literature/add/many/",
        "/editorial/literature/import/",
        "/editorial/questions/",
        question.group.get_absolute_url(),
    ]
    wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in public:
            page.goto(url)
            if scroll_overflow(page):
                wide.append((width, url, scroll_overflow(page)))
    log_in(page, author.username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in editorial:
            page.goto(url)
            if scroll_overflow(page):
                wide.append((width, url, scroll_overflow(page)))
    assert wide == []


def test_topic_page_links_every_identified_entry_to_its_source(demo, page):
    page.goto("/topics/myositis-treatment/")
    titles = page.locator(".ref a.ref-title")
    hrefs = [titles.nth(i).get_attribute("href") for i in range(titles.count())]
    assert len(hrefs) >= 15
    assert all(h.startswith("https://") for h in hrefs)
    assert "https://doi.org/10.1002/art.37754" in hrefs  # the RIM trial
    assert any(h.startswith("https://jddonline.com/") for h in hrefs)
    pubmed = page.locator(".ref a.ref-pubmed").first
    expect(pubmed).to_have_attribute(
        "href", "https://pubmed.ncbi.nlm.nih.gov/21740984/"
    )
    # One download menu for the page.
    assert page.get_by_role("navigation", name="Download this literature").count() == 1


def test_home_page_leads_with_topics_that_have_content(demo, page):
    Topic.objects.create(title="A topic with nothing yet", slug="nothing-yet")
    page.goto("/")
    topics = page.locator("#topics .topic-list__title a")
    names = [topics.nth(i).inner_text() for i in range(topics.count())]
    assert names[0] == "Treatment of dermatomyositis and polymyositis"
    assert "Clinical Trials" in names and "Interleukins" in names
    assert "A topic with nothing yet" not in names
    first_section = page.locator("main .columns > section").first
    expect(first_section).to_have_attribute("id", "topics")


def test_article_shows_nested_lists_contents_and_a_preselected_audience(demo, page):
    page.goto(ARTICLE)
    expect(page.get_by_label("Clinician")).to_be_checked()
    nested = page.locator(".prose li > ul > li")
    assert nested.count() >= 6
    expect(nested.first).to_contain_text("severe skin involvement")
    contents = page.get_by_role("navigation", name="On this page")
    links = contents.get_by_role("link")
    headings = page.locator(".prose h2")
    assert links.count() >= headings.count() >= 6
    contents.get_by_role("link", name="How PM and DM differ").click()
    assert page.evaluate("location.hash") == "#h-how-pm-and-dm-differ"
    expect(page.locator("#h-how-pm-and-dm-differ")).to_be_in_viewport()


def test_plain_view_has_one_glossary_and_a_collapsed_citation_block(demo, page):
    page.goto(ARTICLE + "?version=plain")
    expect(page.get_by_label("Patient or caregiver")).to_be_checked()
    assert page.get_by_text("Some words explained").count() == 0
    assert page.locator(".glossary").count() == 1
    cite = page.locator("details.cite")
    expect(cite).to_be_visible()
    expect(cite.locator(".cite__text").first).not_to_be_visible()
    cite.locator("summary").click()
    expect(cite.locator(".cite__text").first).to_be_visible()


def test_citation_numbers_are_touch_sized_and_the_favicon_loads(demo, page):
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(ARTICLE)
    page.wait_for_load_state("networkidle")
    assert failed == []
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).status == 200
    assert page.request.get("/favicon.ico").status == 200
    boxes = page.locator("sup.citation a")
    for i in range(min(boxes.count(), 10)):
        box = boxes.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    # The numbers do not push lines apart: a cited list item is one line high
    # per line of text, as an uncited one.
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.prose p'))"
        ".lineHeight)"
    )
    cited = page.locator(".prose li", has=page.locator("sup.citation")).first
    height = cited.bounding_box()["height"]
    assert height <= line * round(height / line) + 1


@pytest.mark.parametrize(
    "query",
    [
        "treating skin rash in dermatomyositis",
        "IVIG dose",
        "rituximab side effects",
        "rituximab",
    ],
)
def test_readers_words_find_the_reviewed_overview_first(demo, page, query):
    page.goto("/")
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill(query)
    search.press("Enter")
    first = page.locator(".search-result").first
    expect(first.locator(".search-result__title")).to_have_text(OVERVIEW)
    expect(first.locator(".ref-kind")).to_have_text("Reviewed article")
    snippet = first.locator(".search-result__snippet").inner_text()
    assert " ." not in snippet and " ," not in snippet


def test_search_form_has_no_blank_gap_on_a_phone(demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=rituximab")
    page.get_by_text("Filters: topic, kind, years").click()
    summary = page.locator(".search-filters summary").bounding_box()
    topic = page.get_by_label("Topic").bounding_box()
    kind = page.get_by_label("Kind").bounding_box()
    # Label and field of each filter follow at once, not 200 px lower.
    assert topic["y"] - (summary["y"] + summary["height"]) < 60
    assert kind["y"] - (topic["y"] + topic["height"]) < 60


def test_footer_stays_at_the_bottom_with_room_above_it(demo, page):
    page.goto(ARTICLE)
    gap = page.evaluate(
        "() => document.querySelector('.site-footer').getBoundingClientRect().top"
        " - document.querySelector('.disclaimer').getBoundingClientRect().bottom"
    )
    assert gap >= 32
    # A short page: the footer ends at the bottom of the window, no band below.
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto("/no-such-page/")
    bottom = page.evaluate(
        "() => document.querySelector('.site-footer').getBoundingClientRect().bottom"
    )
    assert bottom == 2400
