"""Markdown-lite renders useful formatting and nothing executable."""

import time
from html.parser import HTMLParser

import pytest

from chatter.text import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click]( javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "![img](https://evil.example.com/track.png)",
    "![img](javascript:alert(1))",
    "<iframe src=https://evil.example.com></iframe>",
    '<div style="position:fixed">x</div>',
    '[x](https://ok.example.com "title" onclick=alert(1))',
    '<https://ok.example.com/"onmouseover=alert(1)>',
    "javascript:alert(1)",
    "<<script>script>alert(1)<</script>/script>",
]


# Written out here on purpose, not imported: the test states the allowlist on its own.
# fmt: off
SAFE_TAGS = {"p", "br", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
             "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
# fmt: on


class Elements(HTMLParser):
    """Collect the real elements and attributes of an HTML fragment."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_inert(html):
    for tag, attrs in Elements(html).elements:
        assert tag in SAFE_TAGS, html
        assert set(attrs) <= {"href", "rel", "start"}, html
        if "href" in attrs:
            assert attrs["href"].startswith(("http://", "https://", "mailto:")), html
            assert attrs["rel"] == "nofollow noopener noreferrer ugc"


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source):
    assert_inert(render_markdown(source))


def test_useful_formatting_survives():
    html = render_markdown(
        "**bold** _it_ `code` ~~gone~~\n\n> quote\n\n- one\n- two\n\n"
        "1. first\n\n```\nblock\n```\n\nsee https://example.com"
    )
    for fragment in (
        "<strong>bold</strong>",
        "<em>it</em>",
        "<code>code</code>",
        "<s>gone</s>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<pre><code>block",
        '<a href="https://example.com" rel="nofollow noopener noreferrer ugc">',
    ):
        assert fragment in html, html


@pytest.mark.parametrize(
    "source",
    [
        ">" * 10_000 + " deep",
        "- " * 10_000 + "x",
        "*" * 10_000 + "x",
        "`" * 10_000,
        "[" * 10_000 + "x" + "]" * 10_000,
        "\n".join("  " * n + "- x" for n in range(70)),
    ],
    ids=["quotes", "list-markers", "emphasis", "backticks", "brackets", "indented-lists"],
)
def test_deep_nesting_renders_fast(source):
    # CPU time of this process, so a busy machine does not fail the test.
    started = time.process_time()
    html = render_markdown(source)
    assert time.process_time() - started < 1.0
    assert_inert(html)


def test_hostile_post_through_the_api_is_inert(alice):
    post = alice.new_post("\n\n".join(HOSTILE))
    assert_inert(post["html"])
    assert post["body"].startswith("<script>"), "the source is kept verbatim"
