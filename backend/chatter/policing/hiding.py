"""Flags and the community's hiding rule.

An item is hidden by the community when its open flags weigh at least CHATTER_HIDE_FLAGS and
come from at least CHATTER_HIDE_DEPARTMENTS departments: breadth, so one team cannot silence
another. A flag weighs 1 / (1 + max(0, overturned - 1)), where `overturned` counts the
flagger's earlier flags that moderators dismissed or restored: the first overturned flag is
forgiven, then each one more divides the weight (1, 1, 1/2, 1/3, ...).

Every flag takes the item's row lock first (FOR NO KEY UPDATE on PostgreSQL; SQLite's writers
are serialized already), so concurrent flags count one after another and hide exactly once.
"""

from collections import Counter

from flask import current_app
from sqlalchemy import delete, func, select

from .. import shapes
from ..attention import notify
from ..db import db, insert_ignore
from ..errors import ApiError, not_found
from ..models import Comment, Post, User, utcnow
from .models import Flag, ModerationEntry, ReviewRequest, item_key

EPSILON = 1e-9  # weights are sums of fractions


def own_item():
    return ApiError(422, "You cannot flag what you wrote.", code="own_item")


def item_hidden(what="item"):
    return ApiError(422, f"This {what} is hidden while it waits for review.", code="item_hidden")


def item_removed():
    return ApiError(422, "A moderator removed this item.", code="item_removed")


def lock_item(post_id=None, comment_id=None):
    """The Post or Comment, read anew under its row lock, or 404."""
    model, item_id, what = (
        (Comment, comment_id, "comment")
        if comment_id is not None
        else (Post, post_id, "conversation")
    )
    # FOR NO KEY UPDATE: flags and decisions queue up, likes' foreign keys do not wait.
    lock = {"key_share": True}
    item = db.session.get(model, item_id, with_for_update=lock, populate_existing=True)
    if item is None:
        raise not_found(what)
    return item


def ids_of(item):
    """(post id, comment id or None) of a Post or Comment."""
    return (item.post_id, item.id) if isinstance(item, Comment) else (item.id, None)


def weight_of(user_id):
    """The weight of a new flag by this person (see the module's docstring)."""
    overturned = db.session.scalar(
        select(func.count()).where(Flag.user_id == user_id, Flag.outcome == "overturned")
    )
    return 1 / (1 + max(0, overturned - 1))


def open_flags(item):
    post_id, comment_id = ids_of(item)
    return list(
        db.session.scalars(
            select(Flag).where(Flag.item == item_key(post_id, comment_id), Flag.outcome == "open")
        )
    )


def tally(flags):
    """(people, departments, weight, the most common reason, any confidential) of flags.

    Ties between reasons go to `confidential` (withholding is the careful side), then to
    the order of REASONS.
    """
    from .models import REASONS

    reasons = Counter(flag.reason for flag in flags)
    reason = (
        min(reasons, key=lambda r: (-reasons[r], r != "confidential", REASONS.index(r)))
        if reasons
        else "other"
    )
    return (
        len({flag.user_id for flag in flags}),
        len({flag.department for flag in flags}),
        sum(flag.weight for flag in flags),
        reason,
        "confidential" in reasons,
    )


def request_review(post_id, comment_id, again=False):
    """Put an item in the moderators' queue (`again`: to its top, e.g. edited while hidden)."""
    key = item_key(post_id, comment_id)
    now = utcnow()
    if (
        not insert_ignore(
            ReviewRequest, item=key, post_id=post_id, comment_id=comment_id, requested_at=now
        )
        and again
    ):
        db.session.execute(
            ReviewRequest.__table__.update()
            .where(ReviewRequest.item == key)
            .values(requested_at=now)
        )


def close_review(post_id, comment_id):
    db.session.execute(
        delete(ReviewRequest).where(ReviewRequest.item == item_key(post_id, comment_id))
    )


def log(item, action, actor, reason=None, people=0, departments=0, note=None, moderator=None):  # noqa: PLR0913
    post_id, comment_id = ids_of(item)
    entry = ModerationEntry(
        post_id=post_id,
        comment_id=comment_id,
        action=action,
        reason=reason,
        actor=actor,
        people=people,
        departments=departments,
        note=note,
        moderator_id=moderator,
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def item_event(type_, item, actor_id):
    """Record `post.hidden` etc. carrying the item as everyone sees it (the shared view)."""
    from ..conversations import record_item_event

    record_item_event(type_, item, actor_id)


def tell_author(kind, item):
    post_id, comment_id = ids_of(item)
    author = db.session.get(User, item.author_id)
    actor = {"id": author.id, "name": author.name, "avatar_url": author.avatar_url}
    notify.on_moderation(kind, post_id, comment_id, actor, item.body, utcnow())


def set_hidden(item, state, by, people, departments, reason, withheld):  # noqa: PLR0913
    item.hidden = {
        "state": state,
        "by": by,
        "people": people,
        "departments": departments,
        "reason": reason,
        "withheld": withheld,
        "at": shapes.utc_time(utcnow()),
    }


def flag(item, user, reason, note):
    """`user` flags a locked item; (created, hidden now). Hides it when the rule is met."""
    post_id, comment_id = ids_of(item)
    if item.author_id == user.id:
        raise own_item()
    if item.hidden is not None and item.hidden["state"] == "removed":
        raise item_removed()
    created = insert_ignore(
        Flag,
        item=item_key(post_id, comment_id),
        post_id=post_id,
        comment_id=comment_id,
        user_id=user.id,
        department=(user.department or "").casefold(),
        reason=reason,
        note=note or None,
        weight=weight_of(user.id),
        outcome="open",
        created_at=utcnow(),
    )
    if not created:
        return False, item.hidden is not None
    request_review(post_id, comment_id)
    if item.hidden is None:
        hide_if_due(item, user.id)
    return True, item.hidden is not None


def hide_if_due(item, actor_id):
    """Hide the item for the community when its open flags meet the rule."""
    config = current_app.config
    people, departments, weight, reason, confidential = tally(open_flags(item))
    if weight + EPSILON < config["CHATTER_HIDE_FLAGS"]:
        return
    if departments < config["CHATTER_HIDE_DEPARTMENTS"]:
        return
    set_hidden(item, "hidden", "community", people, departments, reason, confidential)
    log(item, "hidden", "community", reason, people, departments)
    tell_author("hidden", item)
    item_event(_type(item, "hidden"), item, actor_id)


def edited_after_hide(item):
    """The author edited their hidden item: logged, and back to the top of the queue."""
    post_id, comment_id = ids_of(item)
    log(item, "edited_after_hide", "author", item.hidden["reason"])
    request_review(post_id, comment_id, again=True)


def unflag(item, user):
    """Withdraw the user's open flag; (hidden). A hidden item stays hidden until reviewed."""
    post_id, comment_id = ids_of(item)
    db.session.execute(
        delete(Flag).where(
            Flag.item == item_key(post_id, comment_id),
            Flag.user_id == user.id,
            Flag.outcome == "open",
        )
    )
    if item.hidden is None and not open_flags(item):
        close_review(post_id, comment_id)
    return item.hidden is not None


def _type(item, action):
    return f"{'comment' if isinstance(item, Comment) else 'post'}.{action}"
