"""Likes and promotions: PUT to set, DELETE to clear (both idempotent), GET who."""

from flask import Blueprint, g

from .. import conversations
from ..auth import current_user, login_required
from ..db import db
from ..errors import ApiError, not_found
from ..openapi import doc
from ..people.lists import reactors
from ..people.schemas import ReactorPageSchema, ReactorsQuerySchema
from ..policing.hiding import item_hidden
from ..ratelimit import rate_limited
from ..schemas import LikeStateSchema, PromotionStateSchema
from .comments import load_comment
from .inputs import load_query
from .posts import load_post_to_react

bp = Blueprint("reactions", __name__)


def _like_post(post_id, liked):
    post = load_post_to_react(post_id)
    if liked and post.hidden:
        raise item_hidden("conversation")
    count = conversations.set_post_like(post, g.reader, liked)
    db.session.commit()
    return {"liked": liked, "like_count": count}


def _like_comment(comment_id, liked):
    comment = load_comment(comment_id)
    if liked and comment.hidden is not None:
        raise item_hidden("comment")
    count = conversations.set_comment_like(comment, g.reader, liked)
    db.session.commit()
    return {"liked": liked, "like_count": count}


def _promote(post_id, promoted):
    post = load_post_to_react(post_id)
    if promoted and post.author_id == g.reader.id:
        raise ApiError(422, "You cannot promote your own conversation.", code="own_post")
    if promoted and post.hidden:
        raise item_hidden("conversation")
    post = conversations.set_promotion(post, current_user(), promoted)
    db.session.commit()
    return {
        "promoted": promoted,
        "promotion_count": post.promotion_count,
        "promotion_departments": post.promotion_departments,
    }


def _who(kind, owner_id, what):
    page = reactors(kind, owner_id, **load_query(ReactorsQuerySchema()))
    if page is None:
        raise not_found(what)
    return page


@bp.get("/posts/<int:post_id>/likes")
@doc(query=ReactorsQuerySchema, response=ReactorPageSchema)
@login_required
def list_post_likes(post_id):
    """Who liked a conversation, newest first."""
    return ReactorPageSchema().dump(_who("post_likes", post_id, "conversation"))


@bp.get("/comments/<int:comment_id>/likes")
@doc(query=ReactorsQuerySchema, response=ReactorPageSchema)
@login_required
def list_comment_likes(comment_id):
    """Who liked a comment, newest first."""
    return ReactorPageSchema().dump(_who("comment_likes", comment_id, "comment"))


@bp.get("/posts/<int:post_id>/promotions")
@doc(query=ReactorsQuerySchema, response=ReactorPageSchema)
@login_required
def list_promotions(post_id):
    """Who promoted a conversation, newest first, with their departments."""
    return ReactorPageSchema().dump(_who("promotions", post_id, "conversation"))


@bp.put("/posts/<int:post_id>/like")
@doc(response=LikeStateSchema)
@login_required
@rate_limited("react")
def like_post(post_id):
    """Like a conversation."""
    return _like_post(post_id, True)


@bp.delete("/posts/<int:post_id>/like")
@doc(response=LikeStateSchema)
@login_required
@rate_limited("react")
def unlike_post(post_id):
    """Take back your like of a conversation."""
    return _like_post(post_id, False)


@bp.put("/comments/<int:comment_id>/like")
@doc(response=LikeStateSchema)
@login_required
@rate_limited("react")
def like_comment(comment_id):
    """Like a comment."""
    return _like_comment(comment_id, True)


@bp.delete("/comments/<int:comment_id>/like")
@doc(response=LikeStateSchema)
@login_required
@rate_limited("react")
def unlike_comment(comment_id):
    """Take back your like of a comment."""
    return _like_comment(comment_id, False)


@bp.put("/posts/<int:post_id>/promotion")
@doc(response=PromotionStateSchema)
@login_required
@rate_limited("react")
def promote_post(post_id):
    """Promote a conversation that matters to the whole organization."""
    return _promote(post_id, True)


@bp.delete("/posts/<int:post_id>/promotion")
@doc(response=PromotionStateSchema)
@login_required
@rate_limited("react")
def unpromote_post(post_id):
    """Withdraw your promotion."""
    return _promote(post_id, False)
