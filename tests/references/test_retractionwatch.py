"""The Retraction Watch import: the published CSV layout, streamed."""

import pytest
from django.core.management import CommandError, call_command

from references.models import ReferenceNotice
from tests.factories import ReferenceFactory

pytestmark = pytest.mark.django_db
Kind = ReferenceNotice.Kind

HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,"
    "ArticleType,RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,"
    "OriginalPaperDOI,OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes"
)
ROWS = [
    # Retracted, matched by DOI; several reasons.
    '99001,"An invented biologic in refractory dermatomyositis",(HSC) Medicine,'
    "Test University,Test Journal of Myositis,Test Publisher,Nowhere,"
    "Ana Testwoman;Bo Placeholder,,Research Article;,3/12/2024 0:00,"
    "10.5555/myo.2024.901,0,5/14/2019 0:00,10.5555/myo.2019.001,0,Retraction,"
    '"+Concerns/Issues About Data;+Investigation by Journal/Publisher;",No,',
    # Expression of concern, matched by PMID only (no DOI).
    "99002,Invented skin scores,(HSC) Medicine,Test University,Test Journal,"
    "Test Publisher,Nowhere,Cy Madeup,,Research Article;,9/1/2023 0:00,unavailable,"
    "900000020,2/1/2018 0:00,unavailable,900000003,Expression of concern,"
    "+Concerns/Issues about Results;,No,",
    # Not in the library.
    "99003,Something else,(BLS) Biology,Elsewhere,Other J,Other,Nowhere,X Y,,"
    "Research Article;,1/2/2022 0:00,10.5555/other.notice,0,1/1/2020 0:00,"
    "10.5555/other.paper,0,Retraction,+Error in Data;,No,",
    # A reinstatement is not a notice against the paper.
    "99004,Reinstated,(HSC) Medicine,Test University,Test Journal,Test Publisher,"
    "Nowhere,Ana Testwoman,,Research Article;,6/1/2024 0:00,10.5555/re.1,0,"
    "5/14/2019 0:00,10.5555/myo.2019.001,0,Reinstatement,,No,",
]
# A Latin-1 row (an older copy of the file): "Universität", "Müller".
LATIN1_ROW = (
    "99005,Correction of an invented cohort,(HSC) Medicine,Universit\xe4t Test,"
    "Test Journal,Test Publisher,Germany,Kai M\xfcller,,Research Article;,"
    "7/7/2021 0:00,10.5555/myo.2021.fix;10.5555/myo.2021.fix2,0,1/1/2020 0:00,"
    "10.5555/myo.2020.777;10.5555/MYO.2020.002,0,Correction,+Error in Text;,No,"
).encode("latin-1")


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "retraction_watch.csv"
    text = "\r\n".join([HEADER, *ROWS]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8") + LATIN1_ROW + b"\r\n")
    return path


@pytest.fixture
def library():
    return {
        "retracted": ReferenceFactory(doi="10.5555/myo.2019.001"),
        "concern": ReferenceFactory(pmid="900000003"),
        "corrected": ReferenceFactory(doi="10.5555/myo.2020.002"),
        "clean": ReferenceFactory(doi="10.5555/clean.1"),
    }


def test_rows_about_library_references_become_notices(csv_file, library, capsys):
    call_command("import_retraction_watch", str(csv_file))

    retraction = ReferenceNotice.objects.get(reference=library["retracted"])
    assert retraction.kind == Kind.RETRACTION
    assert str(retraction.date) == "2024-03-12"
    assert retraction.doi == "10.5555/myo.2024.901"
    assert retraction.pmid == ""
    assert retraction.reason == (
        "Concerns/Issues About Data; Investigation by Journal/Publisher"
    )
    concern = ReferenceNotice.objects.get(reference=library["concern"])
    assert (concern.kind, concern.pmid, concern.doi) == (Kind.CONCERN, "900000020", "")
    correction = ReferenceNotice.objects.get(reference=library["corrected"])
    assert correction.kind == Kind.CORRECTION
    assert correction.doi == "10.5555/myo.2021.fix"
    assert not library["clean"].notices.exists()
    assert ReferenceNotice.objects.count() == 3
    assert "Read 5 rows" in capsys.readouterr().out


def test_importing_the_file_again_records_nothing_new(csv_file, library):
    call_command("import_retraction_watch", str(csv_file))
    call_command("import_retraction_watch", str(csv_file))

    assert ReferenceNotice.objects.count() == 3


def test_a_dry_run_writes_nothing(csv_file, library, capsys):
    call_command("import_retraction_watch", str(csv_file), "--dry-run")

    assert not ReferenceNotice.objects.exists()
    assert "3 new notices would be recorded" in capsys.readouterr().out


def test_a_file_without_the_columns_is_refused(tmp_path, library):
    path = tmp_path / "other.csv"
    path.write_text("Title,DOI\nSomething,10.5555/myo.2019.001\n", encoding="utf-8")

    with pytest.raises(CommandError, match="no column RetractionDate"):
        call_command("import_retraction_watch", str(path))
    assert not ReferenceNotice.objects.exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_retraction_watch", str(tmp_path / "missing.csv"))
