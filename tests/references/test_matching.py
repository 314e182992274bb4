"""Probable duplicates: title, year and first author, folded."""

from references.matching import first_family_name, fold, match_key


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
