"""The HTML of Chatter's own pages: escaped values in a fixed frame, no inline script or style."""

from html import escape
from pathlib import Path

ASSETS = Path(__file__).parent

_FRAME = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>{title}</title>
  <link rel="stylesheet" href="/c/page.css">{head}
</head>
<body>
  <header class="bar">
    <span class="mark" aria-hidden="true"></span><span class="brand">Chatter</span>{bar}
  </header>
  <main class="{main}">
{body}
  </main>{tail}
</body>
</html>
"""


def _frame(title, body, main="notice", head="", bar="", tail=""):
    return _FRAME.format(title=escape(title), head=head, bar=bar, main=main, body=body, tail=tail)


def _open_page(target):
    if not target.page_url:
        return ""
    return f'<a class="elsewhere" href="{escape(target.page_url)}">Open its page</a>'


def _where(target):
    return target.context_title or target.context_key or f"Conversation {int(target.post_id)}"


def _people(people, current):
    """The dev mode's "Viewing as" switcher (`?as=`), like the example pages'."""
    if not people:
        return ""
    links = "".join(
        f'<a href="?as={escape(sub)}"{" aria-current=page" if sub == current else ""}>'
        f"{escape(name.split()[0])}</a>"
        for sub, name in people
    )
    return f'\n    <nav class="people" aria-label="Demo user">Viewing as {links}</nav>'


def conversation_page(target, token_url, people=(), current=None):
    """The pane on the conversation's context; page.js puts `#chatter-post-{id}` in the
    address (unless a fragment is there already) before the loader runs."""
    where = escape(_where(target))
    # Without a context the pane is on this page's own address (the loader's default).
    context = f' context-title="{where}"'
    if target.context_key is not None:
        context = f' context="{escape(target.context_key)}"{context}'
    head = (
        f'\n  <script src="/c/page.js" data-fragment="chatter-post-{int(target.post_id)}"></script>'
    )
    bar = f'\n    <span class="where">{where}</span>{_open_page(target)}{_people(people, current)}'
    body = f'    <div class="room"><chatter-pane{context} theme="auto"></chatter-pane></div>'
    tail = f'\n  <script src="/embed.js" async data-token-url="{escape(token_url)}"></script>'
    return _frame(f"{_where(target)} — Chatter", body, "pane", head, bar, tail)


def missing_page():
    """The friendly 404: what happened and what to do."""
    body = """    <h1>This conversation is not here</h1>
    <p>It may have been deleted, or the link you followed is incomplete.</p>
    <p>Ask whoever sent you the link, or look for the conversation on the page it was about.</p>"""
    return _frame("Conversation not found — Chatter", body)


def sign_in_unavailable_page(target):
    """Production without CHATTER_PAGE_TOKEN_URL: say so instead of a pane that cannot sign in."""
    elsewhere = _open_page(target) or (
        "Open it from the page it belongs to, or from Chatter on any intranet page."
    )
    body = f"""    <h1>Chatter cannot sign you in on this page</h1>
    <p>This conversation exists, but Chatter's own pages have no way to learn who you are here.
      {elsewhere}</p>
    <p class="detail">For whoever runs Chatter: set <code>CHATTER_PAGE_TOKEN_URL</code> to a path on
      Chatter's own address that answers <code>{{"identity_token": "…"}}</code> for the signed-in
      employee (see the README, "Chatter's own page").</p>"""
    return _frame("Cannot sign in — Chatter", body)
