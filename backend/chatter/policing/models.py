"""The policing tables: flags, the review queue, the public log, edit history, mutes."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..models import Id, utcnow

NOTE = 500  # characters of a flag's or a decision's note
REASONS = ("disrespectful", "off_topic", "confidential", "spam", "other")


def item_key(post_id, comment_id=None):
    """One key for a post or a comment: unique constraints cannot rely on a NULL comment_id."""
    return f"c{comment_id}" if comment_id is not None else f"p{post_id}"


class Flag(db.Model):
    """One person's flag on a post (comment_id NULL) or a comment.

    `outcome` is `open` until a moderator decides: `upheld` (hidden or removed) or `overturned`
    (restored or dismissed). A flagger's overturned flags lower the weight of their next ones.
    """

    __tablename__ = "flags"
    __table_args__ = (
        Index("uq_flags_item_user", "item", "user_id", unique=True),
        Index("ix_flags_user_outcome", "user_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    item: Mapped[str] = mapped_column(String(24))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The flagger's department when flagging: breadth is counted over these.
    department: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(NOTE))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    outcome: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReviewRequest(db.Model):
    """An item waiting for a moderator: flagged, hidden, or edited while hidden."""

    __tablename__ = "review_requests"
    __table_args__ = (Index("ix_review_requests_order", "requested_at", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    item: Mapped[str] = mapped_column(String(24), unique=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ModerationEntry(db.Model):
    """One line of the public moderation log. It outlives its item (no foreign keys): what
    was done stays on record even after the author deletes the conversation."""

    __tablename__ = "moderation_log"
    __table_args__ = (Index("ix_moderation_log_item", "post_id", "comment_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    post_id: Mapped[int] = mapped_column(BigInteger)
    comment_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(12))  # community, moderator or author
    people: Mapped[int] = mapped_column(default=0)
    departments: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(String(NOTE))
    # Never shown: the log names moderators as "a moderator". Kept for accountability.
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Revision(db.Model):
    """An earlier text of a post (comment_id NULL) or a comment, stored by each edit."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_post", "post_id", "comment_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(DateTime)  # when this text was written
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PersonMute(db.Model):
    """`muter_id` does not see `person_id`'s posts, comments or notifications (a personal
    filter: the muted person is never told)."""

    __tablename__ = "person_mutes"

    muter_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
