"""Writing notifications, in the transaction of what caused them, and telling them live.

The one rule for callers (conversations.py, api/follows.py): call these *before* recording
the change's own event. They change notification rows (grouped kinds upsert on a unique
index) and then record an addressed event, which takes the event lock (events.py): every
row lock is taken before that lock, as everywhere else, so writers cannot deadlock.

Nobody is told about their own actions, nor about the actions of someone they muted.
Withdrawing (an unlike, a deleted comment) takes back only what is still unread and tells the
recipient's panes at once.
"""

import functools

from sqlalchemy import bindparam, delete, exists, func, literal, select, text, union, update

from ..db import db, dialect_insert
from ..events import record_addressed_event
from ..models import Comment, Post, PostLike, Promotion, User, utcnow
from ..policing.models import PersonMute
from .activity import clear_news, group_id, unread_total
from .follows import follow_automatically, took_part
from .items import context_of, item, newest_actors
from .models import EXCERPT, Notification, NotificationActor, PostFollow

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
    """Store one notification per (recipient, kind) in `told` and tell them live; nobody
    who muted the actor is told."""
    if told:
        muters = set(
            db.session.scalars(
                select(PersonMute.muter_id).where(
                    PersonMute.person_id == actor["id"],
                    PersonMute.muter_id.in_([uid for uid, _ in told]),
                )
            )
        )
        told = [(uid, kind) for uid, kind in told if uid not in muters]
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


def on_moderation(kind, post_id, comment_id, author, body, now):
    """Tell an author their item was hidden (`hidden`) or restored (`restored`). The actor
    shown is the author: the flaggers and the moderator are never named."""
    _tell_directly(post_id, comment_id, author, body, now, [(author["id"], kind)])


# ---- grouped kinds: likes, promotions, follows ---------------------------------------------


# Each statement below is built once per target (a comment, a post, a person): building and
# caching a statement costs several times what the database takes to run it, and on SQLite all
# of it happens inside the write lock. The values come as parameters.
_COLUMNS = ("recipient_id", "post_id", "comment_id", "excerpt")


@functools.cache
def _source(target):
    """SELECT of the recipient and what the notification is about, for :target's id."""
    if target == "comment":
        return select(
            Comment.author_id, Comment.post_id, Comment.id, func.substr(Comment.body, 1, EXCERPT)
        ).where(Comment.id == _TARGET)
    if target == "post":
        return select(
            Post.author_id, Post.id, literal(None), func.substr(Post.body, 1, EXCERPT)
        ).where(Post.id == _TARGET)
    return select(User.id, literal(None), literal(None), literal("")).where(User.id == _TARGET)


_TARGET = bindparam("target")
_ACTOR = bindparam("actor_id")
_KEY = bindparam("group_key")


