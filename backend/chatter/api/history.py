"""Edit history of conversations and comments, and personal mutes of people."""

from flask import Blueprint, g

from ..auth import login_required
from ..db import db
from ..openapi import doc
from ..policing.mutes import set_mute
from ..policing.revisions import revisions
from ..policing.schemas import MuteStateSchema, RevisionsSchema
from ..ratelimit import rate_limited
from ..read.feed import current_viewer

bp = Blueprint("history", __name__)


@bp.get("/posts/<int:post_id>/revisions")
@doc(response=RevisionsSchema)
@login_required
def post_revisions(post_id):
    """Every earlier text of a conversation, newest first, with when it was written."""
    return RevisionsSchema().dump(revisions(current_viewer(), post_id=post_id))


@bp.get("/comments/<int:comment_id>/revisions")
@doc(response=RevisionsSchema)
@login_required
def comment_revisions(comment_id):
    """Every earlier text of a comment, newest first, with when it was written."""
    return RevisionsSchema().dump(revisions(current_viewer(), comment_id=comment_id))


def _mute(person_id, muted):
    state = set_mute(g.reader.id, person_id, muted)
    db.session.commit()
    return state


@bp.put("/people/<int:person_id>/mute")
@doc(response=MuteStateSchema)
@login_required
@rate_limited("react")
def mute_person(person_id):
    """Leave a person's posts, comments and notifications out of your own view (they are
    not told)."""
    return _mute(person_id, True)


@bp.delete("/people/<int:person_id>/mute")
@doc(response=MuteStateSchema)
@login_required
@rate_limited("react")
def unmute_person(person_id):
    """See a muted person again."""
    return _mute(person_id, False)
