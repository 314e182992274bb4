"""Content the page benchmarks share: a 40-reference article and an editor.

``bench/compare.sh`` (over HTTP) and ``bench/pages.py`` (in process) measure
the same pages; both build them here, after ``seed_demo``, in a database of
their own. Run as a script (Django set up from the environment) it creates
both and prints the editor's session cookie.
"""

import os
from pathlib import Path

ARTICLE_SLUG = "bench-40-references"
EDITOR = "bench-editor"


def bench_environment(work: Path, name: str, **settings: str) -> None:
    """The environment a benchmark's Django runs in: production settings
    (DEBUG off) served in process, files under ``work``, the page cache off,
    plus ``settings``; a database of its own unless DATABASE_URL names one."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=f"bench-{name}-" + "x" * 50,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(work / "static"),
        CACHE_DIR=str(work / "cache"),
        PORTAL_PAGE_CACHE_SECONDS="0",
        **settings,
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work}/{name}.sqlite3")


def generate_ris(
    count: int,
    *,
    first: int = 1,
    doi: str = "10.1002/art.{}",
    pmid_base: int = 20000000,
    link_base: str = "",
) -> bytes:
    """``count`` plausible RIS records numbered from ``first``, each with
    authors, a DOI (``doi`` formatted with the number) and a PMID; with
    ``link_base``, an abstract and a web address there too."""
    lines = []
    for n in range(first, first + count):
        lines += [
            "TY  - JOUR",
            f"TI  - Rituximab in refractory myositis: cohort {n} of a multicentre test",
            f"AU  - Müller-{n % 97}, Anna",
            f"AU  - Oddis, Chester V{n % 7}",
            "AU  - PRIME Study Group",
            "T2  - Arthritis Rheum",
            f"PY  - {1990 + n % 35}",
            f"DA  - {1990 + n % 35}/{n % 12 + 1:02d}/{n % 28 + 1:02d}/",
            f"VL  - {n % 80}",
            f"IS  - {n % 12 + 1}",
            f"SP  - {n % 900 + 1}",
            f"EP  - {n % 900 + 9}",
            f"DO  - {doi.format(n)}",
            f"AN  - {pmid_base + n}",
            "DP  - NLM",
        ]
        if link_base:
            lines += [
                f"AB  - Adults with refractory myositis in cohort {n} were followed "
                "for a year; muscle strength and creatine kinase improved.",
                f"UR  - {link_base}/paper/{n}",
            ]
        lines += ["ER  - ", ""]
    return "\n".join(lines).encode("utf-8")


def forty_reference_article():
    """An approved article whose 40 paragraphs cite 40 generated references."""
    from articles import services, workflow
    from articles.models import Article
    from references.models import Reference, Topic

    if Article.objects.filter(slug=ARTICLE_SLUG).exists():
        return
    keys = []
    for i in range(40):
        reference = Reference(
            kind=Reference.Kind.TRIAL if i % 2 else Reference.Kind.RESEARCH,
            title=f"Generated benchmark study {i} of treatment in adult myositis",
            authors=f"Author{i}, Alice\nWriter{i}, Bob\nThird{i}, Carol",
            source="Benchmark Journal of Rheumatology",
            year=2000 + i % 25,
            volume=str(10 + i),
            issue=str(1 + i % 4),
            pages=f"{100 + i}-{110 + i}",
            url=f"https://example.org/bench/{i}",
            summary=f"A generated study, number {i}, for the benchmark.",
            citation_key=f"bench-{i}",
        )
        reference.full_clean()
        reference.save()
        keys.append(reference.citation_key)
    paragraphs = [
        f"Paragraph {i} discusses treatment outcomes in myositis and cites "
        f"the evidence [@{keys[i]}; @{keys[(i + 1) % 40]}]."
        for i in range(40)
    ]
    article = Article(
        slug=ARTICLE_SLUG,
        topic=Topic.objects.order_by("pk").first(),
        title="A review citing forty references",
        summary="Generated for the benchmark.",
        body="\n\n".join(paragraphs),
    )
    services.save_article(article=article, user=None, comment="benchmark")
    workflow.record_approval(article=article, approved_by=None, comment="benchmark")


def editor_session() -> str:
    """The session key of a signed-in editor (created if missing)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    editor, _ = get_user_model().objects.get_or_create(username=EDITOR)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    return client.cookies["sessionid"].value


if __name__ == "__main__":
    import sys
    from pathlib import Path

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    django.setup()
    forty_reference_article()
    print(editor_session())
