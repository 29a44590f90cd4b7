"""The read model's SQL: the SELECTs of posts and comments, and rows -> API dicts.

`PostSchema` and `CommentSchema` (schemas.py) define these shapes: they document the API
(OpenAPI) and dump the live events, and a test proves these builders give the same bytes for
every field. Building dicts from rows is about ten times cheaper than loading ORM objects and
dumping them through marshmallow, and a feed page is read on every pane load.
"""

import functools

from sqlalchemy import Integer, bindparam, exists, func, select, tuple_, union
from sqlalchemy.orm import aliased

from .. import shapes
from ..attention.models import PageFollow, PersonFollow, PostFollow
from ..auth import VIEWER, ride_along, with_session
from ..db import RawQuery, db
from ..models import Comment, CommentLike, Context, Post, PostLike, Promotion, Upload, User
from ..people.mentions import mentions_by
from ..people.models import Mention
from ..policing.models import Flag, PersonMute
from ..shapes import own_fields, withheld

_AUTHOR = (
    User.id.label("author_id"),
    User.name.label("author_name"),
    User.title.label("author_title"),
    User.department.label("author_department"),
    User.avatar_url.label("author_avatar_url"),
)
_IMAGE = (
    Upload.id,
    Upload.key,
    Upload.content_type,
    Upload.width,
    Upload.height,
    Upload.thumbnail_width,
    Upload.thumbnail_height,
    Upload.alt,
)
_VIEWER = bindparam("viewer", type_=Integer)
_OUTCOME_BY = aliased(User)

# Built once: composing a SELECT costs more Python than running this one. The viewer's
# flags and "has pictures" are EXISTS columns, so a page is one query (plus one for the
# pictures when a post on it has any), whatever its size.
_SELECT_POSTS = (
    select(
        Post.id,
        Post.body,
        Post.html,
        Post.created_at,
        Post.edited_at,
        Post.last_activity_at,
        Post.like_count,
        Post.comment_count,
        Post.promotion_count,
        Post.promotion_departments,
        Post.hot_score,
        Post.hidden,
        Post.revision_count,
        Post.kind,
        Post.answer_id,
        Post.answered_at,
        Post.outcome_summary,
        Post.outcome_html,
        Post.outcome_url,
        Post.outcome_by_id,
        Post.outcome_at,
        select(_OUTCOME_BY.name)
        .where(_OUTCOME_BY.id == Post.outcome_by_id)
        .scalar_subquery()
        .label("outcome_by_name"),
        Context.key.label("context_key"),
        Context.title.label("context_title"),
        Context.url.label("context_url"),
        *_AUTHOR,
        exists().where(Upload.post_id == Post.id).label("has_images"),
    )
    .join(User, User.id == Post.author_id)
    .outerjoin(Context, Context.id == Post.context_id)
)
_SELECT_POSTS_FOR_VIEWER = _SELECT_POSTS.add_columns(
    exists().where(PostLike.post_id == Post.id, PostLike.user_id == _VIEWER).label("liked_by_me"),
    exists()
    .where(Promotion.post_id == Post.id, Promotion.user_id == _VIEWER)
    .label("promoted_by_me"),
    exists()
    .where(
        PostFollow.post_id == Post.id, PostFollow.user_id == _VIEWER, PostFollow.following.is_(True)
    )
    .label("followed_by_me"),
    exists()
    .where(Flag.post_id == Post.id, Flag.comment_id.is_(None), Flag.user_id == _VIEWER)
    .label("flagged_by_me"),
)
_SELECT_COMMENTS = select(
    Comment.id,
    Comment.post_id,
    Comment.parent_id,
    Comment.body,
    Comment.html,
    Comment.created_at,
    Comment.edited_at,
    Comment.like_count,
    Comment.reply_count,
    Comment.hidden,
    Comment.revision_count,
    *_AUTHOR,
    Context.url.label("context_url"),  # the conversation's page, for the comment's link
    exists().where(Upload.comment_id == Comment.id).label("has_images"),
    func.coalesce(Post.answer_id == Comment.id, False).label("is_answer"),
).join(User, User.id == Comment.author_id)
# One join more, not one query more: a thread page knows its conversation's page.
_SELECT_COMMENTS = _SELECT_COMMENTS.join(Post, Post.id == Comment.post_id).outerjoin(
    Context, Context.id == Post.context_id
)
_SELECT_COMMENTS_FOR_VIEWER = _SELECT_COMMENTS.add_columns(
    exists()
    .where(CommentLike.comment_id == Comment.id, CommentLike.user_id == _VIEWER)
    .label("liked_by_me"),
    exists().where(Flag.comment_id == Comment.id, Flag.user_id == _VIEWER).label("flagged_by_me"),
)


