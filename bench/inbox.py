"""The curation inbox and the citation picker with thousands waiting.

    python bench/inbox.py            # 10,000 references waiting
    python bench/inbox.py 100000
    DATABASE_URL=postgres://... python bench/inbox.py

Builds a temporary SQLite database (or uses DATABASE_URL), fills one topic's
inbox with N references written in bulk as an import writes them (each with
a 1 KB abstract; half with a summary), then, signed in as an editor through
Django's test client, prints for each page its time, bytes and queries, and
for each bulk action on the whole filtered selection its time. Asserts
nothing.
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(work: Path):
    from fixtures import bench_environment

    bench_environment(work, "inbox")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def fill(count):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles import roles
    from references.models import Reference, Section, Topic

    topic = Topic.objects.create(title="Myositis", slug="myositis")
    section = Section.objects.create(topic=topic, title="Trials", slug="trials")
    abstract = "Patients with refractory myositis were treated. " * 20
    batch = []
    for n in range(count):
        batch.append(
            Reference(
                title=f"A study of myositis treatment number {n}",
                authors=f"Author{n}, Given\nSecond, Person",
                source="Autoimmun Rev",
                year=1990 + n % 35,
                kind="trial" if n % 3 == 0 else "research",
                abstract=abstract,
                summary="Our summary." if n % 2 == 0 else "",
                citation_key=f"author{n}-{1990 + n % 35}",
                inbox_topic=topic,
            )
        )
        if len(batch) == 1000:
            Reference.objects.bulk_create(batch)
            batch = []
    Reference.objects.bulk_create(batch)
    user = get_user_model().objects.create_user("bench-editor", password="x" * 20)
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return topic, section, user


def measure(label, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - start) * 1000
    print(
        f"{label:44} {response.status_code}  {elapsed:8.1f} ms  "
        f"{len(response.content):9,} bytes  {len(queries.captured_queries):3} queries"
    )
    return response


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.test import Client

        from references.forms import InboxActionForm
        from references.models import Reference

        start = time.perf_counter()
        topic, section, user = fill(count)
        took = time.perf_counter() - start
        print(f"{count:,} waiting references written in {took:.1f} s")
        client = Client()
        client.force_login(user)
        inbox = f"/editorial/literature/inbox/{topic.slug}/"
        client.get(inbox)  # warm up
        measure("inbox, first page", lambda: client.get(inbox))
        last = (count + 49) // 50
        measure(f"inbox, page {last}", lambda: client.get(f"{inbox}?page={last}"))
        measure(
            "inbox, trials without a summary",
            lambda: client.get(f"{inbox}?filter_kind=trial&summary=missing"),
        )
        for query in ("author42-2022", "myositis treatment 2013", "10.1000/none"):
            measure(
                f"picker: {query}",
                lambda q=query: client.get(
                    "/editorial/cite/", {"q": q, "format": "json"}
                ),
            )
        # "All that match" acts on the first BULK_LIMIT a request.
        part = InboxActionForm.BULK_LIMIT
        ready = Reference.objects.in_inbox(topic).with_summary().count()
        measure(
            f"place all with a summary: the first {min(part, ready):,} of {ready:,}",
            lambda: client.post(
                f"{inbox}?summary=written",
                {
                    "summary": "written",
                    "scope": "all",
                    "expected": ready,
                    "action": "place",
                    "section": section.pk,
                },
            ),
        )
        left = Reference.objects.in_inbox(topic).count()
        measure(
            f"set the kind of all left: the first {min(part, left):,} of {left:,}",
            lambda: client.post(
                inbox,
                {"scope": "all", "expected": left, "action": "kind", "kind": "other"},
            ),
        )
        measure(
            f"delete all left: the first {min(part, left):,} of {left:,}",
            lambda: client.post(
                inbox, {"scope": "all", "expected": left, "action": "delete"}
            ),
        )


if __name__ == "__main__":
    main()
