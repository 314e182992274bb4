"""Whether a reference is already known: identifiers, then title, year and
first author, folded; an editor's "it is another publication" (keep)."""

from types import SimpleNamespace

from references.matching import (
    DOI,
    PMID,
    PROBABLE,
    Matcher,
    first_family_name,
    fold,
    match_key,
)


def test_fold_drops_case_punctuation_diacritics_and_spacing():
    assert fold("  Müller-Ångström:  a CAFÉ\tstudy. ") == "muller angstrom a cafe study"
    assert fold("ﬁne Straße") == "fine strasse"


def test_scripts_without_latin_letters_are_kept():
    assert fold("中文 标题") == "中文 标题"


def test_records_of_one_publication_share_a_key():
    one = match_key(title="Myositis: a trial.", year=2012, authors=["Schmöller, Anna"])
    two = match_key(title="MYOSITIS a trial", year=2012, authors=["SCHMOLLER, A."])
    assert one == two


def test_year_and_first_author_tell_publications_apart():
    base = match_key(title="A trial", year=2012, authors=["Reed, Ann"])
    assert base != match_key(title="A trial", year=2013, authors=["Reed, Ann"])
    assert base != match_key(title="A trial", year=2012, authors=["Oddis, C"])


def test_no_title_no_key():
    assert match_key(title=" .,; ", year=2012, authors=[]) == ""


def test_first_family_name_of_a_group_is_the_group():
    assert first_family_name(["PRIME Study Group", "Reed, Ann"]) == "PRIME Study Group"
    assert first_family_name([]) == ""


def ref(title="Myositis: a trial.", *, doi="", pmid="", year=2012, author="Reed, A"):
    """What the matcher reads of a reference (or of an unsaved one)."""
    key = match_key(title=title, year=year, authors=[author])
    return SimpleNamespace(title=title, doi=doi, pmid=pmid, match_key=key)


def test_a_shared_identifier_matches_whatever_the_title():
    known = ref("One", doi="10.1000/a", pmid="1")
    matcher = Matcher([known])
    [by_doi] = matcher.matches(ref("Two", doi="10.1000/a"))
    assert (by_doi.known, by_doi.how, by_doi.probable) == (known, DOI, False)
    assert matcher.match(ref("Two", pmid="1")).how == PMID
    assert matcher.match(ref("One", doi="10.1000/b", pmid="2")) is None


def test_every_way_of_matching_is_reported_doi_first():
    known = ref(doi="10.1000/a", pmid="1")
    found = Matcher([known]).matches(ref(doi="10.1000/a", pmid="1"))
    assert [match.how for match in found] == [DOI, PMID, PROBABLE]


def test_same_title_year_and_first_author_is_probably_the_same():
    known = ref("Myositis: a trial.", author="Schmöller, Anna")
    match = Matcher([known]).match(ref("MYOSITIS a trial", author="SCHMOLLER, A."))
    assert (match.known, match.probable) == (known, True)


def test_identifiers_that_differ_tell_two_publications_apart():
    matcher = Matcher([ref(doi="10.1000/a")])
    assert matcher.match(ref(doi="10.1000/erratum")) is None
    # One side without identifiers: nothing tells them apart.
    assert matcher.match(ref()).probable


def test_keep_overrules_a_probable_match_never_an_identifier():
    matcher = Matcher([ref(doi="10.1000/a")])
    assert matcher.match(ref(), keep=True) is None
    assert matcher.match(ref(doi="10.1000/a"), keep=True).how == DOI


def test_a_reference_added_later_is_known_with_its_origin():
    matcher = Matcher()
    first = ref()
    matcher.add(first, origin="record 1")
    match = matcher.match(ref())
    assert (match.known, match.origin) == (first, "record 1")
    assert matcher.match(ref(), keep=True) is None
