"""Writing notifications, in the transaction of what caused them, and telling them live.

The one rule for callers (conversations.py, api/follows.py): call these *before* recording
the change's own event. They change notification rows (grouped kinds upsert on a unique
index) and then record an addressed event, which takes the event lock (events.py): every
row lock is taken before that lock, as everywhere else, so writers cannot deadlock.

Nobody is told about their own actions. Withdrawing (an unlike, a deleted comment) takes back
only what is still unread and tells the recipient's panes at once.
"""

from sqlalchemy import delete, func, literal, select, text, update

from ..db import db, dialect_insert
from ..events import record_addressed_event
from ..models import Comment, Post, User, utcnow
from .activity import unread_total
from .follows import follow_automatically, took_part
from .items import actors_of, context_of, item
from .models import EXCERPT, Notification, NotificationActor

_notifications = Notification.__table__
_UNREAD = text("read_at IS NULL")


def _stored_excerpt(body):
    return (body or "")[:EXCERPT]


def _shared_item(actor, post_id, comment_id, body, now):
    """The fields every recipient of one happening shares, in the API's shape (no id, kind)."""
    entry = item(
        id=None,
        kind=None,
        created_at=now,
        read=False,
        actors=[actor],
        actor_count=1,
        post_id=post_id,
        comment_id=comment_id,
        excerpt=body,
        context=context_of(post_id),
    )
    del entry["id"], entry["kind"]
    return entry


def on_comment(post_id, comment_id, actor, body, mentioned, parent_author_id, now):
    """A new comment: `mention` to the newly mentioned, `reply` to the parent's author. The
    commenter takes part (follows, has read up to now) and the mentioned follow. Followers
    are told on read (activity.py), not here: a comment costs the same whoever follows."""
    took_part(post_id, actor["id"], now)
    follow_automatically(post_id, mentioned)
    told = [(uid, "mention") for uid in sorted(mentioned)]
    if parent_author_id not in (None, actor["id"]) and parent_author_id not in mentioned:
        told.append((parent_author_id, "reply"))
    _tell_directly(post_id, comment_id, actor, body, now, told)


def on_mentions(post_id, comment_id, actor, body, mentioned, now):
    """People newly mentioned in a post (comment_id None) or in an edited comment."""
    follow_automatically(post_id, mentioned)
    told = [(uid, "mention") for uid in sorted(mentioned - {actor["id"]})]
    _tell_directly(post_id, comment_id, actor, body, now, told)


def _tell_directly(post_id, comment_id, actor, body, now, told):
    """Store one notification per (recipient, kind) in `told` and tell them live."""
    if not told:
        return
    common = {
        "post_id": post_id,
        "comment_id": comment_id,
        "actor_id": actor["id"],
        "actor_count": 1,
        "excerpt": _stored_excerpt(body),
        "created_at": now,
        "group_key": None,
    }
    rows = [common | {"recipient_id": uid, "kind": kind} for uid, kind in told]
    statement = _notifications.insert().returning(_notifications.c.id, sort_by_parameter_order=True)
    ids = db.session.scalars(statement, rows).all()
    record_addressed_event(
        "notification",
        _shared_item(actor, post_id, comment_id, body, now),
        {uid: {"id": nid, "kind": kind} for nid, (uid, kind) in zip(ids, told, strict=True)},
    )


# ---- grouped kinds: likes, promotions, follows ---------------------------------------------


def _target(kind, post_id=None, comment_id=None, person_id=None):
    """(group key, SELECT of the recipient and what the notification is about)."""
    if comment_id is not None:
        source = select(
            Comment.author_id.label("recipient_id"),
            Comment.post_id,
            Comment.id.label("comment_id"),
            func.substr(Comment.body, 1, EXCERPT).label("excerpt"),
        ).where(Comment.id == comment_id)
        return f"{kind}:c{comment_id}", source, Comment.author_id
    if post_id is not None:
        source = select(
            Post.author_id.label("recipient_id"),
            Post.id.label("post_id"),
            literal(None).label("comment_id"),
            func.substr(Post.body, 1, EXCERPT).label("excerpt"),
        ).where(Post.id == post_id)
        return f"{kind}:p{post_id}", source, Post.author_id
    source = select(
        User.id.label("recipient_id"),
        literal(None).label("post_id"),
        literal(None).label("comment_id"),
        literal("").label("excerpt"),
    ).where(User.id == person_id)
    return kind, source, User.id


def grouped(kind, actor_id, added, post_id=None, comment_id=None, person_id=None):
    """A like, promotion or follow (added) or its withdrawal, on the recipient's unread group."""
    key, source, recipient_column = _target(kind, post_id, comment_id, person_id)
    if added:
        _add_to_group(kind, key, source, recipient_column, actor_id)
    else:
        _remove_from_group(key, source, actor_id)


