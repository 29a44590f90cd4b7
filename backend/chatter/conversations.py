"""Changing conversations. Each function writes its event; the caller commits (db.py).

The people passed in (author, editor, actor, user) need only an `id` (a User, or the request's
Reader), except for promotions, which count the promoter's department. Events carry posts and
comments as the API shows them. The hot paths (a comment, a like) write with Core statements
and build the event and the answer from the values in hand (shapes.py): the ORM's flush and
reading the new row back cost several times what the database takes to store it, and on SQLite
all of it happens inside the one write lock.
"""

import functools
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from . import shapes
from .attention import notify
from .attention.follows import took_part
from .db import RawQuery, db, insert_ignore
from .errors import not_found
from .events import record_event
from .media.uploads import claim_images, delete_files_of_comment, delete_files_of_post
from .models import (
    Comment,
    CommentLike,
    Context,
    Post,
    PostLike,
    Promotion,
    Upload,
    User,
    hot_score,
    utcnow,
)
from .people.mentions import mentions_by, render_body, save_mentions
from .people.models import Mention
from .policing import hiding
from .policing.models import Revision
from .schemas import SHARED_COMMENT, SHARED_POST
from .text import render_markdown

_posts, _comments = Post.__table__, Comment.__table__
# What hot_score() reads, and the post's context key, returned by the counter UPDATE itself.
_COUNTED = (
    _posts.c.id,
    _posts.c.like_count,
    _posts.c.author_likes,
    _posts.c.comment_count,
    _posts.c.promotion_count,
    _posts.c.promotion_departments,
    _posts.c.last_promoted_at,
    _posts.c.created_at,
    select(Context.key).where(Context.id == _posts.c.context_id).scalar_subquery().label("context"),
)
_SET_HOT_SCORE = (
    update(_posts).where(_posts.c.id == bindparam("post")).values(hot_score=bindparam("score"))
)
_INSERT_COMMENT = _comments.insert().returning(_comments.c.id)
# Read before the write transaction, so on SQLite they run beside writers instead of inside
# the write lock: every statement in there also waits its turn for the GIL among the
# process's other threads, and the lock's hold time is every writer's throughput.
_AUTHOR = RawQuery("SELECT name, title, department, avatar_url FROM users WHERE id = :id")
_POST_TO_CHANGE = RawQuery(
    "SELECT p.id, p.like_count, p.promotion_count, p.promotion_departments, c.url,"
    " p.author_id, p.hidden IS NOT NULL"
    " FROM posts p LEFT JOIN contexts c ON c.id = p.context_id WHERE p.id = :id"
)


class PostToChange(NamedTuple):
    id: int
    like_count: int
    promotion_count: int
    promotion_departments: int
    context_url: str | None  # the conversation's page, for its comments' links
    author_id: int
    hidden: bool  # hidden or removed: no reactions until a moderator restores it


def _actor(user_id):
    """A person as notifications show who acted."""
    name, _title, _department, avatar_url = _AUTHOR.all(id=user_id)[0]
    return {"id": user_id, "name": name, "avatar_url": avatar_url}


def _context_key(post):
    context = db.session.get(Context, post.context_id) if post.context_id else None
    return context.key if context else None


def _as_shown(item, owner_column):
    """`item` (a Post or Comment) with what its API shape shows loaded: author, pictures and,
    for a post, its context. Loads only what the session does not hold yet."""
    unloaded = inspect(item).unloaded
    if "author" in unloaded:
        set_committed_value(item, "author", db.session.get(User, item.author_id))
    if "images" in unloaded:
        pictures = (
            select(Upload).where(owner_column == item.id).order_by(Upload.position, Upload.id)
        )
        set_committed_value(item, "images", list(db.session.scalars(pictures)))
    if "context" in unloaded:
        context = db.session.get(Context, item.context_id) if item.context_id else None
        set_committed_value(item, "context", context)
    if isinstance(item, Comment):  # its link is on its conversation's page
        item.context_url, answer_id = db.session.execute(
            select(Context.url, Post.answer_id)
            .outerjoin(Context, Post.context_id == Context.id)
            .where(Post.id == item.post_id)
        ).one()
        item.is_answer = answer_id == item.id
    else:
        by = db.session.get(User, item.outcome_by_id) if item.outcome_by_id else None
        item.outcome_by_name = by.name if by else None
    return item


