"""Benchmark: the import screens with a file near the 5 MB limit.

Run from the repository root: ``python bench/import_preview.py [COUNT]``
(16,000 generated RIS records, about 4.8 MB, by default). On a throwaway
SQLite database it uploads the file as an editor and shows the preview
three times, printing the time of each request: the file is read and checked
at the upload only, so each preview costs the same, little. Then it confirms
(the request hands the records to ``manage.py import_references --job``,
started for them) and follows the job's page until the result.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fixtures import generate_ris  # noqa: E402


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 16_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["REFERENCES_IMPORT_JOBS_DIR"] = f"{folder}/jobs"
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.contrib.auth.models import Permission
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from references.models import Reference, Topic

        setup_test_environment()
        call_command("migrate", verbosity=0)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("bench", password="x")
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["add_reference", "add_entry"])
        )
        topic = Topic.objects.create(title="Benchmark", slug="benchmark")
        data = generate_ris(count)
        client = Client()
        client.force_login(user)

        started = time.perf_counter()
        response = client.post(
            "/editorial/literature/import/",
            {"file": SimpleUploadedFile("bench.ris", data), "topic": topic.pk},
        )
        assert response.status_code == 302, response.content[:2000]
        print(f"records:   {count:,} ({len(data) / 1e6:.1f} MB of RIS)")
        print(f"upload (read and check once): {time.perf_counter() - started:.2f} s")
        for n in range(1, 4):
            started = time.perf_counter()
            page = client.get("/editorial/literature/import/preview/")
            assert page.status_code == 200
            print(
                f"preview GET {n}: {time.perf_counter() - started:.2f} s, "
                f"{len(page.content) / 1e3:.0f} kB"
            )
        started = time.perf_counter()
        job = client.post("/editorial/literature/import/preview/", {"confirm": "1"})
        print(f"confirm (starts the job): {time.perf_counter() - started:.2f} s")
        slowest = 0.0
        while True:
            asked = time.perf_counter()
            page = client.get(job["Location"])
            slowest = max(slowest, time.perf_counter() - asked)
            if page.status_code == 302 or b"Import stopped" in page.content:
                break
            time.sleep(0.5)
        print(
            f"job done after:  {time.perf_counter() - started:.2f} s "
            f"(slowest progress page {slowest * 1000:.0f} ms)"
        )
        print(f"references:     {Reference.objects.count():,}")


if __name__ == "__main__":
    main()
