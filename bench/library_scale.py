"""A library of N references: what each page, feed, export and command costs.

    python bench/library_scale.py                       # 1,000 references, SQLite
    python bench/library_scale.py --size 10000
    python bench/library_scale.py --size 100000 --database postgres

It builds the library as a site would: generated RIS files of 5,000 records
(each under ``REFERENCES_IMPORT_MAX_BYTES``) go through the import command
(``manage.py import_references``, a process of its own), editors' summaries
are filled in, and the placing service (``services.place_in_section``) lists
every reference in one of five sections of a topic; 200 more wait in the
inbox. Then it prints, for each public page, feed, export, editorial and
admin page: the first request's time (cold: nothing rendered yet) and the
median of three more (warm), the bytes, the queries and the peak of Python
memory the request allocated (tracemalloc, a pass of its own); and for
``import_references``, ``check_links`` (links answered at once by a local
server) and ``watch_literature`` (Crossref and PubMed played by the tests'
recorded server, ``tests/scholarly_api.py``, at the services' politeness
limits): time and the peak resident memory of the command's process. The
page cache is off; requests go through Django's WSGI handler in process
(``django.test.Client``), as a gunicorn worker would run them. Asserts
nothing. PostgreSQL uses a database of its own (``BENCH_PG_DATABASE``,
default ``portal_bench_scale``), dropped at the end.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fixtures import bench_environment, generate_ris  # noqa: E402

FILE_RECORDS = 5000
SECTIONS = 5
WAITING = 200
WARM_RUNS = 3
# Written in the --keep folder once its library is built.
BUILT = "library-built"


class LinkHandler(BaseHTTPRequestHandler):
    """Every link answers at once: the link checker's own cost is measured."""

    def do_GET(self):  # noqa: N802 (http.server's API)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# Runs the command in a fresh process and reports that process's own peak
# (VmHWM: the high-water mark of the memory it mapped after exec, unlike the
# rusage figures, which inherit the benchmark's own size).
_WRAPPER = """
import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("PEAK_KB " + line.split()[1] + "\\n")
atexit.register(peak)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_command(args: list[str]) -> tuple[float, int, str]:
    """Run ``manage.py ARGS`` in a process of its own: (seconds, peak resident
    bytes of that process, its output's last line)."""
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak = 0
    errors = []
    for line in process.stderr.splitlines():
        if line.startswith("PEAK_KB "):
            peak = int(line.split()[1]) * 1024
        elif line.strip():
            errors.append(line)
    output = process.stdout.strip().splitlines()
    last = output[-1] if output else ""
    if process.returncode:
        last = f"exit {process.returncode}: {(errors or [last])[-1]}"
    return elapsed, peak, last


def setup_environment(work: Path, database: str, keep: bool = False) -> str | None:
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("DATABASE_URL", None)
    bench_environment(
        work,
        "library",
        API_RATE_LIMIT="1000000000",
        PORTAL_CONTACT_EMAIL="bench@example.org",
        NCBI_API_KEY="bench",
    )
    if database == "postgres":
        name = os.environ.get("BENCH_PG_DATABASE", "portal_bench_scale")
        base = "postgres://postgres@127.0.0.1:5432"
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        if keep and (work / BUILT).exists():
            return name
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name]
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True
        )
        return name
    return None


