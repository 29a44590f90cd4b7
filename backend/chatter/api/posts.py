"""Conversations: list, start, read, edit, delete."""

from flask import g

from .. import conversations, feed, payloads
from ..db import db
from ..errors import forbidden, not_found
from ..idempotency import idempotent
from ..models import Post
from ..pages import json_response
from ..ratelimit import rate_limited
from ..schemas import (
    FeedQuerySchema,
    PostCreateSchema,
    PostPageSchema,
    PostSchema,
    PostUpdateSchema,
)
from ..sessions import authenticate, is_admin, login_required
from . import bp, doc, load_json, load_reader_query

feed_query = FeedQuerySchema()
post_create = PostCreateSchema()
post_update = PostUpdateSchema()


def load_post(post_id):
    """The Post to change, or 404."""
    post = db.session.get(Post, post_id)
    if post is None:
        raise not_found("conversation")
    return post


def viewer():
    """The signed-in reader, for the per-viewer fields of payloads."""
    return payloads.Viewer(g.reader.id, is_admin(g.reader))


def post_response(post_id):
    item = payloads.load_post(post_id, viewer())
    if item is None:
        raise not_found("conversation")
    return item


@bp.get("/posts")
@doc(query=FeedQuerySchema, response=PostPageSchema)
def list_posts():
    """One page of conversations: a page's context or everyone's, by latest, active or top.

    `last_event_id` is the event log's head read before the page: a pane that opens the live
    stream after it misses nothing that the page does not already show.
    """
    args = load_reader_query(feed_query)
    # The reader's flags for the page as last built ride along with the session lookup;
    # unless the data changed since, that page is the answer and this was the only query.
    last = feed.last_post_page(**args)
    flags = authenticate(feed.SESSION_AND_POST_FLAGS, ids=last.ids) if last else authenticate()
    page = feed.post_page(g.head, **args)
    return json_response(feed.post_page_json(viewer(), page, flags if page is last else None,
                                             last_event_id=g.head))


@bp.post("/posts")
@doc(body=PostCreateSchema, response=PostSchema, status=201)
@login_required
@rate_limited("create")
@idempotent
def create_post():
    """Start a conversation (send an Idempotency-Key)."""
    post = conversations.create_post(g.reader, **load_json(post_create))
    return post_response(post.id), 201


@bp.get("/posts/<int:post_id>")
@doc(response=PostSchema)
@login_required
def get_post(post_id):
    """One conversation."""
    return post_response(post_id)


@bp.patch("/posts/<int:post_id>")
@doc(body=PostUpdateSchema, response=PostSchema)
@login_required
@rate_limited("edit")
def edit_post(post_id):
    """Edit your own conversation's text."""
    data = load_json(post_update)
    post = load_post(post_id)
    if post.author_id != g.reader.id:
        raise forbidden("Only the author can edit this conversation.")
    conversations.edit_post(post, data["body"], g.reader)
    db.session.commit()
    return post_response(post_id)


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
