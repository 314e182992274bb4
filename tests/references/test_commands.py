from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from references.models import Reference
from tests.factories import SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

RIS = (
    "TY  - JOUR\nTI  - One\nDO  - 10.1000/one\nER  - \n\n"
    "TY  - JOUR\nTI  - Two\nER  - \n"
)


@pytest.fixture
def ris_file(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS, encoding="utf-8")
    return path


def test_import_command_imports_into_the_topics_curation_inbox(ris_file, capsys):
    section = SectionFactory()
    call_command("import_references", str(ris_file), topic=section.topic.slug)
    assert Reference.objects.in_inbox(section.topic).count() == 2
    assert not section.entries.exists()
    out = capsys.readouterr().out
    assert f"Imported 2 references into the curation inbox of “{section.topic}”" in out


def test_dry_run_writes_nothing(ris_file, capsys):
    topic = TopicFactory()
    call_command("import_references", str(ris_file), topic=topic.slug, dry_run=True)
    assert "Would import 2 references" in capsys.readouterr().out
    assert not Reference.objects.exists()
    assert not topic.sections.exists()


def test_duplicates_are_reported(ris_file, capsys):
    topic = TopicFactory()
    call_command("import_references", str(ris_file), topic=topic.slug, verbosity=0)
    assert capsys.readouterr().out == ""
    call_command("import_references", str(ris_file), topic=topic.slug)
    out = capsys.readouterr().out
    assert "Skipped record 1 (line 1): Already in the library" in out
    # "Two" has no identifier: recognised by its title, year and first author.
    assert "Skipped record 2 (line 6): Probably the same as “Two”" in out
    assert Reference.objects.count() == 2


def test_progress_lines_on_long_imports(tmp_path, capsys):
    path = tmp_path / "many.ris"
    path.write_text(
        "".join(f"TY  - JOUR\nTI  - T{n}\nER  - \n\n" for n in range(2500)),
        encoding="utf-8",
    )
    call_command("import_references", str(path), topic=TopicFactory().slug)
    out = capsys.readouterr().out
    assert "1000 of 2500 records written" in out
    assert Reference.objects.count() == 2500


@pytest.mark.parametrize(
    "content, topic, message",
    [
        (RIS.encode(), "nope", "no topic with the slug"),
        (b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n", "topic", "not UTF-8"),
        (b"TY  - JOUR\nTI  - Open\n", "topic", "Record 1, line 1"),
    ],
)
def test_bad_input_stops_with_a_message(tmp_path, content, topic, message):
    TopicFactory(slug="topic")
    path = tmp_path / "bad.ris"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_references", str(path), topic=topic)
    assert not Reference.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_references", str(tmp_path / "none.ris"), topic="x")


def test_records_that_cannot_be_imported_are_listed_and_the_rest_imported(capsys):
    # pybtex's copy of xampl.bib: three entries have no title.
    path = Path(__file__).parent / "files" / "pybtex-xampl.bib"
    call_command("import_references", str(path), topic=TopicFactory().slug)
    out = capsys.readouterr().out
    assert (
        "Not imported: Record 22 (line 226): Title: This field cannot be blank." in out
    )
    assert "Imported 18 references" in out
    assert "3 records could not be imported" in out
    assert Reference.objects.count() == 18
