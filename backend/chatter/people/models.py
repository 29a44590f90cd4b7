"""The people package's tables: who is mentioned where, and the words people are found by."""

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..models import Id

# PostgreSQL compares these bytewise ("C"), as SQLite does: a prefix is then an index range
# (`word >= 'ali' AND word < 'ali' || U+10FFFF`) whatever the database's own collation.
Word = String(100).with_variant(String(100, collation="C"), "postgresql")


class Mention(db.Model):
    """A person mentioned in a post (comment_id NULL) or in a comment."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_post", "post_id", "comment_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class PersonWord(db.Model):
    """A folded word of a person's name, their handle or e-mail: prefix search seeks these."""

    __tablename__ = "person_words"

    word: Mapped[str] = mapped_column(Word, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
