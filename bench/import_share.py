"""Benchmark: the share of readable records the importer imports, over real files.

Run from the repository root: ``python bench/import_share.py [FILE ...]``.
It reads every file in ``../shared/fixtures/references/`` and
``tests/references/files/`` (and any FILE given, e.g. the whole tugboat.bib)
through the import's real steps (``read_file``, then ``preview``) against an
empty throwaway SQLite library, and prints per file how many records were
read, would be imported, are duplicates of an earlier record of the same
file, and cannot be imported; then the share imported, and every record not
imported with its reason. A file that cannot be read at all is listed with
why; its records are not counted as readable. Nothing is timed.
"""

import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDERS = [
    ROOT.parent / "shared" / "fixtures" / "references",
    ROOT / "tests" / "references" / "files",
]
EXTENSIONS = {".ris", ".bib", ".nbib", ".txt", ".json"}


def files(extra):
    found = [
        path
        for folder in FOLDERS
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in EXTENSIONS
    ]
    return found + [Path(name) for name in extra]


def main():
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        # pylatexenc reports each macro it cannot parse; the preview names them.
        logging.disable(logging.WARNING)
        from django.core.management import call_command

        from references import importing

        call_command("migrate", verbosity=0)
        totals = {"read": 0, "imported": 0, "duplicates": 0, "problems": 0}
        not_imported, refused = [], []
        print(
            f"{'file':<48} {'format':<14} {'read':>5} {'new':>5} {'dup':>4} {'bad':>4}"
        )
        for path in files(sys.argv[1:]):
            data = path.read_bytes()
            try:
                parsed = importing.read_file(
                    data, filename=path.name, max_bytes=len(data)
                )
            except importing.ImportRejected as exc:
                refused.append((path.name, " ".join(exc.messages)))
                print(f"{path.name:<48} {'refused whole':<14}")
                continue
            plan = importing.preview(parsed.records)
            counts = {
                "read": len(parsed.records),
                "imported": len(plan.new),
                "duplicates": len(plan.skipped),
                "problems": len(plan.problems),
            }
            for name, count in counts.items():
                totals[name] += count
            print(
                f"{path.name:<48} {parsed.format_label:<14} {counts['read']:>5} "
                f"{counts['imported']:>5} {counts['duplicates']:>4} "
                f"{counts['problems']:>4}"
            )
            not_imported += [(path.name, str(problem)) for problem in plan.problems]
            not_imported += [
                (path.name, f"{skipped.record.where}: {skipped.reason}")
                for skipped in plan.skipped
            ]
        read = totals["read"]
        # A duplicate (or probable duplicate) of an earlier record of the same
        # file is readable and importable: the editor may import it anyway.
        importable = totals["imported"] + totals["duplicates"]
        print()
        print(f"readable records:          {read:,}")
        print(f"imported:                  {totals['imported']:,}")
        print(f"duplicates of an earlier:  {totals['duplicates']:,}")
        print(f"cannot be imported:        {totals['problems']:,}")
        if read:
            print(f"share imported:            {totals['imported'] / read:.1%}")
            print(f"share importable:          {importable / read:.1%}")
        print(f"files refused whole:       {len(refused)}")
        for name, reason in refused:
            print(f"  {name}: {reason}")
        print("records not imported:")
        for name, reason in not_imported:
            print(f"  {name}: {reason}")


if __name__ == "__main__":
    main()
