"""E-mail's tables: each person's preferences and bookkeeping, and what was already mailed."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db

DIGEST_PERIODS = ("off", "daily", "weekly")
DEFAULTS = {"email_mentions": True, "email_digest": "weekly", "show_in_insights": True}


class MailPreference(db.Model):
    """One person's e-mail choices; no row means the defaults.

    `mentions_mailed_at` is also the lease of the delayed e-mail: a process sends a person's
    e-mail only after moving it forward with one guarded UPDATE, so two processes never both
    send, and a person gets at most one such e-mail per delay.
    """

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_mentions: Mapped[bool] = mapped_column(Boolean, server_default=true())
    email_digest: Mapped[str] = mapped_column(String(6), server_default="weekly")
    # Listed among the knowledge leaders of GET /insights (not e-mail, but a choice as these).
    show_in_insights: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # Bumped to revoke every unsubscribe link sent so far (they carry the generation).
    link_generation: Mapped[int] = mapped_column(server_default="0")
    mentions_mailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The first day of the last period each digest was sent for: a rerun sends nothing.
    daily_digest_for: Mapped[date | None] = mapped_column(Date)
    weekly_digest_for: Mapped[date | None] = mapped_column(Date)


class MailedNotification(db.Model):
    """A notification already e-mailed on its own: never mailed again."""

    __tablename__ = "mailed_notifications"

    notification_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mailed_at: Mapped[datetime] = mapped_column(DateTime)
