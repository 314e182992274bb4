"""Issue 21's "done when", in Chromium: one round of review on the demo
overview, walked as a clinician on the board would walk it.

An editor changes one dose, previews it, cites a second reference through
the picker and submits with a note and a kind of change; a board member
opens the review, finds the summary and the first change on the first
screen with the note already filled in, and approves within two page loads;
readers then see the change on the article, in its change log and in the
Atom feed the change log links to. Every editorial screen on the way has no
axe-core violation at 1280 and 390 px and nothing scrolling sideways.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, ChangeClass
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, log_out
from tests.factories import BoardMemberFactory, editor

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "antibody-therapy-pm-dm"
OLD_DOSE = "methotrexate from 15 mg up to 25 mg once a week"
NEW_DOSE = "methotrexate from 10 mg up to 25 mg once a week"
# The end of the sentence giving the doses: the second reference goes here.
SENTENCE_END = "mycophenolate mofetil from 500 mg up to 1000 mg twice a day"
SECOND = "oldroyd-2022-bsr"
NOTE = "Methotrexate now starts at 10 mg a week, as the BSR guideline gives it."
ACKNOWLEDGED = (
    "Recommendation 3 still rests on two narrative reviews; no trial or "
    "guideline in the library addresses it. Approved knowing this."
)


def check_screen(page, axe_violations, name):
    """No axe-core violation and no sideways scroll at 1280 and 390 px."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], (name, size)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (name, size, overflow)


def test_a_round_on_the_demo_overview_as_the_board_walks_it(
    demo, page, axe_violations, screenshot
):
    writer = editor(first_name="Erin", last_name="Editor")
    reviewer = BoardMemberFactory(
        user__first_name="Bao", user__last_name="Board", credentials="MD"
    ).user
    article = Article.objects.get(slug=SLUG)
    live_number = article.live.number

    # The editor opens the overview from the dashboard.
    log_in(page, writer.username)
    check_screen(page, axe_violations, "dashboard (editor)")
    # The editor's page loads are counted too: preview and picker keep the
    # form in place, so only opening, saving and submitting load a page.
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.goto(f"/editorial/articles/{article.pk}/edit/")
    check_screen(page, axe_violations, "edit form")

    # One dose changes; the preview shows it rendered, nothing saved.
    body = page.get_by_role("textbox", name="Body", exact=True)
    typed = body.input_value()
    assert typed.count(OLD_DOSE) == 1
    body.fill(typed.replace(OLD_DOSE, NEW_DOSE))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(NEW_DOSE)
    expect(preview).to_contain_text("Plain-language version, for patients")
    check_screen(page, axe_violations, "edit form with its preview")
    article.refresh_from_db()
    assert OLD_DOSE in article.body

    # The second reference, through the picker: the cursor stands before the
    # full stop ending the doses' sentence, and the key lands there.
    body.click()
    end = body.input_value().index(SENTENCE_END) + len(SENTENCE_END)
    body.evaluate("(area, at) => area.setSelectionRange(at, at)", end)
    search = page.get_by_role("searchbox", name="Find a reference")
    search.fill("Oldroyd 2022")
    search.press("Enter")
    insert = page.get_by_role("button", name=f"Insert [@{SECOND}]")
    expect(insert).to_be_visible()
    check_screen(page, axe_violations, "edit form with the picker's results")
    insert.click()
    expect(body).to_have_value(re.compile(re.escape(f"{SENTENCE_END} [@{SECOND}].")))

    # Saved with what changed; submitted with the note and its kind.
    page.get_by_label("What changed").fill(NOTE)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"Saved as version \d+"))).to_be_visible()
    expect(page.get_by_label("Change note")).to_have_value(NOTE)
    page.get_by_label("Kind of change").select_option(ChangeClass.MINOR)
    check_screen(page, axe_violations, "review page (the editor's draft)")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".status").first).to_have_text("Submitted")
    print(f"\nthe editor's page loads, edit form to submitted: {len(loads)}")
    assert len(loads) <= 3, loads
    log_out(page)

    # The board member opens the review from the dashboard; from there on
    # every page load is counted.
    log_in(page, reviewer.username)
    check_screen(page, axe_violations, "dashboard (board)")
    loads.clear()
    page.get_by_role("link", name=article.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    # The summary and the first change, in the rendered text, on the first
    # screen at 1280 x 900.
    summary = page.locator(".change-summary")
    expect(summary).to_contain_text("Sections changed")
    expect(summary.get_by_role("link", name="First-line therapy")).to_be_visible()
    first = page.locator(".rendered-diff .diff-change").first
    expect(first.locator("del").first).to_contain_text("15")
    expect(first.locator("ins").first).to_contain_text("10")
    # Not only where the changed paragraph starts: the struck and the added
    # words themselves are on the first screen.
    summary_box = summary.bounding_box()
    removed = first.locator("del").first.bounding_box()
    added = first.locator("ins").first.bounding_box()
    print(
        f"\nsummary at y={summary_box['y']:.0f}; first change at "
        f"y={removed['y']:.0f} (paragraph at y={first.bounding_box()['y']:.0f})"
    )
    assert summary_box["y"] + summary_box["height"] <= DESKTOP["height"]
    for words in (removed, added):
        assert words["y"] + words["height"] <= DESKTOP["height"], words
    screenshot(page, "editorial-round-review")
    # What the board member sees first, the viewport alone.
    page.screenshot(path=ARTIFACTS / "screenshots" / "editorial-round-first-screen.png")

    # The editor's note and kind are filled in.
    expect(page.get_by_label("Change note")).to_have_value(NOTE)
    expect(page.get_by_label("Kind of change")).to_have_value(ChangeClass.MINOR)
    check_screen(page, axe_violations, "review page (the board)")

    # The demo's recommendation resting on narrative reviews asks for an
    # acknowledging comment; the board member types it and approves.
    expect(page.locator(".evidence-cautions")).to_contain_text(
        "Recommendations resting on no checkable evidence"
    )
    page.get_by_role("textbox", name="Comment", exact=True).fill(ACKNOWLEDGED)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator(".status").first).to_have_text("Approved")
    expect(page.get_by_text(f"version {live_number + 1}")).not_to_have_count(0)
    print(f"page loads from opening the review to approved: {len(loads)}")
    assert len(loads) <= 2, loads
    check_screen(page, axe_violations, "review page (approved)")
    log_out(page)

    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.live.number == live_number + 1
    assert article.live.change_note == NOTE
    assert article.live.change_class == ChangeClass.MINOR

    # Readers: the article, its change log and the feed it links to.
    page.goto(article.get_absolute_url())
    expect(page.locator(".prose").first).to_contain_text(NEW_DOSE)
    page.goto(article.get_changes_url())
    expect(page.locator("main")).to_contain_text(NOTE)
    feed = page.locator(
        "link[rel=alternate][type='application/atom+xml']"
        "[title='Updates to reviewed articles']"
    )
    answer = page.request.get(feed.get_attribute("href"))
    assert answer.ok
    atom = answer.text()
    assert NOTE in atom
    assert article.title in atom
