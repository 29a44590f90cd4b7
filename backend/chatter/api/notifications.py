"""A person's notifications: the list, and marking them read."""

from flask import Blueprint, g

from ..attention import inbox
from ..attention.schemas import (
    MarkReadSchema,
    NotificationPageSchema,
    NotificationQuerySchema,
    UnreadSchema,
)
from ..auth import login_required
from ..db import db
from ..openapi import doc
from ..ratelimit import rate_limited
from .inputs import load_json, load_query

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@doc(query=NotificationQuerySchema, response=NotificationPageSchema)
@login_required
def list_notifications():
    """Your notifications, newest first, with how many are unread."""
    args = load_query(NotificationQuerySchema())
    return inbox.notification_page(g.reader.id, args["limit"], args.get("cursor"))


@bp.post("/notifications/read")
@doc(body=MarkReadSchema, response=UnreadSchema)
@login_required
@rate_limited("react")
def mark_notifications_read():
    """Mark notifications read: some (`ids`), `all`, or a conversation's (`post_id`)."""
    data = load_json(MarkReadSchema())
    count = inbox.mark_read(
        g.reader.id, ids=data.get("ids"), every=bool(data.get("all")), post_id=data.get("post_id")
    )
    db.session.commit()
    return {"unread_count": count}
