"""Housekeeping: drop what has outlived its purpose (run `chatter prune` daily)."""

from datetime import timedelta

from sqlalchemy import delete

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
        "events": delete(Event).where(Event.created_at < now - EVENT_RETENTION),
        "idempotency_keys": delete(IdempotencyKey).where(
            IdempotencyKey.created_at < now - IDEMPOTENCY_RETENTION),
        "used_identity_tokens": delete(UsedIdentityToken).where(UsedIdentityToken.expires_at < now),
        "sessions": delete(Session).where(Session.expires_at < now - SESSION_RETENTION),
    }.items():
        deleted[name] = db.session.execute(statement).rowcount
    db.session.commit()
    return deleted
