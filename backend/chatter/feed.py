"""Reading conversations: ranking and keyset-paginated pages in a constant number of queries."""

import base64
import functools
import json
import math
from datetime import datetime

from sqlalchemy import bindparam, func, select, tuple_

from .db import RawQuery
from .errors import ApiError, not_found
from .limits import ID_MAX
from .models import Comment, Context, Post
from .pages import Page, page_cache, reader_fields
from .payloads import comment_payloads, post_payloads, run, select_comments, select_posts
from .sessions import VIEWER, with_session
from .strict_json import parse_json

EPOCH = datetime(2025, 1, 1)
# Every day of freshness is worth a tenfold engagement (the classic "hot" ranking): scores
# stay fixed once written, so `top` is an index scan, and older lift fades naturally.
DECAY_SECONDS = 86400
DEPARTMENT_WEIGHT = 4  # a promotion from a new department counts this many single promotions


def hot_score(post):
    """Rank for `sort=top`: engagement and breadth of promotion, anchored at freshness."""
    breadth = post.promotion_departments * DEPARTMENT_WEIGHT
    depth = post.promotion_count - post.promotion_departments
    weight = 1 + post.like_count + 2 * post.comment_count + breadth + depth
    anchor = post.last_promoted_at or post.created_at
    return round(math.log10(weight) + (anchor - EPOCH).total_seconds() / DECAY_SECONDS, 7)


_SORT_COLUMNS = {
    "latest": Post.created_at,
    "active": Post.last_activity_at,
    "top": Post.hot_score,
}


