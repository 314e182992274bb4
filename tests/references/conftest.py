import os
from pathlib import Path

import pytest
from django.conf import settings

# CI clones the repository with shared/ beside it; a checkout elsewhere can
# point REFERENCE_FIXTURES_DIR at the folder.
FIXTURES = Path(
    os.environ.get("REFERENCE_FIXTURES_DIR")
    or Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "references"
)

# file name: (format, records in the file, references it creates)
FIXTURE_FILES = {
    "pubmed-nbib-balloongui-set-truncated.nbib": ("medline", 38, 38),
    "pubmed-medline-biopython-result2.txt": ("medline", 4, 4),
    "zotero-pubmed-asreview.ris": ("ris", 6, 6),
    "endnote-pubmed-asreview.ris": ("ris", 6, 6),
    "embase-export-asreview.ris": ("ris", 6, 6),
    "jabref-chocolate.bib": ("bibtex", 15, 15),
    "zotero-betterbibtex-pubmed.bib": ("bibtex", 2, 2),
    # The same article three times (one DOI): created once, skipped twice.
    "mendeley-export-bbt-fixture-truncated.bib": ("bibtex", 60, 58),
    "csl-items-manubot.json": ("csljson", 3, 3),
    "zotero-betterbibtex-csl.json": ("csljson", 26, 26),
}


@pytest.fixture
def fixture_bytes():
    """Read a real export from the shared fixtures, or skip saying why."""
    if not FIXTURES.is_dir():
        pytest.skip(
            f"reads real exports of other tools from {FIXTURES}, which is "
            "missing: put the shared folder beside the repository or set "
            "REFERENCE_FIXTURES_DIR to include these tests"
        )

    def read(name):
        return (FIXTURES / name).read_bytes()

    return read
