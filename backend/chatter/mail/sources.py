"""What e-mails tell people: their unread mentions and replies, followed and promoted talk.

Notices are the notifications table's unread `mention` and `reply` rows (attention/); the
conversations a person follows are the follows table's (muted ones excluded). Every link is
the permalink (links.py), on CHATTER_PUBLIC_URL, which e-mail requires.
"""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, func, select

from ..attention.models import Notification, PostFollow
from ..db import db
from ..links import conversation_link
from ..models import Comment, Context, Post, Promotion, User
from .models import DEFAULTS, MailedNotification, MailPreference

EXCERPT = 140  # characters of a comment or post quoted in an e-mail
MAILED_KINDS = ("mention", "reply")  # notifications e-mailed on their own, first in the digest


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


def _notices():
    """Unread mentions and replies: (id, recipient, kind, actor name, excerpt, post, context
    url, comment, time)."""
    return (
        select(
            Notification.id,
            Notification.recipient_id.label("user_id"),
            Notification.kind,
            User.name.label("actor"),
            Notification.excerpt,
            Notification.post_id,
            Context.url.label("context_url"),
            Notification.comment_id,
            Notification.created_at,
        )
        .join(User, User.id == Notification.actor_id)
        .join(Post, Post.id == Notification.post_id)
        .outerjoin(Context, Context.id == Post.context_id)
        .where(Notification.kind.in_(MAILED_KINDS), Notification.read_at.is_(None))
    )


def _notice(row):
    return Notice(
        row.id,
        row.user_id,
        row.kind,
        row.post_id,
        row.actor,
        excerpt(row.excerpt),
        conversation_link(row.post_id, row.context_url, row.comment_id),
        row.created_at,
    )


def _not_mailed(user_id=None):
    mailed = exists().where(MailedNotification.notification_id == Notification.id)
    if user_id is not None:
        mailed = mailed.where(MailedNotification.user_id == user_id)
    return ~mailed


def people_with_due_notices(cutoff, oldest):
    """Ids of people with an e-mail and mention e-mails on who have unread notices not yet
    mailed from between `oldest` and `cutoff`."""
    query = (
        select(Notification.recipient_id)
        .distinct()
        .join(User, User.id == Notification.recipient_id)
        .where(
            Notification.kind.in_(MAILED_KINDS),
            Notification.read_at.is_(None),
            Notification.created_at <= cutoff,
            Notification.created_at >= oldest,
            _not_mailed(),
        )
        .where(User.email.is_not(None), _wants(MailPreference.email_mentions).is_(True))
    )
    return list(db.session.scalars(query))


def due_notices(user_id, cutoff, oldest):
    """A person's unread notices from between `oldest` and `cutoff` not yet e-mailed, oldest
    first."""
    notices = _notices().where(
        Notification.recipient_id == user_id,
        Notification.created_at <= cutoff,
        Notification.created_at >= oldest,
        _not_mailed(user_id),
    )
    rows = db.session.execute(notices.order_by(Notification.created_at, Notification.id))
    return [_notice(row) for row in rows]


def unread_notices(user_id, since):
    """A person's unread notices since `since`, newest first (for the digest)."""
    notices = _notices().where(
        Notification.recipient_id == user_id, Notification.created_at >= since
    )
    order = (Notification.created_at.desc(), Notification.id.desc())
    return [_notice(row) for row in db.session.execute(notices.order_by(*order))]


def followed_conversations(user_id, since, limit=5):
    """Conversations the person follows (not muted) with others' comments since `since`, the
    most talked about first."""
    theirs = (
        select(Comment.post_id, func.count().label("count"))
        .where(Comment.created_at >= since, Comment.author_id != user_id)
        .group_by(Comment.post_id)
        .subquery()
    )
    query = (
        select(Post, User.name, Context.url, theirs.c.count)
        .join(theirs, theirs.c.post_id == Post.id)
        .join(
            PostFollow,
            (PostFollow.post_id == Post.id)
            & (PostFollow.user_id == user_id)
            & PostFollow.following.is_(True),
        )
        .join(User, User.id == Post.author_id)
        .outerjoin(Context, Context.id == Post.context_id)
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
        .where(Post.hidden.is_(None))  # hidden items leave the Promoted strip, e-mail too
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