def encode_cursor(*values):
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, kinds):
    """Decode a cursor made by encode_cursor; `kinds` check and convert each value (ValueError)."""
    try:
        values = parse_json(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        return [kind(value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError):
        raise _bad_cursor() from None


def _text(value):
    if not isinstance(value, str):
        raise ValueError
    return value


def _row_id(value):
    """An id as a BIGINT column holds it (a larger one fails differently on each database)."""
    if type(value) is not int or not 0 < value <= ID_MAX:
        raise ValueError
    return value


def _score(value):
    """A finite float: infinities and NaN from a forged cursor compare strangely, or fail."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError
    return float(value)


def _moment(value):
    moment = datetime.fromisoformat(_text(value))
    if moment.tzinfo is not None:  # ours are naive UTC
        raise ValueError
    return moment


def _value_kind(sort):
    return _score if sort == "top" else _moment


def _bad_cursor(detail="The cursor is not one this server handed out."):
    return ApiError(400, detail, code="bad_cursor", errors={"cursor": ["Invalid cursor."]})


@functools.cache
def _feed_statement(sort, by_context, promoted, after):
    """The feed SELECT for one combination of options, built once with bind parameters.

    A statement built per request costs more Python (cache keys, result adaptation) than
    SQLite takes to run it; a reused one skips all of that.
    """
    column = _SORT_COLUMNS[sort]
    query = select_posts()
    if by_context:
        query = query.where(Context.key == bindparam("context"))
    if promoted:
        query = query.where(Post.promotion_count > 0)
    if after:
        # A row-value comparison lets both databases seek the index instead of scanning it.
        query = query.where(tuple_(column, Post.id)
                            < tuple_(bindparam("value", type_=column.type), bindparam("last_id")))
    return query.order_by(column.desc(), Post.id.desc()).limit(bindparam("limit"))


def _post_key(sort="latest", context=None, promoted=False, cursor=None, limit=20):
    return ("posts", sort, context, promoted, cursor, limit)


def last_post_page(**args):
    """The page for these feed arguments as last built in this process, or None."""
    return page_cache().peek(_post_key(**args))


def post_page(head, sort="latest", context=None, promoted=False, cursor=None, limit=20):
    """One feed page as every reader sees it (cached until the head moves), best first."""
    params = {"context": context, "limit": limit + 1}
    if cursor:
        tag, params["value"], params["last_id"] = decode_cursor(
            cursor, [_text, _value_kind(sort), _row_id])
        if tag != sort:
            raise _bad_cursor("This cursor belongs to another sort.")

    def build():
        statement = _feed_statement(sort, context is not None, promoted, bool(cursor))
        rows = run(statement, **params)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            value = getattr(rows[-1], _SORT_COLUMNS[sort].key)
            next_cursor = encode_cursor(sort, value if sort == "top" else value.isoformat(),
                                        rows[-1].id)
        return Page(post_payloads(rows), next_cursor)

    key = _post_key(sort, context, promoted, cursor, limit)
    return page_cache().cached(head, key, build)


def first_page_json(viewer, head, **args):
    """A first feed page at `head` (read before it), as GET /posts answers it."""
    return post_page_json(viewer, post_page(head, **args), last_event_id=head)


# The reader's likes (kind 1) and promotions (kind 2) among a page's posts, in the row shape
# that rides along with the session lookup: a shared page costs one statement in all.
_POST_FLAGS_SQL = (
    "SELECT 1, post_id, NULL, NULL, NULL, NULL, NULL, NULL FROM post_likes"
    " WHERE user_id = {viewer} AND post_id IN (:ids)"
    " UNION ALL"
    " SELECT 2, post_id, NULL, NULL, NULL, NULL, NULL, NULL FROM promotions"
    " WHERE user_id = {viewer} AND post_id IN (:ids)")
_POST_FLAGS = RawQuery(_POST_FLAGS_SQL.format(viewer=":viewer"))
SESSION_AND_POST_FLAGS = with_session(_POST_FLAGS_SQL.format(viewer=VIEWER))
_POST_SUFFIXES = {
    (liked, promoted, mine, admin): reader_fields(
        liked_by_me=liked, promoted_by_me=promoted, can_edit=mine, can_delete=mine or admin)
    for liked in (False, True) for promoted in (False, True) for mine in (False, True)
    for admin in (False, True)}


def post_page_json(viewer, page, flag_rows=None, **extra):
    """The page with the reader's own fields: liked, promoted, may edit, may delete.

    `flag_rows` are the reader's flags for this page's posts when they were already read
    (SESSION_AND_POST_FLAGS); otherwise one query reads them.
    """
    if flag_rows is None:
        flag_rows = _POST_FLAGS.all(viewer=viewer.id, ids=page.ids) if page.ids else ()
    flags = dict.fromkeys(page.ids, 0)
    for kind, post_id, *_ in flag_rows:
        flags[post_id] |= kind
    suffixes = [_POST_SUFFIXES[bool(flags[post_id] & 1), bool(flags[post_id] & 2),
                               author == viewer.id, viewer.admin]
                for post_id, author in zip(page.ids, page.authors, strict=True)]
    return page.json(suffixes, **extra)


@functools.cache
def _thread_statement(after):
    query = select_comments().where(Comment.post_id == bindparam("post_id"))
    if after:
        query = query.where(tuple_(Comment.created_at, Comment.id)
                            > tuple_(bindparam("created", type_=Comment.created_at.type),
                                     bindparam("last_id")))
    return query.order_by(Comment.created_at, Comment.id).limit(bindparam("limit"))


_POST_EXISTS = select(Post.id).where(Post.id == bindparam("id"))


@functools.cache
def _latest_thread_statement(before):
    """The newest top-level comments (before a cursor) with all their replies, oldest first.

    One statement: the top-level comments of the page are a LIMITed subquery (one more than
    asked, to learn whether earlier ones exist), and a reply belongs to its parent's page.
    """
    top = select(Comment.id).where(Comment.post_id == bindparam("post_id"),
                                   Comment.parent_id.is_(None))
    if before:
        top = top.where(tuple_(Comment.created_at, Comment.id)
                        < tuple_(bindparam("created", type_=Comment.created_at.type),
                                 bindparam("last_id")))
    top = top.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(bindparam("limit"))
    thread = func.coalesce(Comment.parent_id, Comment.id)
    return (select_comments().where(Comment.post_id == bindparam("post_id"),
                                    thread.in_(top.scalar_subquery()))
            .order_by(Comment.created_at, Comment.id))


def comment_page(head, post_id, cursor=None, limit=100, order="oldest"):
    """One page of a thread as every reader sees it (cached until the head moves).

    `oldest`: every comment, oldest first, `limit` of them a page. `latest`: the newest
    `limit` top-level comments with their replies, oldest first within the page; the cursor
    leads to earlier ones (a pane shows the latest few and "View earlier comments" above).
    """
    params = {"post_id": post_id, "limit": limit + 1}
    if cursor:
        tag, params["created"], params["last_id"] = decode_cursor(
            cursor, [_text, _moment, _row_id])
        if tag != order:
            raise _bad_cursor("This cursor belongs to another order.")

    def build():
        if not run(_POST_EXISTS, id=post_id):
            raise not_found("conversation")
        if order == "latest":
            rows, last = _earliest_thread_dropped(
                run(_latest_thread_statement(bool(cursor)), **params), limit)
        else:
            rows = run(_thread_statement(bool(cursor)), **params)
            last = rows[limit - 1] if len(rows) > limit else None
            rows = rows[:limit]
        next_cursor = last and encode_cursor(order, last.created_at.isoformat(), last.id)
        return Page(comment_payloads(rows), next_cursor)

    return page_cache().cached(head, ("comments", post_id, order, cursor, limit), build)


def _earliest_thread_dropped(rows, limit):
    """(the rows without the extra thread, the page's earliest top-level row or None).

    The statement reads one top-level comment more than the page holds; if it found one, it is
    the earliest, and it and its replies belong to the next page.
    """
    tops = [row for row in rows if row.parent_id is None]
    if len(tops) <= limit:
        return rows, None
    extra = tops[0].id
    return [row for row in rows if extra not in (row.id, row.parent_id)], tops[1]


# The reader's likes in one thread (all its pages: a thread is small next to a seek per id),
# read with the session lookup in one statement.
SESSION_AND_COMMENT_LIKES = with_session(
    "SELECT 1, l.comment_id, NULL, NULL, NULL, NULL, NULL, NULL"
    " FROM comment_likes l JOIN comments c ON c.id = l.comment_id"
    f" WHERE l.user_id = {VIEWER} AND c.post_id = :post_id")
_COMMENT_SUFFIXES = {
    (liked, mine, admin): reader_fields(liked_by_me=liked, can_edit=mine,
                                        can_delete=mine or admin)
    for liked in (False, True) for mine in (False, True) for admin in (False, True)}


def comment_page_json(viewer, page, like_rows, **extra):
    """The thread page with the reader's own fields: liked, may edit, may delete."""
    liked = {comment_id for _, comment_id, *_ in like_rows}
    suffixes = [_COMMENT_SUFFIXES[comment_id in liked, author == viewer.id, viewer.admin]
                for comment_id, author in zip(page.ids, page.authors, strict=True)]
    return page.json(suffixes, **extra)
