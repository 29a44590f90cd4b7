"""A notification as the API and the live stream show it, and unread counts."""

import re

from sqlalchemy import bindparam, func, select

from ..db import db
from ..links import conversation_link
from ..models import Context, Post, User
from ..shapes import utc_time
from .models import Notification, NotificationActor

SHOWN_EXCERPT = 140  # characters of an excerpt shown
SHOWN_ACTORS = 3  # actors listed with a grouped notification
_n = Notification.__table__
_SPACES = re.compile(r"\s+")


def one_line(text):
    """A one-line excerpt of a body for a notification."""
    line = _SPACES.sub(" ", text or "").strip()
    return line if len(line) <= SHOWN_EXCERPT else line[: SHOWN_EXCERPT - 1].rstrip() + "…"


def item(id, kind, created_at, read, actors, actor_count, post_id, comment_id, excerpt, context):  # noqa: A002, PLR0913
    """A notification as the API and the live stream show it."""
    return {
        "id": id,
        "kind": kind,
        "created_at": utc_time(created_at),
        "read": read,
        "actors": actors,
        "actor_count": actor_count,
        "post_id": post_id,
        "comment_id": comment_id,
        "excerpt": one_line(excerpt),
        "context": context,
        "link": None
        if post_id is None
        else conversation_link(post_id, context and context["url"], comment_id),
    }


def context(key, title, url):
    return {"key": key, "title": title, "url": url} if key is not None else None


def contexts_of(post_ids):
    """{post id: its page as items show it} for the posts that have one (one query)."""
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(Post.id, Context.key, Context.title, Context.url)
        .join(Context, Context.id == Post.context_id)
        .where(Post.id.in_(post_ids))
    )
    return {row.id: context(row.key, row.title, row.url) for row in rows}


_CONTEXT_OF = (
    select(Context.key, Context.title, Context.url)
    .join(Post, Post.context_id == Context.id)
    .where(Post.id == bindparam("post_id"))
)


def context_of(post_id):
    """The page a conversation belongs to, as items show it (one query), or None."""
    if post_id is None:
        return None
    row = db.session.execute(_CONTEXT_OF, {"post_id": post_id}).first()
    return context(*row) if row else None


def _actor(row):
    return {"id": row.id, "name": row.name, "avatar_url": row.avatar_url}


_NEWEST_ACTORS = (
    select(User.id, User.name, User.avatar_url)
    .join(NotificationActor, NotificationActor.actor_id == User.id)
    .where(NotificationActor.notification_id == bindparam("nid"))
    .order_by(NotificationActor.created_at.desc(), NotificationActor.actor_id.desc())
    .limit(SHOWN_ACTORS)
)


def newest_actors(notification_id):
    """A grouped notification's newest actors (at most SHOWN_ACTORS), one query."""
    return [_actor(row) for row in db.session.execute(_NEWEST_ACTORS, {"nid": notification_id})]


def actors_of(notification_ids):
    """{notification id: its newest actors (at most SHOWN_ACTORS)} for grouped ones (one query)."""
    if not notification_ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=NotificationActor.notification_id,
            order_by=(NotificationActor.created_at.desc(), NotificationActor.actor_id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(NotificationActor.notification_id, NotificationActor.actor_id, rank)
        .where(NotificationActor.notification_id.in_(notification_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.notification_id, User.id, User.name, User.avatar_url)
        .join(User, User.id == ranked.c.actor_id)
        .where(ranked.c.rank <= SHOWN_ACTORS)
        .order_by(ranked.c.notification_id, ranked.c.rank)
    )
    found = {}
    for row in rows:
        found.setdefault(row.notification_id, []).append(_actor(row))
    return found


_UNREAD_COUNT = select(func.count()).where(
    _n.c.recipient_id == bindparam("recipient"), _n.c.read_at.is_(None)
)


def unread_count(recipient_id):
    """How many of a person's notifications are unread (a range of the unread index)."""
    return db.session.scalar(_UNREAD_COUNT, {"recipient": recipient_id})


def unread_counts(recipient_ids):
    """{person id: unread count} for people with any (one query)."""
    rows = db.session.execute(
        select(_n.c.recipient_id, func.count())
        .where(_n.c.recipient_id.in_(sorted(recipient_ids)), _n.c.read_at.is_(None))
        .group_by(_n.c.recipient_id)
    )
    return dict(rows.all())
