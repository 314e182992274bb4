"""What the format readers keep of a file, through the editors' import pages
(the file uploaded as a browser posts it, the preview, the confirmation):
every RIS author line, a thesis's school and a report's institution, and the
words of LaTeX commands the reader does not know, which the preview names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from references.formats import bibtex, ris
from references.models import Reference
from tests.factories import TopicFactory

from .test_editorial_views import editor, login

pytestmark = pytest.mark.django_db

PREVIEW = "/editorial/literature/import/preview/"


def import_file(client, name, data):
    """Upload ``data`` as an editor, read the preview, confirm: the preview."""
    login(client, editor())
    topic = TopicFactory()
    response = client.post(
        "/editorial/literature/import/",
        {"file": SimpleUploadedFile(name, data), "topic": topic.pk},
    )
    assert response.status_code == 302, response.content.decode()
    preview = client.get(PREVIEW).content.decode()
    client.post(PREVIEW, {"confirm": "1"})
    return preview


# 12. RIS: two co-authors with the same name


def test_two_ris_co_authors_with_one_name_are_both_kept(client):
    data = (
        b"TY  - JOUR\r\nTI  - Two Nakamuras\r\nAU  - Nakamura, Y.\r\n"
        b"AU  - Sato, K.\r\nAU  - Nakamura, Y.\r\nPY  - 2020\r\nER  - \r\n"
    )
    import_file(client, "two.ris", data)
    reference = Reference.objects.get()
    assert reference.author_list == ["Nakamura, Y.", "Sato, K.", "Nakamura, Y."]


def test_authors_written_both_as_au_and_a1_are_counted_once():
    [record] = ris.parse(
        "TY  - JOUR\nTI  - Both\nA1  - Oddis, C.\nA1  - Reed, A.\n"
        "AU  - Oddis, C.\nAU  - Reed, A.\nER  - \n"
    )
    assert record.authors == ["Oddis, C.", "Reed, A."]


# 13. BibTeX: school, institution, unknown commands

THESES = rb"""@phdthesis{koster2006,
  author = {Joan Koster},
  title = {Bookmarking racism},
  school = {State University of New York at Binghamton},
  year = {2006},
}
@techreport{tr1,
  author = {Ann Reporter},
  title = {A technical report},
  institution = {Stanford University},
  publisher = {Someone Else},
  number = {CS-TR-1},
  year = {1999},
}
"""


def test_a_thesis_keeps_its_school_and_a_report_its_institution(client):
    import_file(client, "theses.bib", THESES)
    thesis = Reference.objects.get(title="Bookmarking racism")
    assert thesis.source == "State University of New York at Binghamton"
    assert thesis.item_type == Reference.ItemType.DOCUMENT
    report = Reference.objects.get(title="A technical report")
    assert report.source == "Stanford University"


TUGBOAT = rb"""@article{tug,
  author = {Barbara Beeton},
  title = {{\TUG} 2007 election},
  journal = {{\TUB}},
  volume = {28},
  year = {2007},
}
@article{ctan,
  author = {Jim Hefferon},
  title = {{\CTAN\ \acro{CD}s}: a new way to get \TeX},
  journal = {TUGboat},
  volume = {20},
  year = {1999},
}
"""


def test_unknown_latex_commands_keep_their_words_and_the_preview_names_them(
    client,
):
    preview = import_file(client, "tugboat.bib", TUGBOAT)
    assert Reference.objects.get(citation_key="tug").title == "TUG 2007 election"
    assert Reference.objects.get(citation_key="tug").source == "TUB"
    ctan = Reference.objects.get(citation_key="ctan")
    assert ctan.title == "CTAN CDs: a new way to get TeX"
    assert "Read, but check these" in preview
    assert r"LaTeX commands the importer does not know: \TUB, \TUG." in preview
    assert r"\acro, \CTAN." in preview


def test_known_commands_are_read_without_a_warning():
    [record] = bibtex.parse(
        r"@article{a, title = {M{\"u}ller \emph{et} \textbf{al} \LaTeX}}" "\n"
    )
    assert record.title == "Müller et al LaTeX"
    assert record.warnings == []


def test_a_formatting_command_keeps_its_argument_not_its_name():
    [record] = bibtex.parse(r"@article{a, title = {The \foo{bar} and \baz{} end}}")
    assert record.title == "The bar and baz end"
    assert "\\baz, \\foo" in record.warnings[0]