def build(size: int, work: Path, link_base: str) -> dict:
    """Migrate, seed, import ``size`` references through the command and
    place them; returns what the measurements need and the import figures."""
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    # One JSON line per request would drown the figures.
    logging.getLogger("portal.requests").disabled = True
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--no-accounts", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from django.db import close_old_connections

    from references import services
    from references.models import Reference, Section, Topic

    topic = Topic.objects.create(title="Benchmark library", slug="bench-library")
    sections = [
        Section.objects.create(
            topic=topic, title=f"Part {n}", slug=f"part-{n}", position=n
        )
        for n in range(SECTIONS)
    ]
    close_old_connections()
    imports = []
    total = size + WAITING
    for first in range(1, total + 1, FILE_RECORDS):
        count = min(FILE_RECORDS, total + 1 - first)
        path = work / f"library-{first}.ris"
        path.write_bytes(
            generate_ris(
                count,
                first=first,
                doi="10.5555/bench.{}",
                pmid_base=30000000,
                link_base=link_base,
            )
        )
        imports.append(
            run_command(["import_references", str(path), "--topic", topic.slug])
        )
        path.unlink()
    # Editors write a summary before placing (the service requires one).
    Reference.objects.filter(inbox_topic=topic).update(
        summary="A generated cohort for the benchmark."
    )
    placing = time.perf_counter()
    waiting = Reference.objects.filter(inbox_topic=topic).order_by("pk")
    placed = 0
    while placed < size:
        batch = list(waiting[: min(FILE_RECORDS, size - placed)])
        services.place_in_section(
            references=batch,
            section=sections[(placed // FILE_RECORDS) % SECTIONS],
            user=None,
        )
        placed += len(batch)
    placing = time.perf_counter() - placing
    return {
        "topic": topic,
        "section": sections[0],
        "reference": Reference.objects.visible().order_by("pk").first(),
        "imports": imports,
        "placing": placing,
    }


def reuse(link_base: str | None) -> dict:
    """The library a previous ``--keep`` run built, without its import
    figures; its links are pointed at ``link_base``, this run's link server
    (None: left as they are)."""
    import django

    django.setup()
    import logging

    logging.getLogger("portal.requests").disabled = True
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Value
    from django.db.models.functions import Replace

    from references.models import Reference, Section, Topic

    # The kept library follows the code: its migrations (new indexes) first.
    call_command("migrate", verbosity=0)
    # The server that built it is gone (its port may now be anyone's).
    sample = Reference.objects.filter(url__contains="/paper/").first()
    if link_base is not None and sample is not None:
        old = sample.url.split("/paper/")[0]
        last = Reference.objects.order_by("-pk").values_list("pk", flat=True)[0]
        # In slices: one statement over 100,000 rows outlasts the site's
        # statement timeout on PostgreSQL.
        for start in range(0, last + 1, 10000):
            Reference.objects.filter(
                pk__gte=start, pk__lt=start + 10000, url__startswith=f"{old}/paper/"
            ).update(url=Replace("url", Value(old), Value(link_base)))
    # Cold again: nothing the previous run rendered is kept.
    cache.clear()
    get_user_model().objects.filter(username__startswith="bench-").delete()
    topic = Topic.objects.get(slug="bench-library")
    return {
        "topic": topic,
        "section": Section.objects.get(topic=topic, slug="part-0"),
        "reference": Reference.objects.visible().order_by("pk").first(),
        "imports": [],
        "placing": 0.0,
    }


def users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    model = get_user_model()
    admin = model.objects.create_superuser("bench-admin", "a@example.org", "x" * 20)
    editor = model.objects.create_user("bench-editor", "e@example.org", "x" * 20)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    return admin, editor


def measure(client, url: str, warm_runs: int = WARM_RUNS) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def once():
        started = time.perf_counter()
        response = client.get(url)
        first_byte = time.perf_counter() - started
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return time.perf_counter() - started, first_byte, size, response.status_code

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        cold, first_byte, size, status = once()
    # Read now: the next request's start clears the log it slices.
    query_count = len(queries)
    warm = statistics.median(once()[0] for _ in range(warm_runs)) if warm_runs else cold
    tracemalloc.start()
    once()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "cold": cold,
        "warm": warm,
        "first_byte": first_byte,
        "bytes": size,
        "queries": query_count,
        "peak": peak,
        "status": status,
    }


def pages(library, admin, editor):
    from portal.sitemaps import ReferenceSitemap
    from references.models import Reference

    topic, section, reference = (
        library["topic"],
        library["section"],
        library["reference"],
    )
    visible = Reference.objects.visible().count()
    from django.conf import settings

    last_page = max(1, -(-visible // settings.PORTAL_PAGE_SIZE))
    # The last full page: the deepest offset.
    sitemap_pages = max(1, visible // ReferenceSitemap.limit)
    return [
        ("public", None, "/"),
        ("public", None, topic.get_absolute_url()),
        ("public", None, "/literature/"),
        ("public", None, f"/literature/?page={last_page // 2}"),
        ("public", None, f"/literature/?topic={topic.slug}"),
        ("public", None, f"/literature/?topic={topic.slug}&section={section.pk}"),
        ("public", None, reference.get_absolute_url()),
        ("public", None, "/search/?q=rituximab+cohort"),
        ("public", None, "/sitemap.xml"),
        ("public", None, f"/sitemap-references.xml?p={sitemap_pages}"),
        ("feed", None, "/feeds/literature/"),
        ("feed", None, f"/feeds/topics/{topic.slug}/literature/"),
        ("feed", None, "/feeds/articles/"),
        ("export", None, "/literature/export.ris"),
        ("export", None, "/literature/export.bib"),
        ("export", None, "/literature/export.json"),
        ("editorial", editor, "/editorial/"),
        ("editorial", editor, f"/editorial/literature/inbox/{topic.slug}/"),
        ("editorial", editor, "/editorial/literature/import/"),
        ("admin", admin, "/admin/references/reference/"),
        ("admin", admin, "/admin/references/reference/?q=rituximab"),
        ("admin", admin, f"/admin/references/reference/{reference.pk}/change/"),
        ("admin", admin, f"/admin/references/reference/{reference.pk}/history/"),
        ("admin", admin, f"/admin/references/section/{section.pk}/change/"),
        ("admin", admin, f"/admin/references/entry/?section__id__exact={section.pk}"),
        ("admin", admin, "/admin/references/entry/"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--skip-commands", action="store_true", help="Measure pages only."
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="Build the library in DIR (PostgreSQL: in BENCH_PG_DATABASE) and "
        "keep it; when it is already built, time the pages again without "
        "rebuilding.",
    )
    parser.add_argument(
        "--only",
        choices=["public", "feed", "export", "editorial", "admin", "commands"],
        help="Time only this group of pages, or only the commands.",
    )
    options = parser.parse_args()
    links = serve(LinkHandler)
    link_base = f"http://127.0.0.1:{links.server_address[1]}"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if options.keep:
            work = options.keep.resolve()
            work.mkdir(parents=True, exist_ok=True)
        pg_name = setup_environment(work, options.database, bool(options.keep))
        from tests.scholarly_api import ScholarlyAPI

        api = ScholarlyAPI().start()
        os.environ.update(
            CROSSREF_API_URL=api.crossref_url, NCBI_EUTILS_URL=api.eutils_url
        )
        try:
            report(options, work, link_base)
        finally:
            api.stop()
            links.shutdown()
            if pg_name and not options.keep:
                from django.db import connections

                connections.close_all()
                subprocess.run(
                    [
                        "dropdb",
                        "-h",
                        "127.0.0.1",
                        "-U",
                        "postgres",
                        "--if-exists",
                        pg_name,
                    ]
                )


def report(options, work, link_base):
    started = time.perf_counter()
    if options.keep and (work / BUILT).exists():
        # The links are pointed at this run's server only when check_links
        # will ask them: rewriting 100,000 rows leaves PostgreSQL's tables
        # to be vacuumed again, which slows every page until it is.
        checks_links = not options.skip_commands and options.only in (None, "commands")
        library = reuse(link_base if checks_links else None)
    else:
        library = build(options.size, work, link_base)
        if options.keep:
            (work / BUILT).write_text(f"{options.size} references\n")
    from django.db import connection

    print(
        f"\nLibrary of {options.size:,} references (+{WAITING} waiting) on "
        f"{connection.vendor}, built in {time.perf_counter() - started:.0f} s\n"
    )
    if not library["imports"]:
        admin, editor = users()
        return measure_pages(options, library, admin, editor)
    seconds = sum(item[0] for item in library["imports"])
    peak = max(item[1] for item in library["imports"])
    print(
        f"import_references: {len(library['imports'])} files of up to "
        f"{FILE_RECORDS:,} records: {seconds:.1f} s in all, "
        f"{max(item[0] for item in library['imports']):.1f} s the slowest file, "
        f"peak {peak / 1e6:.0f} MB resident a process"
    )
    print(f"  last: {library['imports'][-1][2]}")
    print(f"placing (service, {FILE_RECORDS:,} a call): {library['placing']:.1f} s\n")
    admin, editor = users()
    measure_pages(options, library, admin, editor)


def measure_pages(options, library, admin, editor):
    from django.test import Client

    header = (
        f"{'':9} {'page':58} {'cold ms':>8} {'warm ms':>8} {'1st byte':>8} "
        f"{'bytes':>11} {'queries':>7} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    # A worker's first request loads the templates and URLs whatever it
    # asks for (about 0.1 s): paid here, so that the first page's "cold" is
    # its own.
    Client().get("/robots.txt")
    for group, user, url in pages(library, admin, editor):
        if options.only and group != options.only:
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        # A whole-library export takes seconds at 100,000: timed once.
        warm_runs = 0 if group == "export" and options.size > 20000 else WARM_RUNS
        figures = measure(client, url, warm_runs)
        status = "" if figures["status"] == 200 else f"  HTTP {figures['status']}"
        print(
            f"{group:9} {url[:58]:58} {figures['cold'] * 1000:8.1f} "
            f"{figures['warm'] * 1000:8.1f} {figures['first_byte'] * 1000:8.1f} "
            f"{figures['bytes']:11,} {figures['queries']:7} "
            f"{figures['peak'] / 1e6:7.1f}{status}"
        )
    if options.skip_commands or options.only not in (None, "commands"):
        return
    print()
    for args in (
        ["check_links", "--skip-checked-within", "0"],
        ["watch_literature", "--verbosity", "1"],
        ["refresh_statistics"],
    ):
        seconds, peak, last = run_command(args)
        print(
            f"{args[0]:18} {seconds:8.1f} s   peak {peak / 1e6:5.0f} MB   {last[:90]}"
        )


if __name__ == "__main__":
    main()
