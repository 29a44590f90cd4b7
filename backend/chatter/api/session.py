"""Sign-in and the signed-in user."""

from flask import Blueprint, current_app, g

from ..attention.activity import unread_total
from ..auth import current_user, is_admin, is_moderator, login_required, revoke_session, sign_in
from ..db import db
from ..limits import client_limits
from ..live import get_hub
from ..openapi import doc
from ..policing.mutes import muted_people
from ..read import feed
from ..read.page_cache import json_response
from ..read.rows import Viewer
from ..schemas import MeSchema, SessionCreateSchema, SessionSchema, UserSchema
from .inputs import load_json

bp = Blueprint("session", __name__)


def _user_payload(user):
    user.is_admin = is_admin(user)
    user.is_moderator = is_moderator(user)
    user.unread_notifications = unread_total(user.id)
    user.muted_people = muted_people(user.id)
    return UserSchema().dump(user)


@bp.post("/session")
@doc(body=SessionCreateSchema, response=SessionSchema, status=201, auth=False)
def create_session():
    """Exchange an identity token from the intranet for a session token."""
    data = load_json(SessionCreateSchema())
    token, session = sign_in(data["identity_token"])
    db.session.commit()
    body = {
        "token": token,
        "expires_at": SessionSchema().dump(session)["expires_at"],
        "user": _user_payload(session.user),
        "dev_mode": session.dev,
        "limits": client_limits(),
    }
    if data["feed"] is None:
        return body, 201
    reader = Viewer(session.user.id, body["user"]["is_admin"], body["user"]["is_moderator"])
    return json_response(feed.read_sign_in(body, reader, data["feed"]), 201)


@bp.delete("/session")
@doc(status=204)
@login_required
def delete_session():
    """Sign out: revoke the current session at once."""
    revoke_session(g.session_id)
    db.session.commit()
    get_hub(current_app).notify(sessions=True)  # open streams of this session close now
    return "", 204


@bp.get("/me")
@doc(response=MeSchema)
@login_required
def me():
    """The signed-in user's profile, and the limits this server enforces."""
    return {**_user_payload(current_user()), "limits": client_limits()}
