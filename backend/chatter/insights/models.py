"""The insights rollups: small tables per week and month that GET /insights reads instead
of the millions of interactions behind them.

Only days that have ended are rolled up, each once (`insight_days`), and added to their
week's and month's rows: an ended day's
interactions no longer change, but for deletions (`chatter insights --rebuild` forgets them
all). Today is read from the interactions themselves (rollups.py). Departments are stored as
given by identity tokens, "" for none.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class InsightDay(db.Model):
    """A day whose rollups are built."""

    __tablename__ = "insight_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime)


class InsightFlow(db.Model):
    """Interactions of one kind in one week or month (`period` and its `start`) from one
    department (the actor's) to another (the author's of what was commented, liked or
    promoted; a post's own for a post). Ranges are whole buckets: a read sums a few
    thousand of these, never days."""

    __tablename__ = "insight_flows"

    period: Mapped[str] = mapped_column(String(5), primary_key=True)  # "week" or "month"
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    actor_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    author_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    interactions: Mapped[int] = mapped_column()


class InsightActive(db.Model):
    """Who in one department did at least one interaction in a week or month: a set of
    user ids as a bitmap (bit n is user n, little-endian bytes). Active people are counted
    over any range by OR-ing sets, so nobody counts twice and a read never touches a row
    per person."""

    __tablename__ = "insight_active"

    period: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    department: Mapped[str] = mapped_column(String(100), primary_key=True)
    people: Mapped[bytes] = mapped_column(LargeBinary)


class InsightAuthor(db.Model):
    """What one person wrote in a month, and the engagement it drew from others."""

    __tablename__ = "insight_authors"
    __table_args__ = (
        # A month's most engaging people (the leaders' candidates), then their sums over
        # the range, both from the index alone.
        Index("ix_insight_authors_engagement", "month", "engagement"),
        Index("ix_insight_authors_user", "user_id", "month", "items", "engagement"),
    )

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    items: Mapped[int] = mapped_column()  # posts and comments written
    engagement: Mapped[int] = mapped_column()  # comments, replies, likes, promotions by others


class InsightReach(db.Model):
    """Engagement one person's posts and comments drew from one department in a month."""

    __tablename__ = "insight_reach"
    # The leaders' departments reached, from the index alone.
    __table_args__ = (Index("ix_insight_reach_user", "user_id", "month", "actor_department"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    interactions: Mapped[int] = mapped_column()
