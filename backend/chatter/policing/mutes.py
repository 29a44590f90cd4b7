"""Personal mutes: a reader leaves a person's posts, comments and notifications out of their
own view. Nobody else's view changes and the muted person is never told, so the shared pages
stay shared: each reader's mutes are read with their session and their items skipped as the
page is joined (read/feed.py)."""

from sqlalchemy import delete, exists, select

from ..db import db, insert_ignore
from ..errors import ApiError, not_found
from ..events import record_addressed_event
from ..models import User, utcnow
from .models import PersonMute


def set_mute(muter_id, person_id, muted):
    """Mute or unmute; refuses oneself (422 own_person) and unknown people (404). The muter's
    other panes are told (`mutes.changed`, to them alone): live frames are everyone's, and each
    pane leaves out those of the people its reader muted."""
    if person_id == muter_id:
        raise ApiError(422, "You cannot mute yourself.", code="own_person")
    if db.session.get(User, person_id) is None:
        raise not_found("person")
    if muted:
        insert_ignore(PersonMute, muter_id=muter_id, person_id=person_id, created_at=utcnow())
    else:
        db.session.execute(
            delete(PersonMute).where(
                PersonMute.muter_id == muter_id, PersonMute.person_id == person_id
            )
        )
    changed = {"muted_people": muted_people(muter_id)}
    record_addressed_event("mutes.changed", {}, {muter_id: changed})
    return {"muted": muted}


def mutes(viewer_id, person_id):
    return db.session.scalar(
        select(exists().where(PersonMute.muter_id == viewer_id, PersonMute.person_id == person_id))
    )


def muted_people(muter_id):
    """The ids of the people `muter_id` muted, for their panes to leave out live items."""
    return list(
        db.session.scalars(
            select(PersonMute.person_id)
            .where(PersonMute.muter_id == muter_id)
            .order_by(PersonMute.person_id)
        )
    )
