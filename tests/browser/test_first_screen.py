"""Issue 24 in real Chromium: the answer on the first screen of a phone, the
contents and review facts beside the text on a desktop, and pages that
print without the site around them.

Positions are measured at 390 x 844 (a phone held upright); the page is
printed to PDF by Chromium on A4 and Letter and read back with pypdf.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from articles.models import Article
from tests.browser.conftest import PHONE
from tests.browser.test_reader import ARTICLE

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN = ARTICLE + "?version=plain"
CLINICAL = ARTICLE + "?version=clinical"
WIDE = {"width": 1280, "height": 900}


def top(page, selector):
    """The top of the first element matching ``selector``, in CSS px from
    the top of the page (nothing is scrolled)."""
    return page.locator(selector).first.bounding_box()["y"]


class TestThePhonesFirstScreen:
    def test_the_patients_text_starts_on_the_first_screen(self, demo, page):
        page.set_viewport_size(PHONE)
        page.goto(PLAIN)
        first = page.locator(".prose p").first
        expect(first).to_contain_text("rare illnesses")
        # Its first lines are on screen, not just its top edge (was 1,692 px).
        assert top(page, ".prose p") + 3 * 24 < PHONE["height"]

    def test_the_clinicians_recommendations_start_on_the_first_screen(self, demo, page):
        page.set_viewport_size(PHONE)
        page.goto(CLINICAL)
        # The clinical text opens with the recommendations at a glance.
        assert top(page, ".glance__list li") < PHONE["height"]

    def test_the_first_search_result_is_on_the_first_screen(self, demo, page):
        page.set_viewport_size(PHONE)
        page.goto("/search/?q=rituximab")
        # Below the query and the folded filters only (was 932 px).
        assert top(page, ".search-result") < PHONE["height"] / 2
        page.goto("/search/?q=rituximab&kind=trial&year_from=2010")
        expect(page.locator(".search-filters summary")).to_have_text(
            "Filters: Kind: Trial · From 2010"
        )
        assert top(page, ".search-result") < PHONE["height"] / 2

    def test_review_version_and_contents_are_one_tap_away(
        self, demo, page, axe_violations, screenshot
    ):
        page.set_viewport_size(PHONE)
        page.goto(PLAIN)
        bar = page.locator(".reader-bar")
        review = bar.locator("summary", has_text="Checked by our medical board on")
        expect(review).to_be_visible()
        # Plain words for patients: what the review means, not its steps.
        assert bar.locator(".stepper").count() == 0
        review.click()
        expect(bar.get_by_text("A doctor on our medical board checked")).to_be_visible()
        bar.locator("summary", has_text="Plain-language version").click()
        expect(page.get_by_role("button", name="Show my version")).to_be_visible()
        bar.locator("summary", has_text="On this page").click()
        contents = page.get_by_role("navigation", name="On this page")
        contents.get_by_role("link", name="The first treatment", exact=True).click()
        assert page.evaluate("location.hash") == "#h-the-first-treatment"
        expect(page.locator("#h-the-first-treatment")).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "first-screen-plain-phone-open")
        assert axe_violations(page) == []

    def test_the_clinical_review_keeps_its_steps(self, demo, page):
        page.set_viewport_size(PHONE)
        page.goto(CLINICAL)
        bar = page.locator(".reader-bar")
        bar.locator("summary", has_text="Approved by the editorial board").click()
        expect(bar.locator(".stepper__step--done")).to_have_count(3)
        expect(bar.get_by_text("Next review due")).to_be_visible()


class TestTheDesktopSideColumn:
    def test_contents_and_review_facts_stay_in_view_while_reading(
        self, demo, page, screenshot
    ):
        page.set_viewport_size(WIDE)
        page.goto(PLAIN)
        side = page.locator(".article__side")
        contents = side.get_by_role("navigation", name="On this page")
        facts = side.locator(".side-facts")
        text = page.locator(".prose").bounding_box()
        assert side.bounding_box()["x"] >= text["x"] + text["width"]
        expect(facts).to_contain_text("Checked by our medical board")
        height = page.evaluate("document.documentElement.scrollHeight")
        for depth in (0.25, 0.5, 0.75):
            page.evaluate(f"window.scrollTo(0, {int(height * depth)})")
            for part in (contents, facts):
                box = part.bounding_box()
                assert box["y"] >= 0, depth
                assert box["y"] + box["height"] <= WIDE["height"], depth
        screenshot(page, "side-column-desktop-scrolled")
        # The side column holds the contents: the reader bar's copy is hidden.
        assert page.get_by_role("navigation", name="On this page").count() == 1

    def test_below_1100_px_the_side_column_folds_into_the_reader_bar(self, demo, page):
        page.goto(CLINICAL)
        page.set_viewport_size({"width": 1099, "height": 900})
        expect(page.locator(".article__side")).to_be_hidden()
        expect(page.locator(".reader-bar__contents")).to_be_visible()
        page.set_viewport_size({"width": 1100, "height": 900})
        expect(page.locator(".article__side")).to_be_visible()
        expect(page.locator(".reader-bar__contents")).to_be_hidden()


class TestGradesExplained:
    def test_every_label_links_to_one_plain_explanation(self, demo, page):
        page.goto(PLAIN)
        labels = page.locator(".recommendation__grade")
        links = page.locator('.recommendation__grade a[href="#grades-explained"]')
        assert labels.count() >= 4
        assert links.count() == labels.count()
        links.first.click()
        explained = page.locator("#grades-explained")
        expect(explained).to_be_in_viewport()
        expect(explained).to_contain_text("The two answers can differ")
        assert page.locator("#grades-explained").count() == 1


def pdf_pages(page, paper):
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    return [p.extract_text() for p in reader.pages]


@pytest.mark.parametrize("url", [PLAIN, CLINICAL])
def test_printing_keeps_the_article_and_its_references_and_drops_the_site(
    demo, page, url
):
    page.goto(url)
    live = Article.objects.get(slug="antibody-therapy-pm-dm").live
    counts = {}
    for paper in ("A4", "Letter"):
        pages = pdf_pages(page, paper)
        counts[paper] = len(pages)
        # Every page carries text: no blank page at the end.
        assert all(text.strip() for text in pages), paper
        text = " ".join(" ".join(pages).split())
        assert "Choosing antibody therapies in polymyositis" in pages[0]
        assert live.approved_at.strftime("%-d %B %Y") in pages[0]
        address = f"/articles/antibody-therapy-pm-dm/{url[len(ARTICLE) :]}"
        assert address.rstrip("?") in pages[0].replace("\n", "")
        # The full reference list, numbered, each with its address.
        references = text[text.rindex("References") :]
        for number in range(1, 11):
            assert re.search(rf"(^|\s){number}\. [A-Z]", references), number
        assert "https://doi.org/10.1002/art.37754" in references
        assert "https://doi.org/10.1002/art.40320" in references
        for absent in (
            "Skip to main content",
            "Editors’ sign-in",
            "Search articles and literature",
            "Show my version",
            "Which best describes you?",
            "Back to citation",
            "On this page",
        ):
            assert absent not in text, (paper, absent)
    # The same text on either paper, give or take a page; a few pages, not
    # the 13 screens it takes on a phone.
    assert abs(counts["A4"] - counts["Letter"]) <= 1, counts
    assert 3 <= counts["A4"] <= 9, counts
