"""What the people endpoints take and answer."""

from marshmallow import Schema, fields, validate

from .. import limits
from ..schemas import PostPageSchema, Text, UTCDateTime


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
    muted_by_me = fields.Boolean(
        metadata={"description": "You muted them: their items are left out of your view."}
    )
    joined_at = UTCDateTime()


def _cursor():
    return Text(validate=validate.Length(1, 500), metadata={"description": "A `next_cursor`."})


class PersonPostsQuerySchema(Schema):
    cursor = _cursor()
    limit = fields.Integer(load_default=20, validate=validate.Range(1, limits.PAGE_SIZE))


class PersonPostPageSchema(PostPageSchema):
    """A person's conversations, newest first, shaped as GET /posts answers."""


class ReactorsQuerySchema(Schema):
    cursor = _cursor()
    limit = fields.Integer(load_default=20, validate=validate.Range(1, limits.REACTORS_PAGE_SIZE))


class ReactorSchema(PersonSchema):
    at = UTCDateTime(metadata={"description": "When they liked or promoted it."})


class ReactorPageSchema(Schema):
    items = fields.List(fields.Nested(ReactorSchema), metadata={"description": "Newest first."})
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})
