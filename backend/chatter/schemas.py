"""Validation and shape. PostSchema and CommentSchema define what a post and a comment are:
they document the API, dump the live events, and the read model's fast builders
(read/rows.py) are proven to give the same bytes (tests/test_posts.py)."""

from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from . import limits, links, shapes
from .media import media_url
from .text import clean_body, clean_name


class UTCDateTime(fields.DateTime):
    """Naive-UTC datetimes out as ISO 8601 with a Z."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat(timespec="milliseconds") + "Z"


def storable(text):
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    if "\x00" in text:
        raise ValidationError("Text cannot contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Text must be valid Unicode (no unpaired surrogates).") from None
    return text


class Text(fields.String):
    """Any text from a request: a string the databases can store."""

    def _deserialize(self, value, attr, data, **kwargs):
        return storable(super()._deserialize(value, attr, data, **kwargs))


class Body(fields.String):
    """Markdown source: normalized (controls dropped), then measured in code points."""

    def _deserialize(self, value, attr, data, **kwargs):
        return storable(clean_body(super()._deserialize(value, attr, data, **kwargs)))


class Label(fields.String):
    """A one-line label: normalized, controls removed, spaces collapsed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return storable(clean_name(super()._deserialize(value, attr, data, **kwargs)))


def Id(**kwargs):  # noqa: N802 - a field factory, named like the fields it makes
    """The id of a row: a strict integer that fits a BIGINT column."""
    return fields.Integer(strict=True, validate=validate.Range(1, limits.ID_MAX), **kwargs)


POST_KINDS = ("post", "question")


def _http_url(value):
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError("Must be an http(s) URL.")


