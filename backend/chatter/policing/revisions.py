"""Edit history: every edit keeps the text it replaced (conversations.py); anyone reads it."""

from sqlalchemy import select

from ..db import db
from ..errors import not_found
from ..models import Comment, Post
from .models import Revision


def revisions(viewer, post_id=None, comment_id=None):
    """Every earlier text of a post or comment, newest first, as the API shows them.

    A withheld item's history is withheld with it (the author and moderators see it).
    """
    if comment_id is not None:
        item, same = db.session.get(Comment, comment_id), Revision.comment_id == comment_id
        what = "comment"
    else:
        item, same = db.session.get(Post, post_id), Revision.comment_id.is_(None)
        what = "conversation"
    if item is None:
        raise not_found(what)
    withheld = item.hidden is not None and item.hidden["withheld"]
    if withheld and not viewer.sees_withheld(item.author_id):
        return {"revisions": []}
    post = item.post_id if comment_id is not None else item.id
    rows = db.session.execute(
        select(Revision.body, Revision.html, Revision.written_at)
        .where(Revision.post_id == post, same)
        .order_by(Revision.id.desc())
    )
    return {"revisions": [{"text": b, "html": h, "at": at} for b, h, at in rows]}
