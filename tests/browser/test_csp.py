"""Under the Content Security Policy, nothing on the main pages is blocked."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/topics/myositis-treatment/",
    "/articles/antibody-therapy-pm-dm/",
    "/literature/",
    "/editorial-policy/",
    "/no-such-page/",
    "/admin/login/",
    # The API's readable schema: rendered on the server, no script.
    "/api/v1/docs/",
]


def collect_violations(page):
    """Console messages and securitypolicyviolation events, gathered per page."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return messages


def test_main_pages_report_no_csp_violation(demo, page):
    messages = collect_violations(page)
    for url in PAGES:
        page.goto(url)
        assert page.locator("h1, #login-form").count() >= 1, url
    assert messages == []


def test_admin_works_under_the_policy(demo, page):
    get_user_model().objects.create_superuser(
        "csp-admin", "a@example.org", "correct horse 42"
    )
    messages = collect_violations(page)
    page.goto("/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "correct horse 42")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for url in ("/admin/references/reference/add/", "/admin/articles/article/"):
        page.goto(url)
    # The admin's own JavaScript runs: prepopulate.js fills the slug in.
    page.goto("/admin/references/topic/add/")
    page.locator("#id_title").press_sequentially("Inclusion body myositis")
    assert page.input_value("#id_slug") == "inclusion-body-myositis"
    assert messages == []


def test_the_policy_is_enforced(demo, page):
    """A sanity check that the browser sees the header and would block inline code."""
    messages = collect_violations(page)
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inline_ran = true';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("() => window.__inline_ran === true") is False
    assert any("script" in m.lower() for m in messages)
