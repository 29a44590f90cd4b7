"""Who liked a conversation or a comment, who promoted a conversation: newest first, paged.

Each list is one keyset-paged SELECT over the reaction's own rows (at most a few hundred per
item), so a page costs one query plus one that tells a missing item (404) from an empty list.
"""

import functools

from sqlalchemy import bindparam, select, tuple_

from ..db import db
from ..models import Comment, CommentLike, Post, PostLike, Promotion, User
from ..read import cursors

# (the reaction's table, its column naming the item, the item's table): one entry per list.
KINDS = {
    "post_likes": (PostLike, PostLike.post_id, Post),
    "comment_likes": (CommentLike, CommentLike.comment_id, Comment),
    "promotions": (Promotion, Promotion.post_id, Post),
}


@functools.cache
def _statement(kind, after):
    table, owner, _ = KINDS[kind]
    query = (
        select(
            User.id,
            User.handle,
            User.name,
            User.title,
            User.department,
            User.avatar_url,
            table.created_at.label("at"),
        )
        .join(User, User.id == table.user_id)
        .where(owner == bindparam("owner"))
    )
    if after:
        query = query.where(
            tuple_(table.created_at, table.user_id)
            < tuple_(bindparam("at", type_=table.created_at.type), bindparam("last_id"))
        )
    order = (table.created_at.desc(), table.user_id.desc())
    return query.order_by(*order).limit(bindparam("limit"))


def reactors(kind, owner_id, limit, cursor=None):
    """{"items", "next_cursor"} of the people behind one item's likes or promotions, or None
    when the item does not exist."""
    params = {"owner": owner_id, "limit": limit + 1}
    if cursor:
        tag, params["at"], params["last_id"] = cursors.decode_cursor(
            cursor, [cursors.tag, cursors.moment, cursors.row_id]
        )
        if tag != kind:
            raise cursors.bad_cursor("This cursor belongs to another list.")
    rows = db.session.execute(_statement(kind, bool(cursor)), params).all()
    if not rows and db.session.get(KINDS[kind][2], owner_id) is None:
        return None
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode_cursor(kind, rows[-1].at.isoformat(), rows[-1].id)
    return {"items": [dict(row._mapping) for row in rows], "next_cursor": next_cursor}
