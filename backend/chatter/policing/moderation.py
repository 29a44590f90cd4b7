"""Review and the public log: moderators decide on flagged and hidden items; everyone reads
what was done, by whom as a kind ("3 colleagues in 2 departments", "a moderator"), and why.

A decision closes the item's review: `hide` and `remove` uphold its open flags, `restore` and
`dismiss` overturn them (and so lower those flaggers' weight, hiding.py). Removal keeps the row
for the log and deletes its text, earlier texts and pictures.
"""

from sqlalchemy import bindparam, delete, select, tuple_, update

from .. import links
from ..attention import notify
from ..attention.items import one_line
from ..db import db
from ..errors import ApiError
from ..media.uploads import delete_pictures_of
from ..models import Comment, Context, Post, User
from ..people.models import Mention
from ..read import cursors
from ..read.rows import load_comment, load_post
from ..shapes import utc_time
from .hiding import (
    close_review,
    ids_of,
    item_event,
    item_removed,
    log,
    open_flags,
    set_hidden,
    tally,
    tell_author,
)
from .models import Flag, ModerationEntry, ReviewRequest, Revision, item_key

PAGE = 20


def not_moderator():
    return ApiError(403, "Only moderators review flagged items.", code="not_moderator")


def _refuse(detail, code):
    return ApiError(409, detail, code=code)


def _settle(item, outcome):
    post_id, comment_id = ids_of(item)
    db.session.execute(
        update(Flag)
        .where(Flag.item == item_key(post_id, comment_id), Flag.outcome == "open")
        .values(outcome=outcome)
    )
    close_review(post_id, comment_id)


def _kind(item):
    return "comment" if isinstance(item, Comment) else "post"


def decide(item, moderator_id, action, note):
    """Apply a moderator's decision to a locked item; the log entry it wrote."""
    state = item.hidden["state"] if item.hidden is not None else None
    if state == "removed":
        raise item_removed()
    people, departments, _weight, reason, confidential = tally(open_flags(item))
    if action == "hide":
        if state is not None:
            raise _refuse("It is hidden already: restore or remove it.", "already_hidden")
        set_hidden(item, "hidden", "moderator", people, departments, reason, confidential)
        _settle(item, "upheld")
        tell_author("hidden", item)
        item_event(f"{_kind(item)}.hidden", item, moderator_id)
        return log(item, "hidden", "moderator", reason, people, departments, note, moderator_id)
    if action == "remove":
        reason = item.hidden["reason"] if item.hidden is not None else reason
        _remove_content(item)
        set_hidden(item, "removed", "moderator", people, departments, reason, True)
        _settle(item, "upheld")
        tell_author("hidden", item)
        item_event(f"{_kind(item)}.removed", item, moderator_id)
        return log(item, "removed", "moderator", reason, people, departments, note, moderator_id)
    if state is None and action == "restore":
        raise _refuse("It is not hidden: dismiss its flags instead.", "not_hidden")
    if state is not None and action == "dismiss":
        raise _refuse("It is hidden: restore or remove it.", "already_hidden")
    if action == "restore":
        reason = item.hidden["reason"]
        item.hidden = None
        _settle(item, "overturned")
        tell_author("restored", item)
        item_event(f"{_kind(item)}.restored", item, moderator_id)
        return log(item, "restored", "moderator", reason, people, departments, note, moderator_id)
    _settle(item, "overturned")  # dismiss: the flags did not warrant hiding
    return log(item, "dismissed", "moderator", reason, people, departments, note, moderator_id)


def _remove_content(item):
    """Delete the text, its earlier versions, mentions and pictures; keep the row."""
    post_id, comment_id = ids_of(item)
    delete_pictures_of(post_id, comment_id)
    same = Revision.comment_id == comment_id if comment_id else Revision.comment_id.is_(None)
    db.session.execute(delete(Revision).where(Revision.post_id == post_id, same))
    mentioned = Mention.comment_id == comment_id if comment_id else Mention.comment_id.is_(None)
    db.session.execute(delete(Mention).where(Mention.post_id == post_id, mentioned))
    # a removed conversation takes back what its comments told too (mentions, replies), as
    # deleting it does: they lead to a conversation nobody can read any more
    notify.withdraw(post_id, None if comment_id is None else [comment_id])
    item.body, item.html, item.revision_count = "", "", 0


# ---- the public log ------------------------------------------------------------------------


def actor_kind(entry):
    """Who did it, as a kind: flaggers and moderators are never named."""
    if entry.actor == "community":
        people = f"{entry.people} colleague{'s' if entry.people != 1 else ''}"
        return f"{people} in {entry.departments} department{'s' if entry.departments != 1 else ''}"
    return "the author" if entry.actor == "author" else "a moderator"


