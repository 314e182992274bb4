"""Known sanitizer-evasion payloads never reach a page in executable form.

Each payload goes in through every way text reaches the public: an article's
Markdown body, summaries and title (saved and approved through the service),
a reference's title, summary, authors, source and URL (stored directly, as an
import would, without form validation), a topic's title and summary, and the
query strings of every public page including search. Every page is then
parsed and checked strictly: no script except JSON-LD data, no event-handler
attribute, no javascript:/data:/vbscript: URL, no inline style, no embedding
element.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from articles import services
from articles.models import Article
from questions import emails as question_emails
from questions import services as question_services
from references.models import Entry, Reference, SavedSearch, Section, Topic
from tests.factories import approve_through_review, editor

from . import urlmap

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror\t=\talert(1)>",
    '<img """><script>alert(1)</script>">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=`javascript:alert(1)`>",
    "<a href=`javascript:alert(1)`>x</a>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--<img src=x --><img src=x onerror=alert(1)//-->",
    "<!-- <!-- nested --> <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="#" onclick="alert(1)">x</a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="&NewLine;javascript:alert(1)">x</a>',
    "<isindex type=image src=1 onerror=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<marquee onstart=alert(1)>x</marquee>",
]

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "srcset",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
}
FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "style",
    "isindex",
    "marquee",
}


def _normalised_url(value):
    # What a browser would follow: the parser has decoded the entities once,
    # as a browser does; control characters and whitespace, which browsers
    # skip inside a scheme, are removed.
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


class ExecutableFinder(HTMLParser):
    """Collects everything in a page that a browser might execute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") != "application/ld+json":
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style" or name == "srcdoc":
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None:
                if _normalised_url(value).startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def executable_parts(page):
    finder = ExecutableFinder()
    finder.feed(page)
    finder.close()
    # A second, parser-independent net: every "<script" in the raw text must
    # be a JSON-LD block.
    raw = re.findall(r"<\s*script\b[^>]*>", page, flags=re.IGNORECASE)
    finder.problems += [tag for tag in raw if "application/ld+json" not in tag.lower()]
    return finder.problems


def test_the_checker_catches_what_it_should():
    for payload in ('<a href=" JaVa&#x09;Script:x">', "<img onerror=x>", "<svg>"):
        assert executable_parts(payload), payload
    assert executable_parts('<script type="application/ld+json">{}</script>') == []


@pytest.fixture
def hostile_site():
    """One topic, article and references carrying every payload."""
    joined = "\n\n".join(PAYLOADS)
    topic = Topic.objects.create(
        title="Topic " + PAYLOADS[0], slug="hostile", summary=joined
    )
    section = Section.objects.create(topic=topic, title=PAYLOADS[3], slug="s")
    references = []
    for n, payload in enumerate(PAYLOADS):
        urls = [
            u
            for u in re.findall(
                r"(?:href|src|data|action)=[\"'`]?([^\"'`> ]+)", payload
            )
        ]
        references.append(
            Reference.objects.create(
                title=f"{payload} title",
                summary=payload,
                authors=payload,
                source=payload,
                url=(urls[0] if urls else f"javascript:alert({n})")[:1000],
                citation_key=f"hostile-{n}",
            )
        )
    for position, reference in enumerate(references):
        Entry.objects.create(section=section, reference=reference, position=position)
    author = editor()
    article = Article(
        topic=topic,
        slug="hostile-article",
        is_overview=True,
        title=PAYLOADS[0][:300],
        summary=joined,
        plain_summary=joined,
        body=joined + "\n\n" + " ".join(f"[@hostile-{n}]" for n in range(3)),
        plain_body=joined,
        author=author,
    )
    services.save_article(article=article, user=author)
    approve_through_review(article)
    search = SavedSearch.objects.create(
        topic=topic, label=PAYLOADS[0][:200], query=joined[:4000]
    )
    question = question_services.ask(
        text="Can I exercise with dermatomyositis?",
        asker="patient",
        email="reader@example.org",
    )
    return {
        "topic": topic,
        "article": article,
        "reference": references[0],
        "search": search,
        "question": question,
        "question_token": question_emails.confirmation_token(question),
    }


def public_urls(data):
    urls = [
        urlmap.url_for(route, data)
        for route in urlmap.walk()
        if not route.route.startswith("admin/")
    ]
    urls += [r.get_absolute_url() for r in Reference.objects.all()]
    return urls


def test_no_payload_reaches_a_page_in_executable_form(client, hostile_site):
    problems = {}
    for url in public_urls(hostile_site):
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            found = executable_parts(response.content.decode())
            if found:
                problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_query_strings_are_never_reflected_executably(client, hostile_site, payload):
    targets = [
        "/search/",
        "/literature/",
        "/",
        hostile_site["topic"].get_absolute_url(),
        "/questions/ask/",
    ]
    for url in targets:
        query = urlencode(
            {
                "q": payload,
                "topic": payload,
                "kind": payload,
                "page": payload,
                # The page a question is asked from (issue 25), as a path too.
                "from": "/" + payload,
            }
        )
        response = client.get(f"{url}?{query}")
        if response["Content-Type"].startswith("text/html"):
            assert executable_parts(response.content.decode()) == [], url
