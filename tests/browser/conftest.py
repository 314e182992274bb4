"""Real Chromium for browser tests: Debian's chromium driven by Playwright.

Nothing here downloads a browser: Playwright is pointed at /usr/bin/chromium
(the package `.ci/run` installs). Tests in this folder get the ``browser``
marker, a fresh ``page`` on the live server, ``axe_violations(page)`` for
accessibility checks and ``screenshot(page, name)`` to save an artefact.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every account tests.factories makes has this password.
PASSWORD = "correct horse 42"


def log_in(page, username):
    """Sign in through the editorial login form, as a person does."""
    page.goto("/editorial/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Editorial dashboard")


def log_out(page):
    """Sign out with the button every editorial page carries."""
    page.get_by_role("button", name=re.compile("^Sign out")).click()


@pytest.fixture
def signed_in(page):
    """The page, signed in as a new editor."""
    from tests.factories import editor

    log_in(page, editor().username)
    return page


# Playwright runs an event loop in this thread; Django's ORM calls made by the
# tests themselves (setting up data) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page (desktop size) whose relative URLs hit the live server."""
    context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) in a page; return its violations."""
    source = AXE_JS.read_text(encoding="utf-8")

    def run(page):
        # Evaluated through the DevTools protocol, not as an inline <script>
        # tag, which the site's Content Security Policy rightly blocks.
        page.evaluate(f"() => {{ {source}\n }}")
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]

    return run


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/screenshots/."""

    def take(page, name):
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(settings):
    """The myositis demo content, loaded as on a production site."""
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
