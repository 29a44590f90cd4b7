"""Reading notifications: a person's inbox, and marking them read."""

from sqlalchemy import bindparam, select, tuple_, update

from ..db import db
from ..events import record_addressed_event
from ..limits import ID_MAX
from ..models import Context, Post, User, utcnow
from ..read import cursors
from .activity import activity_groups, mark_seen, unread_total
from .items import actors_of, context, item, unread_count
from .models import Notification

_n = Notification.__table__


_PAGE = (
    select(
        _n.c.id,
        _n.c.kind,
        _n.c.created_at,
        _n.c.read_at,
        _n.c.actor_count,
        _n.c.post_id,
        _n.c.comment_id,
        _n.c.excerpt,
        User.id.label("actor_id"),
        User.name,
        User.avatar_url,
        Context.key,
        Context.title,
        Context.url,
    )
    .join(User, User.id == _n.c.actor_id)
    .outerjoin(Post, Post.id == _n.c.post_id)
    .outerjoin(Context, Context.id == Post.context_id)
    .where(_n.c.recipient_id == bindparam("recipient"))
    .order_by(_n.c.created_at.desc(), _n.c.id.desc())
    .limit(bindparam("limit"))
)
_PAGE_AFTER = _PAGE.where(
    tuple_(_n.c.created_at, _n.c.id)
    < tuple_(bindparam("created", type_=_n.c.created_at.type), bindparam("last_id"))
)


def _signed_id(value):
    """A notification id in a cursor: stored ones are positive, activity groups negative."""
    if type(value) is not int or value == 0 or abs(value) > ID_MAX:
        raise ValueError
    return value


def notification_page(recipient_id, limit, cursor=None):
    """A person's notifications, newest first, with their unread count: the stored ones and
    the unread activity of the conversations they follow, merged by time."""
    params = {"recipient": recipient_id, "limit": limit + 1}
    statement, after = _PAGE, None
    if cursor:
        tag, params["created"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, _signed_id]
        )
        if tag != "notifications":
            raise cursors.bad_cursor("This cursor belongs to another list.")
        statement, after = _PAGE_AFTER, (params["created"], params["last_id"])
    rows = db.session.execute(statement, params).all()
    grouped = actors_of([row.id for row in rows if row.actor_count > 1])
    stored = [
        (
            row.created_at,
            item(
                id=row.id,
                kind=row.kind,
                created_at=row.created_at,
                read=row.read_at is not None,
                actors=grouped.get(row.id)
                or [{"id": row.actor_id, "name": row.name, "avatar_url": row.avatar_url}],
                actor_count=row.actor_count,
                post_id=row.post_id,
                comment_id=row.comment_id,
                excerpt=row.excerpt,
                context=context(row.key, row.title, row.url),
            ),
        )
        for row in rows
    ]
    groups = activity_groups(recipient_id)
    unread = unread_count(recipient_id) + len(groups)
    if after is not None:
        groups = [(at, entry) for at, entry in groups if (at, entry["id"]) < after]
    merged = sorted(stored + groups, key=lambda pair: (pair[0], pair[1]["id"]), reverse=True)
    page, next_cursor = merged[:limit], None
    if len(merged) > limit:
        at, last = page[-1]
        next_cursor = cursors.encode_cursor("notifications", at.isoformat(), last["id"])
    return {
        "items": [entry for _, entry in page],
        "unread_count": unread,
        "next_cursor": next_cursor,
    }


def mark_read(recipient_id, ids=None, every=False, post_id=None):
    """Mark some (ids), all, or one conversation's notifications read; the unread count after.

    Negative ids are conversations' activity groups (activity.py). The person's other tabs
    are told (`notifications.read`) when anything changed.
    """
    where = [_n.c.recipient_id == recipient_id, _n.c.read_at.is_(None)]
    seen = None  # every followed conversation
    if ids is not None:
        where.append(_n.c.id.in_([i for i in ids if i > 0]))
        seen = [-i for i in ids if i < 0]
    elif post_id is not None:
        where.append(_n.c.post_id == post_id)
        seen = [post_id]
    changed = db.session.execute(update(_n).where(*where).values(read_at=utcnow())).rowcount
    if seen != []:
        changed += mark_seen(recipient_id, seen)
    count = unread_total(recipient_id)
    if changed:
        told = {"unread_count": count, "ids": ids, "all": every, "post_id": post_id}
        record_addressed_event("notifications.read", {}, {recipient_id: told})
    return count
