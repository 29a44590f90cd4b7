"""Comments on a conversation, with one level of replies."""

from flask import Blueprint, g

from .. import conversations, shapes
from ..auth import is_admin, login_required
from ..db import db
from ..errors import ApiError, forbidden, not_found
from ..idempotency import idempotent
from ..models import Comment
from ..openapi import doc
from ..policing.hiding import item_hidden, item_removed
from ..ratelimit import rate_limited
from ..read import feed
from ..read.page_cache import json_response
from ..schemas import (
    CommentCreateSchema,
    CommentPageSchema,
    CommentQuerySchema,
    CommentSchema,
    CommentUpdateSchema,
)
from .inputs import load_json, load_reader_query
from .posts import load_post_to_react

bp = Blueprint("comments", __name__)
comment_query = CommentQuerySchema()
comment_create = CommentCreateSchema()
comment_update = CommentUpdateSchema()


def load_comment(comment_id):
    """The Comment to change, or 404."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise not_found("comment")
    return comment


def load_parent(post, parent_id):
    """The comment of `post` a reply answers (None for a top-level comment), or 422."""
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.post_id != post.id:
        raise ApiError(
            422,
            "You can only reply to a comment of this conversation.",
            code="invalid",
            errors={"parent_id": ["No such comment here."]},
        )
    return parent


@bp.get("/posts/<int:post_id>/comments")
@doc(query=CommentQuerySchema, response=CommentPageSchema)
def list_comments(post_id):
    """A conversation's comments, oldest first or latest threads; replies carry parent_id."""
    return json_response(feed.read_comment_page(post_id, load_reader_query(comment_query)))


@bp.post("/posts/<int:post_id>/comments")
@doc(body=CommentCreateSchema, response=CommentSchema, status=201)
@login_required
@idempotent
@rate_limited("create")
def create_comment(post_id):
    """Comment on a conversation, or reply to a comment with parent_id."""
    data = load_json(comment_create)
    post = load_post_to_react(post_id)
    if post.hidden:
        raise item_hidden("conversation")
    parent = load_parent(post, data.get("parent_id"))
    if parent is not None and parent.hidden is not None:
        raise item_hidden("comment")
    comment = conversations.create_comment(post, g.reader, data["body"], parent, data["images"])
    return comment | shapes.own_fields(mine=True, admin=False, liked=False, flagged=False), 201


@bp.get("/comments/<int:comment_id>")
@doc(response=CommentSchema)
@login_required
def get_comment(comment_id):
    """One comment (its post_id leads to its conversation, for a permalink)."""
    return feed.read_comment(comment_id)


@bp.patch("/comments/<int:comment_id>")
@doc(body=CommentUpdateSchema, response=CommentSchema)
@login_required
@rate_limited("edit")
def edit_comment(comment_id):
    """Edit your own comment."""
    data = load_json(comment_update)
    comment = load_comment(comment_id)
    if comment.author_id != g.reader.id:
        raise forbidden("Only the author can edit this comment.")
    if comment.hidden is not None and comment.hidden["state"] == "removed":
        raise item_removed()
    conversations.edit_comment(comment, data["body"], g.reader)
    db.session.commit()
    return feed.read_comment(comment_id)


@bp.delete("/comments/<int:comment_id>")
@doc(status=204)
@login_required
@rate_limited("edit")
def delete_comment(comment_id):
    """Delete your own comment (and its replies)."""
    comment = load_comment(comment_id)
    if comment.author_id != g.reader.id and not is_admin(g.reader):
        raise forbidden("Only the author can delete this comment.")
    conversations.delete_comment(comment, g.reader)
    db.session.commit()
    return "", 204
