"""People: an admin ends a person's sessions."""

from flask import Blueprint, current_app, g

from ..auth import is_admin, login_required, revoke_user_sessions
from ..db import db
from ..errors import forbidden, not_found
from ..live import get_hub
from ..models import User
from ..openapi import doc
from ..schemas import RevokedSessionsSchema

bp = Blueprint("people", __name__)


@bp.delete("/people/<int:person_id>/sessions")
@doc(response=RevokedSessionsSchema)
@login_required
def revoke_sessions(person_id):
    """Sign a person out everywhere at once (admins only); their open streams close too."""
    if not is_admin(g.reader):
        raise forbidden("Only an admin can end another person's sessions.")
    if db.session.get(User, person_id) is None:
        raise not_found("person")
    revoked = revoke_user_sessions(person_id)
    db.session.commit()
    get_hub(current_app).notify(sessions=True)
    return {"revoked": revoked}
