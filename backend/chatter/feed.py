"""Reading conversations: ranking, keyset cursors, and per-viewer flags in constant queries."""

import base64
import json
import math
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from .db import db
from .errors import ApiError
from .models import Comment, CommentLike, Context, Post, PostLike, Promotion

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
    """Decode a cursor made by encode_cursor; `kinds` are the expected value types."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if len(values) != len(kinds):
            raise ValueError
        return [kind(value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError):
        raise ApiError(400, "The cursor is not one this server handed out.", code="bad_cursor",
                       errors={"cursor": ["Invalid cursor."]}) from None


def _value_kind(sort):
    return float if sort == "top" else datetime.fromisoformat


def _post_query():
    # Pictures ride along in the same query (a limited page becomes a subquery), so a feed
    # page costs the same number of queries with or without them.
    return select(Post).options(joinedload(Post.author), joinedload(Post.context),
                                joinedload(Post.images))


def list_posts(sort="latest", context=None, promoted=False, cursor=None, limit=20):
    """Return (posts, next_cursor) for one feed page, newest/highest first."""
    column = _SORT_COLUMNS[sort]
    query = _post_query()
    if context is not None:
        context_id = db.session.scalar(select(Context.id).where(Context.key == context))
        if context_id is None:
            return [], None
        query = query.where(Post.context_id == context_id)
    if promoted:
        query = query.where(Post.promotion_count > 0)
    if cursor:
        tag, value, last_id = decode_cursor(cursor, [str, _value_kind(sort), int])
        if tag != sort:
            raise ApiError(400, "This cursor belongs to another sort.", code="bad_cursor",
                           errors={"cursor": ["Invalid cursor."]})
        # A row-value comparison lets both databases seek the index instead of scanning it.
        query = query.where(tuple_(column, Post.id) < tuple_(value, last_id))
    query = query.order_by(column.desc(), Post.id.desc()).limit(limit + 1)
    posts = list(db.session.scalars(query).unique())
    next_cursor = None
    if len(posts) > limit:
        posts = posts[:limit]
        last = posts[-1]
        value = getattr(last, column.key)
        next_cursor = encode_cursor(sort, value.isoformat() if sort != "top" else value, last.id)
    return posts, next_cursor


def get_post(post_id):
    return db.session.scalar(_post_query().where(Post.id == post_id))


def annotate_posts(posts, viewer, admin=False):
    """Set the per-viewer flags on posts with two queries, whatever the page size."""
    ids = [post.id for post in posts]
    liked = promoted = set()
    if ids:
        liked = set(db.session.scalars(
            select(PostLike.post_id).where(PostLike.user_id == viewer.id, PostLike.post_id.in_(ids))
        ))
        promoted = set(db.session.scalars(
            select(Promotion.post_id).where(Promotion.user_id == viewer.id,
                                            Promotion.post_id.in_(ids))
        ))
    for post in posts:
        post.liked_by_me = post.id in liked
        post.promoted_by_me = post.id in promoted
        post.can_edit = post.author_id == viewer.id
        post.can_delete = post.can_edit or admin
    return posts


def list_comments(post_id, cursor=None, limit=100):
    """Return (comments, next_cursor) in conversation order (oldest first)."""
    query = select(Comment).options(joinedload(Comment.author), joinedload(Comment.images))
    query = query.where(Comment.post_id == post_id)
    if cursor:
        created, last_id = decode_cursor(cursor, [datetime.fromisoformat, int])
        query = query.where(tuple_(Comment.created_at, Comment.id) > tuple_(created, last_id))
    query = query.order_by(Comment.created_at, Comment.id).limit(limit + 1)
    comments = list(db.session.scalars(query).unique())
    next_cursor = None
    if len(comments) > limit:
        comments = comments[:limit]
        next_cursor = encode_cursor(comments[-1].created_at.isoformat(), comments[-1].id)
    return comments, next_cursor


def get_comment(comment_id):
    return db.session.scalar(
        select(Comment).options(joinedload(Comment.author), joinedload(Comment.images))
        .where(Comment.id == comment_id)
    )


def annotate_comments(comments, viewer, admin=False):
    """Set the per-viewer flags on comments with one query."""
    ids = [comment.id for comment in comments]
    liked = set()
    if ids:
        liked = set(db.session.scalars(
            select(CommentLike.comment_id).where(CommentLike.user_id == viewer.id,
                                                 CommentLike.comment_id.in_(ids))
        ))
    for comment in comments:
        comment.liked_by_me = comment.id in liked
        comment.can_edit = comment.author_id == viewer.id
        comment.can_delete = comment.can_edit or admin
    return comments