def _post_event(type_, post, actor):
    """Record an event carrying the post exactly as the API shows it."""
    db.session.flush()
    data = shapes.withheld(SHARED_POST.dump(_as_shown(post, Upload.post_id)))
    record_event(
        type_,
        data,
        post_id=post.id,
        context_key=data["context"]["key"] if data["context"] else None,
        actor_id=actor.id,
    )


def _comment_event(type_, comment, actor, **extra):
    """Record an event carrying the comment exactly as the API shows it (and `extra`)."""
    db.session.flush()
    data = shapes.withheld(SHARED_COMMENT.dump(_as_shown(comment, Upload.comment_id))) | extra
    record_event(type_, data, post_id=comment.post_id, actor_id=actor.id)


def record_item_event(type_, item, actor_id):
    """Record an event (post.hidden, comment.restored, ...) carrying a Post or Comment as
    everyone sees it."""
    actor = SimpleNamespace(id=actor_id)
    column = Mention.comment_id if isinstance(item, Comment) else Mention.post_id
    if not hasattr(item, "mentions"):  # what the API shows (not a mapped attribute)
        item.mentions = mentions_by(column, [item]).get(item.id, [])
    if isinstance(item, Comment):
        _comment_event(type_, item, actor)
    else:
        _post_event(type_, item, actor)


def find_post(post_id):
    """What commenting on, liking or promoting a post needs of it, or None.

    Read before the write transaction: a post deleted meanwhile fails the write's foreign
    key, which the write answers with 404.
    """
    rows = _POST_TO_CHANGE.all(id=post_id)
    return PostToChange(*rows[0]) if rows else None


def find_or_create_context(key, title=None, url=None):
    """Return the Context for `key`, creating it (race-safe) on first use."""
    insert_ignore(Context, key=key, title=title or None, url=url or None)
    context = db.session.scalar(select(Context).where(Context.key == key))
    if title and not context.title:
        context.title = title
    if url and not context.url:
        context.url = url
    return context


def create_post(  # noqa: PLR0913 - the fields of a new conversation
    author, body, context=None, context_title=None, context_url=None, images=(), kind="post"
):
    """Start a conversation (or a question) with its context and pictures; post.created."""
    now = utcnow()
    html, mentions = render_body(body)
    post = Post(
        author_id=author.id,
        body=body,
        html=html,
        created_at=now,
        last_activity_at=now,
        like_count=0,
        comment_count=0,
        promotion_count=0,
        promotion_departments=0,
        author_likes=0,
        revision_count=0,
        kind=kind,
    )
    post.context = find_or_create_context(context, context_title, context_url) if context else None
    post.images = claim_images(author, images)
    post.hot_score = hot_score(post)
    db.session.add(post)
    db.session.flush()
    post.mentions = mentions  # what the API shows (not a mapped attribute)
    newly_mentioned = save_mentions(post.id, None, mentions, author.id)
    took_part(post.id, author.id, now)
    if newly_mentioned:
        notify.on_mentions(post.id, None, _actor(author.id), body, newly_mentioned, now)
    _post_event("post.created", post, author)
    return post


def _keep_revision(item, post_id, comment_id):
    """Store the text an edit replaces, with when it was written (the edit history)."""
    db.session.add(
        Revision(
            post_id=post_id,
            comment_id=comment_id,
            body=item.body,
            html=item.html,
            written_at=item.edited_at or item.created_at,
            created_at=utcnow(),
        )
    )
    item.revision_count = (item.revision_count or 0) + 1


