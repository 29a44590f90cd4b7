"""What the people endpoints take and answer."""

from marshmallow import Schema, fields, validate

from .. import limits
from ..schemas import Text, UTCDateTime


class PeopleQuerySchema(Schema):
    q = Text(
        required=True,
        validate=validate.Length(1, 100),
        metadata={"description": "Prefixes of name words, the handle or the e-mail."},
    )
    limit = fields.Integer(load_default=8, validate=validate.Range(1, limits.PEOPLE_PAGE_SIZE))


class PersonSchema(Schema):
    id = fields.Integer()
    handle = fields.String()
    name = fields.String()
    title = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    avatar_url = fields.String(allow_none=True)


class PeopleSchema(Schema):
    items = fields.List(fields.Nested(PersonSchema))


class PersonCardSchema(PersonSchema):
    post_count = fields.Integer()
    comment_count = fields.Integer()
    likes_received = fields.Integer(metadata={"description": "On their posts and comments."})
    follower_count = fields.Integer()
    followed_by_me = fields.Boolean()
    joined_at = UTCDateTime()
