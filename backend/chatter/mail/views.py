"""GET|PATCH /api/v1/me/preferences, and the unsubscribe page e-mails link to."""

import base64
import hashlib
from html import escape

from flask import Blueprint, current_app, g

from ..api.inputs import load_json
from ..auth import login_required
from ..db import db
from ..errors import not_found
from ..models import User
from ..openapi import doc
from .preferences import change_preferences, read_preferences, unsubscribe
from .schemas import PreferencesPatchSchema, PreferencesSchema
from .unsubscribe import read_token

api = Blueprint("mail_api", __name__, url_prefix="/api/v1")
pages = Blueprint("mail_pages", __name__, url_prefix="/mail")

WHAT = {"mentions": "e-mails about mentions and replies", "digest": "the digest e-mail"}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;"
    "color:#1f2328;background:#fff}button{font:inherit;padding:.5rem 1rem;border-radius:6px;"
    "border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}"
    "@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@api.get("/me/preferences")
@doc(response=PreferencesSchema)
@login_required
def get_preferences():
    """Your e-mail preferences."""
    return PreferencesSchema().dump(read_preferences(g.reader.id))


@api.patch("/me/preferences")
@doc(body=PreferencesPatchSchema, response=PreferencesSchema)
@login_required
def patch_preferences():
    """Change your e-mail preferences: mention e-mails on or off, the digest's period."""
    changes = load_json(PreferencesPatchSchema())
    preferences = change_preferences(g.reader.id, changes)
    db.session.commit()
    return PreferencesSchema().dump(preferences)


def _person(token):
    user_id, mailing = read_token(token)
    if db.session.get(User, user_id) is None:
        raise not_found("person")
    return user_id, mailing


@pages.get("/unsubscribe/<token>")
def confirm_unsubscribe(token):
    """Ask before unsubscribing: mail scanners follow links, only a person presses the button."""
    _user_id, mailing = _person(token)
    return _page(
        "Unsubscribe",
        f"<p>Stop {escape(WHAT[mailing])} from Chatter?</p>"
        '<form method="post"><button type="submit">Unsubscribe</button></form>',
    )


@pages.post("/unsubscribe/<token>")
def one_click_unsubscribe(token):
    """Unsubscribe at once (RFC 8058 one-click: mail clients POST here without a page)."""
    user_id, mailing = _person(token)
    unsubscribe(user_id, mailing)
    db.session.commit()
    return _page(
        "Unsubscribed",
        f"<p>Done: no more {escape(WHAT[mailing])}. "
        "You can turn them on again in the Chatter pane's settings.</p>",
    )


def _page(title, body):
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · Chatter'
        f'</title><meta name="viewport" content="width=device-width"><style>{_STYLE}</style>'
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["Cache-Control"] = "no-store"
    return response