def _edited_while_hidden(item):
    """An author's edit of their hidden item asks for review again (and notifies nobody)."""
    if item.hidden is None:
        return False
    hiding.edited_after_hide(item)
    return True


def edit_post(post, body, editor, kind=None):
    """The one write path for post edits: re-render and re-sanitize like a create; `kind`
    turns a post into a question or back (the text may stay as it is: body None)."""
    if kind is not None:
        post.kind = kind
        if kind != "question":
            post.answer_id = post.answered_at = post.answer_author_id = None
    if body is None:
        _post_event("post.updated", post, editor)
        return post
    _keep_revision(post, post.id, None)
    html, post.mentions = render_body(body)
    post.body, post.html, post.edited_at = body, html, utcnow()
    # Only the people this edit adds are newly mentioned: only they are told.
    newly_mentioned = save_mentions(post.id, None, post.mentions, post.author_id, edit=True)
    if _edited_while_hidden(post):
        newly_mentioned = set()
    if newly_mentioned:
        actor = _actor(post.author_id)
        notify.on_mentions(post.id, None, actor, body, newly_mentioned, post.edited_at)
    _post_event("post.updated", post, editor)
    return post


def delete_post(post, actor):
    """Delete a conversation with its comments; its files go after the commit."""
    # Rows first, event last: every write path takes the event lock after its row locks.
    context_key, post_id = _context_key(post), post.id
    delete_files_of_post(post_id)
    notify.withdraw(post_id)
    db.session.delete(post)
    db.session.flush()
    record_event(
        "post.deleted", {"id": post_id}, post_id=post_id, context_key=context_key, actor_id=actor.id
    )


@functools.cache
def _count_statement(increments, values):
    """UPDATE posts: add to the named counters, set the named columns, return _COUNTED.

    Built once per combination: composing a statement costs more than SQLite takes to run it.
    """
    changes = {name: _posts.c[name] + bindparam(f"add_{name}") for name in increments}
    changes |= {name: bindparam(f"set_{name}", type_=_posts.c[name].type) for name in values}
    return (
        update(_posts).where(_posts.c.id == bindparam("post")).values(changes).returning(*_COUNTED)
    )


def _count(post_id, increments, **values):
    """Atomically add to a post's counters (and set `values`), then rank it anew; return
    its counters and context key as they are now."""
    params = {"post": post_id}
    params |= {f"add_{name}": amount for name, amount in increments.items()}
    params |= {f"set_{name}": value for name, value in values.items()}
    statement = _count_statement(tuple(increments), tuple(values))
    counted = db.session.execute(statement, params).one()
    db.session.execute(_SET_HOT_SCORE, {"post": post_id, "score": hot_score(counted)})
    return counted


def _set_row(model, present, **values):
    """Insert or delete a unique row (a like, a promotion); True when it really changed.

    Counters move only on a True: concurrent repeats of the same request change nothing.
    """
    if present:
        try:
            return insert_ignore(model, created_at=utcnow(), **values)
        except IntegrityError:  # what it points at was deleted after it was found
            raise not_found("conversation" if "post_id" in values else "comment") from None
    return db.session.execute(_delete_row(model), values).rowcount == 1


@functools.cache
def _delete_row(model):
    """DELETE one row of `model` by its primary key columns, given as parameters."""
    keys = [column == bindparam(column.key) for column in model.__table__.primary_key.columns]
    return delete(model).where(*keys)


