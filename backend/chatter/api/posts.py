"""Conversations: list, start, read, edit, delete."""

from flask import Blueprint, g

from .. import conversations
from ..auth import is_admin, login_required
from ..db import db
from ..errors import forbidden, not_found
from ..idempotency import idempotent
from ..models import Post
from ..openapi import doc
from ..ratelimit import rate_limited
from ..read import feed
from ..read.page_cache import json_response
from ..schemas import (
    FeedQuerySchema,
    PostCreateSchema,
    PostPageSchema,
    PostSchema,
    PostUpdateSchema,
)
from .inputs import load_json, load_reader_query

bp = Blueprint("posts", __name__)
feed_query = FeedQuerySchema()
post_create = PostCreateSchema()
post_update = PostUpdateSchema()


def load_post(post_id):
    """The Post to change, or 404."""
    post = db.session.get(Post, post_id)
    if post is None:
        raise not_found("conversation")
    return post


def load_post_to_react(post_id):
    """What commenting on, liking or promoting needs of a post (not the whole Post), or 404."""
    post = conversations.find_post(post_id)
    if post is None:
        raise not_found("conversation")
    return post


@bp.get("/posts")
@doc(query=FeedQuerySchema, response=PostPageSchema)
def list_posts():
    """One page of conversations: a page's context or everyone's, by latest, active or top.

    `last_event_id` is the event log's head read before the page: a pane that opens the live
    stream after it misses nothing that the page does not already show.
    """
    return json_response(feed.read_post_page(load_reader_query(feed_query)))


@bp.post("/posts")
@doc(body=PostCreateSchema, response=PostSchema, status=201)
@login_required
@idempotent
@rate_limited("create")
def create_post():
    """Start a conversation (send an Idempotency-Key)."""
    post = conversations.create_post(g.reader, **load_json(post_create))
    return feed.read_post(post.id), 201


@bp.get("/posts/<int:post_id>")
@doc(response=PostSchema)
@login_required
def get_post(post_id):
    """One conversation."""
    return feed.read_post(post_id)


@bp.patch("/posts/<int:post_id>")
@doc(body=PostUpdateSchema, response=PostSchema)
@login_required
@rate_limited("edit")
def edit_post(post_id):
    """Edit your own conversation's text, or make it a question (`kind`) or not."""
    data = load_json(post_update)
    post = load_post(post_id)
    if post.author_id != g.reader.id:
        raise forbidden("Only the author can edit this conversation.")
    conversations.edit_post(post, data.get("body"), g.reader, kind=data.get("kind"))
    db.session.commit()
    return feed.read_post(post_id)


@bp.delete("/posts/<int:post_id>")
@doc(status=204)
@login_required
@rate_limited("edit")
def delete_post(post_id):
    """Delete your own conversation with all its comments."""
    post = load_post(post_id)
    if post.author_id != g.reader.id and not is_admin(g.reader):
        raise forbidden("Only the author can delete this conversation.")
    conversations.delete_post(post, g.reader)
    db.session.commit()
    return "", 204
