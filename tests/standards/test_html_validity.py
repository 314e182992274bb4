"""Every page a reader or an editor sees is valid HTML: the W3C Nu HTML checker.

The checker is vnu.jar from the npm package ``vnu-jar`` (pinned in
package.json, installed by ``make test`` with ``npm ci``), run with Java. The
pages are rendered by the real views from the demo content, written to files
and checked in one run of the checker; any error fails the test with the
checker's own message, page and line. A missing checker or Java is a failure,
not a skip: CI must never pass without checking.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import services, workflow
from articles.models import Article
from questions.models import QuestionGroup
from references import import_jobs
from references import services as reference_services
from references.formats import Record
from references.models import Finding, Reference, SavedSearch, Topic

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"
ARTICLE = "/articles/antibody-therapy-pm-dm/"

PUBLIC_PAGES = [
    "/",
    "/topics/myositis-treatment/",
    "/topics/clinical-trials/",
    ARTICLE + "?version=clinical",
    ARTICLE + "?version=plain",
    ARTICLE + "changes/",
    "/literature/",
    "/literature/?kind=trial&topic=myositis-treatment",
    "/search/?q=rituximab",
    "/search/?q=IVIG+dose",
    "/search/?q=zebrafish",
    "/search/?q=rituximabb&kind=research",
    "/search/?q=zebrafish&kind=trial&year_from=2015",
    "/search/?q=%3Cscript%3E%22NEAR(*",
    "/glossary/",
    "/editorial-policy/",
    "/editorial-board/",
    "/no-such-page/",
    "/editorial/login/",
    "/api/v1/docs/",
    # Readers' questions: the form, the page after it.
    "/questions/ask/?from=/articles/antibody-therapy-pm-dm/%3Fversion%3Dplain",
    "/questions/sent/?confirm=1",
]
EDITOR_PAGES = [
    "/editorial/",
    "/editorial/articles/new/",
    "/editorial/literature/",
    "/editorial/literature/import/",
    "/editorial/literature/add/",
    "/editorial/literature/add/many/",
    "/editorial/literature/inbox/",
    "/editorial/literature/inbox/myositis-treatment/",
    "/editorial/literature/inbox/myositis-treatment/?summary=missing&filter_kind=x",
    "/editorial/cite/?q=rituximab",
    "/editorial/cite/?q=zebrafish",
    "/literature/",
    "/editorial/literature/searches/",
    "/editorial/literature/searches/myositis-treatment/",
    "/editorial/literature/searches/myositis-treatment/add/",
]


MIXED_RIS = (
    b"TY  - JOUR\r\nTI  - A new record\r\nUR  - http://example_url.com\r\nER  - \r\n"
    b"TY  - JOUR\r\nTI  - A bad DOI\r\nDO  - 10.1000/a b\r\nER  - \r\n"
    b"TY  - JOUR\r\nDO  - 10.5555/only-a-doi\r\nER  - \r\n"
)


def _article_pages():
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    return [
        f"/editorial/articles/{article.pk}/",
        f"/editorial/articles/{article.pk}/edit/",
        f"/editorial/articles/{article.pk}/history/",
        f"/editorial/articles/{article.pk}/compare/",
    ]


def _pending_update(editor):
    """A submitted revision of the demo article, so the review page has a diff."""
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    article.body += "\n\n## A new section\n\n- a point\n  - a sub-point\n"
    services.save_article(article=article, user=editor, comment="Update")
    workflow.submit(article=article, user=editor)


def _question_pages(client):
    """The queue and a group page with its similar question, after a reader
    asked through the form."""
    for text in (
        "Can I exercise with dermatomyositis?",
        "Is it safe to exercise with <b>dermatomyositis</b>?\r\nThanks",
    ):
        client.post(
            "/questions/ask/",
            {"text": text, "asker": "patient", "page": ARTICLE, "email": ""},
        )
    group = QuestionGroup.objects.order_by("pk").first()
    return ["/editorial/questions/", group.get_absolute_url()]


def _check(files):
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (make test does).")
    if not Path(JAVA).exists():
        pytest.fail("Java is missing: install a JRE (Debian: default-jre-headless).")
    result = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages["messages"]
        if m.get("type") == "error"
    ]


def test_public_and_editorial_pages_have_no_html_errors(
    client, settings, tmp_path, monkeypatch
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    editor, board = users.get(username="editor"), users.get(username="board")
    _pending_update(editor)
    reference = Reference.objects.get(citation_key="oddis-2013-rim")
    pages = [("anonymous", url) for url in PUBLIC_PAGES]
    pages += [("anonymous", reference.get_absolute_url())]
    # A real DOI with "<" and ">" in it: its links must still be valid.
    sici = Reference.objects.create(
        title="A paper with a SICI DOI",
        citation_key="sici",
        doi="10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-m",
    )
    pages += [("anonymous", sici.get_absolute_url())]
    pages += [("editor", url) for url in EDITOR_PAGES + _article_pages()]
    pages += [("editor", reference.get_absolute_url())]
    pages += [("board", url) for url in ["/editorial/", *_article_pages()[:1]]]
    # A reference waiting in the curation inbox: the inbox lists it (with its
    # abstract) and its page shows the editors' notes.
    waiting = reference_services.add_to_inbox(
        reference=Reference(
            title="A study waiting to be placed",
            source="Muscle Nerve",
            abstract="The publisher's abstract.",
            links=["https://example.org/supplement"],
            keywords=["Exercise Therapy", "Myositis/drug therapy"],
        ),
        topic=Topic.objects.get(slug="myositis-treatment"),
        user=editor,
    )
    pages += [("editor", waiting.get_absolute_url())]
    # Editing a reference: a placed one, and one waiting to be placed.
    pages += [
        ("editor", f"/editorial/literature/references/{ref.pk}/edit/")
        for ref in (reference, waiting)
    ]
    pages += [("editor", url) for url in _question_pages(client)]
    # Found by a saved search: the inbox, the report, the dashboard and the
    # review page list it.
    search = SavedSearch.objects.create(
        topic=waiting.inbox_topic,
        label="Trials in dermatomyositis",
        query="dermatomyositis[mh] AND randomized controlled trial[pt]",
        last_success_on=timezone.localdate(),
    )
    Finding.objects.create(
        search=search,
        topic=search.topic,
        reference=waiting,
        title=waiting.title,
        kind=waiting.kind,
        publication_types=["Journal Article", "Randomized Controlled Trial"],
        mesh_headings=["Dermatomyositis/drug therapy", "Humans"],
    )
    pages += [
        ("editor", f"/editorial/literature/searches/{search.topic.slug}/{search.pk}/")
    ]

    files, who = [], {"editor": editor, "board": board}
    for number, (role, url) in enumerate(pages):
        client.logout()
        if role in who:
            client.force_login(who[role])
        response = client.get(url)
        assert response.status_code in (200, 404), (role, url, response.status_code)
        path = tmp_path / f"{number:02d}-{role}.html"
        path.write_bytes(response.content)
        files.append(path)

    # The import preview with every section: records that cannot be
    # imported, records to complete by their DOI, a URL left out, new ones.
    client.force_login(editor)
    client.post(
        "/editorial/literature/import/",
        {
            "file": SimpleUploadedFile("mixed.ris", MIXED_RIS),
            "topic": Topic.objects.get(slug="myositis-treatment").pk,
        },
    )
    preview = client.get("/editorial/literature/import/preview/")
    assert b"import-lookup" in preview.content
    path = tmp_path / "preview-editor.html"
    path.write_bytes(preview.content)
    files.append(path)
    pages.append(("editor", "/editorial/literature/import/preview/"))

    # A background import's page: running (followed by its script), stopped
    # (its process died: the button that starts it again), failed.
    job = import_jobs.start(
        records=[Record(number=1, line=1, title="A record")],
        topic=Topic.objects.get(slug="myositis-treatment"),
        user=editor,
        filename="large.ris",
        spawn=lambda job_id: None,
    )

    def job_page(later=0, **status):
        import_jobs.write_status(job, done=0, total=1, **status)
        now = import_jobs._now() + later
        monkeypatch.setattr(import_jobs, "_now", lambda: now)
        page = client.get(f"/editorial/literature/import/jobs/{job}/")
        assert page.status_code == 200
        path = tmp_path / f"job-{len(files)}-editor.html"
        path.write_bytes(page.content)
        files.append(path)
        pages.append(("editor", f"/editorial/literature/import/jobs/{job}/"))
        return page.content

    assert b"import-job.js" in job_page(pid=os.getpid(), state=import_jobs.RUNNING)
    job_page(state=import_jobs.FAILED, messages=["Record 1 (line 1): Year: no."])
    stale = import_jobs.STALE_AFTER + 1
    assert b"Start it again" in job_page(stale, state=import_jobs.RUNNING)

    # A save refused for an unknown citation: the offers to add it.
    client.force_login(editor)
    draft = Article.objects.create(
        topic=Topic.objects.get(slug="myositis-treatment"),
        title="A draft",
        slug="a-draft",
        body="Text.",
        author=editor,
    )
    refused = client.post(
        f"/editorial/articles/{draft.pk}/edit/",
        {
            "topic": str(draft.topic_id),
            "title": "A draft",
            "slug": "a-draft",
            "summary": "",
            "body": "Line one.\r\n\r\nCites [@no-such-key-2020].",
            "plain_summary": "",
            "plain_body": "",
            "change_note": "",
            "loaded_version": str(draft.version),
        },
    )
    assert b"no-such-key-2020" in refused.content
    path = tmp_path / "refused-edit.html"
    path.write_bytes(refused.content)
    files.append(path)
    # The question form as it comes back refused, naming its fields.
    client.logout()
    refused = client.post("/questions/ask/", {"text": "\x00", "asker": "robot"})
    assert refused.status_code == 400
    # And a post without the page's token: the site's own 403 page.
    forged = Client(enforce_csrf_checks=True).post("/questions/ask/", {"text": "x"})
    assert forged.status_code == 403
    for label, response in (("refused", refused), ("no token", forged)):
        pages.append(("anonymous", f"POST /questions/ask/ ({label})"))
        path = tmp_path / f"{len(files):02d}-anonymous.html"
        path.write_bytes(response.content)
        files.append(path)

    errors = _check(files)
    index = "\n".join(f"{n:02d}-{role}: {url}" for n, (role, url) in enumerate(pages))
    assert errors == [], "\n".join(errors) + "\n\nPages:\n" + index