def create_comment(post, author, body, parent=None, images=(), at=None):
    """Comment on a post, or reply to a comment (one level deep), and count it.

    Returns the comment as every reader sees it; `at` backdates it (the demo's seed).
    """
    replied_to = parent.author_id if parent is not None else None
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)  # replies stay one level deep
    now = at or utcnow()
    html, mentions = render_body(body)
    name, title, department, avatar_url = _AUTHOR.all(id=author.id)[0]
    shown = {
        "author_name": name,
        "author_title": title,
        "author_department": department,
        "author_avatar_url": avatar_url,
    }
    row = {
        "post_id": post.id,
        "parent_id": parent.id if parent else None,
        "author_id": author.id,
        "body": body,
        "html": html,
        "created_at": now,
        "edited_at": None,
        "like_count": 0,
        "reply_count": 0,
        "hidden": None,
        "revision_count": 0,
    }
    pictures = claim_images(author, images)
    try:
        comment_id = db.session.execute(_INSERT_COMMENT, row).scalar_one()
    except IntegrityError:  # the post was deleted after it was found
        raise not_found("conversation") from None
    for upload in pictures:
        upload.comment_id = comment_id
    newly_mentioned = save_mentions(post.id, comment_id, mentions, author.id)
    if parent is not None:
        db.session.execute(
            update(_comments)
            .where(_comments.c.id == parent.id)
            .values(reply_count=_comments.c.reply_count + 1)
        )
    counted = _count(post.id, {"comment_count": 1}, last_activity_at=now)
    actor = {"id": author.id, "name": name, "avatar_url": avatar_url}
    notify.on_comment(post.id, comment_id, actor, body, newly_mentioned, replied_to, now)
    comment = shapes.comment(
        SimpleNamespace(
            id=comment_id, context_url=post.context_url, is_answer=False, **row, **shown
        ),
        [shapes.image(u) for u in pictures],
        mentions,
    )
    record_event(
        "comment.created",
        comment | {"comment_count": counted.comment_count},
        post_id=post.id,
        actor_id=author.id,
    )
    return comment


def edit_comment(comment, body, editor):
    """The one write path for comment edits: re-render and re-sanitize like a create."""
    _keep_revision(comment, comment.post_id, comment.id)
    html, comment.mentions = render_body(body)
    comment.body, comment.html, comment.edited_at = body, html, utcnow()
    # Only the people this edit adds are newly mentioned: only they are told.
    newly_mentioned = save_mentions(
        comment.post_id, comment.id, comment.mentions, comment.author_id, edit=True
    )
    if _edited_while_hidden(comment):
        newly_mentioned = set()
    if newly_mentioned:
        actor = _actor(comment.author_id)
        notify.on_mentions(
            comment.post_id, comment.id, actor, body, newly_mentioned, comment.edited_at
        )
    _comment_event("comment.updated", comment, editor)
    return comment


def delete_comment(comment, actor):
    """Delete a comment with its replies and uncount them; its files go after the commit."""
    delete_files_of_comment(comment.id)
    replies = select(Comment.id).where(Comment.parent_id == comment.id)
    notify.withdraw(comment.post_id, [comment.id, *db.session.scalars(replies)])
    removed = 1 + comment.reply_count
    _forget_answer(comment.post_id, [comment.id, *db.session.scalars(replies)])
    if comment.parent_id is not None:
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.parent_id)
            .values(reply_count=Comment.reply_count - 1)
        )
    post_id = comment.post_id
    db.session.delete(comment)
    db.session.flush()
    counted = _count(post_id, {"comment_count": -removed})
    record_event(
        "comment.deleted",
        {"id": comment.id, "post_id": post_id, "comment_count": counted.comment_count},
        post_id=post_id,
        actor_id=actor.id,
    )


def _forget_answer(post_id, comment_ids):
    """A question's answer is deleted: the question is open again."""
    db.session.execute(
        update(_posts)
        .where(_posts.c.id == post_id, _posts.c.answer_id.in_(comment_ids))
        .values(answer_id=None, answered_at=None, answer_author_id=None)
    )


