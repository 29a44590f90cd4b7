"""The event log: one row per change, in the change's own transaction."""

from sqlalchemy import func, select, text

from .db import db
from .models import Event

# Any constant: the advisory lock that orders event writers on PostgreSQL.
_EVENT_LOCK = 0x63686174


def record_event(type_, data, post_id=None, context_key=None, actor_id=None):
    """Append an event to the log; the caller's commit publishes it.

    PostgreSQL hands out sequence values at insert time but they become visible at commit,
    so a reader resuming "after id N" could skip an event that committed late. Taking a
    transaction-scoped advisory lock first makes event-writing transactions commit in id
    order. SQLite needs nothing: BEGIN IMMEDIATE already serializes writers.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _EVENT_LOCK})
    event = Event(
        type=type_, data=data, post_id=post_id, context_key=context_key, actor_id=actor_id
    )
    db.session.add(event)
    db.session.info["chatter_events"] = True  # the live hub is poked after commit
    return event


def head():
    """The newest committed event id: the version of everything a reader sees."""
    return db.session.scalar(select(func.max(Event.id))) or 0