@functools.cache
def _upsert(target, dialect):
    """INSERT the recipient's unread group of :kind (one actor), or count :actor_id into it."""
    recipient = _source(target).selected_columns[0]
    rows = (
        _source(target)
        .add_columns(
            bindparam("kind"),
            _KEY,
            _ACTOR,
            literal(1),
            bindparam("now", type_=_notifications.c.created_at.type),
        )
        .where(
            recipient != _ACTOR,
            ~exists().where(PersonMute.muter_id == recipient, PersonMute.person_id == _ACTOR),
        )
    )
    insert = dialect_insert(dialect)(_notifications)
    columns = [*_COLUMNS, "kind", "group_key", "actor_id", "actor_count", "created_at"]
    return (
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


@functools.cache
def _add_actor(dialect):
    return (
        dialect_insert(dialect)(NotificationActor.__table__)
        .on_conflict_do_nothing()
        .returning(NotificationActor.actor_id)
    )


_UNCOUNT = (
    update(_notifications)
    .where(_notifications.c.id == bindparam("nid"))
    .values(actor_count=_notifications.c.actor_count - 1)
)
_GROUP = bindparam("nid")


@functools.cache
def _counted_actor(target):
    """The recipient's unread group :group_key holding :actor_id (id, recipient, actor count)."""
    recipient = (
        _source(target).with_only_columns(_source(target).selected_columns[0]).scalar_subquery()
    )
    return (
        select(_notifications.c.id, _notifications.c.recipient_id, _notifications.c.actor_count)
        .join(NotificationActor, NotificationActor.notification_id == _notifications.c.id)
        .where(
            _notifications.c.recipient_id == recipient,
            _notifications.c.group_key == _KEY,
            _notifications.c.read_at.is_(None),
            NotificationActor.actor_id == _ACTOR,
        )
    )


_DROP_ACTOR = delete(NotificationActor).where(
    NotificationActor.notification_id == _GROUP, NotificationActor.actor_id == _ACTOR
)
_DROP_GROUP = delete(_notifications).where(_notifications.c.id == _GROUP)
_LATEST_ACTOR = (
    select(NotificationActor.actor_id)
    .where(NotificationActor.notification_id == _GROUP)
    .order_by(NotificationActor.created_at.desc(), NotificationActor.actor_id.desc())
    .limit(1)
    .scalar_subquery()
)
_SHRINK = (
    update(_notifications)
    .where(_notifications.c.id == _GROUP)
    .values(actor_count=_notifications.c.actor_count - 1, actor_id=_LATEST_ACTOR)
)
_GROUP_ROW = select(_notifications).where(_notifications.c.id == _GROUP)


def _target(kind, post_id, comment_id, person_id):
    """(which target, its id, the group key)."""
    if comment_id is not None:
        return "comment", comment_id, f"{kind}:c{comment_id}"
    if post_id is not None:
        return "post", post_id, f"{kind}:p{post_id}"
    return "person", person_id, kind


def grouped(kind, actor_id, added, post_id=None, comment_id=None, person_id=None):
    """A like, promotion or follow (added) or its withdrawal, on the recipient's unread group."""
    target, target_id, key = _target(kind, post_id, comment_id, person_id)
    params = {"target": target_id, "group_key": key, "actor_id": actor_id}
    if added:
        _add_to_group(target, params | {"kind": kind, "now": utcnow()})
    else:
        _remove_from_group(target, params)


def _add_to_group(target, params):
    dialect = db.session.get_bind().dialect.name
    found = db.session.execute(_upsert(target, dialect), params).first()
    if found is None:
        return  # one's own post, comment or self: nobody to tell
    actor_row = {"notification_id": found.id, "actor_id": params["actor_id"]}
    actor_row["created_at"] = params["now"]
    row = found
    if db.session.execute(_add_actor(dialect), actor_row).first() is None:
        # already counted (a retried request): undo the +1
        db.session.execute(_UNCOUNT, {"nid": found.id})
        row = None
    _tell_group(found.id, row)


def _tell_group(notification_id, row=None):
    """Send a grouped notification as it now is (same id: the pane replaces it); `row` is it
    as the upsert returned it, when that is still true."""
    if row is None:
        row = db.session.execute(_GROUP_ROW, {"nid": notification_id}).one()
    entry = item(
        id=row.id,
        kind=row.kind,
        created_at=row.created_at,
        read=False,
        actors=newest_actors(row.id),
        actor_count=row.actor_count,
        post_id=row.post_id,
        comment_id=row.comment_id,
        excerpt=row.excerpt,
        context=context_of(row.post_id),
    )
    record_addressed_event("notification", entry, {row.recipient_id: {}})


def _remove_from_group(target, params):
    found = db.session.execute(_counted_actor(target), params).first()
    if found is None:
        return  # already read, or never told: nothing to take back
    group = {"nid": found.id, "actor_id": params["actor_id"]}
    db.session.execute(_DROP_ACTOR, group)
    if found.actor_count <= 1:
        db.session.execute(_DROP_GROUP, group)
        _tell_withdrawn([(found.id, found.recipient_id)])
        return
    db.session.execute(_SHRINK, group)
    _tell_group(found.id)


# ---- withdrawing what deleted content caused ----------------------------------------------


def withdraw(post_id, comment_ids=None):
    """Delete the notifications about a conversation and its comments (or only some of its
    comments) that is being deleted or removed; the unread ones are taken back from their
    recipients' panes at once, and so is a whole conversation's news for its followers."""
    where = [_notifications.c.post_id == post_id]
    news = []
    if comment_ids is not None:
        where.append(_notifications.c.comment_id.in_(comment_ids))
    else:
        news = [(group_id(post_id), reader) for reader in clear_news(post_id)]
    gone = db.session.execute(
        delete(_notifications)
        .where(*where)
        .returning(_notifications.c.id, _notifications.c.recipient_id, _notifications.c.read_at)
    ).all()
    _tell_withdrawn([(nid, who) for nid, who, read_at in gone if read_at is None] + news)


def _tell_withdrawn(taken):
    if not taken:
        return
    to = {}
    for nid, recipient in taken:
        if recipient not in to:
            to[recipient] = {"ids": [], "unread_count": unread_total(recipient)}
        to[recipient]["ids"].append(nid)
    record_addressed_event("notification.withdrawn", {}, to)


# ---- outcomes and answers -------------------------------------------------------------------


def _took_part_in():
    """Everyone who took part in a conversation, as one SELECT of user ids: its author,
    commenters, likers, promoters and followers, less those who muted it."""
    post = bindparam("post_id")
    muted = select(PostFollow.user_id).where(
        PostFollow.post_id == post, PostFollow.following.is_(False)
    )
    people = union(
        select(Post.author_id.label("uid")).where(Post.id == post),
        select(Comment.author_id).where(Comment.post_id == post),
        select(PostLike.user_id).where(PostLike.post_id == post),
        select(Promotion.user_id).where(Promotion.post_id == post),
        select(PostFollow.user_id).where(PostFollow.post_id == post, PostFollow.following),
    ).subquery()
    return select(people.c.uid).where(people.c.uid.not_in(muted), people.c.uid != _ACTOR)


@functools.cache
def _outcome_statement():
    """INSERT one `outcome` notification for everyone who took part, in one statement."""
    took_part_ = _took_part_in().subquery()
    rows = select(
        took_part_.c.uid,
        literal("outcome"),
        bindparam("post_id"),
        _ACTOR,
        literal(1),
        bindparam("excerpt"),
        bindparam("now", type_=_notifications.c.created_at.type),
    )
    columns = ["recipient_id", "kind", "post_id", "actor_id", "actor_count", "excerpt"]
    return (
        _notifications.insert()
        .from_select([*columns, "created_at"], rows)
        .returning(_notifications.c.id, _notifications.c.recipient_id)
    )


def on_outcome(post_id, actor, summary, now):
    """An outcome recorded on a conversation: everyone who took part is told (kind `outcome`)."""
    params = {
        "post_id": post_id,
        "actor_id": actor["id"],
        "excerpt": _stored_excerpt(summary),
        "now": now,
    }
    told = db.session.execute(_outcome_statement(), params).all()
    if told:
        record_addressed_event(
            "notification",
            _shared_item(actor, post_id, None, summary, now),
            {uid: {"id": nid, "kind": "outcome"} for nid, uid in told},
        )


def on_answer(post_id, comment_id, actor, body, answer_author_id, now):
    """A comment marked as the answer to a question: its author is told (kind `answer`)."""
    if answer_author_id != actor["id"]:
        _tell_directly(post_id, comment_id, actor, body, now, [(answer_author_id, "answer")])
