"""A background import's page in real Chromium: running, then stopped and
started again; accessible and without sideways scroll at every width."""

import pytest
from playwright.sync_api import expect

from references import import_jobs
from references.formats import Record
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sideways_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )


def test_the_job_page_running_then_stopped_then_started_again(
    signed_in, axe_violations, monkeypatch
):
    page = signed_in
    started = []
    monkeypatch.setattr(import_jobs, "_spawn", started.append)
    job = import_jobs.start(
        records=[Record(number=n, line=n, title=f"Study {n}") for n in range(1, 4)],
        topic=TopicFactory(),
        user=None,
        filename="large.ris",
    )
    import_jobs.write_status(job, pid=None, state=import_jobs.RUNNING, done=1, total=3)
    url = f"/editorial/literature/import/jobs/{job}/"

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing…")
    expect(page.get_by_text("1 of 3 records written.")).to_be_visible()
    assert axe_violations(page) == []
    for width in (320, 390, 768):
        page.set_viewport_size({"width": width, "height": 800})
        assert sideways_scroll(page) <= 0, width

    # The script follows the progress in place: the page is not reloaded.
    page.evaluate("() => { window.notReloaded = true; }")
    import_jobs.write_status(job, pid=None, state=import_jobs.RUNNING, done=2, total=3)
    expect(page.get_by_role("status")).to_have_text("2 of 3 records written.")
    assert page.evaluate("() => window.notReloaded")

    # Its process died: no word from it for longer than the limit.
    later = import_jobs._now() + import_jobs.STALE_AFTER + 1
    monkeypatch.setattr(import_jobs, "_now", lambda: later)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import stopped")
    assert axe_violations(page) == []
    for width in (320, 390, 768):
        page.set_viewport_size({"width": width, "height": 800})
        assert sideways_scroll(page) <= 0, width

    page.get_by_role("button", name="Start it again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing…")
    assert started == [job, job]

    # The command runs; when it is done the page goes to the result itself.
    import_jobs.run(job)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
