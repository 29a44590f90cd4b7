"""Review (moderators) and the public moderation log (every employee)."""

from flask import Blueprint, g

from ..auth import is_moderator, login_required
from ..db import db
from ..errors import ApiError
from ..openapi import doc
from ..policing import hiding, moderation
from ..policing.schemas import (
    DecisionAnswerSchema,
    DecisionSchema,
    LogPageSchema,
    PageQuerySchema,
    QueuePageSchema,
)
from ..ratelimit import rate_limited
from ..read.feed import current_viewer
from .inputs import load_json, load_query

bp = Blueprint("moderation", __name__)
decision_schema = DecisionSchema()


def _moderator_only():
    if not is_moderator(g.reader):
        raise moderation.not_moderator()


@bp.get("/moderation/queue")
@doc(query=PageQuerySchema, response=QueuePageSchema)
@login_required
def review_queue():
    """Flagged and hidden items waiting for review, with their flags (moderators only)."""
    args = load_query(PageQuerySchema())
    _moderator_only()
    return moderation.queue_page(current_viewer(), args.get("cursor"))  # already API-shaped


@bp.post("/moderation/decisions")
@doc(body=DecisionSchema, response=DecisionAnswerSchema)
@login_required
@rate_limited("edit")
def decide():
    """Hide, restore, remove or dismiss a flagged item (moderators only); logged publicly."""
    data = load_json(decision_schema)
    _moderator_only()
    target = data["item"]
    if len(target) != 1:
        raise ApiError(
            422,
            'Name one item: {"post_id": n} or {"comment_id": n}.',
            code="invalid",
            errors={"item": ["Exactly one of post_id, comment_id."]},
        )
    item = hiding.lock_item(**target)
    entry = moderation.decide(item, g.reader.id, data["action"], data["note"])
    db.session.commit()
    return DecisionAnswerSchema().dump({"entry": moderation.one_entry(entry)})


@bp.get("/moderation/log")
@doc(query=PageQuerySchema, response=LogPageSchema)
@login_required
def moderation_log():
    """What was hidden, restored, removed or dismissed, by whom (as a kind) and why."""
    args = load_query(PageQuerySchema())
    return LogPageSchema().dump(moderation.log_page(args.get("cursor")))
