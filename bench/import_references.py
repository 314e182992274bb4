"""Benchmark: import 10,000 generated RIS records through the real import service.

Run from the repository root: ``python bench/import_references.py [COUNT]``.
It uses a throwaway SQLite database in a temporary folder, migrates it, and
prints records per second and the peak memory of the process.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fixtures import generate_ris  # noqa: E402


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from references import importing
        from references.models import Reference, Topic

        call_command("migrate", verbosity=0)
        topic = Topic.objects.create(title="Benchmark", slug="benchmark")
        data = generate_ris(count)

        started, cpu_started = time.perf_counter(), time.process_time()
        parsed = importing.read_file(data, filename="bench.ris", max_bytes=len(data))
        parsed_at = time.perf_counter()
        peak_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result = importing.import_records(records=parsed.records, topic=topic)
        finished, cpu = time.perf_counter(), time.process_time() - cpu_started
        # Peak resident memory of the whole process (Linux reports KiB).
        # tracemalloc would count Python's allocations only and halve the speed.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        assert result.created == count == Reference.objects.count()
        elapsed = finished - started
        print(f"records:           {count:,} ({len(data) / 1e6:.1f} MB of RIS)")
        print(f"parse:             {parsed_at - started:.2f} s")
        print(f"check and write:   {finished - parsed_at:.2f} s")
        print(f"total:             {elapsed:.2f} s")
        print(f"records per second: {count / elapsed:,.0f}")
        # On a machine shared with other work the wall clock includes waiting
        # for a core; the CPU time is what the import itself costs.
        print(f"CPU time:          {cpu:.2f} s (this process)")
        print(f"peak memory:       {peak / 1e6:.0f} MB (resident, whole process)")
        # What the check and the write add to the records read: one batch of
        # references at a time, so it should not grow with the file.
        print(f"  of which reading: {peak_read / 1e6:.0f} MB (peak once parsed)")
        verdict = "met" if count / elapsed >= 1000 else "NOT met"
        print(f"target (10,000 records in under 10 s, wall clock): {verdict}")


if __name__ == "__main__":
    main()
