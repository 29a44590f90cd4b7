"""A post's and a comment's API shape, built from rows or objects in hand.

`PostSchema` and `CommentSchema` (schemas.py) document these shapes in the OpenAPI document;
a test proves these builders give the same bytes for every field. Building dicts from what
is at hand costs a tenth of loading ORM objects and dumping them through marshmallow: the
read model builds its pages with them (read/rows.py), the writes their live events and REST
answers (conversations.py). `row` is anything with the columns as attributes.
"""

from . import links
from .media import media_url
from .models import Upload


def utc_time(value):
    """A naive-UTC datetime as the API writes it: ISO 8601, milliseconds, Z."""
    return None if value is None else value.isoformat(timespec="milliseconds") + "Z"


def author(row):
    """The author fields cards show, from a row's author_* columns."""
    return {
        "id": row.author_id,
        "name": row.author_name,
        "title": row.author_title,
        "department": row.author_department,
        "avatar_url": row.author_avatar_url,
    }


def image(upload):
    """A picture as the API shows it, from an Upload or a row of its columns."""
    large, thumbnail = Upload.file_names(upload.key, upload.content_type)
    return {
        "id": upload.id,
        "width": upload.width,
        "height": upload.height,
        "url": media_url(large),
        "thumbnail_url": media_url(thumbnail),
        "thumbnail_width": upload.thumbnail_width,
        "thumbnail_height": upload.thumbnail_height,
        "alt": upload.alt,
    }


def post(row, images, mentions):
    """A post as every reader sees it (no reader's own fields)."""
    return {
        "id": row.id,
        "author": author(row),
        "body": row.body,
        "html": row.html,
        "mentions": mentions,
        "context": {"key": row.context_key, "title": row.context_title, "url": row.context_url}
        if row.context_key is not None
        else None,
        "link": links.post_link(row.id, row.context_url),
        "created_at": utc_time(row.created_at),
        "edited_at": utc_time(row.edited_at),
        "last_activity_at": utc_time(row.last_activity_at),
        "like_count": row.like_count,
        "comment_count": row.comment_count,
        "promotion_count": row.promotion_count,
        "promotion_departments": row.promotion_departments,
        "images": images,
        "hidden": row.hidden,
        "revision_count": row.revision_count,
        "kind": row.kind,
        "answer_id": row.answer_id,
        "answered_at": utc_time(row.answered_at),
        "outcome": outcome(row),
    }


def outcome(row):
    """A conversation's outcome ("it led to a change") or None, from its outcome_* columns;
    `days` counts from the conversation's start."""
    if row.outcome_at is None:
        return None
    by = {"id": row.outcome_by_id, "name": row.outcome_by_name} if row.outcome_by_id else None
    return {
        "summary": row.outcome_summary,
        "html": row.outcome_html,
        "url": row.outcome_url,
        "by": by,
        "at": utc_time(row.outcome_at),
        "days": round((row.outcome_at - row.created_at).total_seconds() / 86400, 1),
    }


def comment(row, images, mentions):
    """A comment as every reader sees it (no reader's own fields); `row.context_url` is its
    conversation's page."""
    return {
        "id": row.id,
        "post_id": row.post_id,
        "parent_id": row.parent_id,
        "author": author(row),
        "body": row.body,
        "html": row.html,
        "mentions": mentions,
        "link": links.comment_link(row.post_id, row.id, row.context_url),
        "created_at": utc_time(row.created_at),
        "edited_at": utc_time(row.edited_at),
        "like_count": row.like_count,
        "reply_count": row.reply_count,
        "images": images,
        "hidden": row.hidden,
        "revision_count": row.revision_count,
        "is_answer": bool(row.is_answer),
    }


def is_withheld(payload):
    """Whether an item's text and pictures are kept from readers other than its author and
    the moderators (hidden as confidential, or removed)."""
    hidden = payload["hidden"]
    return hidden is not None and hidden["withheld"]


def withheld(payload):
    """An item as readers other than its author and the moderators see it: a withheld item
    without its text, pictures and mentions (the placeholder says why); others unchanged."""
    if not is_withheld(payload):
        return payload
    return payload | {"body": "", "html": "", "mentions": [], "images": []}


def own_fields(mine, admin, liked, promoted=None, followed=None, flagged=False, hidden=False):  # noqa: PLR0913
    """A reader's own fields of an item, in the API's order: the one rule for who may edit
    (the author), delete (the author or an admin) and promote (anyone but the author, while
    it is not hidden). `promoted`, `followed` and `hidden` only for posts."""
    fields = {"liked_by_me": liked}
    if promoted is not None:
        fields["promoted_by_me"] = promoted
        fields["followed_by_me"] = followed
    fields.update(flagged_by_me=flagged, can_edit=mine, can_delete=mine or admin)
    if promoted is not None:
        fields["can_promote"] = not mine and not hidden
    return fields
