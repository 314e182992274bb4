"""The public pages in real Chromium: they render, read well and pass axe."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "topic": "/topics/myositis-treatment/",
    "article": "/articles/antibody-therapy-pm-dm/",
    "literature": "/literature/",
    "editorial-policy": "/editorial-policy/",
    "not-found": "/no-such-page/",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("size_name, size", [("desktop", DESKTOP), ("phone", PHONE)])
def test_main_pages_have_no_axe_violations(
    demo, page, axe_violations, screenshot, size_name, size
):
    page.set_viewport_size(size)
    for name, url in PAGES.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        screenshot(page, f"{name}-{size_name}")
        assert axe_violations(page) == [], name


def test_reference_page_has_no_axe_violations(demo, page, axe_violations):
    page.goto("/literature/")
    page.get_by_role("link", name="Details").first.click()
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_skip_link_moves_keyboard_focus_to_main_content(demo, page):
    page.goto("/topics/myositis-treatment/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_citation_link_jumps_to_its_reference(demo, page):
    page.goto("/articles/antibody-therapy-pm-dm/")
    page.locator("sup.citation a").first.click()
    assert page.url.endswith("#ref-1")
    assert page.locator("#ref-1").is_visible()
