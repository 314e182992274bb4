"""EditorTextField: prose is stored with one kind of line ending."""

import pytest

from references.fields import normalize_text
from references.models import Reference, Section, Topic
from tests.factories import ReferenceFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("one\r\ntwo\r\n", "one\ntwo"),
        ("old mac\rline", "old mac\nline"),
        ("spaces   \ntabs\t\t\nkept inside  words", "spaces\ntabs\nkept inside  words"),
        ("blank lines at the end\r\n\r\n  \r\n", "blank lines at the end"),
        ("    indented code stays", "    indented code stays"),
        ("", ""),
    ],
)
def test_normalize_text(written, stored):
    assert normalize_text(written) == stored


def test_none_is_left_alone():
    assert normalize_text(None) is None


def test_a_save_without_validation_is_normalised_too():
    reference = ReferenceFactory(summary="Line one \r\nLine two\r\n")
    section = SectionFactory(intro="Intro\r\n")
    assert Reference.objects.get(pk=reference.pk).summary == "Line one\nLine two"
    assert Section.objects.get(pk=section.pk).intro == "Intro"
    assert Topic.objects.get(pk=section.topic_id).summary == "A topic for tests."


def test_full_clean_normalises_before_anything_reads_the_text():
    reference = ReferenceFactory.build(summary="a\r\nb  ")
    reference.full_clean(exclude=["citation_key"])
    assert reference.summary == "a\nb"
