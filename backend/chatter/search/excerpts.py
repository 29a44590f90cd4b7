"""Highlights: an excerpt of the stored text around the first match, HTML-escaped, the matches
in <mark>. Built from the body as the database marked it (its own stemming decides what
matched), never from the query's text."""

from html import escape

from .ranked import MARK, UNMARK

EXCERPT = 200  # characters of stored text at most (the ellipses included)
BEFORE = 60  # characters kept before the first match, when the text is cut
TITLE = 120  # characters of a conversation's first line, for a comment's post_title


def _segments(marked):
    """[(text, matched)] from a body with MARK/UNMARK around its matches."""
    segments, rest = [], marked
    while rest:
        head, mark, rest = rest.partition(MARK)
        if head:
            segments.append((head.replace(UNMARK, ""), False))
        if not mark:
            break
        inside, _, rest = rest.partition(UNMARK)
        if inside:
            segments.append((inside.replace(MARK, ""), True))
    return segments


def excerpt(marked):
    """The safe HTML excerpt (≤ EXCERPT characters of text) of a marked body."""
    segments = _segments(" ".join(marked.split()))  # one line: newlines and runs of spaces
    text = "".join(s for s, _ in segments)
    first, position = None, 0
    for s, matched in segments:
        if matched:
            first = position
            break
        position += len(s)
    start = 0
    if len(text) > EXCERPT and first is not None and first > BEFORE:
        start = text.rfind(" ", 0, first - BEFORE + 1) + 1 or first - BEFORE
        start = min(start, max(len(text) - EXCERPT + 1, 0))
    lead = "…" if start > 0 else ""
    end = start + EXCERPT - len(lead)
    tail = ""
    if end < len(text):
        end -= 1
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + EXCERPT // 2 else end
        tail = "…"
    html, position = [lead], 0
    for s, matched in segments:
        piece = s[max(start - position, 0) : max(end - position, 0)]
        position += len(s)
        if piece:
            html.append(
                f"<mark>{escape(piece, quote=False)}</mark>"
                if matched
                else escape(piece, quote=False)
            )
    html.append(tail)
    return "".join(html)


def first_line(body):
    """A conversation's title line: its first non-empty line, plain, ≤ TITLE characters."""
    line = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return line if len(line) <= TITLE else line[: TITLE - 1].rstrip() + "…"
