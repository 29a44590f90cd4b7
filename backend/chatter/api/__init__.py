"""The JSON API under /api/v1: one blueprint per resource, all under the `api` blueprint."""

from flask import Blueprint

from . import (
    comments,
    flags,
    follows,
    history,
    insights,
    meta,
    moderation,
    notifications,
    outcomes,
    people,
    posts,
    reactions,
    search,
    session,
    stream,
    uploads,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
RESOURCES = (
    posts,
    outcomes,
    comments,
    reactions,
    flags,
    follows,
    notifications,
    uploads,
    session,
    people,
    moderation,
    history,
    search,
    insights,
    stream,
    meta,
)
for resource in RESOURCES:
    bp.register_blueprint(resource.bp)