class Viewer:
    """Who is reading: per-viewer fields are computed for them."""

    __slots__ = ("id", "admin", "moderator")

    def __init__(self, id, admin=False, moderator=False):  # noqa: A002 - mirrors the user's id
        self.id, self.admin, self.moderator = id, admin, moderator or admin

    def sees_withheld(self, author_id):
        """Whether this reader sees a withheld item's text: its author and the moderators."""
        return self.moderator or author_id == self.id


def select_posts(viewer=False):
    """Posts with author, context (and the viewer's flags); add where/order/limit."""
    return _SELECT_POSTS_FOR_VIEWER if viewer else _SELECT_POSTS


def select_comments(viewer=False):
    """Comments with author (and the viewer's flags); add where/order/limit."""
    return _SELECT_COMMENTS_FOR_VIEWER if viewer else _SELECT_COMMENTS


SORT_COLUMNS = {
    "latest": Post.created_at,
    "active": Post.last_activity_at,
    "top": Post.hot_score,
}


@functools.cache
def feed_statement(sort, by_context, promoted, after, outcome=False, kind=None, answered=None):  # noqa: PLR0913 - one per filter
    """The feed SELECT for one combination of options, built once with bind parameters.

    A statement built per request costs more Python (cache keys, result adaptation) than
    SQLite takes to run it; a reused one skips all of that.
    """
    column = SORT_COLUMNS[sort]
    query = select_posts()
    if by_context:
        query = query.where(Context.key == bindparam("context"))
    if promoted:
        query = query.where(Post.promotion_count > 0)
    if promoted or sort == "top":  # hidden items leave Top and the Promoted strip
        query = query.where(Post.hidden.is_(None))
    if outcome:
        query = query.where(Post.outcome_at.is_not(None))
    if kind is not None:
        query = query.where(Post.kind == kind)
    if answered is not None:
        query = query.where(Post.answer_id.is_not(None) if answered else Post.answer_id.is_(None))
    if after:
        # A row-value comparison lets both databases seek the index instead of scanning it.
        query = query.where(
            tuple_(column, Post.id)
            < tuple_(bindparam("value", type_=column.type), bindparam("last_id"))
        )
    return query.order_by(column.desc(), Post.id.desc()).limit(bindparam("limit"))


@functools.cache
def following_statement(after):
    """The Following feed's SELECT: conversations the viewer follows, or by people or on pages
    they follow, unless the conversation or its author is muted; newest activity first.

    The candidates are a UNION of three index seeks (the viewer's follows, the followed
    people's posts, the followed pages' posts), so a reader who follows little reads little.
    """
    followed = select(PostFollow.post_id).where(
        PostFollow.user_id == _VIEWER, PostFollow.following.is_(True)
    )
    muted = select(PostFollow.post_id).where(
        PostFollow.user_id == _VIEWER, PostFollow.following.is_(False)
    )
    people = select(PersonFollow.person_id).where(PersonFollow.follower_id == _VIEWER)
    pages = select(PageFollow.context_id).where(PageFollow.user_id == _VIEWER)
    candidates = union(
        followed,
        select(Post.id).where(Post.author_id.in_(people)),
        select(Post.id).where(Post.context_id.in_(pages)),
    )
    muted_people = select(PersonMute.person_id).where(PersonMute.muter_id == _VIEWER)
    query = select_posts(viewer=True).where(
        Post.id.in_(candidates), Post.id.not_in(muted), Post.author_id.not_in(muted_people)
    )
    if after:
        query = query.where(
            tuple_(Post.last_activity_at, Post.id)
            < tuple_(bindparam("value", type_=Post.last_activity_at.type), bindparam("last_id"))
        )
    order = (Post.last_activity_at.desc(), Post.id.desc())
    return query.order_by(*order).limit(bindparam("limit"))


