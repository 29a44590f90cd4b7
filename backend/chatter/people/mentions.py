"""@mentions: found while rendering a body, stored per post or comment, read with pages.

`render_body` is what create and edit call (one query resolves every handle of a body);
`save_mentions` stores the result and returns the people *newly* mentioned — the one call
notifications need (only new mentions notify; an edit that keeps a mention says nothing).
"""

import re

from sqlalchemy import bindparam, delete, insert, select

from ..db import db
from ..models import User
from ..text import render_with_mentions
from .handles import HANDLE_PATTERN
from .models import Mention

MAX_MENTIONS = 50  # handles looked up per body: more `@`s than this are left as text
# Not after a word character, `@`, `.`, `/` or `-`: e-mail addresses and paths are no mentions.
MENTION = re.compile(rf"(?<![\w@./-])@({HANDLE_PATTERN})", re.IGNORECASE)
MARK = '<span data-mention="'  # how a rendered body shows a mention (text.py)
_mentions = Mention.__table__
_INSERT = insert(_mentions).values(
    post_id=bindparam("post_id"), comment_id=bindparam("comment_id"), user_id=bindparam("user_id")
)


def person(row):
    """A mention as the API shows it."""
    return {"id": row.id, "handle": row.handle, "name": row.name}


def _find_people(handles):
    handles = sorted(handles)[:MAX_MENTIONS]
    rows = db.session.execute(
        select(User.id, User.handle, User.name).where(User.handle.in_(handles))
    )
    return {row.handle: person(row) for row in rows}


def render_body(source):
    """(html, mentions) of a post or comment body; mentions in handle order, as reads give them."""
    html, mentions = render_with_mentions(source, MENTION, _find_people)
    return html, sorted(mentions, key=lambda m: m["handle"])


def save_mentions(post_id, comment_id, mentions, author_id, edit=False):
    """Store who a post (comment_id None) or comment mentions; return the ids of the people
    newly mentioned, the author aside."""
    wanted = {m["id"] for m in mentions}
    before = set()
    if edit:
        where = (_mentions.c.post_id == post_id) & (
            _mentions.c.comment_id == comment_id
            if comment_id is not None
            else _mentions.c.comment_id.is_(None)
        )
        before = set(db.session.scalars(select(_mentions.c.user_id).where(where)))
        if before - wanted:
            db.session.execute(
                delete(_mentions).where(where, _mentions.c.user_id.in_(before - wanted))
            )
    added = wanted - before
    if added:
        rows = [
            {"post_id": post_id, "comment_id": comment_id, "user_id": m["id"]}
            for m in mentions
            if m["id"] in added
        ]
        db.session.execute(_INSERT, rows)
    return added - {author_id}


def mentions_by(column, rows):
    """{post or comment id: [mention, ...]} for the rows whose html has a mention (one query,
    none when no row has any); `column` is Mention.post_id (posts' own) or Mention.comment_id."""
    ids = [row.id for row in rows if MARK in row.html]
    if not ids:
        return {}
    query = (
        select(column.label("owner"), User.id, User.handle, User.name)
        .join(User, User.id == Mention.user_id)
        .where(column.in_(ids))
        .order_by(User.handle)
    )
    if column is Mention.post_id:
        query = query.where(Mention.comment_id.is_(None))
    found = {}
    for row in db.session.execute(query):
        found.setdefault(row.owner, []).append(person(row))
    return found
