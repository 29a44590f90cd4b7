"""What GET /search takes and answers."""

from marshmallow import Schema, fields, validate

from ..schemas import Text

MAX_QUERY = 500  # characters of a query
PAGE_SIZE = 50


class SearchQuerySchema(Schema):
    q = Text(
        load_default="",
        validate=validate.Length(0, MAX_QUERY),
        metadata={
            "description": 'Words (all must match; the last is a prefix while typing), "a phrase",'
            " -word, from:handle, from:me, on:page-key, has:picture, is:promoted,"
            " before:YYYY-MM-DD, after:YYYY-MM-DD. Empty or only operators: 422 empty_query."
        },
    )
    type = fields.String(
        load_default="all", validate=validate.OneOf(["all", "posts", "comments", "people"])
    )
    cursor = Text(validate=validate.Length(1, 500), metadata={"description": "A `next_cursor`."})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, PAGE_SIZE))


class SearchPageSchema(Schema):
    items = fields.List(
        fields.Dict(),
        metadata={
            "description": "Each has `type`: `person` (as GET /people), `post` (as GET /posts,"
            " plus `highlight`) or `comment` (as GET /posts/{id}/comments, plus `post_title`"
            " and `highlight`). `highlight` is HTML whose only tag is <mark>."
        },
    )
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})
    total_estimate = fields.Integer(
        metadata={"description": "Matches, counted up to 2,000 (the ranked candidates)."}
    )
