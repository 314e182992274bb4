"""Benchmark: read a generated Retraction Watch CSV against a generated library.

Run from the repository root: ``python bench/retraction_watch.py [ROWS] [LIBRARY]``
(default 60,000 rows, 5,000 references). It uses a throwaway SQLite database,
writes a CSV in the published column layout (synthetic identifiers under the
10.5555 test prefix; every 100th row names a reference in the library, every
500th row is Latin-1), and prints rows per second, notices recorded and the
peak memory of the process.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,"
    "ArticleType,RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,"
    "OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes"
)


def write_csv(path, rows, library):
    with path.open("wb") as out:
        out.write(HEADER.encode() + b"\r\n")
        for n in range(1, rows + 1):
            paper = n % library if n % 100 == 0 else library + n
            author = "M\xfcller" if n % 500 == 0 else "Smith"
            line = (
                f'{n},"A generated paper {n}",(HSC) Medicine,Test University,'
                f"Test Journal,Test Publisher,Nowhere,{author} {n},,Research Article;,"
                f"{n % 12 + 1}/{n % 28 + 1}/2023 0:00,10.5555/notice.{n},0,"
                f"1/1/2019 0:00,10.5555/paper.{paper},0,Retraction,"
                '"+Concerns/Issues About Data;+Investigation by Journal/Publisher;",No,'
            )
            out.write(line.encode("latin-1" if n % 500 == 0 else "utf-8") + b"\r\n")


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    library = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from references import notices, retractionwatch
        from references.models import Reference

        call_command("migrate", verbosity=0)
        Reference.objects.bulk_create(
            Reference(
                title=f"Library paper {n}",
                citation_key=f"paper-{n}",
                doi=f"10.5555/paper.{n}",
            )
            for n in range(library)
        )
        path = Path(folder) / "retraction_watch.csv"
        write_csv(path, rows, library)
        started = time.perf_counter()
        with path.open("rb") as binary:
            read = retractionwatch.read(binary)
        read_seconds = time.perf_counter() - started
        result = notices.record_notices(read.notices, comment="Benchmark")
        total = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{read.rows} rows read in {read_seconds:.2f} s "
            f"({read.rows / read_seconds:,.0f} rows/s); {len(result.new)} notices "
            f"recorded; {total:.2f} s in all; peak memory {peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