# A question's answer and its replies lead the first page of its thread (answer_block) and
# are left out of the pages in their place.
_NOT_THE_ANSWER = Post.answer_id.is_(None) | (
    (Comment.id != Post.answer_id) & (func.coalesce(Comment.parent_id, 0) != Post.answer_id)
)
ANSWER_OF_POST = select(Post.answer_id).where(Post.id == bindparam("id"))
ANSWER_BLOCK = (
    select_comments()
    .where((Comment.id == bindparam("answer")) | (Comment.parent_id == bindparam("answer")))
    .order_by(Comment.created_at, Comment.id)
)


@functools.cache
def thread_statement(after):
    """A thread's comments oldest first, after a cursor or from the start (its answer aside)."""
    query = select_comments().where(Comment.post_id == bindparam("post_id"), _NOT_THE_ANSWER)
    if after:
        query = query.where(
            tuple_(Comment.created_at, Comment.id)
            > tuple_(bindparam("created", type_=Comment.created_at.type), bindparam("last_id"))
        )
    return query.order_by(Comment.created_at, Comment.id).limit(bindparam("limit"))


POST_EXISTS = select(Post.id).where(Post.id == bindparam("id"))
PERSON_EXISTS = select(User.id).where(User.id == bindparam("id"))


@functools.cache
def author_statement(after):
    """One person's conversations, newest first, after a cursor or from the start."""
    query = select_posts().where(Post.author_id == bindparam("author"))
    if after:
        query = query.where(
            tuple_(Post.created_at, Post.id)
            < tuple_(bindparam("value", type_=Post.created_at.type), bindparam("last_id"))
        )
    return query.order_by(Post.created_at.desc(), Post.id.desc()).limit(bindparam("limit"))


@functools.cache
def latest_thread_statement(before):
    """The newest top-level comments (before a cursor) with all their replies, oldest first.

    One statement: the top-level comments of the page are a LIMITed subquery (one more than
    asked, to learn whether earlier ones exist), and a reply belongs to its parent's page.
    """
    top = (
        select(Comment.id)
        .join(Post, Post.id == Comment.post_id)
        .where(
            Comment.post_id == bindparam("post_id"), Comment.parent_id.is_(None), _NOT_THE_ANSWER
        )
    )
    if before:
        top = top.where(
            tuple_(Comment.created_at, Comment.id)
            < tuple_(bindparam("created", type_=Comment.created_at.type), bindparam("last_id"))
        )
    top = top.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(bindparam("limit"))
    thread = func.coalesce(Comment.parent_id, Comment.id)
    return (
        select_comments()
        .where(
            Comment.post_id == bindparam("post_id"),
            thread.in_(top.scalar_subquery()),
            _NOT_THE_ANSWER,
        )
        .order_by(Comment.created_at, Comment.id)
    )


# The reader's likes (kind 1), promotions (kind 2), follows (kind 4) and flags (kind 8) among
# a page's posts, and the people they muted (kind MUTED, person ids), as rows that ride along
# with the session lookup: a shared page costs one statement in all.
MUTED = 16
_POST_FLAGS_SQL = (
    f"{ride_along(1, 'post_id')} FROM post_likes WHERE user_id = {{viewer}} AND post_id IN (:ids)"
    " UNION ALL"
    f" {ride_along(2, 'post_id')} FROM promotions WHERE user_id = {{viewer}} AND post_id IN (:ids)"
    " UNION ALL"
    f" {ride_along(4, 'post_id')} FROM post_follows WHERE user_id = {{viewer}} AND following"
    " AND post_id IN (:ids)"
    " UNION ALL"
    f" {ride_along(8, 'post_id')} FROM flags WHERE user_id = {{viewer}} AND comment_id IS NULL"
    " AND post_id IN (:ids)"
    " UNION ALL"
    f" {ride_along(MUTED, 'person_id')} FROM person_mutes WHERE muter_id = {{viewer}}"
)
POST_FLAGS = RawQuery(_POST_FLAGS_SQL.format(viewer=":viewer"))
SESSION_AND_POST_FLAGS = with_session(_POST_FLAGS_SQL.format(viewer=VIEWER))
# The reader's likes (kind 1) and flags (kind 2) in one thread (all its pages: a thread is
# small next to a seek per id), and whom they muted (MUTED), read with the session lookup in
# one statement.
SESSION_AND_COMMENT_LIKES = with_session(
    f"{ride_along(1, 'l.comment_id')} FROM comment_likes l JOIN comments c ON c.id = l.comment_id"
    f" WHERE l.user_id = {VIEWER} AND c.post_id = :post_id"
    " UNION ALL"
    f" {ride_along(2, 'comment_id')} FROM flags WHERE user_id = {VIEWER} AND post_id = :post_id"
    " AND comment_id IS NOT NULL"
    " UNION ALL"
    f" {ride_along(MUTED, 'person_id')} FROM person_mutes WHERE muter_id = {VIEWER}"
)

