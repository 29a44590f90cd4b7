"""Tables. Times are naive UTC; counters change only with the rows they count."""

import math
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import limits
from .db import db
from .media import EXTENSIONS

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT ids.
Id = BigInteger().with_variant(Integer(), "sqlite")


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


HOT_EPOCH = datetime(2025, 1, 1)
# Every day of freshness is worth a tenfold engagement (the classic "hot" ranking): scores
# stay fixed once written, so `top` is an index scan, and older lift fades naturally.
DECAY_SECONDS = 86400
DEPARTMENT_WEIGHT = 4  # a promotion from a new department counts this many single promotions


def hot_score(post):
    """Rank a post for `sort=top`: engagement and breadth of promotion, anchored at freshness."""
    breadth = post.promotion_departments * DEPARTMENT_WEIGHT
    depth = post.promotion_count - post.promotion_departments
    # The author's own like is no engagement: it does not lift their post.
    likes = post.like_count - (getattr(post, "author_likes", 0) or 0)
    weight = 1 + likes + 2 * post.comment_count + breadth + depth
    anchor = post.last_promoted_at or post.created_at
    return round(math.log10(weight) + (anchor - HOT_EPOCH).total_seconds() / DECAY_SECONDS, 7)


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_users_identity"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(100))
    # Given once at the first sign-in and never changed: mentions and links use it.
    handle: Mapped[str] = mapped_column(String(limits.HANDLE), unique=True, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    title: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    # `iat` of the identity token that last wrote the profile: older tokens never overwrite it.
    profile_issued_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class UsedIdentityToken(db.Model):
    """Replay guard: every (issuer, jti) is accepted once, kept until it would expire anyway."""

    __tablename__ = "used_identity_tokens"

    issuer: Mapped[str] = mapped_column(String(255), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class Session(db.Model):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    dev: Mapped[bool] = mapped_column(default=False)
    # The page origin that signed in (None without an Origin header): the token is refused
    # from any other origin, even an allowed one.
    origin: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @staticmethod
    def is_live(expires_at, revoked_at, now):
        """The one rule for a usable session, for REST requests and open streams alike."""
        return revoked_at is None and expires_at > now

    @staticmethod
    def origin_matches(session_origin, request_origin):
        """A session is used from the origin that made it; requests without Origin pass."""
        return (
            session_origin is None
            or request_origin is None
            or (request_origin.lower() == session_origin)
        )


class Context(db.Model):
    """A page (or anything with a key) that conversations belong to."""

    __tablename__ = "contexts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_latest", "created_at", "id"),
        Index("ix_posts_active", "last_activity_at", "id"),
        Index("ix_posts_top", "hot_score", "id"),
        Index("ix_posts_context_latest", "context_id", "created_at", "id"),
        Index("ix_posts_context_active", "context_id", "last_activity_at", "id"),
        Index("ix_posts_context_top", "context_id", "hot_score", "id"),
        Index("ix_posts_author", "author_id", "created_at"),
        # Insights and the feed's filters: questions by day (with what insights count of
        # their answers, from the index alone), conversations that led to a change.
        Index("ix_posts_kind", "kind", "created_at", "answered_at", "answer_author_id"),
        Index("ix_posts_outcome", "outcome_at"),
        # Insights' top conversations: the most commented first, their day in the index.
        Index("ix_posts_comments", "comment_count", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    context_id: Mapped[int | None] = mapped_column(ForeignKey("contexts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # Rendered and sanitized once on write; reads never re-render.
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    like_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    promotion_count: Mapped[int] = mapped_column(default=0)
    promotion_departments: Mapped[int] = mapped_column(default=0)
    last_promoted_at: Mapped[datetime | None] = mapped_column(DateTime)
    hot_score: Mapped[float] = mapped_column(Float, default=0.0)
    author_likes: Mapped[int] = mapped_column(default=0)  # 1 when the author likes it
    # None, or why and by whom it is hidden, as the API shows it (policing/hiding.py).
    hidden: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    revision_count: Mapped[int] = mapped_column(default=0)
    # "post" or "question"; a question's answer is one of its comments (no foreign key:
    # deleting that comment clears it explicitly, conversations.delete_comment).
    kind: Mapped[str] = mapped_column(String(10), default="post", server_default="post")
    answer_id: Mapped[int | None] = mapped_column(BigInteger)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The answer's author, kept with the answer: insights count answers per person from the
    # questions' index, without visiting each answer comment.
    answer_author_id: Mapped[int | None] = mapped_column(BigInteger)
    # "This conversation led to a change": markdown-lite summary rendered like a body.
    outcome_summary: Mapped[str | None] = mapped_column(Text)
    outcome_html: Mapped[str | None] = mapped_column(Text)
    outcome_url: Mapped[str | None] = mapped_column(String(500))
    # No foreign key: adding one would rebuild `posts` on SQLite (and drop its search triggers).
    outcome_by_id: Mapped[int | None] = mapped_column(BigInteger)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)

    author: Mapped[User] = relationship(lazy="raise")
    context: Mapped[Context | None] = relationship(lazy="raise")
    images: Mapped[list["Upload"]] = relationship(
        lazy="raise", order_by="Upload.position", passive_deletes="all"
    )

    @property
    def context_url(self):
        """The page this conversation belongs to, for its link (the context must be loaded)."""
        return self.context.url if self.context is not None else None


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_thread", "post_id", "created_at", "id"),
        Index("ix_comments_created", "created_at"),  # insights: a day's interactions
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # Replies are one level deep: a reply to a reply is attached to the top-level comment.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    like_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    revision_count: Mapped[int] = mapped_column(default=0)

    author: Mapped[User] = relationship(lazy="raise")
    images: Mapped[list["Upload"]] = relationship(
        lazy="raise", order_by="Upload.position", passive_deletes="all"
    )


class PostLike(db.Model):
    __tablename__ = "post_likes"
    __table_args__ = (
        Index("ix_post_likes_created", "created_at"),
    )  # insights: a day's interactions

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommentLike(db.Model):
    __tablename__ = "comment_likes"
    __table_args__ = (
        Index("ix_comment_likes_created", "created_at"),
    )  # insights: a day's interactions

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Promotion(db.Model):
    __tablename__ = "promotions"
    __table_args__ = (
        Index("ix_promotions_created", "created_at"),
    )  # insights: a day's interactions

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The promoter's department when promoting: breadth is counted over these.
    department: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column()
    response: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Event(db.Model):
    """The event log, written in the same transaction as each change it describes."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    context_key: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class UploadSlot(db.Model):
    """A picture being processed: at most one per person at a time, across every process.

    Taken and committed before decoding; removed in the transaction that records the picture,
    or when it is refused. One left behind by a process that died is taken over once stale.
    """

    __tablename__ = "upload_slots"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32))  # whose slot: only its taker removes it
    taken_at: Mapped[datetime] = mapped_column(DateTime)


class Upload(db.Model):
    """A picture, re-encoded as a large size and a thumbnail; attached to one post or comment.

    Until attached it belongs to its uploader only; unattached ones are cleaned up after a day.
    The rows go with their post or comment (ON DELETE CASCADE); the files after the commit.
    """

    __tablename__ = "uploads"
    __table_args__ = (Index("ix_uploads_owner_created", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Random: the file names (and so the media URLs) are made from it, never from user input.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    thumbnail_width: Mapped[int] = mapped_column()
    thumbnail_height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()  # bytes stored, both files together
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    alt: Mapped[str | None] = mapped_column(String(limits.ALT_TEXT))
    position: Mapped[int] = mapped_column(default=0)

    @staticmethod
    def file_names(key, content_type):
        """(large, thumbnail) file names of an upload."""
        extension = EXTENSIONS[content_type]
        return f"{key}.{extension}", f"{key}.thumb.{extension}"

    @property
    def name(self):
        return self.file_names(self.key, self.content_type)[0]

    @property
    def thumbnail_name(self):
        return self.file_names(self.key, self.content_type)[1]


# Registered with the same metadata wherever the models are (Alembic compares all of them).
from .policing import models as policing_models  # noqa: E402, F401
