"""What `/c/{id}` needs to know: the conversation's context, how the reader signs in, the CSP."""

from typing import NamedTuple

from flask import current_app
from sqlalchemy import select

from ..auth import avatar_hosts
from ..db import db
from ..links import page_url
from ..models import Context, Post

# The strict-CSP example's policy on Chatter's own origin: nothing inline, Trusted Types.
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self' blob: data:{avatars}; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types chatter"
)


class Target(NamedTuple):
    """The conversation a page opens, and the page it belongs to (if known)."""

    post_id: int
    context_key: str | None
    context_title: str | None
    page_url: str | None  # http(s) only, for "Open its page"


def find_conversation(post_id):
    """The conversation `post_id` with its context, or None."""
    query = (
        select(Post.id, Context.key, Context.title, Context.url)
        .outerjoin(Context, Context.id == Post.context_id)
        .where(Post.id == post_id)
    )
    row = db.session.execute(query).first()
    return None if row is None else Target(row[0], row[1], row[2], page_url(row[3]))


class SignIn(NamedTuple):
    """How the page's pane signs in; `people` is the dev mode's "Viewing as" switcher."""

    token_url: str
    people: tuple = ()
    current: str | None = None


def sign_in(demo_person=None):
    """Where the page's pane gets identity tokens: CHATTER_PAGE_TOKEN_URL, else in dev mode the
    dev issuer (as one of the demo people, like the example pages), else None."""
    configured = current_app.config.get("CHATTER_PAGE_TOKEN_URL")
    if configured:
        return SignIn(configured)
    if not current_app.config["CHATTER_DEV_MODE"]:
        return None
    from ..examples import DEMO_PEOPLE, demo_token_url  # dev mode only

    person = demo_person if demo_person in DEMO_PEOPLE else "alice"
    people = tuple((sub, profile[0]) for sub, profile in DEMO_PEOPLE.items())
    return SignIn(demo_token_url(person), people, person)


def page_csp():
    """The page's Content-Security-Policy: avatars only from the hosts they may come from."""
    hosts = "".join(f" https://{host}" for host in sorted(avatar_hosts()))
    return CSP.format(avatars=hosts)
