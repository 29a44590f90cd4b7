"""Text hygiene and markdown-lite rendering."""

import html as html_text
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
    "span",
}
# A mention is `<span data-mention="{person id}">`: the one attribute allowed beyond links and
# lists, and only with digits in it (the widget's sanitizer keeps the same rule).
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "span": {"data-mention"}}
_DIGITS = re.compile(r"[1-9][0-9]{0,18}")


def _keep_attribute(tag, attribute, value):
    if tag == "span" and attribute == "data-mention":
        return value if _DIGITS.fullmatch(value) else None
    return value


def _sanitize(html):
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    ).strip()


def render_markdown(source):
    """Render markdown-lite to sanitized HTML: no raw HTML, no images, safe links only."""
    return _sanitize(_markdown.render(source))


def _plain_texts(tokens):
    """The text tokens outside links (code spans and blocks are tokens of their own)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        depth = 0
        for token in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and depth == 0:
                yield token


def render_with_mentions(source, pattern, find_people):
    """Render like render_markdown, with `@handle`s of people who exist marked as mentions.

    `pattern` finds handles (group 1) in plain text; `find_people(handles)` returns {handle:
    person} for those that exist (one query). Returns (html, [person, ...] in order).
    """
    tokens = _markdown.parse(source)
    texts = list(_plain_texts(tokens))
    wanted = {m.group(1).lower() for t in texts for m in pattern.finditer(t.content)}
    people = find_people(wanted) if wanted else {}
    mentioned = {}
    for token in texts if people else ():
        pieces, last = [], 0
        for match in pattern.finditer(token.content):
            person = people.get(match.group(1).lower())
            if person is None:
                continue
            mentioned.setdefault(person["id"], person)
            pieces.append(html_text.escape(token.content[last : match.start()]))
            label = html_text.escape(match.group(0))
            pieces.append(f'<span data-mention="{person["id"]}">{label}</span>')
            last = match.end()
        if pieces:
            # Rendered raw by markdown-it (html_inline), so the text around is escaped here.
            token.type = "html_inline"
            token.content = "".join(pieces) + html_text.escape(token.content[last:])
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _sanitize(html), list(mentioned.values())
