"""The digest (`chatter digest --period daily|weekly`, from cron): one ranked e-mail a person.

Ranked by what matters to the reader: their unread mentions and replies, then conversations
they follow that moved, then what the organization promoted. A person with nothing in any
of them gets no e-mail. Each person's row records the period last sent for, moved forward
by one guarded UPDATE before sending: a rerun, or a second cron host, sends nothing twice.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from ..db import db
from ..models import utcnow
from .compose import Item, Section, build_mail, notice_item
from .models import MailPreference
from .preferences import preferences_row
from .sources import (
    digest_readers,
    followed_conversations,
    promoted_conversations,
    unread_notices,
)
from .transport import MailError, send
from .unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MOST = 10  # items per section


def period_start(period, now):
    """The first day of the period `now` falls in: today, or this ISO week's Monday."""
    day = now.date()
    return day if period == "daily" else day - timedelta(days=day.weekday())


def send_digests(period, now=None):
    """Send `period`'s digest to everyone who chose it; return (sent, failed)."""
    now = now or utcnow()
    since = now - PERIODS[period]
    key = period_start(period, now)
    column = getattr(MailPreference, f"{period}_digest_for")
    promoted = promoted_conversations(since, MOST)
    sent = failed = 0
    for user_id, name, email in digest_readers(period):
        sections = digest_sections(user_id, since, promoted)
        if not sections:
            continue
        previous = _claim(user_id, column, key)
        if previous is False:
            continue  # already sent for this period
        message = build_mail(
            name,
            email,
            f"Your {period} Chatter digest",
            sections,
            unsubscribe_url(user_id, "digest"),
            "the digest",
        )
        try:
            send(current_app.config["CHATTER_SMTP_URL"], message)
            sent += 1
        except MailError as error:
            log.warning("digest to person %s not sent: %s", user_id, error)
            _release(user_id, column, key, previous)
            failed += 1
    db.session.rollback()
    return sent, failed


def digest_sections(user_id, since, promoted):
    """The reader's digest: sections in order of what matters to them; [] when nothing does."""
    notices = unread_notices(user_id, since)[:MOST]
    shown = {n.post_id for n in notices}
    followed = [c for c in followed_conversations(user_id, since, MOST) if c.post_id not in shown]
    shown |= {c.post_id for c in followed}
    sections = [
        Section("For you", [notice_item(n) for n in notices]),
        Section("Conversations you follow", [_item(c, "new comment") for c in followed]),
        Section(
            "Promoted",
            [_item(c, "promotion") for c in promoted if c.post_id not in shown],
        ),
    ]
    return [section for section in sections if section.items]


def _item(conversation, what):
    plural = "" if conversation.count == 1 else "s"
    headline = f"{conversation.author}'s conversation: {conversation.count} {what}{plural}"
    return Item(headline, conversation.excerpt, conversation.link)


def _claim(user_id, column, key):
    """Record the period as sent for; False when it already was, else the previous value."""
    db.session.rollback()
    row = preferences_row(user_id)
    previous = getattr(row, column.key)
    taken = db.session.execute(
        update(MailPreference)
        .where(MailPreference.user_id == user_id, or_(column.is_(None), column < key))
        .values({column.key: key})
        .returning(MailPreference.user_id)
    ).first()
    if taken is None:
        db.session.rollback()
        return False
    db.session.commit()
    return previous


def _release(user_id, column, key, previous):
    db.session.execute(
        update(MailPreference)
        .where(MailPreference.user_id == user_id, column == key)
        .values({column.key: previous})
    )
    db.session.commit()
