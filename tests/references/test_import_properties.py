"""Property: no file, however mangled, gets past the readers as anything but
records or the importer's own refusal, and a refused import writes nothing.

Random and mutated files are fed to each reader through the real path
(read_file, then import_records). The work is bounded: a fixed number of
examples per reader (derandomised, so CI runs the same ones), mutated files
of a few kilobytes, and the known hostile shapes as explicit examples.
"""

import os
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from references import importing
from references.models import Reference, Topic

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
SEEDS = {
    extension: sorted(
        path.name for path in FILES.iterdir() if path.suffix == f".{extension}"
    )
    for extension in ("bib", "ris", "nbib", "json")
}
# Pieces that mean something to one reader or another.
TOKENS = [
    "{",
    "}",
    "{{",
    "\\",
    "\\href{",
    "\\url{",
    "\\noopsort{",
    "#",
    '"',
    "@string{x=",
    "@article{",
    ",",
    "=",
    "crossref = {x}",
    "TY  - ",
    "ER  - ",
    "UR  - ",
    "PMID- ",
    "AU  - ",
    "      ",
    "PT  - ",
    "[",
    "]",
    '{"',
    '":',
    "1e400",
    "null",
    "\x00",
    "\n",
    "\r\n",
    "\ufeff",
    "é",
    "\U0001f600",
    "2100",
    "99999",
]
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "repeat"]),
    st.floats(min_value=0, max_value=1),
    st.one_of(
        st.sampled_from(TOKENS).map(str.encode),
        st.text(max_size=12).map(str.encode),
        st.binary(max_size=8),
    ),
)


def mutate(data: bytes, mutations) -> bytes:
    for operation, where, payload in mutations:
        at = int(where * len(data))
        if operation == "insert":
            data = data[:at] + payload + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + len(payload) + 1 :]
        else:
            data = data[:at] + data[at : at + 64] * 3 + data[at:]
    return data[:8_000]


def import_or_refuse(data: bytes, filename: str) -> None:
    """Read and import ``data``; only ImportRejected may come out, and then
    nothing is written. Whatever happens is rolled back afterwards."""
    with transaction.atomic():
        topic = Topic.objects.create(title="Property", slug="property")
        try:
            parsed = importing.read_file(data, filename=filename)
            importing.import_records(records=parsed.records, topic=topic)
        except importing.ImportRejected as exc:
            assert exc.messages and all(message.strip() for message in exc.messages)
            assert "()" not in " ".join(exc.messages)
            assert not Reference.objects.exists()
        transaction.set_rollback(True)


def mangled(extension):
    return st.tuples(
        st.sampled_from(SEEDS[extension]), st.lists(MUTATION, max_size=6)
    ).map(lambda pair: (mutate((FILES / pair[0]).read_bytes(), pair[1]), pair[0]))


SETTINGS = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", 30)),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("extension", ["bib", "ris", "nbib", "json"])
def test_mutated_files_are_read_or_refused(extension):
    @SETTINGS
    @given(mangled(extension))
    def check(case):
        data, filename = case
        import_or_refuse(data, filename)

    check()


@SETTINGS
@given(
    st.binary(max_size=2_000), st.sampled_from(["x.bib", "x.ris", "x.nbib", "x.json"])
)
@example(b"[" * 100_000 + b"]" * 100_000, "deep.json")
@example(b"@article{k, title={" + b"{" * 5_000 + b"}" * 5_000 + b"}}", "deep.bib")
@example(b"@article{k, title={\\href{x}}, year={\\noopsort{1}}}", "x.bib")
@example(b"TY  - JOUR\nTI  - a\x00b\nER  - \n", "nul.ris")
@example(b'[{"title": "t", "issued": {"date-parts": [[1e400]]}}]', "x.json")
@example(b'{"items": 5}', "x.json")
@example(b"PMID- 1\nDP  - 99999\n", "x.nbib")
def test_random_bytes_are_read_or_refused(data, filename):
    import_or_refuse(data, filename)
