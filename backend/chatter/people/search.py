"""Finding people by a prefix of a name word, their handle or e-mail, closest ties first.

Each person's words (folded: case and accents dropped) are rows of person_words, so a prefix
is one index range on both databases (bench/people measures it on 10,000 people). Ties are
what the reader did towards a person lately: commenting on their conversations, liking
their posts and comments, mentioning them (the last TIE_WINDOW of each, weighted by kind).
"""

import time
import unicodedata

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, literal, select, union_all

from ..db import db
from ..models import Comment, CommentLike, Post, PostLike, User
from .models import Mention, PersonWord

MAX_TERMS = 3  # words of a query that must all match; more are ignored
TIE_WINDOW = 200  # the reader's latest actions of each kind that count as ties
TIE_WEIGHTS = {"comment": 3, "mention": 3, "like": 1}
TIES_FOR = 60  # seconds a reader's ties are reused: a picker asks at every keystroke
_TOP = "\U0010ffff"  # sorts after every character: `word < prefix + _TOP` ends the range


def fold(text):
    """Lowercase, accents dropped, other scripts kept: what words are stored and sought as."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(name, handle, email):
    """The folded words a person is found by."""
    words = {fold(w) for w in (name or "").replace("-", " ").split()}
    words |= {handle, fold(email or "")}
    return {w[:100] for w in words if w}


def index_person(user):
    """Replace the words a person is found by (after a sign-in changed their profile)."""
    db.session.execute(delete(PersonWord).where(PersonWord.user_id == user.id))
    rows = [{"word": w, "user_id": user.id} for w in words_of(user.name, user.handle, user.email)]
    db.session.execute(insert(PersonWord), rows)


def _terms(query):
    return [fold(t) for t in query.split()][:MAX_TERMS]


_FIELDS = (User.id, User.handle, User.name, User.title, User.department, User.avatar_url)


def _matching(terms):
    query = select(*_FIELDS)
    for i, _ in enumerate(terms):
        words = select(PersonWord.user_id).where(
            PersonWord.word >= bindparam(f"t{i}"), PersonWord.word < bindparam(f"t{i}_end")
        )
        query = query.where(User.id.in_(words))
    params = {f"t{i}": t for i, t in enumerate(terms)}
    params |= {f"t{i}_end": t + _TOP for i, t in enumerate(terms)}
    return query, params


def _ties_of(reader_id):
    """The reader's ties, computed at most every TIES_FOR seconds (they cost a few ms, the
    search itself about one)."""
    recent = current_app.extensions.setdefault("chatter.recent_ties", {})  # id -> (when, ties)
    now = time.monotonic()
    known = recent.get(reader_id)
    if known is None or now - known[0] > TIES_FOR:
        if len(recent) >= 10_000:
            recent.clear()
        known = recent[reader_id] = (now, _ties(reader_id))
    return known[1]


def _ties(reader_id):
    """{person id: weight} of the people the reader interacted with lately (one query)."""

    def latest(kind, person, source, by, order):
        inner = select(person.label("person")).select_from(source).where(by == reader_id)
        inner = inner.order_by(order.desc()).limit(TIE_WINDOW).subquery()
        return select(inner.c.person, literal(TIE_WEIGHTS[kind]).label("weight"))

    parts = union_all(
        latest(
            "comment",
            Post.author_id,
            Comment.__table__.join(Post, Post.id == Comment.post_id),
            Comment.author_id,
            Comment.id,
        ),
        latest(
            "like",
            Post.author_id,
            PostLike.__table__.join(Post, Post.id == PostLike.post_id),
            PostLike.user_id,
            PostLike.created_at,
        ),
        latest(
            "like",
            Comment.author_id,
            CommentLike.__table__.join(Comment, Comment.id == CommentLike.comment_id),
            CommentLike.user_id,
            CommentLike.created_at,
        ),
        latest(
            "mention",
            Mention.user_id,
            Mention.__table__.join(Comment, Comment.id == Mention.comment_id),
            Comment.author_id,
            Mention.id,
        ),
        latest(
            "mention",
            Mention.user_id,
            Mention.__table__.join(
                Post, (Post.id == Mention.post_id) & Mention.comment_id.is_(None)
            ),
            Post.author_id,
            Mention.id,
        ),
    ).subquery()
    rows = db.session.execute(
        select(parts.c.person, func.sum(parts.c.weight)).group_by(parts.c.person)
    )
    return {person: weight for person, weight in rows if person != reader_id}


def search_people(reader_id, query, limit):
    """People matching every word of `query`: closest ties first, then by name."""
    terms = _terms(query)
    if not terms:
        return []
    matching, params = _matching(terms)
    ties = _ties_of(reader_id)
    close = []
    if ties:
        close = db.session.execute(matching.where(User.id.in_(list(ties))), params).all()
        close.sort(key=lambda row: (-ties[row.id], row.name, row.id))
    rest = db.session.execute(
        matching.order_by(User.name, User.id).limit(limit + len(close)), params
    ).all()
    seen, found = set(), []
    for row in [*close, *rest]:
        if row.id not in seen:
            seen.add(row.id)
            found.append(dict(row._mapping))
    return found[:limit]
