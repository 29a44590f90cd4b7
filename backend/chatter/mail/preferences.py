"""Each person's e-mail preferences: read with defaults, changed, unsubscribed from a link."""

from ..db import db, insert_ignore
from .models import DEFAULTS, MailPreference

LISTS = {"mentions": ("email_mentions", False), "digest": ("email_digest", "off")}


def preferences_row(user_id):
    """The person's row, made with the defaults when they have none yet (flushed, not committed)."""
    insert_ignore(MailPreference, user_id=user_id, **DEFAULTS)
    return db.session.get(MailPreference, user_id)


def read_preferences(user_id):
    """{"email_mentions", "email_digest"} of a person, the defaults when never set."""
    row = db.session.get(MailPreference, user_id)
    if row is None:
        return dict(DEFAULTS)
    return {name: getattr(row, name) for name in DEFAULTS}


def change_preferences(user_id, changes):
    """Apply validated changes; return the preferences now."""
    row = preferences_row(user_id)
    for name, value in changes.items():
        setattr(row, name, value)
    db.session.flush()
    return read_preferences(user_id)


def unsubscribe(user_id, mailing):
    """Turn off one mailing ("mentions" or "digest") of a person."""
    name, off = LISTS[mailing]
    return change_preferences(user_id, {name: off})


def link_generation(user_id):
    """The generation unsubscribe links of this person must carry to be honoured."""
    row = db.session.get(MailPreference, user_id)
    return row.link_generation if row else 0


def revoke_links(user_id):
    """Make every unsubscribe link sent to the person so far stop working."""
    row = preferences_row(user_id)
    row.link_generation += 1
    db.session.flush()
