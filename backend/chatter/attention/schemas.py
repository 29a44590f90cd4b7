"""What the follow and notification endpoints take and answer."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..limits import ID_MAX
from ..schemas import ContextSchema, Id, Text, UTCDateTime

KINDS = ("comment", "reply", "mention", "like", "promotion", "follow", "outcome", "answer")
NOTIFICATIONS_PAGE = 50


class FollowStateSchema(Schema):
    followed_by_me = fields.Boolean()


class PersonFollowStateSchema(FollowStateSchema):
    follower_count = fields.Integer()


class PageQuerySchema(Schema):
    context = Text(required=True, validate=validate.Length(1, 200))


class ActorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    avatar_url = fields.String(allow_none=True)


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(KINDS)})
    created_at = UTCDateTime()
    read = fields.Boolean()
    actors = fields.List(
        fields.Nested(ActorSchema), metadata={"description": "The newest few, newest first."}
    )
    actor_count = fields.Integer(metadata={"description": "Everyone behind a grouped one."})
    post_id = fields.Integer(allow_none=True)
    comment_id = fields.Integer(allow_none=True)
    excerpt = fields.String(metadata={"description": "One line of what it is about."})
    context = fields.Nested(ContextSchema, allow_none=True)
    link = fields.String(allow_none=True, metadata={"description": "The permalink to open."})


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    unread_count = fields.Integer()
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})


class NotificationQuerySchema(Schema):
    cursor = Text(validate=validate.Length(1, 500))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, NOTIFICATIONS_PAGE))


class MarkReadSchema(Schema):
    ids = fields.List(
        fields.Integer(
            strict=True, validate=[validate.Range(-ID_MAX, ID_MAX), validate.NoneOf([0])]
        ),
        validate=validate.Length(1, 100),
        metadata={"description": "Negative: a conversation's comments (its group's id)."},
    )
    all = fields.Boolean()
    post_id = Id()

    @validates_schema
    def _one_choice(self, data, **_kwargs):
        chosen = [name for name in ("ids", "all", "post_id") if data.get(name)]
        if len(chosen) != 1:
            raise ValidationError("Send one of `ids`, `all: true` or `post_id`.")


class UnreadSchema(Schema):
    unread_count = fields.Integer()
