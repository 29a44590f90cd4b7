"""Following conversations, people and pages."""

from flask import Blueprint, g

from ..attention import follows, notify
from ..attention.schemas import FollowStateSchema, PageQuerySchema, PersonFollowStateSchema
from ..auth import login_required
from ..conversations import find_or_create_context
from ..db import db
from ..errors import ApiError, not_found
from ..models import Context, User
from ..openapi import doc
from ..ratelimit import rate_limited
from .inputs import load_query
from .posts import load_post_to_react

bp = Blueprint("follows", __name__)


def _post_follow(post_id, following):
    load_post_to_react(post_id)
    follows.set_post_follow(post_id, g.reader.id, following)
    db.session.commit()
    return {"followed_by_me": following}


@bp.put("/posts/<int:post_id>/follow")
@doc(response=FollowStateSchema)
@login_required
@rate_limited("react")
def follow_post(post_id):
    """Follow a conversation: you are told about every new comment."""
    return _post_follow(post_id, True)


@bp.delete("/posts/<int:post_id>/follow")
@doc(response=FollowStateSchema)
@login_required
@rate_limited("react")
def mute_post(post_id):
    """Mute a conversation: no more comment notifications, even after taking part again."""
    return _post_follow(post_id, False)


def _person_follow(person_id, following):
    if db.session.get(User, person_id) is None:
        raise not_found("person")
    if person_id == g.reader.id:
        raise ApiError(422, "You cannot follow yourself.", code="own_person")
    if follows.set_person_follow(g.reader.id, person_id, following):
        notify.grouped("follow", g.reader.id, following, person_id=person_id)
    db.session.commit()
    return {"followed_by_me": following, "follower_count": follows.follower_count(person_id)}


@bp.put("/people/<int:person_id>/follow")
@doc(response=PersonFollowStateSchema)
@login_required
@rate_limited("react")
def follow_person(person_id):
    """Follow a person: their conversations are in your Following feed."""
    return _person_follow(person_id, True)


@bp.delete("/people/<int:person_id>/follow")
@doc(response=PersonFollowStateSchema)
@login_required
@rate_limited("react")
def unfollow_person(person_id):
    """Stop following a person."""
    return _person_follow(person_id, False)


@bp.put("/pages/follow")
@doc(query=PageQuerySchema, response=FollowStateSchema)
@login_required
@rate_limited("react")
def follow_page():
    """Follow a page (a context key): its conversations are in your Following feed."""
    context = find_or_create_context(load_query(PageQuerySchema())["context"])
    follows.set_page_follow(g.reader.id, context.id, True)
    db.session.commit()
    return {"followed_by_me": True}


@bp.delete("/pages/follow")
@doc(query=PageQuerySchema, response=FollowStateSchema)
@login_required
@rate_limited("react")
def unfollow_page():
    """Stop following a page."""
    key = load_query(PageQuerySchema())["context"]
    context = db.session.query(Context).filter_by(key=key).one_or_none()
    if context is not None:
        follows.set_page_follow(g.reader.id, context.id, False)
        db.session.commit()
    return {"followed_by_me": False}