def _items_of(entries):
    """{(post id, comment id): (context url, body or None when not to be quoted)}."""
    post_ids = {e.post_id for e in entries}
    comment_ids = {e.comment_id for e in entries if e.comment_id is not None}
    found = {}
    if post_ids:
        for post_id, body, hidden, url in db.session.execute(
            select(Post.id, Post.body, Post.hidden, Context.url)
            .outerjoin(Context, Context.id == Post.context_id)
            .where(Post.id.in_(post_ids))
        ):
            found[post_id, None] = (url, None if hidden and hidden["withheld"] else body)
    if comment_ids:
        for comment_id, post_id, body, hidden, url in db.session.execute(
            select(Comment.id, Comment.post_id, Comment.body, Comment.hidden, Context.url)
            .join(Post, Post.id == Comment.post_id)
            .outerjoin(Context, Context.id == Post.context_id)
            .where(Comment.id.in_(comment_ids))
        ):
            found[post_id, comment_id] = (url, None if hidden and hidden["withheld"] else body)
    return found


def entry_json(entry, item=None):
    """A log entry as the API shows it; `item` is (context url, quotable body) or None."""
    url, body = item or (None, None)
    if entry.comment_id is not None:
        link = links.comment_link(entry.post_id, entry.comment_id, url)
    else:
        link = links.post_link(entry.post_id, url)
    return {
        "id": entry.id,
        "item": {
            "post_id": entry.post_id,
            "comment_id": entry.comment_id,
            "url": link,
            "excerpt": one_line(body) if body else None,
        },
        "action": entry.action,
        "reason": entry.reason,
        "actor": actor_kind(entry),
        "note": entry.note,
        "at": entry.created_at,
    }


def one_entry(entry):
    return entry_json(entry, _items_of([entry]).get((entry.post_id, entry.comment_id)))


def log_page(cursor=None):
    """The newest log entries (before the cursor): {"entries", "next"}."""
    query = select(ModerationEntry).order_by(ModerationEntry.id.desc()).limit(PAGE + 1)
    if cursor:
        tag, before = cursors.decode_cursor(cursor, [cursors.tag, cursors.row_id])
        if tag != "log":
            raise cursors.bad_cursor("This cursor belongs to another list.")
        query = query.where(ModerationEntry.id < before)
    entries = list(db.session.scalars(query))
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    items = _items_of(entries)
    return {
        "entries": [entry_json(e, items.get((e.post_id, e.comment_id))) for e in entries],
        "next": cursors.encode_cursor("log", entries[-1].id) if more else None,
    }


# ---- the queue -----------------------------------------------------------------------------


def queue_page(viewer, cursor=None):
    """Items waiting for review, the latest request first, with their open flags (and the
    flaggers, for moderators' eyes only): {"items", "next"}."""
    query = (
        select(ReviewRequest)
        .order_by(ReviewRequest.requested_at.desc(), ReviewRequest.id.desc())
        .limit(PAGE + 1)
    )
    if cursor:
        tag, at, last = cursors.decode_cursor(cursor, [cursors.tag, cursors.moment, cursors.row_id])
        if tag != "queue":
            raise cursors.bad_cursor("This cursor belongs to another list.")
        query = query.where(
            tuple_(ReviewRequest.requested_at, ReviewRequest.id)
            < tuple_(bindparam("at", at, type_=ReviewRequest.requested_at.type), last)
        )
    requests = list(db.session.scalars(query))
    more = len(requests) > PAGE
    requests = requests[:PAGE]
    flags = {}
    if requests:
        for flag, name, department in db.session.execute(
            select(Flag, User.name, User.department)
            .join(User, User.id == Flag.user_id)
            .where(Flag.item.in_([r.item for r in requests]), Flag.outcome == "open")
            .order_by(Flag.created_at, Flag.id)
        ):
            flags.setdefault(flag.item, []).append(
                {
                    "reason": flag.reason,
                    "note": flag.note,
                    "by": {"id": flag.user_id, "name": name, "department": department},
                    "at": utc_time(flag.created_at),
                }
            )
    items = []
    for request in requests:
        post = comment = None
        if request.comment_id is not None:
            comment = load_comment(request.comment_id, viewer)
            hidden = comment and comment["hidden"]
        else:
            post = load_post(request.post_id, viewer)
            hidden = post and post["hidden"]
        items.append(
            {
                "post": post,
                "comment": comment,
                "hidden": hidden,
                "flags": flags.get(request.item, []),
            }
        )
    last = requests[-1] if requests else None
    return {
        "items": items,
        "next": cursors.encode_cursor("queue", last.requested_at.isoformat(), last.id)
        if more
        else None,
    }