_ONE_POST = {flag: select_posts(flag).where(Post.id == bindparam("id")) for flag in (False, True)}
_ONE_COMMENT = {
    flag: select_comments(flag).where(Comment.id == bindparam("id")) for flag in (False, True)
}


def run(statement, viewer=None, **params):
    """Execute a Core SELECT on the session's connection (no ORM overhead); all rows."""
    if viewer is not None:
        params["viewer"] = viewer.id
    return db.session.connection().execute(statement, params).all()


def _images_by(column, rows):
    """{owner id: [image, ...]} for the rows that have pictures, in order (one query)."""
    ids = [row.id for row in rows if row.has_images]
    found = {}
    if not ids:
        return found
    for row in run(
        select(column.label("owner"), *_IMAGE)
        .where(column.in_(ids))
        .order_by(Upload.position, Upload.id)
    ):
        found.setdefault(row.owner, []).append(shapes.image(row))
    return found


def post_payloads(rows, viewer=None):
    """Posts as the API returns them; with a viewer, as they see them (their own fields, a
    withheld text only if it is theirs to see); without, whole (a shared page, feed.py)."""
    images = _images_by(Upload.post_id, rows)
    mentions = mentions_by(Mention.post_id, rows)
    payloads = [shapes.post(row, images.get(row.id, []), mentions.get(row.id, [])) for row in rows]
    if viewer is not None:
        for index, row in enumerate(rows):
            mine = row.author_id == viewer.id
            payload = payloads[index]
            if not viewer.sees_withheld(row.author_id):
                payload = payloads[index] = withheld(payload)
            payload.update(
                own_fields(
                    mine,
                    viewer.admin,
                    bool(row.liked_by_me),
                    bool(row.promoted_by_me),
                    bool(row.followed_by_me),
                    bool(row.flagged_by_me),
                    row.hidden is not None,
                )
            )
    return payloads


def comment_payloads(rows, viewer=None):
    """Comments as the API returns them; the per-viewer fields only with a viewer."""
    images = _images_by(Upload.comment_id, rows)
    mentions = mentions_by(Mention.comment_id, rows)
    payloads = [
        shapes.comment(row, images.get(row.id, []), mentions.get(row.id, [])) for row in rows
    ]
    if viewer is not None:
        for index, row in enumerate(rows):
            mine = row.author_id == viewer.id
            payload = payloads[index]
            if not viewer.sees_withheld(row.author_id):
                payload = payloads[index] = withheld(payload)
            own = own_fields(
                mine, viewer.admin, bool(row.liked_by_me), flagged=bool(row.flagged_by_me)
            )
            payload.update(own)
    return payloads


def load_post(post_id, viewer=None):
    """One post's payload, or None."""
    rows = run(_ONE_POST[viewer is not None], viewer, id=post_id)
    return post_payloads(rows, viewer)[0] if rows else None


def load_comment(comment_id, viewer=None):
    """One comment's payload, or None."""
    rows = run(_ONE_COMMENT[viewer is not None], viewer, id=comment_id)
    return comment_payloads(rows, viewer)[0] if rows else None
