"""What e-mails tell people: their unread mentions and replies, followed and promoted talk.

STAND-IN: until the `notify` branch's notifications table is in main, a "notice" is a reply
to one of the person's comments, read straight from the comments (never marked read). The
functions' shapes stay when they read the real table: only their queries change.
"""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from ..db import db
from ..links import conversation_link
from ..models import Comment, Context, Post, Promotion, User
from .models import DEFAULTS, MailedNotification, MailPreference

EXCERPT = 140  # characters of a comment or post quoted in an e-mail


class Notice(NamedTuple):
    """A mention or a reply, as an e-mail shows it."""

    id: int
    user_id: int
    kind: str
    post_id: int
    actor: str
    excerpt: str
    link: str
    created_at: datetime


class Conversation(NamedTuple):
    """A conversation a digest points to, and why."""

    post_id: int
    author: str
    excerpt: str
    link: str
    count: int  # new comments (followed) or promotions (promoted) in the period


def excerpt(text):
    """The start of a body, on one line, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= EXCERPT:
        return line
    return line[:EXCERPT].rsplit(" ", 1)[0] + "…"


def _wants(column):
    """People whose preference `column` is on, counting the default for people with no row."""
    preference = select(column).where(MailPreference.user_id == User.id).scalar_subquery()
    return func.coalesce(preference, DEFAULTS[column.key])


# ---- STAND-IN: notices from replies (the notifications table replaces this) --------------

_reply, _parent = aliased(Comment), aliased(Comment)


def _notices():
    """Every notice: (id, recipient, kind, actor name, body, post, context url, comment, time)."""
    return (
        select(
            _reply.id.label("id"),
            _parent.author_id.label("user_id"),
            _reply.author_id.label("actor_id"),
            User.name.label("actor"),
            _reply.body.label("body"),
            _reply.post_id.label("post_id"),
            Context.url.label("context_url"),
            _reply.id.label("comment_id"),
            _reply.created_at.label("created_at"),
        )
        .join(_parent, _parent.id == _reply.parent_id)
        .join(User, User.id == _reply.author_id)
        .join(Post, Post.id == _reply.post_id)
        .outerjoin(Context, Context.id == Post.context_id)
        .where(_reply.author_id != _parent.author_id)
    )


def _notice(row, kind="reply"):
    return Notice(
        row.id,
        row.user_id,
        kind,
        row.post_id,
        row.actor,
        excerpt(row.body),
        conversation_link(row.post_id, row.context_url, row.comment_id),
        row.created_at,
    )


# -----------------------------------------------------------------------------------------


def people_with_due_notices(cutoff, oldest):
    """Ids of people with an e-mail and mention e-mails on who have notices not yet mailed
    from between `oldest` and `cutoff`."""
    notices = _notices().subquery()
    mailed = exists().where(MailedNotification.notification_id == notices.c.id)
    query = (
        select(notices.c.user_id)
        .distinct()
        .join(User, User.id == notices.c.user_id)
        .where(notices.c.created_at <= cutoff, notices.c.created_at >= oldest, ~mailed)
        .where(User.email.is_not(None), _wants(MailPreference.email_mentions).is_(True))
    )
    return list(db.session.scalars(query))


def due_notices(user_id, cutoff, oldest):
    """A person's notices from between `oldest` and `cutoff` not yet e-mailed, oldest first."""
    notices = _notices().where(
        _parent.author_id == user_id, _reply.created_at <= cutoff, _reply.created_at >= oldest
    )
    mailed = exists().where(
        MailedNotification.notification_id == _reply.id, MailedNotification.user_id == user_id
    )
    rows = db.session.execute(notices.where(~mailed).order_by(_reply.created_at, _reply.id))
    return [_notice(row) for row in rows]


def unread_notices(user_id, since):
    """A person's unread notices since `since`, newest first (for the digest)."""
    notices = _notices().where(_parent.author_id == user_id, _reply.created_at >= since)
    rows = db.session.execute(notices.order_by(_reply.created_at.desc(), _reply.id.desc()))
    return [_notice(row) for row in rows]


def followed_conversations(user_id, since, limit=5):
    """Conversations the person started or commented on with others' comments since `since`,
    the most talked about first.

    STAND-IN for the follows table: starting or commenting on a conversation follows it.
    """
    mine = select(Comment.post_id).where(Comment.author_id == user_id)
    theirs = (
        select(Comment.post_id, func.count().label("count"))
        .where(Comment.created_at >= since, Comment.author_id != user_id)
        .group_by(Comment.post_id)
        .subquery()
    )
    query = (
        select(Post, User.name, Context.url, theirs.c.count)
        .join(theirs, theirs.c.post_id == Post.id)
        .join(User, User.id == Post.author_id)
        .outerjoin(Context, Context.id == Post.context_id)
        .where(or_(Post.author_id == user_id, Post.id.in_(mine)))
        .order_by(theirs.c.count.desc(), Post.last_activity_at.desc())
        .limit(limit)
    )
    return [_conversation(*row) for row in db.session.execute(query)]


def promoted_conversations(since, limit=5):
    """Conversations the organization promoted since `since`, the most promoted first."""
    promoted = (
        select(Promotion.post_id, func.count().label("count"))
        .where(Promotion.created_at >= since)
        .group_by(Promotion.post_id)
        .subquery()
    )
    query = (
        select(Post, User.name, Context.url, promoted.c.count)
        .join(promoted, promoted.c.post_id == Post.id)
        .join(User, User.id == Post.author_id)
        .outerjoin(Context, Context.id == Post.context_id)
        .order_by(promoted.c.count.desc(), Post.hot_score.desc())
        .limit(limit)
    )
    return [_conversation(*row) for row in db.session.execute(query)]


def _conversation(post, author, context_url, count):
    return Conversation(
        post.id, author, excerpt(post.body), conversation_link(post.id, context_url), count
    )


def digest_readers(period):
    """(id, name, email) of people with an e-mail whose digest is `period`."""
    query = select(User.id, User.name, User.email).where(
        User.email.is_not(None), _wants(MailPreference.email_digest) == period
    )
    return list(db.session.execute(query.order_by(User.id)))
