"""What conversations lead to: a question's answer, and a conversation's outcome."""

from flask import Blueprint, g

from .. import conversations
from ..auth import is_admin, is_moderator, login_required
from ..db import db
from ..errors import ApiError, forbidden
from ..models import Comment
from ..openapi import doc
from ..ratelimit import rate_limited
from ..read import feed
from ..schemas import AnswerInputSchema, OutcomeInputSchema, PostSchema
from .inputs import load_json
from .posts import load_post

bp = Blueprint("outcomes", __name__)
answer_input = AnswerInputSchema()
outcome_input = OutcomeInputSchema()


def _may_close(post, what):
    """The conversation's author, a moderator or an admin records its answer or outcome."""
    if post.author_id != g.reader.id and not (is_moderator(g.reader) or is_admin(g.reader)):
        raise forbidden(f"Only the author, a moderator or an admin can {what}.")


@bp.put("/posts/<int:post_id>/answer")
@doc(body=AnswerInputSchema, response=PostSchema)
@login_required
@rate_limited("edit")
def set_answer(post_id):
    """Mark one of a question's comments as its answer (the asker, a moderator or an admin)."""
    data = load_json(answer_input)
    post = load_post(post_id)
    _may_close(post, "mark the answer")
    if post.kind != "question":
        raise ApiError(
            422,
            "Only a question has an answer: make the conversation a question first.",
            code="not_a_question",
        )
    comment = db.session.get(Comment, data["comment_id"])
    if comment is None or comment.post_id != post.id:
        raise ApiError(
            422,
            "The answer must be a comment of this question.",
            code="invalid",
            errors={"comment_id": ["No such comment here."]},
        )
    conversations.set_answer(post, comment, g.reader)
    db.session.commit()
    return feed.read_post(post_id)


@bp.delete("/posts/<int:post_id>/answer")
@doc(response=PostSchema)
@login_required
@rate_limited("edit")
def clear_answer(post_id):
    """The question has no answer (again)."""
    post = load_post(post_id)
    _may_close(post, "change the answer")
    conversations.clear_answer(post, g.reader)
    db.session.commit()
    return feed.read_post(post_id)


@bp.put("/posts/<int:post_id>/outcome")
@doc(body=OutcomeInputSchema, response=PostSchema)
@login_required
@rate_limited("edit")
def set_outcome(post_id):
    """Record what the conversation led to (markdown-lite summary, optional https link);
    everyone who took part is told the first time."""
    data = load_json(outcome_input)
    post = load_post(post_id)
    _may_close(post, "record an outcome")
    conversations.set_outcome(post, g.reader, data["summary"], data["url"])
    db.session.commit()
    return feed.read_post(post_id)


@bp.delete("/posts/<int:post_id>/outcome")
@doc(response=PostSchema)
@login_required
@rate_limited("edit")
def clear_outcome(post_id):
    """Withdraw a conversation's outcome."""
    post = load_post(post_id)
    _may_close(post, "withdraw an outcome")
    conversations.clear_outcome(post, g.reader)
    db.session.commit()
    return feed.read_post(post_id)
