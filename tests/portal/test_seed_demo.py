import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import services, workflow
from articles.models import ApprovedVersion, Article, Disclosure
from portal.models import GlossaryTerm, SearchSynonym
from references.models import Entry, Reference, Section, Topic

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the demo loads, as comparable data."""
    return {
        model.__name__: sorted(
            tuple(str(v) for k, v in row.items() if k not in {"updated_at"})
            for row in model.objects.values()
        )
        for model in (Topic, Section, Reference, Entry, Article, ApprovedVersion)
    }


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
    assert (
        get_user_model()
        .objects.filter(username__in=["editor", "board", "admin"])
        .count()
        == 3
    )


def test_seed_demo_loads_the_myositis_topic_article_and_literature(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    topic = Topic.objects.get(slug="myositis-treatment")
    article = Article.objects.approved().get(topic=topic, is_overview=True)
    assert article.live.approved_by.username == "board"
    assert article.author.username == "editor"
    assert {"Interleukins", "Biologic Agents", "Clinical Trials"} <= set(
        topic.also_see.values_list("title", flat=True)
    )
    sections = list(topic.sections.values_list("title", flat=True))
    assert sections.index("Biological Agents") < sections.index("Stem Cell Transplants")
    expired = Reference.objects.expired().get()
    assert "21-year Retrospective Study" in expired.title
    # Twelve in the first version; the second added one with its recommendations.
    assert article.citations.count() == 13

    page = client.get(topic.get_absolute_url()).content.decode()
    assert article.live.title in page and "Expired link" in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert "1000 mg" in article_page and "Rituximab" in article_page
    assert "Guideline" in article_page and "Research" in article_page


def test_seed_demo_refuses_demo_accounts_when_debug_is_off(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()
    assert "refusing to create demo accounts" in capsys.readouterr().err
    article = Article.objects.approved().get()
    assert article.live.approved_by is None


@pytest.mark.parametrize("debug", [True, False])
def test_demo_article_has_graded_recommendations_and_two_noted_versions(
    settings, debug
):
    settings.DEBUG = debug
    call_command("seed_demo", verbosity=0)
    article = Article.objects.approved().get(slug="antibody-therapy-pm-dm")
    graded = [r for r in article.live.recommendations if r["strength"]]
    good_practice = [r for r in article.live.recommendations if not r["strength"]]
    assert len(graded) >= 3 and len(good_practice) >= 1
    assert "recommendation-3" in article.live.plain_body_html
    versions = list(article.approved_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert all(v.change_note for v in versions)
    assert versions[1].change_class == "major"


def test_demo_board_members_and_authors_have_disclosures(settings):
    from articles.models import BoardMember

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for member in BoardMember.objects.all():
        assert Disclosure.objects.get(user=member.user).statement
    assert Disclosure.objects.filter(user__username="editor").exists()


def _demo_article():
    return Article.objects.get(slug="antibody-therapy-pm-dm")


def test_seed_demo_keeps_an_editors_pending_version_of_the_demo_article(
    settings, capsys
):
    """``make run`` re-runs seed_demo: an editor's work must survive it."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = _demo_article()
    live = article.live
    article.body += "\n\nA paragraph an editor added."
    services.save_article(
        article=article,
        user=get_user_model().objects.get(username="editor"),
        expected_version=article.version,
    )
    workflow.submit(article=article, user=article.author)
    reference = Reference.objects.first()
    reference.summary = "An editor's better summary."
    reference.save()
    capsys.readouterr()

    call_command("seed_demo")
    out = capsys.readouterr().out
    article = _demo_article()
    assert article.body.endswith("A paragraph an editor added.")
    assert article.status == Article.Status.SUBMITTED
    # The demo's two approved versions, untouched.
    assert article.live == live and ApprovedVersion.objects.count() == 2
    assert Reference.objects.get(pk=reference.pk).summary == (
        "An editor's better summary."
    )
    kept = (
        sum(
            model.objects.count()
            for model in (
                Topic,
                Section,
                Reference,
                Entry,
                GlossaryTerm,
                SearchSynonym,
                Article,
                Disclosure,
            )
        )
        + 3
    )  # the demo accounts
    assert f"0 created, 0 reset, kept {kept} existing rows." in out


