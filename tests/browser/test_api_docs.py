"""The API's readable schema in real Chromium: accessible, no script needed,
and no wider than a phone."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_page_is_accessible_and_fits_every_width(
    demo, page, axe_violations, screenshot
):
    wide = []
    for width in (320, 390, 768):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/api/v1/docs/")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], width
        overflow = page.evaluate(
            "() => Math.max(0, document.documentElement.scrollWidth - innerWidth)"
        )
        if overflow:
            wide.append((width, overflow))
        screenshot(page, f"api-docs-{width}")
    assert wide == []
    # Every endpoint's link works from the page: the schema it lists.
    page.get_by_role("link", name="The OpenAPI 3 schema (JSON)").click()
    assert '"openapi"' in page.content()
