"""Search benchmark: 100,000 references and 1,000 articles, 200 mixed queries.

    python bench/search.py [--database sqlite|postgres]

It uses a database of its own (a temporary SQLite file, or the PostgreSQL
database portal_bench5, created and dropped here), bulk-inserts generated
content, builds the search index and times what the search page does for a
query: count the matches among the documents readers may find and fetch the
first page of ranked, highlighted results. Prints the median, 95th and 99th
percentile and maximum time per query, and the five slowest queries. Then
it misspells 60 of the readers' words (a letter doubled, dropped, swapped or
changed) and times what the page adds when a search finds nothing: the
spelling suggestion from the index's vocabulary (portal.search.spelling),
printing how often it found the word meant.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Its own database, dropped afterwards; BENCH_PG_DATABASE names another one
# (parallel runs on one server).
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "portal_bench5")
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
N_REFERENCES = int(os.environ.get("BENCH_REFERENCES", 100_000))
N_ARTICLES = 1_000
N_QUERIES = 200
PAGE = 25
BATCH = 5_000

# The words readers search for; generated text mixes them with filler.
WORDS = """myositis dermatomyositis polymyositis rituximab ivig immunoglobulin
prednisone methotrexate azathioprine mycophenolate tacrolimus cyclophosphamide
abatacept tocilizumab janus kinase inhibitor muscle weakness rash heliotrope
gottron papules creatine kinase biopsy electromyography magnetic resonance
interstitial lung disease dysphagia calcinosis malignancy screening antibody
mda5 jo1 synthetase necrotizing autoimmune inclusion body exercise therapy
physiotherapy trial cohort randomised placebo controlled outcome response
remission relapse refractory juvenile adult elderly safety efficacy dose
infusion steroid sparing tapering quality life fatigue pain skin cardiac
involvement checkpoint plasma exchange stem cell transplant interleukin
cannabinoid receptor agonist lenabasum complement interferon signature
biomarker ultrasound capillaroscopy pulmonary function hospital registry""".split()
STEMS = ["treatment", "treated", "treating", "therapies", "patients", "studies"]
KINDS = ["guideline", "systematic_review", "trial", "research", "case_report", "news"]


def _vocabulary():
    """The medical words hidden among 5,000 filler words, at random ranks.

    Word frequencies follow Zipf's law, as in real text; placing the medical
    words at random ranks makes some of them common and others rare.
    """
    rng = random.Random(0)
    syllables = ["ca", "lo", "mi", "ter", "pa", "ven", "sor", "di", "nu", "bel"]
    filler = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)}
    words = sorted(filler - set(WORDS))[:5000] + WORDS + STEMS
    rng.shuffle(words)
    return words, [1 / (rank + 1) for rank in range(len(words))]


VOCABULARY, WEIGHTS = _vocabulary()
# The most frequent words of a Zipf vocabulary play the part that "the",
# "of" and "and" play in English: parse_query drops those, and readers do
# not search for them, so queries never use these.
FUNCTION_WORDS = set(VOCABULARY[:100])


def sentence(rng, n):
    words = rng.choices(VOCABULARY, weights=WEIGHTS, k=n)
    return " ".join(words).capitalize() + "."


def setup_database(kind):
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="portal-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        return lambda: shutil.rmtree(folder, ignore_errors=True)
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    os.environ["DATABASE_URL"] = PG_BENCH_URL

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")

    return drop


def generate(rng):
    from django.db import connection
    from django.utils import timezone

    from articles.models import ApprovedVersion, Article
    from references.models import Entry, Reference, Section, Topic

    topics = Topic.objects.bulk_create(
        Topic(title=f"Topic {i}", slug=f"topic-{i}") for i in range(20)
    )
    sections = Section.objects.bulk_create(
        Section(topic=t, title=f"Section {i}", slug=f"s-{i}")
        for t in topics
        for i in range(5)
    )
    for start in range(0, N_REFERENCES, BATCH):
        Reference.objects.bulk_create(
            Reference(
                kind=rng.choice(KINDS),
                title=sentence(rng, rng.randint(6, 14)),
                authors=f"Author{i % 5000}, A\nWriter{i % 777}, B",
                source=rng.choice(["Rheumatology", "Ann Rheum Dis", "Lancet", "BMJ"]),
                year=rng.randint(1990, 2025),
                summary=" ".join(sentence(rng, rng.randint(10, 20)) for _ in range(2)),
                citation_key=f"bench-{i}",
            )
            for i in range(start, min(start + BATCH, N_REFERENCES))
        )
    reference_ids = list(Reference.objects.values_list("pk", flat=True))
    Entry.objects.bulk_create(
        Entry(section=rng.choice(sections), reference_id=pk)
        for pk in rng.sample(reference_ids, len(reference_ids) // 5)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            topic=topics[i % len(topics)],
            slug=f"article-{i}",
            title=sentence(rng, 8),
            summary=sentence(rng, 25),
            body="",
            body_html="".join(
                f"<p>{sentence(rng, rng.randint(15, 30))}</p>" for _ in range(30)
            ),
        )
        for i in range(N_ARTICLES)
    )
    versions = ApprovedVersion.objects.bulk_create(
        ApprovedVersion(
            article=a,
            topic=a.topic,
            slug=a.slug,
            number=1,
            title=a.title,
            summary=a.summary,
            body_html=a.body_html,
            approved_at=now,
            next_review_due=now.date(),
        )
        for a in articles
    )
    for article, version in zip(articles, versions, strict=True):
        article.live = version
    Article.objects.bulk_update(articles, ["live"], batch_size=BATCH)
    if connection.vendor == "postgresql":
        # Statistics, as autovacuum keeps them on a live database: without
        # them the planner guesses how many references wait in an inbox.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return topics


def content_pairs(*texts):
    """Adjacent word pairs without a function word, from the first of
    ``texts`` that has any (else pairs with at least one content word).

    Readers quote phrases such as "muscle weakness" or "quality of life",
    never "of the": a phrase of function words alone is not a query.
    """
    fallback = []
    for text in texts:
        words = text.replace(".", "").lower().split()
        pairs = list(zip(words, words[1:], strict=False))
        content = [p for p in pairs if not FUNCTION_WORDS.intersection(p)]
        if content:
            return content
        fallback += [p for p in pairs if not FUNCTION_WORDS.issuperset(p)]
    return fallback


def queries(rng, topics):
    """200 queries: words, pairs, phrases and stems, some with filters.

    Pairs and phrases are taken from generated titles and summaries, so
    they match something, as a reader's usually do.
    """
    from portal.models import SearchDocument

    # Drawn with the bench's own generator (not the database's random()), so
    # every run times the same queries.
    chosen = rng.sample(
        list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True)),
        N_QUERIES,
    )
    texts = {
        pk: (title, body)
        for pk, title, body in SearchDocument.objects.filter(pk__in=chosen).values_list(
            "pk", "title", "body"
        )
    }
    samples = [texts[pk] for pk in chosen]
    mixed = []
    for i in range(N_QUERIES):
        title, body = samples[i]
        title_words = [
            w for w in title.rstrip(".").lower().split() if w not in FUNCTION_WORDS
        ] or title.lower().split()
        body_words = [
            w for w in body.replace(".", "").lower().split() if w not in FUNCTION_WORDS
        ]
        shape = i % 5
        if shape == 0:
            text = rng.choice(WORDS)
        elif shape == 1:
            text = " ".join(rng.sample(body_words, 2))
        elif shape == 2:
            text = '"' + " ".join(rng.choice(content_pairs(title, body))) + '"'
        elif shape == 3:
            text = rng.choice(["treating", "therapy", "patient", "study"])
        else:
            text = " ".join(rng.sample(title_words, min(3, len(title_words))))
        # What the search page searches: the documents readers may find.
        documents, narrowed = SearchDocument.objects.public(), "all"
        if i % 4 == 1:
            kind = rng.choice(KINDS)
            documents, narrowed = documents.of_kind(kind), kind
        elif i % 4 == 2:
            documents, narrowed = documents.between_years(2000, 2015), "2000-2015"
        elif i % 8 == 3:
            topic = rng.choice(topics)
            documents, narrowed = documents.in_topic(topic), topic.slug
        mixed.append((text, narrowed, documents))
    return mixed


def misspellings(rng):
    """60 slips of the medical words: one letter doubled, dropped, swapped
    with the next or changed, as fingers make them."""
    long_words = sorted(w for w in WORDS if len(w) >= 6)
    slips = []
    for word in rng.sample(long_words, 60):
        at = rng.randrange(1, len(word) - 1)
        slip = rng.choice(["double", "drop", "swap", "change"])
        if slip == "double":
            typed = word[:at] + word[at] + word[at:]
        elif slip == "drop":
            typed = word[:at] + word[at + 1 :]
        elif slip == "swap":
            typed = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:
            others = [c for c in "aeioulnrst" if c != word[at]]
            typed = word[:at] + rng.choice(others) + word[at + 1 :]
        if typed != word:
            slips.append((typed, word))
    return slips


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef")
    # Building the index of 101,000 documents takes longer than a page's
    # statement limit (5 s) on a busy machine; the queries timed are far below.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "600000")
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    drop = setup_database(args.database)
    keep = os.environ.get("BENCH_KEEP")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        from portal.search import indexing, search

        call_command("migrate", verbosity=0)
        rng = random.Random(5)
        # Bulk inserts skip the save hooks; the index is built once
        # afterwards, as rebuild_search_index does after a bulk import.
        started = time.perf_counter()
        topics = generate(rng)
        print(f"generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        count = indexing.rebuild()
        print(f"indexed {count} documents in {time.perf_counter() - started:.1f} s")

        timings, matches, slowest = [], [], []
        for text, narrowed, documents in queries(rng, topics):
            started = time.perf_counter()
            results = search(text, documents)
            total = results.count()
            page = results[:PAGE]
            timings.append((time.perf_counter() - started) * 1000)
            matches.append(total)
            slowest.append((timings[-1], text, narrowed, total))
            assert len(page) == min(total, PAGE)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(
            f"{args.database}: {len(timings)} queries, "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"p99 {p99:.1f} ms, max {timings[-1]:.1f} ms; matches per query: median "
            f"{statistics.median(matches):.0f}, max {max(matches)}"
        )
        print(
            "slowest: "
            + "; ".join(
                f"{ms:.1f} ms {text!r} ({narrowed}, {total} matches)"
                for ms, text, narrowed, total in sorted(slowest, reverse=True)[:5]
            )
        )
        from portal.models import SearchDocument, SearchWord
        from portal.search import spelling

        documents = SearchDocument.objects.public()
        timings, found, nothing = [], 0, 0
        for typed, meant in misspellings(rng):
            if search(typed, documents).exists():
                continue  # a slip that is a word too (or a prefix of one)
            nothing += 1
            started = time.perf_counter()
            suggestion = spelling.suggest(typed, documents)
            timings.append((time.perf_counter() - started) * 1000)
            found += suggestion is not None and suggestion.text == meant
        timings.sort()
        print(
            f"spelling: {SearchWord.objects.count()} words in the vocabulary; "
            f"{nothing} slips found nothing, {found} got the word meant; "
            f"suggestion median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
            f"max {timings[-1]:.1f} ms"
        )
    finally:
        if not keep:
            drop()


if __name__ == "__main__":
    main()
