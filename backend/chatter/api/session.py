"""Sign-in and the signed-in user."""

from flask import current_app, g
from sqlalchemy import update

from .. import feed
from ..db import db
from ..limits import client_limits
from ..live import Hub, get_hub
from ..models import Session, utcnow
from ..pages import encode, json_response
from ..payloads import Viewer
from ..schemas import MeSchema, SessionCreateSchema, SessionSchema, UserSchema
from ..sessions import is_admin, login_required, sign_in
from . import bp, doc, load_json


def _user_payload(user):
    user.is_admin = is_admin(user)
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
    reader = Viewer(session.user.id, body["user"]["is_admin"])
    page = feed.first_page_json(reader, Hub.head(), **data["feed"])
    return json_response(encode(body)[:-1] + b',"feed":' + page + b"}", 201)


@bp.delete("/session")
@doc(status=204)
@login_required
def delete_session():
    """Sign out: revoke the current session at once."""
    db.session.execute(
        update(Session).where(Session.id == g.session_id).values(revoked_at=utcnow())
    )
    db.session.commit()
    get_hub(current_app).notify(sessions=True)  # open streams of this session close now
    return "", 204


@bp.get("/me")
@doc(response=MeSchema)
@login_required
def me():
    """The signed-in user's profile, and the limits this server enforces."""
    return {**_user_payload(g.user), "limits": client_limits()}
