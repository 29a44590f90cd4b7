"""One-click unsubscribe links: signed, never expiring, revoked by a generation number."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..errors import ApiError
from .preferences import LISTS, link_generation

SALT = "chatter.mail.unsubscribe"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_url(user_id, mailing):
    """The link that stops `mailing` ("mentions" or "digest") for a person."""
    token = _serializer().dumps([user_id, mailing, link_generation(user_id)])
    return f"{current_app.config['CHATTER_PUBLIC_URL']}/mail/unsubscribe/{token}"


def read_token(token):
    """(user id, mailing) from a link's token; 400 when forged, altered or revoked."""
    try:
        user_id, mailing, generation = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise _bad_link() from None
    valid = isinstance(user_id, int) and isinstance(generation, int) and mailing in LISTS
    if not valid or generation != link_generation(user_id):
        raise _bad_link()
    return user_id, mailing


def _bad_link():
    return ApiError(
        400,
        "This unsubscribe link is not valid (altered or revoked). "
        "Change your e-mail settings in the Chatter pane instead.",
        code="bad_unsubscribe_link",
    )
