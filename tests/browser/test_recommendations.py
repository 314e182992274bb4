"""Graded recommendations and the change log in real Chromium, checked by axe."""

import pytest

from articles import grading

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "/articles/antibody-therapy-pm-dm/"


def test_recommendation_boxes_read_as_labelled_regions_with_text_grades(
    demo, page, axe_violations, screenshot
):
    page.goto(ARTICLE + "?version=clinical")
    glance = page.get_by_role("region", name="Recommendations at a glance")
    assert glance.get_by_role("listitem").count() >= 4
    box = page.get_by_role("region", name="Recommendation 2")
    assert box.get_by_role("heading", name="Recommendation 2").is_visible()
    # The grade is written out, not only coloured.
    assert box.get_by_text("Strong recommendation").is_visible()
    assert box.get_by_text("Moderate certainty of evidence").is_visible()
    assert box.locator("sup.citation a").count() >= 1
    assert page.get_by_role("region", name="Good practice statement 1").is_visible()
    # Each entry at a glance jumps to its box.
    glance.get_by_role("link", name="Recommendation 3").click()
    assert page.evaluate("location.hash") == "#recommendation-3"
    assert page.locator("#recommendation-3").is_visible()
    screenshot(page, "recommendations-clinical")
    assert axe_violations(page) == []

    page.goto(ARTICLE + "?version=plain")
    plain = page.get_by_role("region", name="Recommendation 1")
    strong = str(grading.PLAIN_WORDING[grading.Strength.STRONG])
    assert page.get_by_text(strong).first.is_visible()
    assert plain.is_visible()
    assert page.get_by_role("region", name="Recommendations at a glance").count() == 0
    assert axe_violations(page) == []


def test_change_log_is_reached_from_the_article_and_passes_axe(
    demo, page, axe_violations, screenshot
):
    page.goto(ARTICLE)
    # One line in the reader bar, its kind of change in view; one tap opens it.
    what = page.locator("details.what-changed")
    assert what.locator("summary").get_by_text("Major update").is_visible()
    what.locator("summary").click()
    what.get_by_role("link", name="All changes to this article").click()
    page.wait_for_url("**/changes/")
    assert page.locator("h1").count() == 1
    versions = page.locator(".change-log > li")
    assert versions.count() == 2
    newest = versions.first
    assert newest.get_by_role("heading", name="Version 2 Major update").is_visible()
    assert newest.get_by_text("References added").is_visible()
    assert versions.nth(1).get_by_text("First published", exact=True).is_visible()
    screenshot(page, "change-log")
    assert axe_violations(page) == []
