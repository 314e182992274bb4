"""The link checker against a local HTTP server on 127.0.0.1, never the Internet."""

import socket
import threading
import time
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from references import linkcheck
from references.models import Reference
from references.signals import references_changed
from tests.factories import EntryFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    hits = {}

    def do_GET(self):  # noqa: N802 (http.server's API)
        path = self.path.split("?")[0]
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path == "/ok":
            self._answer(200)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/missing":
            self._answer(404)
        elif path == "/gone":
            self._answer(410)
        elif path == "/slow":
            time.sleep(1)
            self._answer(200)
        elif path == "/reset":
            # Close at once with RST instead of answering.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.connection.close()
        elif path == "/flaky":
            self._answer(503 if Handler.hits[path] == 1 else 200)
        else:
            self._answer(500)

    def _answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """A local server; proxies are switched off so requests stay on 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def check(url, **kwargs):
    return linkcheck.check_url(
        url, **{"timeout": 0.3, "retries": 1, "backoff": 0.01, **kwargs}
    )


@pytest.mark.parametrize(
    "path, outcome, status",
    [
        ("/ok", "ok", 200),
        ("/moved", "ok", 200),
        ("/missing", "gone", 404),
        ("/gone", "gone", 410),
        ("/slow", "unclear", None),
        ("/reset", "unclear", None),
        ("/error", "unclear", 500),
    ],
)
def test_check_url_outcomes(server, path, outcome, status):
    result = check(server + path)
    assert (result.outcome, result.http_status) == (outcome, status)


def test_server_errors_are_retried(server):
    assert check(server + "/flaky").outcome == "ok"
    assert Handler.hits["/flaky"] == 2


def test_gone_is_not_retried(server):
    check(server + "/missing", retries=3)
    assert Handler.hits["/missing"] == 1


def test_unknown_host_counts_as_gone():
    class NoSuchHost:
        def open(self, request, timeout):
            raise urllib.error.URLError(
                socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            )

    result = check("https://no-such-host.invalid/", opener=NoSuchHost())
    assert result.outcome == "gone"


def test_a_link_expires_only_after_repeated_failures(server, settings):
    settings.REFERENCES_LINKCHECK_EXPIRE_AFTER = 3
    reference = ReferenceFactory(url=server + "/missing", doi="10.1000/x")
    for expected in ("unchecked", "unchecked", "expired"):
        linkcheck.check_links(Reference.objects.all(), timeout=0.3, backoff=0.01)
        reference.refresh_from_db()
        assert reference.link_status == expected
    assert reference.link_http_status == 404
    assert reference.link_checked_at is not None
    assert reference.best_url == "https://doi.org/10.1000/x"


def test_a_timeout_never_expires_a_link(server, settings):
    settings.REFERENCES_LINKCHECK_EXPIRE_AFTER = 1
    reference = ReferenceFactory(url=server + "/slow")
    linkcheck.check_links(Reference.objects.all(), timeout=0.2, retries=0, backoff=0.01)
    reference.refresh_from_db()
    assert reference.link_status == "unchecked"
    assert reference.link_failures == 0
    assert reference.link_checked_at is not None


def test_a_working_link_resets_the_failure_count(server):
    reference = ReferenceFactory(url=server + "/ok", link_failures=2)
    linkcheck.check_links(Reference.objects.all(), timeout=0.3)
    reference.refresh_from_db()
    assert (reference.link_status, reference.link_failures) == ("ok", 0)


def test_checks_run_concurrently_in_a_bounded_pool(server):
    for n in range(4):
        ReferenceFactory(url=f"{server}/slow?n={n}")
    started = time.monotonic()
    summary = linkcheck.check_links(
        Reference.objects.all(), workers=4, timeout=3, retries=0
    )
    assert summary.checked == 4 and summary.ok == 4
    # Four one-second answers at once take about one second, not four.
    assert time.monotonic() - started < 3


def test_check_links_command_limits_to_a_topic(server):
    entry = EntryFactory(reference__url=server + "/ok")
    other = ReferenceFactory(url=server + "/gone")
    call_command(
        "check_links", topic=entry.section.topic.slug, timeout=0.3, verbosity=0
    )
    entry.reference.refresh_from_db()
    other.refresh_from_db()
    assert entry.reference.link_status == "ok"
    assert other.link_checked_at is None


def test_expired_link_is_shown_with_a_fallback(client, server, settings):
    settings.REFERENCES_LINKCHECK_EXPIRE_AFTER = 1
    reference = ReferenceFactory(url=server + "/gone", pmid="23124935")
    linkcheck.check_links(Reference.objects.all(), timeout=0.3)
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "Expired link" in page
    assert "https://pubmed.ncbi.nlm.nih.gov/23124935/" in page


def test_a_check_announces_the_references_it_changed(server):
    reference = ReferenceFactory(url=server + "/ok")
    announced = []

    def receiver(sender, references, **kwargs):
        announced.extend(references)

    references_changed.connect(receiver)
    try:
        linkcheck.check_links(Reference.objects.all(), timeout=0.5, backoff=0.01)
    finally:
        references_changed.disconnect(receiver)
    assert announced == [reference]


def test_an_expiring_link_leaves_the_stored_citations(server, settings):
    settings.REFERENCES_LINKCHECK_EXPIRE_AFTER = 1
    reference = ReferenceFactory(url=server + "/gone")
    assert "/gone" in reference.citation_vancouver
    linkcheck.check_links(Reference.objects.all(), timeout=0.3)
    reference.refresh_from_db()
    assert reference.is_expired
    assert "/gone" not in reference.citation_vancouver
    assert "/gone" not in reference.citation_ama


class Stopped(Exception):
    """The run killed half-way (as by a worker's end or ^C)."""


def test_a_stopped_run_keeps_its_batches_and_a_new_one_resumes(server):
    for n in range(5):
        ReferenceFactory(url=f"{server}/ok?n={n}")
    started = timezone.now()

    def stop_after_the_first_batch(done, total):
        raise Stopped

    with pytest.raises(Stopped):
        linkcheck.check_links(
            Reference.objects.all(),
            timeout=0.5,
            batch_size=2,
            progress=stop_after_the_first_batch,
        )
    assert Reference.objects.filter(link_status="ok").count() == 2

    summary = linkcheck.check_links(
        Reference.objects.all(), timeout=0.5, batch_size=2, checked_before=started
    )

    assert summary.checked == 3
    assert Handler.hits["/ok"] == 5  # every link asked once in all
    assert not Reference.objects.exclude(link_status="ok").exists()


def test_the_command_resumes_unless_told_to_check_everything(server):
    ReferenceFactory(url=server + "/ok")
    call_command("check_links", timeout=0.5, verbosity=0)
    call_command("check_links", timeout=0.5, verbosity=0)
    assert Handler.hits["/ok"] == 1
    call_command("check_links", timeout=0.5, skip_checked_within=0, verbosity=0)
    assert Handler.hits["/ok"] == 2


def test_each_batch_costs_the_same_queries_and_formats_no_citation(server):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 6):
        Reference.objects.bulk_create(
            Reference(
                title=f"Imported {size}-{n}",
                citation_key=f"i{size}-{n}",
                url=f"{server}/ok?{size}-{n}",
            )
            for n in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            summary = linkcheck.check_links(
                Reference.objects.filter(title__startswith=f"Imported {size}-"),
                timeout=0.5,
                batch_size=2,
            )
        assert summary.checked == size
        counts.append(len(queries) / (size // 2))
    # Imported rows were never formatted: the check leaves that to first use.
    assert not Reference.objects.exclude(citation_source="").exists()
    assert counts[1] <= counts[0]
