"""What makes two questions the same (normal form) or alike (similarity)."""

import pytest

from portal.models import SearchSynonym
from portal.search.synonyms import synonym_sets
from questions import text

pytestmark = pytest.mark.django_db


def test_case_accents_punctuation_and_spacing_fold_away():
    assert text.normalise("Can I  EXERCISE, with Dermatomyosítis?!\n") == (
        "can i exercise with dermatomyositis"
    )


def test_stop_words_and_plurals_do_not_count():
    assert text.terms("What are the doses of the injections?") == "dose injection"


def test_questions_sharing_their_meaningful_words_are_similar():
    first = text.terms("Can I exercise with dermatomyositis?")
    second = text.terms("Is it safe to exercise with dermatomyositis?")
    other = text.terms("What does a muscle biopsy show?")
    assert text.similarity(first, second) >= text.SIMILAR
    assert text.similarity(first, other) == 0
    assert text.similarity("", first) == 0


def test_the_editors_synonyms_make_one_term(ask):
    SearchSynonym.objects.create(terms="IVIG\nintravenous immunoglobulin")
    sets = synonym_sets()
    assert text.terms("Is IVIG given at home?", sets) == text.terms(
        "Is intravenous immunoglobulin given at home?", sets
    )
    one = ask("Is IVIG given at home?").group
    two = ask("Is intravenous immunoglobulin given at home?").group
    assert one.terms == two.terms