def _add_to_group(kind, key, source, recipient_column, actor_id):
    now = utcnow()
    rows = source.add_columns(
        literal(kind).label("kind"),
        literal(key).label("group_key"),
        literal(actor_id).label("actor_id"),
        literal(1).label("actor_count"),
        literal(now, _notifications.c.created_at.type).label("created_at"),
    ).where(recipient_column != actor_id)
    columns = [
        "recipient_id",
        "post_id",
        "comment_id",
        "excerpt",
        "kind",
        "group_key",
        "actor_id",
        "actor_count",
        "created_at",
    ]
    insert = dialect_insert()(_notifications)
    statement = (
        insert.from_select(columns, rows)
        .on_conflict_do_update(
            index_elements=["recipient_id", "group_key"],
            index_where=_UNREAD,
            set_={
                "actor_id": insert.excluded.actor_id,
                "actor_count": _notifications.c.actor_count + 1,
                "created_at": insert.excluded.created_at,
            },
        )
        .returning(*_notifications.c)
    )
    found = db.session.execute(statement).first()
    if found is None:
        return  # one's own post, comment or self: nobody to tell
    actor_row = {"notification_id": found.id, "actor_id": actor_id, "created_at": now}
    added = db.session.execute(
        dialect_insert()(NotificationActor.__table__)
        .values(actor_row)
        .on_conflict_do_nothing()
        .returning(NotificationActor.actor_id)
    ).first()
    if added is None:  # already counted (a retried request): undo the +1
        db.session.execute(
            update(_notifications)
            .where(_notifications.c.id == found.id)
            .values(actor_count=_notifications.c.actor_count - 1)
        )
    _tell_group(found.id, found.recipient_id, None if added is None else found)


def _tell_group(notification_id, recipient_id, row=None):
    """Send a grouped notification as it now is (same id: the pane replaces it); `row` is it
    as the upsert returned it, when that is still true."""
    if row is None:
        row = db.session.execute(
            select(_notifications).where(_notifications.c.id == notification_id)
        ).one()
    entry = item(
        id=row.id,
        kind=row.kind,
        created_at=row.created_at,
        read=False,
        actors=actors_of([row.id]).get(row.id, []),
        actor_count=row.actor_count,
        post_id=row.post_id,
        comment_id=row.comment_id,
        excerpt=row.excerpt,
        context=context_of(row.post_id),
    )
    record_addressed_event("notification", entry, {recipient_id: {}})


def _remove_from_group(key, source, actor_id):
    recipient = source.with_only_columns(source.selected_columns.recipient_id).scalar_subquery()
    found = db.session.execute(
        select(_notifications.c.id, _notifications.c.recipient_id, _notifications.c.actor_count)
        .join(NotificationActor, NotificationActor.notification_id == _notifications.c.id)
        .where(
            _notifications.c.recipient_id == recipient,
            _notifications.c.group_key == key,
            _notifications.c.read_at.is_(None),
            NotificationActor.actor_id == actor_id,
        )
    ).first()
    if found is None:
        return  # already read, or never told: nothing to take back
    db.session.execute(
        delete(NotificationActor).where(
            NotificationActor.notification_id == found.id,
            NotificationActor.actor_id == actor_id,
        )
    )
    if found.actor_count <= 1:
        db.session.execute(delete(_notifications).where(_notifications.c.id == found.id))
        _tell_withdrawn([(found.id, found.recipient_id)])
        return
    latest = (
        select(NotificationActor.actor_id)
        .where(NotificationActor.notification_id == found.id)
        .order_by(NotificationActor.created_at.desc(), NotificationActor.actor_id.desc())
        .limit(1)
        .scalar_subquery()
    )
    db.session.execute(
        update(_notifications)
        .where(_notifications.c.id == found.id)
        .values(actor_count=_notifications.c.actor_count - 1, actor_id=latest)
    )
    _tell_group(found.id, found.recipient_id)


# ---- withdrawing what deleted content caused ----------------------------------------------


def withdraw(post_id, comment_ids=None):
    """Delete the notifications about a conversation (or some of its comments) that is being
    deleted; the unread ones are taken back from their recipients' panes at once."""
    where = [_notifications.c.post_id == post_id]
    if comment_ids is not None:
        where.append(_notifications.c.comment_id.in_(comment_ids))
    gone = db.session.execute(
        delete(_notifications)
        .where(*where)
        .returning(_notifications.c.id, _notifications.c.recipient_id, _notifications.c.read_at)
    ).all()
    _tell_withdrawn([(nid, recipient) for nid, recipient, read_at in gone if read_at is None])


def _tell_withdrawn(taken):
    if not taken:
        return
    to = {}
    for nid, recipient in taken:
        if recipient not in to:
            to[recipient] = {"ids": [], "unread_count": unread_total(recipient)}
        to[recipient]["ids"].append(nid)
    record_addressed_event("notification.withdrawn", {}, to)
