"""Housekeeping: drop what has outlived its purpose (run `chatter prune` daily)."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from .db import db
from .models import Event, IdempotencyKey, Session, UsedIdentityToken, utcnow

EVENT_RETENTION = timedelta(days=14)  # how far back a pane can resume; older gets "reset"
IDEMPOTENCY_RETENTION = timedelta(hours=24)  # how long a retried create returns the original
SESSION_RETENTION = timedelta(days=7)  # expired or revoked sessions kept for audit


def prune(now=None):
    """Delete old events, idempotency keys, replay-guard rows and dead sessions."""
    now = now or utcnow()
    deleted = {}
    for name, statement in {
        # The newest event always stays: ids must never go back (SQLite would hand out the
        # ids of an emptied log again), or panes resuming and cached pages would be fooled.
        "events": delete(Event).where(
            Event.created_at < now - EVENT_RETENTION,
            Event.id < select(func.max(Event.id)).scalar_subquery(),
        ),
        "idempotency_keys": delete(IdempotencyKey).where(
            IdempotencyKey.created_at < now - IDEMPOTENCY_RETENTION
        ),
        "used_identity_tokens": delete(UsedIdentityToken).where(UsedIdentityToken.expires_at < now),
        "sessions": delete(Session).where(Session.expires_at < now - SESSION_RETENTION),
    }.items():
        deleted[name] = db.session.execute(statement).rowcount
    db.session.commit()
    return deleted