class ImageRef(fields.Field):
    """A picture to attach: an upload id, or {"id": upload id, "alt": "text"}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            value = {"id": value}
        if not isinstance(value, dict):
            raise ValidationError('An upload id, or {"id": upload id, "alt": "description"}.')
        return ImageRefSchema().load(value)


# ---- output ----------------------------------------------------------------------------


class UploadSchema(Schema):
    id = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    url = fields.Function(
        lambda upload: media_url(upload.name),
        metadata={"description": "The large size (at most 1600 px a side)."},
    )
    thumbnail_url = fields.Function(
        lambda upload: media_url(upload.thumbnail_name),
        metadata={"description": "At most 480 px a side."},
    )
    thumbnail_width = fields.Integer()
    thumbnail_height = fields.Integer()


class ImageSchema(UploadSchema):
    alt = fields.String(allow_none=True, metadata={"description": "The author's description."})


class AuthorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    avatar_url = fields.String(allow_none=True)


class LimitsSchema(Schema):
    post_body = fields.Integer(metadata={"description": "Most characters in a conversation."})
    comment_body = fields.Integer(metadata={"description": "Most characters in a comment."})
    images_per_item = fields.Integer(metadata={"description": "Most pictures on one item."})
    upload_bytes = fields.Integer(metadata={"description": "Largest picture file."})
    alt_text = fields.Integer(metadata={"description": "Most characters in a description."})
    page_size = fields.Integer(metadata={"description": "Largest `limit` of GET /posts."})
    thread_page_size = fields.Integer(
        metadata={"description": "Largest `limit` of GET /posts/{id}/comments."}
    )


class UserSchema(AuthorSchema):
    handle = fields.String(metadata={"description": "Unique and stable: `@handle` mentions."})
    is_admin = fields.Boolean()
    is_moderator = fields.Boolean(metadata={"description": "May review flagged items."})
    unread_notifications = fields.Integer(metadata={"description": "For the bell."})
    muted_people = fields.List(
        fields.Integer(),
        metadata={
            "description": "The ids of the people you muted: live posts and comments by them "
            "are yours to leave out (pages and lists leave them out already)."
        },
    )


def _limits():
    return fields.Nested(
        LimitsSchema,
        metadata={
            "description": "The limits this server enforces, for clients to show before sending."
        },
    )


class MeSchema(UserSchema):
    limits = _limits()


class ContextSchema(Schema):
    key = fields.String()
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)


class MentionSchema(Schema):
    id = fields.Integer()
    handle = fields.String()
    name = fields.String()


class HiddenSchema(Schema):
    state = fields.String(metadata={"description": "`hidden` (waiting for review) or `removed`."})
    by = fields.String(metadata={"description": "`community` (after flags) or `moderator`."})
    people = fields.Integer(metadata={"description": "Distinct colleagues who flagged it."})
    departments = fields.Integer(metadata={"description": "Their distinct departments."})
    reason = fields.String(metadata={"description": "The most common reason of the flags."})
    withheld = fields.Boolean(
        metadata={
            "description": "Text and pictures are withheld from everyone but the author and "
            "moderators (confidential, or removed)."
        }
    )
    at = fields.String(metadata={"description": "When it was hidden (ISO 8601)."})


def _hidden():
    return fields.Nested(
        HiddenSchema,
        allow_none=True,
        metadata={"description": "Null, or why and by whom it is hidden: show a placeholder."},
    )


def _revision_count():
    return fields.Integer(metadata={"description": "Earlier texts kept (0: never edited)."})


def _flagged_by_me():
    return fields.Boolean(metadata={"description": "You flagged it (and did not withdraw)."})


class OutcomeAuthorSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class OutcomeSchema(Schema):
    summary = fields.String(metadata={"description": "Markdown-lite, as written."})
    html = fields.String(metadata={"description": "The summary rendered and sanitized."})
    url = fields.String(allow_none=True, metadata={"description": "An https link to the change."})
    by = fields.Nested(OutcomeAuthorSchema, allow_none=True)
    at = fields.String(metadata={"description": "When it was recorded (ISO 8601, Z)."})
    days = fields.Float(metadata={"description": "Days from the conversation's start."})


class PostSchema(Schema):
    id = fields.Integer()
    author = fields.Nested(AuthorSchema)
    body = fields.String()
    html = fields.String()
    mentions = fields.List(
        fields.Nested(MentionSchema),
        metadata={"description": "People the body mentions (`@handle`), in handle order."},
    )
    context = fields.Nested(ContextSchema, allow_none=True)
    link = fields.Function(
        lambda post: links.post_link(post.id, post.context_url),
        metadata={
            "type": "string",
            "description": "The permalink: the conversation's page with `#chatter-post-{id}`, "
            "or Chatter's own page `/c/{id}` when its page is unknown.",
        },
    )
    created_at = UTCDateTime()
    edited_at = UTCDateTime(allow_none=True)
    last_activity_at = UTCDateTime()
    like_count = fields.Integer()
    comment_count = fields.Integer()
    promotion_count = fields.Integer()
    promotion_departments = fields.Integer()
    images = fields.List(fields.Nested(ImageSchema))
    hidden = _hidden()
    revision_count = _revision_count()
    kind = fields.String(metadata={"description": "`post` or `question`."})
    answer_id = fields.Integer(
        allow_none=True, metadata={"description": "A question's answer: one of its comments."}
    )
    answered_at = UTCDateTime(allow_none=True)
    outcome = fields.Function(
        lambda post: shapes.outcome(post),
        metadata={
            "description": "What the conversation led to, or null: {summary, html, url, by: "
            "{id, name}, at, days}.",
            "type": ["object", "null"],
        },
    )
    liked_by_me = fields.Boolean()
    promoted_by_me = fields.Boolean()
    followed_by_me = fields.Boolean(
        metadata={"description": "You follow it: you are told about new comments."}
    )
    flagged_by_me = _flagged_by_me()
    can_edit = fields.Boolean()
    can_delete = fields.Boolean()
    can_promote = fields.Boolean(
        metadata={
            "description": "You may promote it: not your own conversation, and not hidden. "
            "Yours alone, like `can_edit`: live events do not carry it."
        }
    )


class CommentSchema(Schema):
    id = fields.Integer()
    post_id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema)
    body = fields.String()
    html = fields.String()
    mentions = fields.List(fields.Nested(MentionSchema))
    link = fields.Function(
        lambda comment: links.comment_link(comment.post_id, comment.id, comment.context_url),
        metadata={
            "type": "string",
            "description": "The permalink: the conversation's page (or `/c/{post_id}`) with "
            "`#chatter-comment-{id}`.",
        },
    )
    created_at = UTCDateTime()
    edited_at = UTCDateTime(allow_none=True)
    like_count = fields.Integer()
    reply_count = fields.Integer()
    images = fields.List(fields.Nested(ImageSchema))
    hidden = _hidden()
    revision_count = _revision_count()
    is_answer = fields.Boolean(metadata={"description": "The answer to its question."})
    liked_by_me = fields.Boolean()
    flagged_by_me = _flagged_by_me()
    can_edit = fields.Boolean()
    can_delete = fields.Boolean()


# A reader's own fields: every reader sees the same item, closed with these (read/feed.py).
READER_FIELDS = (
    "liked_by_me",
    "promoted_by_me",
    "followed_by_me",
    "flagged_by_me",
    "can_edit",
    "can_delete",
    "can_promote",
)
SHARED_POST = PostSchema(exclude=READER_FIELDS)
SHARED_COMMENT = CommentSchema(exclude=("liked_by_me", "flagged_by_me", "can_edit", "can_delete"))


class PageSchema(Schema):
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as `cursor`."})


class PostPageSchema(PageSchema):
    items = fields.List(fields.Nested(PostSchema))
    last_event_id = fields.Integer(
        metadata={
            "description": "The event log's head before this page: resume the stream from it."
        }
    )


class CommentPageSchema(PageSchema):
    items = fields.List(fields.Nested(CommentSchema))


class LikeStateSchema(Schema):
    liked = fields.Boolean()
    like_count = fields.Integer()


class PromotionStateSchema(Schema):
    promoted = fields.Boolean()
    promotion_count = fields.Integer()
    promotion_departments = fields.Integer()


class SessionSchema(Schema):
    token = fields.String()
    expires_at = UTCDateTime()
    user = fields.Nested(UserSchema)
    dev_mode = fields.Boolean()
    limits = _limits()
    feed = fields.Nested(
        PostPageSchema,
        metadata={"description": "The first page asked for with `feed`, as GET /posts answers it."},
    )


class RevokedSessionsSchema(Schema):
    revoked = fields.Integer(metadata={"description": "How many live sessions were ended."})


class HealthSchema(Schema):
    status = fields.String()


# ---- input -----------------------------------------------------------------------------


class SessionCreateSchema(Schema):
    identity_token = Text(required=True, validate=validate.Length(1, 8192))
    feed = fields.Nested(
        "FeedQuerySchema",
        exclude=("cursor",),
        load_default=None,
        metadata={
            "description": "GET /posts arguments (a first page: no cursor): the answer carries "
            "that page too, saving a pane one round trip on its way to showing "
            "conversations."
        },
    )


class ImageRefSchema(Schema):
    id = Id(required=True)
    alt = Label(validate=validate.Length(0, limits.ALT_TEXT), allow_none=True)


def _images():
    most = limits.IMAGES_PER_ITEM
    return fields.List(
        ImageRef(),
        load_default=list,
        validate=validate.Length(max=most),
        metadata={"description": f"Up to {most} of your uploads: ids or {{id, alt}}."},
    )


def _text_or_pictures(_schema, data, **kwargs):
    if not data.get("body") and not data.get("images"):
        raise ValidationError({"body": ["Write something or attach a picture."]})


class PostCreateSchema(Schema):
    body = Body(load_default="", validate=validate.Length(0, limits.POST_BODY))
    images = _images()
    _text_or_pictures = validates_schema(_text_or_pictures)
    context = Text(validate=validate.Length(1, 200), allow_none=True)
    context_title = Label(validate=validate.Length(0, 200), allow_none=True)
    context_url = Text(validate=[validate.Length(1, 500), _http_url], allow_none=True)
    kind = Text(validate=validate.OneOf(POST_KINDS), load_default="post")

    @validates("context")
    def _context_printable(self, value, **kwargs):
        if value is not None and (value != value.strip() or not value.isprintable()):
            raise ValidationError("A context key is printable text without surrounding spaces.")


class PostUpdateSchema(Schema):
    body = Body(validate=validate.Length(1, limits.POST_BODY))
    kind = Text(validate=validate.OneOf(POST_KINDS))

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("Send body, kind or both.")


def _https_url(value):
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError("Must be an https:// URL.")


class OutcomeInputSchema(Schema):
    summary = Body(required=True, validate=validate.Length(1, limits.OUTCOME_SUMMARY))
    url = Text(validate=[validate.Length(1, 500), _https_url], allow_none=True, load_default=None)


class AnswerInputSchema(Schema):
    comment_id = Id(required=True)


class CommentCreateSchema(Schema):
    body = Body(load_default="", validate=validate.Length(0, limits.COMMENT_BODY))
    images = _images()
    _text_or_pictures = validates_schema(_text_or_pictures)
    parent_id = Id(allow_none=True)


class CommentUpdateSchema(Schema):
    body = Body(required=True, validate=validate.Length(1, limits.COMMENT_BODY))


class FeedQuerySchema(Schema):
    context = Text(validate=validate.Length(1, 200))
    sort = Text(load_default="latest", validate=validate.OneOf(["latest", "active", "top"]))
    promoted = fields.Boolean(load_default=False)
    following = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Your Following feed: conversations you follow, or by people and on "
            "pages you follow, newest activity first (`sort`, `context`, `promoted` ignored)."
        },
    )
    outcome = fields.Boolean(
        load_default=False,
        metadata={"description": "Only conversations that led to a change (with an outcome)."},
    )
    kind = Text(
        validate=validate.OneOf(POST_KINDS),
        metadata={"description": "Only questions (`question`) or only plain posts (`post`)."},
    )
    answered = fields.Boolean(
        metadata={"description": "With `kind=question`: answered (true) or open (false) ones."}
    )
    cursor = Text(validate=validate.Length(1, 500))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, limits.PAGE_SIZE))


class CommentQuerySchema(Schema):
    order = Text(
        load_default="oldest",
        validate=validate.OneOf(["oldest", "latest"]),
        metadata={
            "description": "`oldest`: every comment, oldest first. `latest`: the newest `limit` "
            "top-level comments with their replies; the cursor leads to earlier ones."
        },
    )
    cursor = Text(validate=validate.Length(1, 500))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, limits.THREAD_PAGE_SIZE))


class DevTokenQuerySchema(Schema):
    sub = Text(required=True, validate=validate.Length(1, 100))
    name = Text(validate=validate.Length(1, 100))
    title = Text(validate=validate.Length(1, 100))
    department = Text(validate=validate.Length(1, 100))
    email = Text(validate=validate.Length(1, 254))
    preferred_username = Text(validate=validate.Length(1, 100))
    avatar = Text(validate=validate.Length(1, 500))


class DevTokenSchema(Schema):
    identity_token = fields.String()
