"""What the policing endpoints take and answer."""

from marshmallow import Schema, fields, validate

from ..schemas import CommentSchema, HiddenSchema, Id, PostSchema, Text, UTCDateTime
from .models import NOTE, REASONS

ACTIONS = ("hide", "restore", "remove", "dismiss")
LOGGED = ("hidden", "restored", "removed", "dismissed", "edited_after_hide")


def _note():
    return Text(
        validate=validate.Length(0, NOTE),
        allow_none=True,
        load_default=None,
        metadata={"description": f"Up to {NOTE} characters."},
    )


def _cursor():
    return Text(validate=validate.Length(1, 500), metadata={"description": "A `next`."})


class FlagCreateSchema(Schema):
    reason = Text(required=True, validate=validate.OneOf(REASONS))
    note = _note()


class FlagStateSchema(Schema):
    flagged = fields.Boolean()
    hidden = fields.Boolean(metadata={"description": "The item is hidden (or removed) now."})


class ItemRefSchema(Schema):
    post_id = Id()
    comment_id = Id()


class DecisionSchema(Schema):
    item = fields.Nested(
        ItemRefSchema,
        required=True,
        metadata={"description": '`{"post_id": n}` or `{"comment_id": n}`.'},
    )
    action = Text(required=True, validate=validate.OneOf(ACTIONS))
    note = _note()


class LogItemSchema(Schema):
    post_id = fields.Integer()
    comment_id = fields.Integer(allow_none=True)
    url = fields.String(metadata={"description": "The item's permalink."})
    excerpt = fields.String(
        allow_none=True, metadata={"description": "Null when removed, withheld or deleted."}
    )


class LogEntrySchema(Schema):
    id = fields.Integer()
    item = fields.Nested(LogItemSchema)
    action = fields.String(metadata={"enum": list(LOGGED)})
    reason = fields.String(allow_none=True)
    actor = fields.String(
        metadata={
            "description": 'A kind, never a name: "3 colleagues in 2 departments", '
            '"a moderator" or "the author".'
        }
    )
    note = fields.String(allow_none=True, metadata={"description": "The moderator's note."})
    at = UTCDateTime()


class DecisionAnswerSchema(Schema):
    entry = fields.Nested(LogEntrySchema)


class LogPageSchema(Schema):
    entries = fields.List(fields.Nested(LogEntrySchema))
    next = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})


class PageQuerySchema(Schema):
    cursor = _cursor()


class FlaggerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    department = fields.String(allow_none=True)


class QueueFlagSchema(Schema):
    reason = fields.String()
    note = fields.String(allow_none=True)
    by = fields.Nested(FlaggerSchema)
    at = UTCDateTime()


class QueueItemSchema(Schema):
    """A post or a comment (the other null) exactly as GET shows it to a moderator."""

    post = fields.Nested(PostSchema, allow_none=True)
    comment = fields.Nested(CommentSchema, allow_none=True)
    hidden = fields.Nested(HiddenSchema, allow_none=True)
    flags = fields.List(fields.Nested(QueueFlagSchema))


class QueuePageSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))
    next = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})


class RevisionSchema(Schema):
    text = fields.String(metadata={"description": "The Markdown source then."})
    html = fields.String()
    at = UTCDateTime(metadata={"description": "When this text was written."})


class RevisionsSchema(Schema):
    revisions = fields.List(
        fields.Nested(RevisionSchema), metadata={"description": "Newest first."}
    )


class MuteStateSchema(Schema):
    muted = fields.Boolean()
