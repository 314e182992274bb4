"""Benchmark: saved searches bringing thousands of papers into an inbox.

Run from the repository root: ``python bench/surveillance.py [PAPERS] [LIBRARY]``
(default 5,000 papers, a library of 5,000 references). It uses a throwaway
SQLite database and the recorded-answer server of the tests
(``tests/scholarly_api.py``, real HTTP on 127.0.0.1) holding PAPERS generated
PubMed records (synthetic PMIDs from 910000000, every 10th already in the
library, every 50th dismissed before). One saved search finds them all; it is
run twice (the second brings nothing twice). Prints each run's time, requests
and what it brought, and the process's peak memory after it (ru_maxrss: the
server's 5,000 records included). NCBI's limit with an API key (10 requests
a second) paces the requests, as it would for real.
"""

import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TERM = "myositis[mh] AND humans[mh]"
FIRST_PMID = 910_000_000
KINDS = [
    ("Journal Article", "Randomized Controlled Trial"),
    ("Journal Article",),
    ("Systematic Review",),
    ("Case Reports",),
    ("Practice Guideline",),
]


def main():
    papers = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    library = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.utils import timezone

        from references import matching, surveillance
        from references.models import Dismissal, Reference, SavedSearch, Topic
        from references.sources import http
        from tests.scholarly_api import ScholarlyAPI, pubmed_article

        call_command("migrate", verbosity=0)
        api = ScholarlyAPI().start()
        settings.NCBI_EUTILS_URL = api.eutils_url
        settings.NCBI_API_KEY = "bench"
        settings.PORTAL_CONTACT_EMAIL = "bench@example.org"
        today = timezone.localdate()
        titles = {n: f"A generated myositis paper number {n}" for n in range(papers)}
        api.add_pubmed_search(
            TERM,
            [
                (
                    pubmed_article(
                        str(FIRST_PMID + n),
                        titles[n],
                        types=KINDS[n % len(KINDS)],
                        mesh=["Myositis/therapy", "Humans", "Adult"],
                        doi=f"10.5555/bench.{n}",
                        author=f"Writer{n % 1000}",
                    ),
                    today,
                )
                for n in range(papers)
            ],
        )
        topic = Topic.objects.create(title="Myositis", slug="myositis")
        Reference.objects.bulk_create(
            Reference(
                title=f"Library paper {n}",
                citation_key=f"library-{n}",
                doi=f"10.5555/library.{n}",
            )
            for n in range(library)
        )
        Reference.objects.bulk_create(
            Reference(
                title=titles[n],
                citation_key=f"known-{n}",
                pmid=str(FIRST_PMID + n),
            )
            for n in range(0, papers, 10)
        )
        Dismissal.objects.bulk_create(
            Dismissal(
                topic=topic,
                title=titles[n],
                pmid=str(FIRST_PMID + n),
                match_key=matching.match_key(
                    title=titles[n], year=2026, authors=[f"Writer{n % 1000}, Ann"]
                ),
            )
            for n in range(5, papers, 50)
        )
        search = SavedSearch.objects.create(
            topic=topic,
            label="Everything on myositis",
            query=TERM,
            since=today - datetime.timedelta(days=30),
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{papers} papers on the server, process peak memory {before:.0f} MB")
        try:
            for run in (1, 2):
                requests_before = len(api.requests)
                started = time.perf_counter()
                with http.Session() as session:
                    result = surveillance.run_search(search, session=session)
                seconds = time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                if not result.ok:
                    raise SystemExit(f"run {run} failed: {result.error}")
                print(
                    f"run {run}: {result.found} found, {len(result.added)} brought "
                    f"into the inbox, {result.known} already in the library, "
                    f"{result.dismissed} dismissed before; "
                    f"{len(api.requests) - requests_before} requests; "
                    f"{seconds:.2f} s; process peak memory so far {peak:.0f} MB"
                )
        finally:
            api.stop()
        print(f"{Reference.objects.in_inbox(topic).count()} papers in the inbox")


if __name__ == "__main__":
    main()
