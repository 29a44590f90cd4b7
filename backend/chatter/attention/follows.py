"""Following: conversations (followed automatically by taking part; muted explicitly), people
and pages. Plain functions on the request's transaction; the caller commits."""

import functools

from sqlalchemy import bindparam, delete, func, select

from ..db import db, dialect_insert, insert_ignore
from ..models import utcnow
from .models import PageFollow, PersonFollow, PostFollow

_post_follows = PostFollow.__table__


@functools.cache
def _statements(dialect):
    """(follow unless already following or muted; take part: follow unless muted, and what
    is there is read; follow or mute explicitly, what is there read)."""
    insert = dialect_insert(dialect)
    values = {
        "post_id": bindparam("post_id"),
        "user_id": bindparam("user_id"),
        "following": bindparam("following"),
        "created_at": bindparam("now"),
        "seen_at": bindparam("now"),
    }
    keys = ["post_id", "user_id"]
    mentioned = insert(_post_follows).values(values).on_conflict_do_nothing()
    took_part = insert(_post_follows).values(values)
    took_part = took_part.on_conflict_do_update(
        index_elements=keys, set_={"seen_at": took_part.excluded.seen_at}
    )
    explicit = insert(_post_follows).values(values)
    explicit = explicit.on_conflict_do_update(
        index_elements=keys,
        set_={"following": explicit.excluded.following, "seen_at": explicit.excluded.seen_at},
    )
    return {"mentioned": mentioned, "took_part": took_part, "explicit": explicit}


def _follow(how, post_id, user_ids, following=True, now=None):
    rows = [
        {"post_id": post_id, "user_id": user_id, "following": following, "now": now or utcnow()}
        for user_id in sorted(set(user_ids))
    ]
    if rows:
        db.session.execute(_statements(db.session.get_bind().dialect.name)[how], rows)


def follow_automatically(post_id, user_ids):
    """Follow a conversation for people mentioned in it, unless they follow or muted it."""
    _follow("mentioned", post_id, user_ids)


def took_part(post_id, user_id, now):
    """Someone started or commented on a conversation: they follow it (unless they muted it),
    and what it holds up to `now` is read for them."""
    _follow("took_part", post_id, [user_id], now=now)


def set_post_follow(post_id, user_id, following):
    """Follow (True) or mute (False) a conversation explicitly; what is there is read."""
    _follow("explicit", post_id, [user_id], following)


def _set_row(model, present, **keys):
    """Insert or delete a follow row; True when it really changed."""
    if present:
        return insert_ignore(model, created_at=utcnow(), **keys)
    where = [getattr(model, name) == value for name, value in keys.items()]
    return db.session.execute(delete(model).where(*where)).rowcount == 1


def set_person_follow(follower_id, person_id, following):
    """Follow or unfollow a person; True when it changed."""
    return _set_row(PersonFollow, following, follower_id=follower_id, person_id=person_id)


def set_page_follow(user_id, context_id, following):
    """Follow or unfollow a page (a context); True when it changed."""
    return _set_row(PageFollow, following, user_id=user_id, context_id=context_id)


def follower_count(person_id):
    return db.session.scalar(
        select(func.count()).select_from(PersonFollow).where(PersonFollow.person_id == person_id)
    )


def follows_person(follower_id, person_id):
    return (
        db.session.get(PersonFollow, {"follower_id": follower_id, "person_id": person_id})
        is not None
    )


def follows_page(user_id, context_id):
    return db.session.get(PageFollow, {"user_id": user_id, "context_id": context_id}) is not None


def follows_post(user_id, post_id):
    row = db.session.get(PostFollow, {"post_id": post_id, "user_id": user_id})
    return bool(row and row.following)