def test_seed_demo_keeps_a_changed_password(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    user = get_user_model().objects.get(username="editor")
    user.set_password("a password of my own")
    user.save()
    call_command("seed_demo", verbosity=0)
    user.refresh_from_db()
    assert user.check_password("a password of my own")


def test_seed_demo_creates_only_what_is_missing(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", verbosity=0)
    Topic.objects.filter(slug="interleukins").delete()
    reference = Reference.objects.first()
    reference.summary = "Edited."
    reference.save()
    call_command("seed_demo", "--no-accounts", verbosity=0)
    assert Topic.objects.filter(slug="interleukins").exists()
    assert Reference.objects.get(pk=reference.pk).summary == "Edited."


def test_seed_demo_reset_restores_the_demo_text_after_confirmation(
    settings, monkeypatch
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = _demo_article()
    demo_body = article.body
    article.body = "An editor's rewrite."
    services.save_article(
        article=article, user=article.author, expected_version=article.version
    )

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("seed_demo", "--reset", verbosity=0)
    assert _demo_article().body == "An editor's rewrite."

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("seed_demo", "--reset", verbosity=0)
    article = _demo_article()
    assert article.body == demo_body
    assert article.status == Article.Status.APPROVED
    assert article.live.number == article.version


def test_seed_demo_reset_without_input_does_not_ask(settings, monkeypatch):
    settings.DEBUG = True
    call_command("seed_demo", "--no-accounts", verbosity=0)
    reference = Reference.objects.first()
    original = reference.summary
    reference.summary = "Edited."
    reference.save()

    def refuse(prompt):
        raise AssertionError("--no-input must not ask")

    monkeypatch.setattr("builtins.input", refuse)
    call_command("seed_demo", "--no-accounts", "--reset", "--no-input", verbosity=0)
    assert Reference.objects.get(pk=reference.pk).summary == original


def test_seed_demo_dry_run_saves_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", "--dry-run")
    assert "Dry run, nothing saved" in capsys.readouterr().out
    assert not Topic.objects.exists() and not Article.objects.exists()


# Identifiers confirmed in public bibliographic records (seeds/IDENTIFIERS.md).
CONFIRMED = {
    "clin-rheumatol-2018-rtx-mda5": ("10.1007/s10067-018-4122-2", "29713969"),
    "marie-autoimmun-rev-2011": ("10.1016/j.autrev.2011.06.007", "21740984"),
    "rheumatology-2018-il18-myositis": ("10.1093/rheumatology/key222", "30102381"),
    "muscle-nerve-2018-myopathy-after-allo-sct": ("10.1002/mus.26341", "30194844"),
    "oddis-2013-rim": ("10.1002/art.37754", "23124935"),
    "aggarwal-2022-proderm": ("10.1056/NEJMoa2117912", "36198179"),
    "lundberg-2017-eular-acr": ("10.1002/art.40320", "29106061"),
    "oldroyd-2022-bsr": ("10.1093/rheumatology/keac115", ""),
}


def test_demo_literature_links_out_to_its_sources(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for key, (doi, pmid) in CONFIRMED.items():
        reference = Reference.objects.get(citation_key=key)
        # DOIs are stored in one form, lower case, as every path stores them.
        assert (reference.doi, reference.pmid) == (doi.lower(), pmid), key
    page = client.get("/topics/myositis-treatment/").content.decode()
    # The title links to the DOI (no web address stored), with PubMed beside it.
    assert 'href="https://doi.org/10.1002/art.37754"' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/23124935/"' in page
    # A stored web address wins; a PMID alone still links out.
    assert 'href="https://jddonline.com/articles/the-use-of-rituximab' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31734403/"' in page


def test_demo_overview_cites_the_trials_criteria_and_guidelines(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = Article.objects.get(slug="antibody-therapy-pm-dm")
    cited = set(article.citations.values_list("reference__citation_key", flat=True))
    assert {
        "oddis-2013-rim",
        "aggarwal-2022-proderm",
        "lundberg-2017-eular-acr",
        "oldroyd-2022-bsr",
        "paik-2025-guideline-review",
        "meyer-2019-guidelines-state-of-art",
    } <= cited
    body = article.live.body_html
    for claim in ("TNF-α antagonists are best avoided", "Hydroxychloroquine can be"):
        sentence = body[body.index(claim) :].split("</li>")[0]
        assert 'class="citation"' in sentence, claim


def test_demo_also_see_topics_have_literature_and_home_hides_empty_ones(
    client, settings
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    empty = Topic.objects.create(title="Nothing here yet", slug="nothing-here")
    home = client.get("/").content.decode()
    for slug in (
        "biologic-agents",
        "clinical-trials",
        "interleukins",
        "endocannabinoid-system",
        "autoimmune-diseases",
        "dermatomyositis-polymyositis",
    ):
        assert Entry.objects.filter(section__topic__slug=slug).exists(), slug
        assert f'href="/topics/{slug}/"' in home
    assert empty.get_absolute_url() not in home
    # The topic with the reviewed overview leads.
    topics = home[home.index('id="topics"') :]
    assert topics.index("/topics/myositis-treatment/") < topics.index(
        "/topics/clinical-trials/"
    )


def test_seed_demo_sends_no_email_and_prints_a_short_summary(
    settings, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    """The demo's own submissions and approvals are not news to anyone: before,
    `make run` printed 87 lines of e-mails above the demo accounts."""
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert mailoutbox == []
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("Demo content loaded: ")
    assert [line.split()[0] for line in lines[2:]] == ["editor", "board", "admin"]
    assert len(lines) == 5


def test_review_steps_still_send_email_outside_the_demo_loader(
    mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import board_member, make_article

    board_member(email="board@example.org")
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=article, user=article.author)
    assert [message.to for message in mailoutbox] == [["board@example.org"]]


def test_the_demo_overview_rests_on_checkable_primary_literature(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    article = Article.objects.approved().get(slug="antibody-therapy-pm-dm")
    profile = article.live.evidence_profile
    assert profile["checkable_percent"] >= 90
    # The two tertiary sources stay, kinded as what they are.
    assert profile["by_kind"]["secondary_summary"] == 2
    assert profile["by_kind"].get("guideline") == 2
    for statement in profile["weak_statements"]:
        # Where only a secondary summary speaks, the text says so.
        assert (
            "summar" in statement["text"] or "no study we list" in (statement["text"])
        )
        assert statement["kind"] != "recommendation"
    # No recommendation rests only on secondary sources; the one resting on
    # narrative reviews was approved with the board's acknowledgement.
    assert [box["anchor"] for box in profile["unsupported"]] == [
        "recommendation-3",
        "recommendation-3",
    ]
    for box in profile["unsupported"]:
        assert all(cited["kind"] == "narrative_review" for cited in box["cites"])
    approval = article.events.filter(action="approve").last()
    assert "Recommendation 3" in approval.comment
