"""Flags: colleagues mark a post or comment (once each); enough of them, broadly, hide it."""

from flask import Blueprint

from ..auth import current_user, login_required
from ..db import db
from ..openapi import doc
from ..policing import hiding
from ..policing.schemas import FlagCreateSchema, FlagStateSchema
from ..ratelimit import rate_limited
from .inputs import load_json

bp = Blueprint("flags", __name__)
flag_create = FlagCreateSchema()


def _flag(**ids):
    data = load_json(flag_create)
    item = hiding.lock_item(**ids)
    created, hidden = hiding.flag(item, current_user(), data["reason"], data["note"])
    db.session.commit()
    return {"flagged": True, "hidden": hidden}, 201 if created else 200


def _unflag(**ids):
    item = hiding.lock_item(**ids)
    hidden = hiding.unflag(item, current_user())
    db.session.commit()
    return {"flagged": False, "hidden": hidden}


@bp.post("/posts/<int:post_id>/flags")
@doc(body=FlagCreateSchema, response=FlagStateSchema, status=201, idempotent=False)
@login_required
@rate_limited("react")
def flag_post(post_id):
    """Flag a conversation (once; again is a 200 that changes nothing)."""
    return _flag(post_id=post_id)


@bp.delete("/posts/<int:post_id>/flags")
@doc(response=FlagStateSchema)
@login_required
@rate_limited("react")
def unflag_post(post_id):
    """Withdraw your flag of a conversation (a hidden one stays hidden until reviewed)."""
    return _unflag(post_id=post_id)


@bp.post("/comments/<int:comment_id>/flags")
@doc(body=FlagCreateSchema, response=FlagStateSchema, status=201, idempotent=False)
@login_required
@rate_limited("react")
def flag_comment(comment_id):
    """Flag a comment (once; again is a 200 that changes nothing)."""
    return _flag(comment_id=comment_id)


@bp.delete("/comments/<int:comment_id>/flags")
@doc(response=FlagStateSchema)
@login_required
@rate_limited("react")
def unflag_comment(comment_id):
    """Withdraw your flag of a comment (a hidden one stays hidden until reviewed)."""
    return _unflag(comment_id=comment_id)
