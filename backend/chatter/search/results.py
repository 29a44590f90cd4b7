"""GET /search's answer: the ranked page, its items as the feed and threads show them, with
highlights; people first on the first page of `type=all`."""

from sqlalchemy import select

from ..models import Comment, Context, Post, User, utcnow
from ..people.search import search_people
from ..read import cursors
from ..read.rows import comment_payloads, post_payloads, run, select_comments, select_posts
from ..shapes import is_withheld
from .excerpts import excerpt, first_line
from .query import parse
from .ranked import marked_bodies, ranked_page

PEOPLE_FIRST = 3  # people ahead of the first page of type=all
KINDS = {"all": ("post", "comment"), "posts": ("post",), "comments": ("comment",)}


class Scope:
    """The operators that name rows, resolved to ids (None: not asked), and who reads."""

    def __init__(self, query, viewer):
        self.reader = viewer.id
        self.authors = self.contexts = None
        if query.authors:
            handles = [h for h in query.authors if h != "me"]
            ids = [row.id for row in run(select(User.id).where(User.handle.in_(handles)))]
            self.authors = ids + ([viewer.id] if "me" in query.authors else [])
        if query.contexts:
            keys = select(Context.id).where(Context.key.in_(query.contexts))
            self.contexts = [row.id for row in run(keys)]


def search(viewer, q, type_, limit, cursor=None):
    """The answer to GET /search (a dict); BadQuery for an empty or malformed query."""
    query = parse(q)
    if type_ == "people":
        return _people_page(viewer, query, limit, cursor)
    now, after = utcnow(), None
    if cursor:
        tag, moment, score, kind, last_id = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, cursors.score, cursors.tag, cursors.row_id]
        )
        if tag != type_ or kind not in ("post", "comment"):
            raise cursors.bad_cursor("This cursor belongs to another search.")
        now, after = moment, (score, kind, last_id)
    ranked, total = ranked_page(query, Scope(query, viewer), KINDS[type_], now, limit, after)
    next_cursor = None
    if len(ranked) > limit:
        ranked = ranked[:limit]
        kind, last_id, score = ranked[-1]
        next_cursor = cursors.encode_cursor(type_, now.isoformat(), score, kind, last_id)
    items = []
    if type_ == "all" and cursor is None and not query.filtered:
        items = [{"type": "person", **p} for p in _people(viewer, query, PEOPLE_FIRST)]
    items += _items(viewer, query, ranked)
    return {"items": items, "next_cursor": next_cursor, "total_estimate": total}


def _people(viewer, query, limit):
    return search_people(viewer.id, " ".join(query.text_words), limit)


def _people_page(viewer, query, limit, cursor):
    offset = 0
    if cursor:
        tag, offset = cursors.decode_cursor(cursor, [cursors.tag, cursors.row_id])
        if tag != "people":
            raise cursors.bad_cursor("This cursor belongs to another search.")
    found = _people(viewer, query, offset + limit + 1)
    page = [{"type": "person", **p} for p in found[offset : offset + limit]]
    more = len(found) > offset + limit
    return {
        "items": page,
        "next_cursor": cursors.encode_cursor("people", offset + limit) if more else None,
        "total_estimate": len(found),
    }


def _kept_from(viewer, row, item):
    """A withheld item the viewer may not read is not found by its words either."""
    return is_withheld(item) and not viewer.sees_withheld(row.author_id)


def _titles(viewer, post_ids):
    """{post id: its body} for comments' conversation titles, withheld ones blank."""
    if not post_ids:
        return {}
    statement = select(Post.id, Post.body, Post.hidden, Post.author_id).where(Post.id.in_(post_ids))
    return {
        post_id: ""
        if hidden and hidden["withheld"] and not viewer.sees_withheld(author_id)
        else body
        for post_id, body, hidden, author_id in run(statement)
    }


def _items(viewer, query, ranked):
    """The ranked posts and comments as GET /posts and the threads show them, in rank order."""
    post_ids = [row_id for kind, row_id, _ in ranked if kind == "post"]
    comment_ids = [row_id for kind, row_id, _ in ranked if kind == "comment"]
    shown = {}
    if post_ids:
        rows = run(select_posts(True).where(Post.id.in_(post_ids)), viewer)
        marked = marked_bodies("posts", query, post_ids)
        for row, item in zip(rows, post_payloads(rows, viewer), strict=True):
            if _kept_from(viewer, row, item):
                continue
            highlight = excerpt(marked.get(row.id, row.body))
            shown["post", row.id] = {"type": "post", **item, "highlight": highlight}
    if comment_ids:
        rows = run(select_comments(True).where(Comment.id.in_(comment_ids)), viewer)
        marked = marked_bodies("comments", query, comment_ids)
        posts = {r.post_id for r in rows}
        titles = _titles(viewer, posts)
        for row, item in zip(rows, comment_payloads(rows, viewer), strict=True):
            if _kept_from(viewer, row, item):
                continue
            shown["comment", row.id] = {
                "type": "comment",
                **item,
                "post_title": first_line(titles.get(row.post_id, "")),
                "highlight": excerpt(marked.get(row.id, row.body)),
            }
    # A row deleted between the ranking and now is left out.
    return [shown[kind, row_id] for kind, row_id, _ in ranked if (kind, row_id) in shown]
