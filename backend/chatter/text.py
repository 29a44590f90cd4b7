"""Text hygiene and markdown-lite rendering."""

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

# C0/C1 controls except tab and newline, bidi overrides/isolates, zero-width characters.
_BODY_JUNK = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]"
)
_NAME_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff]")


def clean_body(text):
    """Normalize user text: NFC, unix newlines, no control or bidi-override characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _BODY_JUNK.sub("", text).strip()


def clean_name(text):
    """Normalize a one-line label (a name, a title): no controls, collapsed spaces."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_NAME_JUNK.sub("", text).split())


# The commonmark preset with raw HTML off; images are disabled below. Its nesting limit
# keeps pathological input (10,000 nested quotes) linear.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
_markdown.enable("linkify").enable("strikethrough").disable("image")

_ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def render_markdown(source):
    """Render markdown-lite to sanitized HTML: no raw HTML, no images, safe links only."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    ).strip()
