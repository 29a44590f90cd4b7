"""Health and readiness, outside /api/v1: for load balancers and orchestrators."""

from flask import Blueprint, current_app
from sqlalchemy import text

from .db import db
from .errors import ApiError

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: the database answers; Redis, which is optional, is "ok" or "degraded"."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        raise ApiError(
            503, f"The database is not reachable: {type(error).__name__}.", code="not_ready"
        ) from error
    body = {"status": "ready"}
    link = current_app.extensions["chatter.redis"]
    if link:
        ping = link.call(lambda client: client.ping(), lambda: False, probe=True)
        body["redis"] = "ok" if ping else "degraded"
    return body
