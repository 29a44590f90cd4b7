"""Mentions and replies left unread: one e-mail per person per delay, batching what is due.

Who sends: a mailer thread in every app process (worker.py) runs `send_due_mentions` every
few seconds; no cron. Several processes never send twice: a person's e-mail is sent only by
the process whose one guarded UPDATE moved `mail_preferences.mentions_mailed_at` forward, in
the same transaction that records the notices as mailed. The SMTP conversation happens after
that commit, outside any write lock; when it fails, the claim and the records are undone, so
the next round tries again and nothing is lost. A process dying mid-send loses that one
e-mail (the bell still shows the notices): it never doubles one.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, update

from ..db import db
from ..models import User, utcnow
from .compose import Section, build_mail, notice_item
from .models import MailedNotification, MailPreference
from .preferences import preferences_row
from .sources import due_notices, people_with_due_notices
from .transport import MailError, send
from .unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)

# Older notices are the digest's: turning e-mail on must not mail everyone their past.
MAX_AGE = timedelta(days=2)


def send_due_mentions(now=None):
    """Send every e-mail that is due; return how many were sent."""
    now = now or utcnow()
    delay = timedelta(seconds=current_app.config["CHATTER_EMAIL_DELAY_SECONDS"])
    cutoff = now - delay
    sent = 0
    for user_id in people_with_due_notices(cutoff, now - delay - MAX_AGE):
        db.session.rollback()  # each person in a transaction of its own
        claimed = _claim(user_id, now, delay, cutoff)
        if claimed is None:
            continue
        person, notices = claimed
        message = _mail(person, notices)
        try:
            send(current_app.config["CHATTER_SMTP_URL"], message)
        except MailError as error:
            log.warning("mention e-mail to person %s not sent, retrying later: %s", user_id, error)
            _release(user_id, [notice.id for notice in notices])
            continue
        sent += 1
    db.session.rollback()
    return sent


def _claim(user_id, now, delay, cutoff):
    """Take the person's e-mail and record its notices as mailed; None when not ours to send."""
    preferences_row(user_id)
    taken = db.session.execute(
        update(MailPreference)
        .where(
            MailPreference.user_id == user_id,
            MailPreference.email_mentions.is_(True),
            or_(
                MailPreference.mentions_mailed_at.is_(None),
                MailPreference.mentions_mailed_at <= now - delay,
            ),
        )
        .values(mentions_mailed_at=now)
        .returning(MailPreference.user_id)
    ).first()
    person = db.session.get(User, user_id)
    notices = due_notices(user_id, cutoff, now - delay - MAX_AGE) if taken else []
    if not notices or person.email is None:
        db.session.rollback()
        return None
    db.session.execute(
        MailedNotification.__table__.insert(),
        [{"notification_id": n.id, "user_id": user_id, "mailed_at": now} for n in notices],
    )
    db.session.commit()
    return person, notices


def _release(user_id, notice_ids):
    """Undo a claim whose e-mail was not accepted: the next round sends it."""
    db.session.execute(
        delete(MailedNotification).where(
            MailedNotification.user_id == user_id,
            MailedNotification.notification_id.in_(notice_ids),
        )
    )
    db.session.execute(
        update(MailPreference)
        .where(MailPreference.user_id == user_id)
        .values(mentions_mailed_at=None)
    )
    db.session.commit()


def _mail(person, notices):
    mentions = [n for n in notices if n.kind == "mention"]
    replies = [n for n in notices if n.kind != "mention"]
    sections = [
        Section(title, [notice_item(n) for n in group])
        for title, group in (("Mentions", mentions), ("Replies", replies))
        if group
    ]
    first = notices[0]
    more = f" and {len(notices) - 1} more" if len(notices) > 1 else ""
    subject = f"{notice_item(first).headline} on Chatter{more}"
    return build_mail(
        person.name,
        person.email,
        subject,
        sections,
        unsubscribe_url(person.id, "mentions"),
        "e-mails about mentions and replies",
    )
