"""Uncached pages in process: CPU time, queries and calls per request, and where.

    python bench/pages.py                 # every page, 200 requests each
    python bench/pages.py --profile article --top 30

It builds a temporary SQLite database with the demo content and a generated
article citing 40 references (``bench/fixtures.py``, as ``bench/compare.sh``
does), switches the page cache off and calls Django's WSGI handler directly,
as gunicorn would, with no server or network in between. Each page is
requested once to warm up, then REQUESTS times; it prints the median CPU
milliseconds per request, the queries of one request and the Python function
calls of one request (counted by cProfile: the same on every run, whatever
else the machine is doing, so it shows a change that the noisy milliseconds
may hide). ``--profile NAME``
runs cProfile over one page's requests and prints the top functions by
cumulative time. Asserts nothing.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "article": "/articles/antibody-therapy-pm-dm/",
    "article-plain": "/articles/antibody-therapy-pm-dm/?audience=plain",
    "refs40": "/articles/bench-40-references/",
    "home": "/",
    "topic": None,  # the first topic's address, found after setup
    "literature": "/literature/",
    "literature-filtered": "/literature/?kind=trial",
    "search": "/search/?q=rituximab",
    "reference": None,  # the first reference's address
    "editor": "/articles/antibody-therapy-pm-dm/",
    "editor40": "/articles/bench-40-references/",
    # The read API: the article as JSON and as FHIR, the literature.
    "api-article": "/api/v1/articles/antibody-therapy-pm-dm/",
    "api-refs40": "/api/v1/articles/bench-40-references/",
    "fhir-article": None,  # the demo article's Guideline composition
    "api-references": "/api/v1/references/",
}
SIGNED_IN = {"editor", "editor40"}


def setup(work: Path):
    sys.path.insert(0, str(ROOT / "bench"))
    import fixtures

    # Counted as usual, never refused: 200 requests a page from one address.
    fixtures.bench_environment(work, "pages", API_RATE_LIMIT="1000000000")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--no-accounts", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    fixtures.forty_reference_article()
    return fixtures.editor_session()


def environ(path: str, cookie: str = "") -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def request(app, path, cookie=""):
    status = []
    body = b"".join(app(environ(path, cookie), lambda s, h, *a: status.append(s)))
    return status[0], body


def print_profile(profiler, top, requests):
    """The functions by cumulative time, then own time summed per source file."""
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    per_file = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        name = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        per_file[name] = per_file.get(name, 0) + tottime
    total = sum(per_file.values())
    per_request = total / requests * 1000
    print(f"Own time per file (profiled ms per request, of {per_request:.2f}):")
    for name, seconds in sorted(per_file.items(), key=lambda item: -item[1])[:top]:
        print(f"  {seconds / requests * 1000:7.3f}  {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=sorted(PAGES), help="profile one page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("pages", nargs="*", help="pages to measure (default: all)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        session = setup(Path(tmp))
        import logging

        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        from references.models import Reference, Topic

        PAGES["topic"] = Topic.objects.order_by("pk").first().get_absolute_url()
        PAGES["reference"] = (
            Reference.objects.visible().order_by("pk").first().get_absolute_url()
        )
        from articles.models import Article

        demo = Article.objects.approved().get(slug="antibody-therapy-pm-dm")
        PAGES["fhir-article"] = f"/api/v1/fhir/Composition/article-{demo.pk}"
        app = get_wsgi_application()
        # The request log writes a line per request: not what is measured.
        logging.getLogger("portal.requests").disabled = True
        names = [args.profile] if args.profile else (args.pages or list(PAGES))
        print(
            f"{'page':<20} {'status':<8} {'KB':>6} {'queries':>7} {'calls':>7} "
            f"{'ms (CPU)':>9}"
        )
        for name in names:
            cookie = f"sessionid={session}" if name in SIGNED_IN else ""
            status, body = request(app, PAGES[name], cookie)
            # Counted around the handler: Django empties connection.queries
            # at the start of every request.
            queries = []

            def count(execute, sql, *rest, queries=queries):
                queries.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(count):
                request(app, PAGES[name], cookie)
            counter = cProfile.Profile()
            counter.runcall(request, app, PAGES[name], cookie)
            calls = pstats.Stats(counter).total_calls
            times = []
            profiler = cProfile.Profile() if args.profile else None
            for _ in range(args.requests):
                start = time.process_time()
                if profiler:
                    profiler.enable()
                request(app, PAGES[name], cookie)
                if profiler:
                    profiler.disable()
                times.append((time.process_time() - start) * 1000)
            print(
                f"{name:<20} {status[:3]:<8} {len(body) / 1024:6.1f} "
                f"{len(queries):>7} {calls:>7} {statistics.median(times):9.2f}"
            )
            if profiler:
                print_profile(profiler, args.top, args.requests)


if __name__ == "__main__":
    main()
