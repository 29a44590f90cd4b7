"""Follows (conversations, people, pages) and notifications."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..models import Id, utcnow

EXCERPT = 200  # characters of the body kept with a notification (shown trimmed to 140)


class PostFollow(db.Model):
    """Someone follows a conversation (`following`), or muted it (False): a mute is kept so
    that commenting again or being mentioned does not follow it anew.

    A follower is told of new comments *on read* (attention/activity.py): comments after
    `seen_at` by others are their unread activity there, one grouped notification per
    conversation. Writing a row per follower per comment made a comment on a conversation
    2,000 people follow twenty times slower to write (bench/notify).
    """

    __tablename__ = "post_follows"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Comments up to here are read: moved by reading, commenting, or following anew.
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PersonFollow(db.Model):
    __tablename__ = "person_follows"

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PageFollow(db.Model):
    __tablename__ = "page_follows"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    context_id: Mapped[int] = mapped_column(
        ForeignKey("contexts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Notification(db.Model):
    """Something that happened for one person: written in the transaction that caused it.

    Likes, promotions and follows are grouped while unread ("Ana and 3 others liked your
    post"): one row per (recipient, `group_key`) among the unread ones — a unique partial
    index the writers upsert on — with every actor in notification_actors. Mentions and
    replies are one row each, with their one actor in `actor_id`. Comments on followed
    conversations have no rows (PostFollow). `comment_id` has no foreign key: deleting a
    comment withdraws its notifications explicitly (and says so, live).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_inbox", "recipient_id", "created_at", "id"),
        Index("ix_notifications_post", "post_id", "comment_id"),
        Index(
            "uq_notifications_unread_group",
            "recipient_id",
            "group_key",
            unique=True,
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    group_key: Mapped[str | None] = mapped_column(String(40))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(BigInteger)
    # The latest actor; all of them in notification_actors for grouped kinds.
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_count: Mapped[int] = mapped_column(default=1)
    excerpt: Mapped[str] = mapped_column(String(EXCERPT), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)


class NotificationActor(db.Model):
    """One of the people behind a grouped notification."""

    __tablename__ = "notification_actors"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
