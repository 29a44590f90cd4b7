"""The insights rollups: small tables per day (and per week or month) that GET /insights
reads instead of the millions of interactions behind them.

Only days that have ended are rolled up, each once (`insight_days`): an ended day's
interactions no longer change, but for deletions (`chatter insights --rebuild` forgets them
all). Today is read from the interactions themselves (rollups.py). Departments are stored as
given by identity tokens, "" for none.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class InsightDay(db.Model):
    """A day whose rollups are built."""

    __tablename__ = "insight_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(DateTime)


class InsightFlow(db.Model):
    """Interactions of one kind on one day from one department (the actor's) to another
    (the author's of what was commented, liked or promoted; a post's own for a post)."""

    __tablename__ = "insight_flows"
    # Covering, in GROUP BY order: a range's buckets are read in index order, no sorting.
    __table_args__ = tuple(
        Index(
            f"ix_insight_flows_{period}",
            period,
            "kind",
            "actor_department",
            "author_department",
            "interactions",
        )
        for period in ("week", "month")
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    actor_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    author_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    week: Mapped[date] = mapped_column(Date)  # the Monday of the day's week
    month: Mapped[date] = mapped_column(Date)  # the first of the day's month
    interactions: Mapped[int] = mapped_column()


class InsightActive(db.Model):
    """Someone did at least one interaction in a week or month (`period` and its `start`):
    active people per bucket are a count of these, not a sum over days."""

    __tablename__ = "insight_active"

    period: Mapped[str] = mapped_column(String(5), primary_key=True)  # "week" or "month"
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    department: Mapped[str] = mapped_column(String(100))


class InsightAuthor(db.Model):
    """What one person wrote in a month, and the engagement it drew from others."""

    __tablename__ = "insight_authors"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    items: Mapped[int] = mapped_column()  # posts and comments written
    engagement: Mapped[int] = mapped_column()  # comments, replies, likes, promotions by others


class InsightReach(db.Model):
    """Engagement one person's posts and comments drew from one department in a month."""

    __tablename__ = "insight_reach"
    __table_args__ = (Index("ix_insight_reach_user", "user_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor_department: Mapped[str] = mapped_column(String(100), primary_key=True)
    interactions: Mapped[int] = mapped_column()
