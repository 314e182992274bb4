"""The reader's pages in real Chromium: axe at two widths, keyboard, no-JS audience."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "/articles/antibody-therapy-pm-dm/"
PAGES = {
    "reader-home": "/",
    "reader-topic": "/topics/myositis-treatment/",
    "reader-article-clinician": ARTICLE + "?version=clinical",
    "reader-article-patient": ARTICLE + "?version=plain",
    "reader-literature": "/literature/",
    "reader-search-results": "/search/?q=rituximab",
    "reader-search-none": "/search/?q=zebrafish",
    "reader-search-misspelt": "/search/?q=rituximabb",
    "reader-search-filtered-none": "/search/?q=zebrafish&kind=trial&year_from=2015",
    "reader-search-hostile": "/search/?q=%3Cscript%3E%22NEAR(*",
    "reader-glossary": "/glossary/",
    "reader-editorial-policy": "/editorial-policy/",
    "reader-not-found": "/no-such-page/",
    "reader-question-form": "/questions/ask/?from=/topics/myositis-treatment/",
}


@pytest.mark.parametrize("size_name, size", [("desktop", DESKTOP), ("phone", PHONE)])
def test_reader_pages_have_no_axe_violations(
    demo, page, axe_violations, screenshot, size_name, size
):
    page.set_viewport_size(size)
    for name, url in PAGES.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        screenshot(page, f"{name}-{size_name}")
        assert axe_violations(page) == [], name
        # Nothing wider than the window (more widths: test_reader_experience).
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    page.goto("/literature/")
    page.get_by_role("link", name="Details").first.click()
    screenshot(page, f"reader-reference-{size_name}")
    assert axe_violations(page) == [], "reference"


def test_header_search_box_is_reachable_and_finds_results(demo, page):
    page.goto("/editorial-policy/")
    search = page.get_by_role("search").get_by_role(
        "searchbox", name="Search articles and literature"
    )
    search.fill("treating")
    search.press("Enter")
    page.wait_for_url("**/search/?q=treating")
    assert page.locator(".search-result").count() > 0
    assert page.locator(".search-result mark").count() > 0


def test_keyboard_reaches_main_content_with_visible_focus(demo, page):
    page.goto(ARTICLE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate("el => getComputedStyle(el).top") == "8px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab lands inside the article, with a visible focus outline.
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement")
    assert focused.evaluate("el => document.getElementById('main').contains(el)")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none"


def test_audience_selector_works_without_javascript(demo, chromium, live_server):
    context = chromium.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    page = context.new_page()
    try:
        page.goto(ARTICLE)
        # One tap on the reader bar opens the choice (a <details>, no script).
        page.locator("summary", has_text="Clinical version").click()
        assert page.get_by_text("You are reading the clinical version.").is_visible()
        page.get_by_label("Patient or caregiver").check()
        page.get_by_role("button", name="Show my version").click()
        page.wait_for_url(f"**{ARTICLE}")
        page.locator("summary", has_text="Plain-language version").click()
        assert page.get_by_text(
            "You are reading the plain-language version"
        ).is_visible()
        assert page.locator("a.term").count() > 0
        assert page.locator("#glossary-heading").is_visible()
        # The choice is remembered on the next visit.
        page.goto(ARTICLE)
        assert page.get_by_label("Patient or caregiver").is_checked()
        page.locator("summary", has_text="Plain-language version").click()
        page.get_by_role("link", name="Read the clinical version").click()
        page.locator("summary", has_text="Clinical version").click()
        assert page.get_by_text("You are reading the clinical version.").is_visible()
    finally:
        context.close()


def test_glossary_link_jumps_to_the_definition(demo, page):
    page.goto(ARTICLE + "?version=plain")
    page.locator("a.term").first.click()
    target = page.evaluate("location.hash")
    assert target.startswith("#term-")
    assert page.locator(target).is_visible()


def test_print_layout_hides_navigation_and_keeps_references(demo, page):
    page.goto(ARTICLE)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".audience-choice").is_visible()
    assert page.locator("#references-heading").is_visible()
    assert page.locator(".reference-list li").first.is_visible()
    assert page.locator(".cite").is_visible()


def test_citation_link_jumps_to_its_reference(demo, page):
    page.goto(ARTICLE + "?version=clinical")
    page.locator("sup.citation a").first.click()
    assert page.url.endswith("#ref-1")
    assert page.locator("#ref-1").is_visible()
