"""The event log: one row per change, in the change's own transaction."""

from sqlalchemy import func, select, text

from .db import db
from .models import Event, utcnow

# Any constant: the advisory lock that orders event writers on PostgreSQL.
_EVENT_LOCK = 0x63686174
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_INSERT = Event.__table__.insert()


def record_event(type_, data, post_id=None, context_key=None, actor_id=None):
    """Append an event to the log (a Core INSERT); the caller's commit publishes it.

    PostgreSQL hands out sequence values at insert time but they become visible at commit,
    so a reader resuming "after id N" could skip an event that committed late. Taking a
    transaction-scoped advisory lock first makes event-writing transactions commit in id
    order. SQLite needs nothing: BEGIN IMMEDIATE already serializes writers.
    """
    # Rows first, event last: pending ORM changes take their row locks before the event lock.
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_LOCK, {"key": _EVENT_LOCK})
    values = {
        "type": type_,
        "data": data,
        "post_id": post_id,
        "context_key": context_key,
        "actor_id": actor_id,
        "created_at": utcnow(),
    }
    db.session.execute(_INSERT, values)
    db.session.info["chatter_events"] = True  # the live hub is poked after commit


def head():
    """The newest committed event id: the version of everything a reader sees."""
    return db.session.scalar(select(func.max(Event.id))) or 0


def record_addressed_event(type_, shared, to):
    """Append an event for some people only: `to` maps each recipient's id to their own part.

    The live hub sends each recipient `shared | to[their id]` and nothing to anyone else
    (live/frames.addressed_frame); the caller's commit publishes it like any other event.
    """
    if to:
        to = {str(user_id): part for user_id, part in to.items()}
        record_event(type_, {"shared": shared, "to": to})