def set_answer(post, comment, actor):
    """Mark `comment` (one of the question's) as its answer; its author is told."""
    now = utcnow()
    changed = post.answer_id != comment.id
    post.answer_id, post.answered_at = comment.id, now if changed else post.answered_at
    post.answer_author_id = comment.author_id
    if changed:
        notify.on_answer(
            post.id, comment.id, _actor(actor.id), comment.body, comment.author_id, now
        )
    _post_event("post.updated", post, actor)
    return post


def clear_answer(post, actor):
    """The question has no answer (again)."""
    post.answer_id = post.answered_at = post.answer_author_id = None
    _post_event("post.updated", post, actor)
    return post


def set_outcome(post, actor, summary, url=None):
    """Record what the conversation led to (or change it); the first time, everyone who took
    part is told."""
    now = utcnow()
    first = post.outcome_at is None
    post.outcome_summary, post.outcome_html = summary, render_markdown(summary)
    post.outcome_url, post.outcome_by_id, post.outcome_at = url, actor.id, now
    if first:
        notify.on_outcome(post.id, _actor(actor.id), summary, now)
    _post_event("post.updated", post, actor)
    return post


def clear_outcome(post, actor):
    """Withdraw a conversation's outcome."""
    post.outcome_summary = post.outcome_html = post.outcome_url = None
    post.outcome_by_id = post.outcome_at = None
    _post_event("post.updated", post, actor)
    return post


def set_post_like(post, user, liked):
    """Like or unlike; the counter moves only when a row really appeared or vanished."""
    if not _set_row(PostLike, liked, post_id=post.id, user_id=user.id):
        return post.like_count
    change = {"like_count": 1 if liked else -1}
    if user.id == post.author_id:  # counted apart: it does not lift the post in Top
        change["author_likes"] = change["like_count"]
    counted = _count(post.id, change)
    notify.grouped("like", user.id, liked, post_id=post.id)
    record_event(
        "post.liked" if liked else "post.unliked",
        {"post_id": post.id, "user_id": user.id, "like_count": counted.like_count},
        post_id=post.id,
        context_key=counted.context,
        actor_id=user.id,
    )
    return counted.like_count


def set_comment_like(comment, user, liked):
    """Like or unlike a comment; the counter moves only when a row really changed."""
    if not _set_row(CommentLike, liked, comment_id=comment.id, user_id=user.id):
        return comment.like_count
    statement = (
        update(_comments)
        .where(_comments.c.id == comment.id)
        .values(like_count=_comments.c.like_count + (1 if liked else -1))
        .returning(_comments.c.like_count)
    )
    like_count = db.session.execute(statement).scalar_one()
    notify.grouped("like", user.id, liked, comment_id=comment.id)
    record_event(
        "comment.liked" if liked else "comment.unliked",
        {
            "comment_id": comment.id,
            "post_id": comment.post_id,
            "user_id": user.id,
            "like_count": like_count,
        },
        post_id=comment.post_id,
        actor_id=user.id,
    )
    return like_count


def set_promotion(post, user, promoted):
    """Promote or withdraw; breadth (distinct departments) is recounted under the row lock."""
    department = {"department": (user.department or "").casefold()} if promoted else {}
    if not _set_row(Promotion, promoted, post_id=post.id, user_id=user.id, **department):
        return post
    departments, latest = db.session.execute(
        select(
            func.count(func.distinct(Promotion.department)), func.max(Promotion.created_at)
        ).where(Promotion.post_id == post.id)
    ).one()
    counted = _count(
        post.id,
        {"promotion_count": 1 if promoted else -1},
        promotion_departments=departments,
        last_promoted_at=latest,
    )
    notify.grouped("promotion", user.id, promoted, post_id=post.id)
    record_event(
        "post.promoted" if promoted else "post.unpromoted",
        {
            "post_id": post.id,
            "user_id": user.id,
            "promotion_count": counted.promotion_count,
            "promotion_departments": departments,
        },
        post_id=post.id,
        context_key=counted.context,
        actor_id=user.id,
    )
    return counted
